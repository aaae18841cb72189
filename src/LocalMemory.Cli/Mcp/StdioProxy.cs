using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using LocalMemory.Cli.Daemon;
using LocalMemory.Core.Hosting;
using Microsoft.Extensions.Logging;

namespace LocalMemory.Cli.Mcp;

/// <summary>`localmem serve`: the MCP server an agent launches over stdio, answering through the daemon.</summary>
/// <remarks>
/// It answers <c>initialize</c> itself at once, while it finds (or starts) the home's daemon, then hands the client
/// over: it replays the client's <c>initialize</c> on the daemon connection (so the daemon's session knows the client's
/// name and capabilities), drops the daemon's answer to it, and from then on passes lines both ways untouched, server
/// requests such as roots/list included. If the daemon dies, every request it had not answered gets an error (it may or
/// may not have been applied: a write the daemon acknowledged is on disk) and the next message goes to a new daemon.
/// When no daemon can run, the same MCP server runs in this process instead, and stderr says so once.
/// </remarks>
internal sealed class StdioProxy(LocalMemoryOptions options, DaemonSettings settings, ILoggerFactory loggers) : IDisposable
{
    /// <summary>The protocol versions the SDK's initialize handshake accepts; others go to the server unanswered.</summary>
    private static readonly string[] HandshakeVersions = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"];

