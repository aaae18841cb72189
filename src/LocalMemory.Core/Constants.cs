namespace LocalMemory.Core;

/// <summary>Names, defaults and limits in one place.</summary>
public static class Constants
{
    public const string HomeEnvironmentVariable = "LOCALMEM_HOME";
    public const string UserEnvironmentVariable = "LOCALMEM_USER_ID";
    public const string ModelEnvironmentVariable = "LOCALMEM_MODEL";
    public const string SecretsEnvironmentVariable = "LOCALMEM_SECRETS";
    public const string DefaultHomeFolder = ".localmem";
    public const string DatabaseFile = "memory.db";
    public const string ConfigFile = "config.json";
    public const string DefaultModel = "arctic-xs";

    public const int SchemaVersion = 5;

    /// <summary>Partitions of each user's vectors, searched in parallel (see Schema.CreateVectors).</summary>
    public const int VectorShards = 2;

    public const int MaxMemoryChars = 8_000;
    public const int MaxQueryChars = 2_000;
    public const int MaxMessages = 200;
    public const int MaxConversationChars = 64_000;
    public const int MaxMetadataBytes = 16_384;
    public const int MaxMetadataDepth = 5;
    public const int MaxIdChars = 256;
    public const int DefaultSearchLimit = 10;
    public const int MaxSearchLimit = 100;
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;
    public const int EmbeddingBatchSize = 16;
    /// <summary>Query vectors kept for repeated searches (about 1.5 KiB each at 384 dimensions).</summary>
    public const int QueryCacheSize = 512;

    /// <summary>A conversation longer than this (characters) is inferred in the background (add_memory answers PENDING).</summary>
    public const int BackgroundInferenceChars = 2_000;
    public const int BackgroundInferenceMessages = 10;
    /// <summary>How long a process may hold a RUNNING event before another may take it over.</summary>
    public static readonly TimeSpan InferenceLease = TimeSpan.FromMinutes(5);
    /// <summary>Tries of a background event (a failure, or the process working on it dying) before it ends FAILED.</summary>
    public const int InferenceAttempts = 3;
}

/// <summary>Process exit codes of the CLI: 0 done, 1 the user's input was wrong, 2 the system failed.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int InvalidInput = 1;
    public const int SystemFailure = 2;
}
