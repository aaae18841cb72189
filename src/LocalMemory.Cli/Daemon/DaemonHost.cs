using LocalMemory.Cli.Commands;
using LocalMemory.Cli.Mcp;
using LocalMemory.Core;
using LocalMemory.Core.Hosting;

namespace LocalMemory.Cli.Daemon;

/// <summary>`localmem daemon`: one process per home that holds the store and the model for every agent and the CLI.</summary>
/// <remarks>
/// Exactly one per home: it holds run/daemon.lock for its whole life, and a second one exits at once. It listens on
/// run/daemon.sock (a named pipe on Windows); each connection starts with a <see cref="Hello"/>. It exits when idle
/// (no connection for <see cref="DaemonSettings.IdleExit"/>), when asked, when a newer build connects (which then
/// starts its own), or when its home or socket disappears. Every write it acknowledges is committed to disk before the
/// answer goes out, so killing it loses nothing acknowledged.
/// </remarks>
internal sealed partial class DaemonHost(LocalMemoryOptions options, DaemonSettings settings, bool onDemand, TextWriter log) : IDisposable
{
    private readonly DaemonPaths _paths = new(options.Home);
    private readonly CancellationTokenSource _stop = new();
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private Engine? _engine;
    private string? _engineError;
    private McpEndpoint? _mcp;
    private HttpFront? _http;
    private readonly Ui.UiSessions _ui = new();
    private int _connections;
    private long _lastActivity = Environment.TickCount64;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (settings.Http is { } http) HttpFront.Check(http, settings.HttpFromConfig); // refused before anything starts
        try { _paths.CreateRunDirectories(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await log.WriteLineAsync($"error: cannot create {_paths.RunDirectory} for the daemon's socket: {e.Message}");
            return ExitCodes.SystemFailure;
        }
        FileStream? held;
        try { held = await LockAsync(cancellationToken); }
        catch (UnauthorizedAccessException e)
        {
            await log.WriteLineAsync($"error: cannot take {_paths.Lock}: {e.Message}");
            return ExitCodes.SystemFailure;
        }
        if (held is null)
        {
            await log.WriteLineAsync($"a localmem daemon already runs for {options.Home}");
            return ExitCodes.InvalidInput;
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        await using (held)
        {
            try { _engine = new Engine(options); }
            catch (LocalMemoryException e) { _engineError = e.Message; } // answered to every client, which then runs in-process
            _mcp = _engine is null ? null : new McpEndpoint(_ => _engine);
            await log.WriteLineAsync($"{Now} localmem daemon {BuildIdentity.Current.Version} pid {Environment.ProcessId} for {options.Home}" + (_engineError is null ? "" : $": {_engineError}"));
            if (_engine is not null && settings.Http is { } address) await StartHttpAsync(address, settings.HttpFromConfig);
            var watchdog = WatchAsync(stop.Token);
            try
            {
                await DaemonTransport.ListenAsync(_paths, HandleAsync, () => { }, stop.Token);
            }
            finally
            {
                _stop.Cancel();
                await watchdog;
                if (_http is not null) await _http.DisposeAsync();
                if (_mcp is not null) await _mcp.DisposeAsync();
                _engine?.Dispose();
                _engine = null;
                await log.WriteLineAsync($"{Now} localmem daemon pid {Environment.ProcessId} stopped");
            }
        }
        return _engineError is null ? ExitCodes.Success : ExitCodes.SystemFailure;
    }

    /// <summary>The daemon lock, or null when another daemon holds it. A daemon started on demand waits a little for
    /// it: the one it replaces (an older build) may still be finishing its last calls.</summary>
    private async Task<FileStream?> LockAsync(CancellationToken cancellationToken)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try { return new FileStream(_paths.Lock, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
            catch (IOException) when (onDemand && waited.Elapsed < TimeSpan.FromSeconds(5)) { await Task.Delay(50, cancellationToken); }
            catch (IOException) { return null; }
        }
    }

    /// <summary>Starts the loopback HTTP listener (MCP at /mcp), if it does not run yet; its address.</summary>
    public async Task<string> StartHttpAsync(string address, bool fromConfig)
    {
        if (_http is not null) return _http.Url;
        _http = await HttpFront.StartAsync(address, fromConfig, _paths, _engine!, _ui, _stop.Token);
        await log.WriteLineAsync($"{Now} serving MCP over HTTP at {_http.Url}/mcp");
        return _http.Url;
    }

    private void Stop(string why)
    {
        log.WriteLine($"{Now} stopping: {why}");
        _stop.Cancel();
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                if (!Directory.Exists(options.Home)) Stop($"{options.Home} was removed");
                else if (!OperatingSystem.IsWindows() && !File.Exists(_paths.Socket)) Stop($"{_paths.Socket} was removed");
                else if (_engineError is not null && Idle > TimeSpan.FromSeconds(10)) Stop("the store cannot open");
                else if (settings.IdleExit > TimeSpan.Zero && Volatile.Read(ref _connections) == 0 && Idle > settings.IdleExit)
                    Stop($"idle for {settings.IdleExit}");
            }
        }
        catch (OperationCanceledException) { }
    }

    private TimeSpan Idle => TimeSpan.FromMilliseconds(Environment.TickCount64 - Interlocked.Read(ref _lastActivity));

    private void Touch() => Interlocked.Exchange(ref _lastActivity, Environment.TickCount64);

    private static string Now => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose()
    {
        _engine?.Dispose();
        _stop.Dispose();
    }

    public DaemonStatus Status => new(
        Environment.ProcessId, BuildIdentity.Current.Version, Environment.ProcessPath ?? "", OperatingSystem.IsWindows() ? _paths.PipeName : _paths.Socket,
        options.Home, _started.ToString("o", System.Globalization.CultureInfo.InvariantCulture), DaemonProtocol.ResidentMb(),
        Volatile.Read(ref _connections), _http?.Url, settings.IdleExit.TotalMinutes, _engine?.ModelLoaded ?? false);
}
