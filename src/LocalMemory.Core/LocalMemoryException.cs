namespace LocalMemory.Core;

/// <summary>What kind of failure: decides the CLI exit code and whether an MCP client sees the message.</summary>
public enum ErrorKind
{
    /// <summary>The caller's input was wrong (bad filter, text too long, unknown id): exit 1, MCP tool error.</summary>
    InvalidInput,
    /// <summary>A memory or event that does not exist: exit 1, MCP tool error.</summary>
    NotFound,
    /// <summary>The store, the model or the extension failed, with a message saying how to fix it: exit 2.</summary>
    System,
}

/// <summary>A failure with a plain message meant for a person or a model to read.</summary>
public sealed class LocalMemoryException(ErrorKind kind, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public ErrorKind Kind { get; } = kind;

    public int ExitCode => Kind == ErrorKind.System ? ExitCodes.SystemFailure : ExitCodes.InvalidInput;

    public static LocalMemoryException Invalid(string message) => new(ErrorKind.InvalidInput, message);

    public static LocalMemoryException NotFound(string message) => new(ErrorKind.NotFound, message);

    public static LocalMemoryException System(string message, Exception? inner = null) => new(ErrorKind.System, message, inner);
}
