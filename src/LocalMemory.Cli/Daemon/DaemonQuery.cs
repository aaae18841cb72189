namespace LocalMemory.Cli.Daemon;

/// <summary>Asks the running daemon, if any, about itself: for `daemon status|stop`, doctor and stats.</summary>
internal static class DaemonQuery
{
    public static async Task<DaemonStatus?> StatusAsync(string home, CancellationToken cancellationToken) =>
        (await AskAsync(home, "status", cancellationToken))?.Status;

    /// <summary>Stops the daemon and waits until it has let go of the store; its pid, or null if none ran.</summary>
    public static async Task<int?> StopAsync(string home, CancellationToken cancellationToken)
    {
        var reply = await AskAsync(home, "stop", cancellationToken);
        if (reply is null) return null;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(reply.Pid);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token); // until it has closed the store and its log, not just said yes
        }
        catch (ArgumentException) { } // already gone
        return reply.Pid;
    }

    /// <summary>doctor's line: running (and whether it is this build), not running, or turned off.</summary>
    public static async Task<Core.Diagnostics.Check> CheckAsync(string home, DaemonSettings settings, CancellationToken cancellationToken)
    {
        if (!settings.Enabled) return new("daemon", true, "turned off (config.json \"daemon\": false or LOCALMEM_DAEMON=off): every process works alone");
        var status = await StatusAsync(home, cancellationToken);
        if (status is null) return new("daemon", true, "not running (serve and the CLI start it when needed)");
        var detail = $"pid {status.Pid}, {status.ResidentMb:0} MB resident, {status.Connections} client(s), socket {status.Socket}";
        return status.Version == BuildIdentity.Current.Version
            ? new("daemon", true, detail)
            : new("daemon", true, $"{detail}; version {status.Version}, not this build's {BuildIdentity.Current.Version} (the next serve or CLI call replaces an older one)");
    }

    public static string Describe(DaemonStatus s) =>
        $"running: pid {s.Pid}, version {s.Version}, {s.ResidentMb:0} MB resident, {s.Connections} connection(s), model {(s.ModelLoaded ? "loaded" : "loading")}\n" +
        $"socket:  {s.Socket}\nhttp:    {s.Http ?? "off"}\nsince:   {s.StartedAt}" +
        (s.IdleExitMinutes > 0 ? $" (exits after {s.IdleExitMinutes:0.#} idle minutes)" : " (never exits when idle)");

    private static async Task<HelloReply?> AskAsync(string home, string mode, CancellationToken cancellationToken)
    {
        var paths = new DaemonPaths(home);
        await using var stream = await DaemonTransport.ConnectAsync(paths, cancellationToken);
        if (stream is null) return null;
        try
        {
            await LineChannel.WriteAsync(stream, new Hello { Mode = mode, Build = BuildIdentity.Current }, DaemonJson.Default.Hello, cancellationToken);
            return await LineChannel.ReadLastAsync(stream, DaemonJson.Default.HelloReply, cancellationToken);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            return null;
        }
    }
}
