using System.Diagnostics;
using System.Text.Json.Serialization;

namespace LocalMemory.Cli.Daemon;

/// <summary>The first line of every connection to the daemon: who asks, and for what.</summary>
/// <remarks>One JSON line each way, then (mode "mcp") MCP's own JSON-RPC lines for the rest of the connection.
/// Modes: "mcp" (a `localmem serve` hands its client over), "cli" (run one verb and answer its output), "status",
/// "stop".</remarks>
internal sealed record Hello
{
    public int Protocol { get; init; } = DaemonProtocol.Version;
    public required string Mode { get; init; }
    public required BuildIdentity Build { get; init; }
    /// <summary>The client's working directory: the project of a CLI verb, or of an MCP client that offers no roots.</summary>
    public string? Cwd { get; init; }
    /// <summary>The client's LOCALMEM_* settings (user, model, secrets), which may differ from the daemon's own.</summary>
    public Dictionary<string, string>? Environment { get; init; }
    public string[]? Args { get; init; }
    public string? Stdin { get; init; }
}

internal sealed record HelloReply
{
    public bool Ok { get; init; }
    public string? Error { get; init; }
    /// <summary>The daemon is older than the client and is exiting so that the client can start its own.</summary>
    public bool Retiring { get; init; }
    public BuildIdentity? Build { get; init; }
    public int Pid { get; init; }
    public int? Exit { get; init; }
    public string? Stdout { get; init; }
    public string? Stderr { get; init; }
    public DaemonStatus? Status { get; init; }
}

/// <summary>What `daemon status`, `doctor` and `stats` show.</summary>
internal sealed record DaemonStatus(
    int Pid, string Version, string Executable, string Socket, string Home, string StartedAt, double ResidentMb,
    int Connections, string? Http, double IdleExitMinutes, bool ModelLoaded);

/// <summary>Which build a process is: its version, then when its executable was written. A later build replaces an
/// earlier daemon; an earlier one uses the later daemon it finds (so two installs never take turns).</summary>
internal sealed record BuildIdentity(string Version, long Built)
{
    public static BuildIdentity Current { get; } = new(
        System.Reflection.CustomAttributeExtensions.GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>(typeof(BuildIdentity).Assembly)?.InformationalVersion ?? "0.0.0",
        Environment.ProcessPath is { } exe && File.Exists(exe) ? File.GetLastWriteTimeUtc(exe).Ticks : 0);

    public bool IsNewerThan(BuildIdentity other)
    {
        var order = CompareVersions(Core(Version), Core(other.Version));
        return order != 0 ? order > 0 : Built > other.Built;
    }

    private static string Core(string version) => version.Split('+')[0];

    private static int CompareVersions(string a, string b) =>
        System.Version.TryParse(a.Split('-')[0], out var x) && System.Version.TryParse(b.Split('-')[0], out var y) ? x.CompareTo(y) : string.CompareOrdinal(a, b);
}

internal static class DaemonProtocol
{
    public const int Version = 1;

    /// <summary>The settings a client passes along, so that the daemon answers as the client's own process would.</summary>
    public static readonly string[] ForwardedVariables =
    [
        LocalMemory.Core.Constants.HomeEnvironmentVariable,
        LocalMemory.Core.Constants.UserEnvironmentVariable,
        LocalMemory.Core.Constants.ModelEnvironmentVariable,
        LocalMemory.Core.Constants.SecretsEnvironmentVariable,
    ];

    public static Dictionary<string, string> CurrentEnvironment() => ForwardedVariables
        .Select(name => (name, value: System.Environment.GetEnvironmentVariable(name)))
        .Where(p => !string.IsNullOrEmpty(p.value))
        .ToDictionary(p => p.name, p => p.value!);

    public static double ResidentMb()
    {
        using var self = Process.GetCurrentProcess();
        return Math.Round(self.WorkingSet64 / 1048576.0, 1);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Hello))]
[JsonSerializable(typeof(HelloReply))]
internal sealed partial class DaemonJson : JsonSerializerContext;
