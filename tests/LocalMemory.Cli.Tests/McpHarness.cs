using System.Diagnostics;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace LocalMemory.Cli.Tests;

/// <summary>Starts `localmem serve` as a real child process on a temporary home and speaks MCP to it over stdio.</summary>
internal static class McpHarness
{
    public static Task<McpClient> Connect(string home, string clientName = "codex", string? workingDirectory = null, Action<string>? stderr = null, bool daemon = true)
    {
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "localmem",
            Command = Localmem.Exe,
            Arguments = ["serve"],
            EnvironmentVariables = new Dictionary<string, string?>
            {
                ["LOCALMEM_HOME"] = home, ["LOCALMEM_USER_ID"] = "dev",
                ["LOCALMEM_DAEMON"] = daemon ? "on" : "off", ["LOCALMEM_DAEMON_IDLE_EXIT"] = "120s",
            },
            WorkingDirectory = workingDirectory ?? home,
            StandardErrorLines = stderr,
        });
        return McpClient.CreateAsync(transport, new McpClientOptions { ClientInfo = new Implementation { Name = clientName, Version = "1.0" } });
    }

    /// <summary>
    /// Any command that ends in `localmem serve`, started as a client does: only the usual variables, HOME as given (and
    /// any daemon it starts leaves 20 s after its last client, not 30 minutes after the test).
    /// </summary>
    public static Task<McpClient> ConnectAs(string home, string[] command, IReadOnlyDictionary<string, string>? environment = null)
    {
        var env = StdioClientTransportOptions.GetDefaultEnvironmentVariables();
        env["HOME"] = home;
        env["LOCALMEM_DAEMON_IDLE_EXIT"] = "20s";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) env[name] = value;
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "localmem",
            Command = command[0],
            Arguments = command[1..],
            InheritEnvironmentVariables = false,
            EnvironmentVariables = env,
            WorkingDirectory = home,
        });
        return McpClient.CreateAsync(transport, new McpClientOptions { ClientInfo = new Implementation { Name = "codex", Version = "1.0" } });
    }

    public static async Task<JsonElement> Call(this McpClient client, string tool, object arguments)
    {
        var result = await client.CallToolAsync(tool, Args(arguments));
        Assert.False(result.IsError == true, $"{tool} failed: {Text(result)}");
        return JsonDocument.Parse(Text(result)).RootElement;
    }

    public static async Task<string> CallError(this McpClient client, string tool, object arguments)
    {
        var result = await client.CallToolAsync(tool, Args(arguments));
        Assert.True(result.IsError == true, $"{tool} should fail: {Text(result)}");
        return Text(result);
    }

    private static Dictionary<string, object?> Args(object arguments) =>
        JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(arguments))!;

    public static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    /// <summary>A raw `localmem serve` process, for what a well-behaved client never sends.</summary>
    public static Process StartRaw(string home, bool daemon = true, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(Localmem.Exe) { ArgumentList = { "serve" } };
        info.RedirectStandardInput = info.RedirectStandardOutput = info.RedirectStandardError = true;
        info.Environment["LOCALMEM_HOME"] = home;
        info.Environment["LOCALMEM_USER_ID"] = "dev"; // the same user as Connect
        Localmem.SetDaemon(info, daemon);
        info.WorkingDirectory = workingDirectory ?? home;
        return Process.Start(info)!;
    }

    public static async Task<JsonElement> Response(this Process process, int id, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
        {
            var message = JsonDocument.Parse(line).RootElement; // every stdout line must be JSON-RPC
            if (message.TryGetProperty("id", out var rid) && rid.ValueKind == JsonValueKind.Number && rid.GetInt32() == id) return message;
        }
        throw new InvalidOperationException($"stdout closed before the response to {id}");
    }

    /// <summary>The responses to several requests, in whatever order they come.</summary>
    public static async Task<Dictionary<int, JsonElement>> Responses(this Process process, int[] ids, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var found = new Dictionary<int, JsonElement>();
        while (found.Count < ids.Length && await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
        {
            var message = JsonDocument.Parse(line).RootElement;
            if (message.TryGetProperty("id", out var rid) && rid.ValueKind == JsonValueKind.Number && ids.Contains(rid.GetInt32())) found[rid.GetInt32()] = message;
        }
        return found.Count == ids.Length ? found : throw new InvalidOperationException($"stdout closed before the responses to {string.Join(", ", ids)}");
    }

    public static Task Send(this Process process, string line) => process.StandardInput.WriteLineAsync(line);

    public const string Initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";
    public const string Initialized = """{"jsonrpc":"2.0","method":"notifications/initialized"}""";
}
