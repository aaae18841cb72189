using System.Security.Cryptography;
using System.Text;

namespace LocalMemory.Cli.Daemon;

/// <summary>Where the daemon of one home keeps its socket, locks, log and HTTP token: the home's run/ folder (0700).</summary>
/// <remarks>Files beside the database, not in /tmp or XDG_RUNTIME_DIR: one daemon per home, found from the home alone,
/// readable by its owner only. A Unix socket path is limited to about 100 bytes, so a long home puts the socket in a
/// private folder under the temporary directory, named after the home.</remarks>
internal sealed class DaemonPaths(string home)
{
    private const int MaxSocketPath = 100;

    public string Home { get; } = home;

    public string RunDirectory => Path.Combine(Home, "run");

    /// <summary>Held (exclusively) by the running daemon for its whole life: exactly one daemon per home.</summary>
    public string Lock => Path.Combine(RunDirectory, "daemon.lock");

    /// <summary>Held briefly by whoever starts a daemon, so that processes racing at start-up spawn one.</summary>
    public string SpawnLock => Path.Combine(RunDirectory, "spawn.lock");

    public string Log => Path.Combine(RunDirectory, "daemon.log");

    /// <summary>The bearer token of the loopback HTTP listener (0600).</summary>
    public string Token => Path.Combine(RunDirectory, "http.token");

    /// <summary>Where the HTTP listener writes its address while it listens.</summary>
    public string HttpAddress => Path.Combine(RunDirectory, "http.url");

    public string Socket
    {
        get
        {
            var path = Path.Combine(RunDirectory, "daemon.sock");
            return Encoding.UTF8.GetByteCount(path) <= MaxSocketPath ? path : Path.Combine(Path.GetTempPath(), $"localmem-{Key}", "daemon.sock");
        }
    }

    /// <summary>The named pipe on Windows (pipes live in their own namespace, not in the file system).</summary>
    public string PipeName => $"localmem-{Key}";

    private string Key => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(Home))))[..16];

    /// <summary>Creates the folder the socket lives in, readable by the owner only.</summary>
    public void CreateRunDirectories()
    {
        foreach (var directory in new[] { RunDirectory, Path.GetDirectoryName(Socket)! }.Distinct())
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
            else Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
