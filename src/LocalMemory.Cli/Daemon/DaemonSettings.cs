using System.Globalization;
using LocalMemory.Core;
using LocalMemory.Core.Hosting;

namespace LocalMemory.Cli.Daemon;

/// <summary>The daemon's settings: from a flag, else the environment, else config.json, else the default.</summary>
/// <remarks>config.json keys: "daemon" (false: never start or use one), "daemon_idle_exit" ("30m", "90s", "0" for
/// never), "http" (the loopback address to serve MCP over HTTP on, e.g. "127.0.0.1:7373"; a non-loopback address is
/// accepted only from here). Environment: LOCALMEM_DAEMON=off, LOCALMEM_DAEMON_IDLE_EXIT.</remarks>
internal sealed record DaemonSettings(bool Enabled, TimeSpan IdleExit, string? Http, bool HttpFromConfig)
{
    public const string EnabledVariable = "LOCALMEM_DAEMON";
    public const string IdleExitVariable = "LOCALMEM_DAEMON_IDLE_EXIT";
    public const string DefaultHttp = "127.0.0.1:7373";
    public static readonly TimeSpan DefaultIdleExit = TimeSpan.FromMinutes(30);

    public static DaemonSettings Resolve(string home, Func<string, string?> variable, string? idleExit = null)
    {
        var config = LocalMemoryOptions.ReadConfig(Path.Combine(home, Constants.ConfigFile));
        var enabled = variable(EnabledVariable) is { Length: > 0 } flag
            ? flag.ToLowerInvariant() is not ("0" or "off" or "false" or "no")
            : config?["daemon"]?.GetValueKind() != System.Text.Json.JsonValueKind.False;
        var idle = idleExit ?? variable(IdleExitVariable) ?? config?["daemon_idle_exit"]?.ToString();
        var http = config?["http"]?.ToString();
        return new DaemonSettings(enabled, idle is null ? DefaultIdleExit : Duration(idle, "idle exit"), http, http is not null);
    }

    /// <summary>"30m", "90s", "2h", "0" (never); a bare number is minutes.</summary>
    public static TimeSpan Duration(string text, string what)
    {
        text = text.Trim().ToLowerInvariant();
        var (number, unit) = text.Length > 0 && char.IsLetter(text[^1]) ? (text[..^1], text[^1]) : (text, 'm');
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
            throw LocalMemoryException.Invalid($"{what} must be a duration such as 30m, 90s or 0 (never), got '{text}'");
        return unit switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            _ => throw LocalMemoryException.Invalid($"{what} must be a duration such as 30m, 90s or 0 (never), got '{text}'"),
        };
    }
}
