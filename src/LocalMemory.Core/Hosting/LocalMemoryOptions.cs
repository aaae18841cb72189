using System.Text.Json;
using System.Text.Json.Nodes;

namespace LocalMemory.Core.Hosting;

/// <summary>Where the data lives, whose memory it is and which model embeds it.</summary>
/// <remarks>
/// Resolution order: explicit value (a --home or --model flag), then the environment
/// (LOCALMEM_HOME, LOCALMEM_USER_ID, LOCALMEM_MODEL), then config.json in the home, then the default.
/// The default home is ~/.localmem from the user profile (HOME on Unix), never XDG_* or APPDATA:
/// MCP clients pass few environment variables to the servers they launch.
/// </remarks>
public sealed record LocalMemoryOptions
{
    public required string Home { get; init; }
    public required string UserId { get; init; }
    public required string Model { get; init; }

    /// <summary>Credentials in stored text: redacted (default), rejected, or allowed.</summary>
    public Security.SecretsMode Secrets { get; init; } = Security.SecretsMode.Redact;

    /// <summary>Folder holding models/ and the sqlite-vec extension; the executable's folder by default.</summary>
    public string AssetsDirectory { get; init; } = AppContext.BaseDirectory;

    public string DatabasePath => Path.Combine(Home, Constants.DatabaseFile);

    public string ConfigPath => Path.Combine(Home, Constants.ConfigFile);

    /// <param name="environment">Where LOCALMEM_* variables are read (default: this process's environment; the daemon
    /// passes a client's).</param>
    public static LocalMemoryOptions Resolve(string? home = null, string? model = null, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        home = Path.GetFullPath(FirstNonEmpty(home, environment(Constants.HomeEnvironmentVariable))
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), Constants.DefaultHomeFolder));
        var config = ReadConfig(Path.Combine(home, Constants.ConfigFile));
        return new LocalMemoryOptions
        {
            Home = home,
            UserId = FirstNonEmpty(environment(Constants.UserEnvironmentVariable), config?["user_id"]?.GetValue<string>())
                ?? Environment.UserName,
            Model = FirstNonEmpty(model, environment(Constants.ModelEnvironmentVariable), config?["model"]?.GetValue<string>())
                ?? Constants.DefaultModel,
            Secrets = FirstNonEmpty(environment(Constants.SecretsEnvironmentVariable), config?["secrets"]?.GetValue<string>()) is { } mode
                ? Enum.TryParse<Security.SecretsMode>(mode, ignoreCase: true, out var parsed) ? parsed
                    : throw LocalMemoryException.Invalid($"secrets must be redact, reject or allow, got '{mode}'")
                : Security.SecretsMode.Redact,
        };
    }

    /// <summary>Sets one value in config.json, keeping the others (written to a temporary file, then moved).</summary>
    public void SaveSetting(string key, string value)
    {
        var config = ReadConfig(ConfigPath) ?? [];
        config[key] = value;
        Directory.CreateDirectory(Home);
        var temp = ConfigPath + ".tmp";
        File.WriteAllText(temp, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temp, ConfigPath, overwrite: true);
    }

    /// <summary>config.json as an object, or null when there is none; an invalid file is an input error that names it.</summary>
    public static JsonObject? ReadConfig(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw LocalMemoryException.Invalid($"{path} must hold a JSON object");
        }
        catch (JsonException e)
        {
            throw LocalMemoryException.Invalid($"{path} is not valid JSON: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            throw LocalMemoryException.Invalid($"{path}: 'user_id', 'model' and 'secrets' must be strings ({e.Message})");
        }
    }

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