    private readonly Stream _stdout = Console.OpenStandardOutput();
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly Channel<string> _fromClient = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, bool> _unanswered = new();
    private readonly ILogger _log = loggers.CreateLogger("localmem");
    private string? _initialize;
    private string? _initializeId;
    private string? _initialized;
    private McpEndpoint? _inProcess;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _ = ReadClientAsync(cancellationToken);
        var connecting = ConnectAsync(cancellationToken);
        if (!await _fromClient.Reader.WaitToReadAsync(cancellationToken)) return;
        var first = await _fromClient.Reader.ReadAsync(cancellationToken);
        string? pending = first;
        if (JsonRpcLine.InitializeVersion(first) is { } version && HandshakeVersions.Contains(version))
        {
            _initialize = first;
            _initializeId = JsonRpcLine.Parse(first).Id;
            await WriteClientAsync(InitializeResult(_initializeId!, version), cancellationToken);
            pending = null;
        }
        try
        {
            while (true)
            {
                await using var upstream = await connecting;
                if (await PumpAsync(upstream, pending, cancellationToken)) return;
                pending = null;
                _log.LogWarning("the localmem daemon went away; starting a new one");
                await FailUnansweredAsync(cancellationToken);
                connecting = ConnectAsync(cancellationToken);
            }
        }
        finally
        {
            if (_inProcess is not null) await _inProcess.DisposeAsync();
        }
    }

    /// <summary>Passes messages both ways until the client closes stdin (true) or the upstream ends (false).</summary>
    private async Task<bool> PumpAsync(Upstream upstream, string? pending, CancellationToken cancellationToken)
    {
        try
        {
            if (_initialize is not null && !await ReplayInitializeAsync(upstream, cancellationToken)) return false;
            if (pending is not null) await SendAsync(upstream, pending, cancellationToken);
        }
        catch (IOException)
        {
            return false;
        }
        using var stopUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var down = DownAsync(upstream, cancellationToken);
        var up = UpAsync(upstream, stopUp.Token);
        if (await Task.WhenAny(up, down) == up && await up)
        {
            await Task.WhenAny(down, DrainedAsync(cancellationToken)); // the client is gone: let its last answers out
            return true;
        }
        await stopUp.CancelAsync();
        try { await up; }
        catch (OperationCanceledException) { }
        return false;
    }

    /// <summary>The client's initialize again, on a new upstream; its answer (the client had ours) is dropped.</summary>
    private async Task<bool> ReplayInitializeAsync(Upstream upstream, CancellationToken cancellationToken)
    {
        await upstream.WriteLineAsync(_initialize!, cancellationToken);
        while (await upstream.ReadLineAsync(cancellationToken) is { } line)
        {
            var message = JsonRpcLine.Parse(line);
            if (message.IsResponse && message.Id == _initializeId) break;
            await WriteClientAsync(line, cancellationToken); // a notification sent before the answer: pass it on
        }
        if (_initialized is not null) await upstream.WriteLineAsync(_initialized, cancellationToken);
        return true;
    }

    /// <summary>Client to upstream. True when the client closed stdin; false when the upstream failed.</summary>
    private async Task<bool> UpAsync(Upstream upstream, CancellationToken cancellationToken)
    {
        while (await _fromClient.Reader.WaitToReadAsync(cancellationToken))
        {
            var line = await _fromClient.Reader.ReadAsync(cancellationToken);
            try { await SendAsync(upstream, line, cancellationToken); }
            catch (IOException) { return false; }
        }
        return true;
    }

    private async Task SendAsync(Upstream upstream, string line, CancellationToken cancellationToken)
    {
        var message = JsonRpcLine.Parse(line);
        if (message.Method == "notifications/initialized") _initialized = line;
        if (message.IsRequest) _unanswered[message.Id!] = true;
        await upstream.WriteLineAsync(line, cancellationToken);
    }

    /// <summary>Upstream to client, until the upstream ends.</summary>
    private async Task DownAsync(Upstream upstream, CancellationToken cancellationToken)
    {
        try
        {
            while (await upstream.ReadLineAsync(cancellationToken) is { } line)
            {
                var message = JsonRpcLine.Parse(line);
                if (message.IsResponse && message.Id is { } id) _unanswered.TryRemove(id, out _);
                await WriteClientAsync(line, cancellationToken);
            }
        }
        catch (IOException) { } // the daemon died: RunAsync answers what it left open and reconnects
    }

    private async Task DrainedAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < 500 && !_unanswered.IsEmpty; i++) await Task.Delay(10, cancellationToken);
    }

    private async Task FailUnansweredAsync(CancellationToken cancellationToken)
    {
        foreach (var id in _unanswered.Keys)
        {
            _unanswered.TryRemove(id, out _);
            await WriteClientAsync(
                "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":-32603,\"message\":\"the localmem daemon stopped during this call; " +
                "a write it acknowledged is kept, this one may or may not have been applied: check, then retry\"}}",
                cancellationToken);
        }
    }

    /// <summary>The home's daemon (started if none runs), or this process's own MCP server when no daemon can serve.</summary>
    private async Task<Upstream> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_inProcess is null && settings.Enabled)
        {
            var hello = new Hello
            {
                Mode = "mcp",
                Build = BuildIdentity.Current,
                Cwd = Environment.CurrentDirectory,
                Environment = new(DaemonProtocol.CurrentEnvironment()) { [LocalMemory.Core.Constants.HomeEnvironmentVariable] = options.Home },
            };
            string? why = null;
            var connection = await DaemonClient.OpenAsync(new DaemonPaths(options.Home), hello, start: true, note => why = note, cancellationToken);
            if (connection is not null) return new Upstream(connection.Stream, connection.Stream, $"daemon pid {connection.Reply.Pid}", connection);
            await Console.Error.WriteLineAsync($"localmem: {why ?? "no daemon"}; running in this process instead");
        }
        _inProcess ??= new McpEndpoint(provider => new InProcessServices(options, loggers.CreateLogger<InProcessServices>()));
        return Upstream.InProcess(_inProcess, McpOrigin.ThisProcess, cancellationToken);
    }

    private async Task ReadClientAsync(CancellationToken cancellationToken)
    {
        using var stdin = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
        try
        {
            while (await stdin.ReadLineAsync(cancellationToken) is { } line)
                if (line.Length > 0) await _fromClient.Writer.WriteAsync(line, cancellationToken);
        }
        catch (OperationCanceledException) { }
        catch (IOException) { }
        _fromClient.Writer.TryComplete();
    }

    private async Task WriteClientAsync(string line, CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            await _stdout.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), cancellationToken);
            await _stdout.FlushAsync(cancellationToken);
        }
        finally { _writing.Release(); }
    }

    public void Dispose() => _writing.Dispose();

    /// <summary>What the MCP server itself answers to initialize (a test compares the two).</summary>
    internal static string InitializeResult(string id, string version)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("result");
            json.WriteString("protocolVersion", version);
            json.WriteStartObject("capabilities");
            json.WriteStartObject("logging");
            json.WriteEndObject();
            json.WriteStartObject("tools");
            json.WriteBoolean("listChanged", true);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartObject("serverInfo");
            json.WriteString("name", "localmem");
            json.WriteString("version", McpRegistration.Version);
            json.WriteEndObject();
            json.WriteString("instructions", McpEndpoint.Instructions);
            json.WriteEndObject();
            json.WritePropertyName("id");
            json.WriteRawValue(id);
            json.WriteString("jsonrpc", "2.0");
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
