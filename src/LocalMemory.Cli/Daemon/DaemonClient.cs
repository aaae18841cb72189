using System.Diagnostics;

namespace LocalMemory.Cli.Daemon;

/// <summary>A connection to the home's daemon, after its hello was answered.</summary>
internal sealed record DaemonConnection(Stream Stream, HelloReply Reply) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}

/// <summary>Finds the home's daemon, or starts one (exactly one, however many processes race to), and says hello.</summary>
internal static class DaemonClient
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The daemon's answer to <paramref name="hello"/> on an open connection; null when no daemon can serve it
    /// (none runs and <paramref name="start"/> is false, it cannot start, or it refused: <paramref name="note"/> says why).</summary>
    public static async Task<DaemonConnection?> OpenAsync(DaemonPaths paths, Hello hello, bool start, Action<string> note, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var stream = await DaemonTransport.ConnectAsync(paths, cancellationToken);
            if (stream is null && start) stream = await StartAsync(paths, note, cancellationToken);
            if (stream is null) return null;
            HelloReply? reply;
            try
            {
                await LineChannel.WriteAsync(stream, hello, DaemonJson.Default.Hello, cancellationToken);
                reply = hello.Mode == "mcp"
                    ? await LineChannel.ReadAsync(stream, DaemonJson.Default.HelloReply, cancellationToken)
                    : await LineChannel.ReadLastAsync(stream, DaemonJson.Default.HelloReply, cancellationToken);
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                reply = null;
            }
            if (reply is { Ok: true }) return new DaemonConnection(stream, reply);
            await stream.DisposeAsync();
            if (reply is null) continue; // it went away mid-hello (killed, or stopping): look again
            if (reply.Retiring)
            {
                await WaitForExitAsync(paths, cancellationToken); // an older build steps aside; start ours
                continue;
            }
            note($"the localmem daemon refused ({reply.Error})");
            return null;
        }
        return null;
    }

    /// <summary>Starts a daemon in the background and waits until it listens. Of processes racing here, the one that
    /// takes run/spawn.lock starts it and the others wait for it; the daemon's own lock makes any extra one exit.</summary>
    private static async Task<Stream?> StartAsync(DaemonPaths paths, Action<string> note, CancellationToken cancellationToken)
    {
        try { paths.CreateRunDirectories(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            note($"the localmem daemon cannot start ({e.Message})");
            return null;
        }
        using var spawning = TryLock(paths.SpawnLock, out var problem);
        if (problem is not null)
        {
            note($"the localmem daemon cannot start ({problem})");
            return null;
        }
        if (spawning is not null)
        {
            if (await DaemonTransport.ConnectAsync(paths, cancellationToken) is { } running) return running; // started meanwhile
            try { Spawn(paths); }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
            {
                note($"the localmem daemon cannot start ({e.Message})");
                return null;
            }
        }
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < StartTimeout)
        {
            await Task.Delay(10, cancellationToken);
            if (await DaemonTransport.ConnectAsync(paths, cancellationToken) is { } stream) return stream;
        }
        note($"the localmem daemon did not start within {StartTimeout.TotalSeconds:0} s (see {paths.Log})");
        return null;
    }

    /// <summary>The lock, or null when another process holds it; <paramref name="problem"/> when it cannot be taken at all.</summary>
    private static FileStream? TryLock(string path, out string? problem)
    {
        problem = null;
        try { return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
        catch (UnauthorizedAccessException e) { problem = e.Message; }
        catch (IOException e) when (File.Exists(path)) { _ = e; } // held by another process
        catch (IOException e) { problem = e.Message; }
        return null;
    }

    private static void Spawn(DaemonPaths paths)
    {
        var (file, prefix) = Self();
        var info = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            // Not our stdin/stdout: for `serve` they are the MCP channel. The daemon moves its own to its log at once.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in prefix.Concat(["daemon", "--detach", "--home", paths.Home])) info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
    }

    /// <summary>How to run this program again: its executable, or `dotnet localmem.dll` for a framework-dependent build.</summary>
    internal static (string File, string[] Prefix) Self()
    {
        var exe = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this program is unknown");
        return Path.GetFileNameWithoutExtension(exe).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? (exe, [Path.Combine(AppContext.BaseDirectory, "localmem.dll")])
            : (exe, []);
    }

    /// <summary>Waits until the daemon stops listening (the new one it makes room for waits for its lock).</summary>
    private static async Task WaitForExitAsync(DaemonPaths paths, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < StartTimeout)
        {
            await using var stream = await DaemonTransport.ConnectAsync(paths, cancellationToken);
            if (stream is null) return;
            await Task.Delay(20, cancellationToken);
        }
    }
}
