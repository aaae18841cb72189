using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LocalMemory.Cli.Mcp;

namespace LocalMemory.Cli.Tests;

/// <summary>The daemon over real processes: one per home however many start it, shared by serve and the CLI,
/// replaced by a newer build, gone when idle, and never required.</summary>
public sealed class DaemonTests : IDisposable
{
    private readonly Localmem _cli = new();

    [SkippableFact]
    public async Task Serves_racing_at_start_up_make_exactly_one_daemon_and_it_outlives_them()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "counts processes through /proc");
        var clients = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => McpHarness.Connect(_cli.Home, $"agent-{i}")));
        await Task.WhenAll(clients.Select((c, i) => c.Call("add_memory", new { text = $"Agent {i} prefers tabs", infer = false })));
        var found = await clients[0].Call("search_memories", new { query = "Which agent prefers tabs?", limit = 10 });
        Assert.Equal(6, found.GetProperty("results").GetArrayLength()); // every serve wrote through the same store
        Assert.Single(Daemons(_cli.Home));
        foreach (var client in clients) await client.DisposeAsync();

        var pid = await Localmem.DaemonPid(_cli); // the serves are gone; the daemon stays warm for the next one
        Assert.NotNull(pid);
        await using var next = await McpHarness.Connect(_cli.Home, "cursor");
        Assert.Equal(6, (await next.Call("get_memories", new { })).GetProperty("total").GetInt32());
        Assert.Equal(pid, await Localmem.DaemonPid(_cli));
    }

    [Fact]
    public async Task The_CLI_goes_through_the_daemon_and_no_daemon_or_a_read_only_verb_never_starts_one()
    {
        Assert.Equal(0, (await _cli.Process("list")).ExitCode);
        Assert.Null(await Localmem.DaemonPid(_cli)); // listing needs no model: no daemon for it
        Assert.Equal(0, (await _cli.Process("--no-daemon", "add", "Postgres is the primary database")).ExitCode);
        Assert.Null(await Localmem.DaemonPid(_cli));

        var search = await _cli.Process("search", "Which database do we use?", "--json");
        Assert.Equal(0, search.ExitCode);
        Assert.Equal("Postgres is the primary database", search.Json.GetProperty("results")[0].GetProperty("memory").GetString());
        var pid = await Localmem.DaemonPid(_cli);
        Assert.NotNull(pid);
        var local = await _cli.Process("--no-daemon", "search", "Which database do we use?", "--json");
        Assert.Equal(search.Json.GetProperty("results")[0].GetProperty("id").GetString(), local.Json.GetProperty("results")[0].GetProperty("id").GetString());

        var failed = await _cli.Process("get", "no-such-memory"); // errors and exit codes come back as the verb gave them
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("does not exist", failed.Err, StringComparison.Ordinal);
        Assert.Equal(pid, await Localmem.DaemonPid(_cli));
    }

    [Fact]
    public async Task An_idle_daemon_exits_and_the_next_call_starts_another()
    {
        _cli.Environment["LOCALMEM_DAEMON_IDLE_EXIT"] = "2s";
        Assert.Equal(0, (await _cli.Process("search", "anything")).ExitCode);
        var first = await Localmem.DaemonPid(_cli);
        Assert.NotNull(first);
        for (var i = 0; i < 100 && await Localmem.DaemonPid(_cli) is not null; i++) await Task.Delay(100);
        Assert.Null(await Localmem.DaemonPid(_cli));
        Assert.Equal(0, (await _cli.Process("search", "anything")).ExitCode);
        Assert.NotEqual(first, await Localmem.DaemonPid(_cli));
    }

    [SkippableFact]
    public async Task A_newer_build_replaces_an_older_daemon()
    {
        Skip.If(OperatingSystem.IsWindows(), "copies the installed program beside symbolic links to its files");
        var exe = Localmem.Exe;
        // An older build: the same program, its executable written earlier, beside the same models and libraries.
        var real = Path.GetDirectoryName(new FileInfo(exe).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? exe)!;
        var old = Directory.CreateDirectory(Path.Combine(_cli.Home, "old-install")).FullName;
        foreach (var entry in Directory.EnumerateFileSystemEntries(real).Where(e => Path.GetFileName(e) != "localmem"))
            File.CreateSymbolicLink(Path.Combine(old, Path.GetFileName(entry)), entry);
        var oldExe = Path.Combine(old, "localmem");
        File.Copy(Path.Combine(real, "localmem"), oldExe);
        File.SetLastWriteTimeUtc(oldExe, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        var started = Process.Start(Info(oldExe, "search", "anything"))!;
        await started.WaitForExitAsync();
        Assert.Equal(0, started.ExitCode);
        var before = await Status();
        Assert.Equal(oldExe, before.GetProperty("executable").GetString());

        await using var client = await McpHarness.Connect(_cli.Home); // the installed (newer) serve
        await client.Call("add_memory", new { text = "Written after the upgrade", infer = false });
        var after = await Status();
        Assert.NotEqual(before.GetProperty("pid").GetInt32(), after.GetProperty("pid").GetInt32());
        Assert.NotEqual(oldExe, after.GetProperty("executable").GetString());

        var older = Process.Start(Info(oldExe, "search", "upgrade")); // the older CLI uses the newer daemon, and does not replace it
        await older!.WaitForExitAsync();
        Assert.Equal(after.GetProperty("pid").GetInt32(), (await Status()).GetProperty("pid").GetInt32());
    }

    [SkippableFact]
    public async Task With_no_daemon_possible_serve_and_the_CLI_still_work()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix permissions and mounts");
        var run = Directory.CreateDirectory(Path.Combine(_cli.Home, "run")).FullName;
        if (Environment.UserName == "root") DiskTests.Run("mount", $"-t tmpfs -o ro,size=1m tmpfs {run}"); // root ignores permissions
        else if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(run, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            var stderr = new List<string>();
            await using (var client = await McpHarness.Connect(_cli.Home, stderr: line => { lock (stderr) stderr.Add(line); }))
            {
                await client.Call("add_memory", new { text = "Redis holds the sessions", infer = false });
                var found = await client.Call("search_memories", new { query = "Where do sessions live?" });
                Assert.Equal("Redis holds the sessions", found.GetProperty("results")[0].GetProperty("memory").GetString());
            }
            Assert.Single(stderr, line => line.Contains("running in this process instead", StringComparison.Ordinal));
            var cli = await _cli.Process("search", "Where do sessions live?", "--json");
            Assert.Equal(0, cli.ExitCode);
            Assert.Contains("running in this process instead", cli.Err, StringComparison.Ordinal);
            Assert.Equal("Redis holds the sessions", cli.Json.GetProperty("results")[0].GetProperty("memory").GetString());
            Assert.Null(await Localmem.DaemonPid(_cli));
        }
        finally
        {
            if (Environment.UserName == "root") DiskTests.Run("umount", run);
            else if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(run, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public async Task Serve_answers_initialize_itself_exactly_as_the_daemon_would()
    {
        using var serve = McpHarness.StartRaw(_cli.Home);
        await serve.Send(McpHarness.Initialize);
        var local = JsonNode.Parse((await serve.Response(1, TimeSpan.FromSeconds(30))).GetRawText());
        await serve.Send(McpHarness.Initialized);
        await serve.Send("""{"jsonrpc":"2.0","id":2,"method":"tools/list"}""");
        await serve.Response(2, TimeSpan.FromSeconds(30)); // the daemon runs now

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(Path.Combine(_cli.Home, "run", "daemon.sock")));
        await using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream);
        await stream.WriteAsync(Encoding.UTF8.GetBytes("""{"protocol":1,"mode":"mcp","build":{"version":"0.0.1","built":0}}""" + "\n"));
        Assert.True(JsonNode.Parse((await reader.ReadLineAsync())!)!["ok"]!.GetValue<bool>());
        await stream.WriteAsync(Encoding.UTF8.GetBytes(McpHarness.Initialize + "\n"));
        var daemon = JsonNode.Parse((await reader.ReadLineAsync())!);
        Assert.True(JsonNode.DeepEquals(daemon, local), $"daemon: {daemon}\nserve: {local}");
        foreach (var version in new[] { "2024-11-05", "2025-03-26", "2025-11-25" })
            Assert.Equal(version, JsonNode.Parse(StdioProxy.InitializeResult("7", version))!["result"]!["protocolVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Http_needs_the_token_and_refuses_a_foreign_host_or_origin()
    {
        using var daemon = Process.Start(Info(Exe, "daemon", "--http", "127.0.0.1:0", "--idle-exit", "0"))!;
        try
        {
            var url = await HttpUrl();
            var token = (await File.ReadAllTextAsync(Path.Combine(_cli.Home, "run", "http.token"))).Trim();
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_cli.Home, "run", "http.token")));
            using var http = new HttpClient();
            var port = new Uri(url).Port;
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(Initialize(url, token: null))).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(Initialize(url, token: "not-the-token"))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(Initialize(url, token, host: $"evil.example:{port}"))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(Initialize(url, token, origin: "http://evil.example"))).StatusCode);
            var ok = await http.SendAsync(Initialize(url, token, origin: $"http://localhost:{port}"));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Contains("localmem", await ok.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            daemon.Kill();
            await daemon.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Http_refuses_a_non_loopback_address_unless_the_config_names_it()
    {
        var refused = await _cli.Process("daemon", "--http", "0.0.0.0:0", "--idle-exit", "0");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("not a loopback address", refused.Err, StringComparison.Ordinal);
    }

    private static HttpRequestMessage Initialize(string url, string? token, string? host = null, string? origin = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url + "/mcp") { Content = new StringContent(McpHarness.Initialize, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        if (host is not null) request.Headers.Host = host;
        if (origin is not null) request.Headers.Add("Origin", origin);
        return request;
    }

    private async Task<string> HttpUrl()
    {
        var file = Path.Combine(_cli.Home, "run", "http.url");
        for (var i = 0; i < 300 && !File.Exists(file); i++) await Task.Delay(50);
        return (await File.ReadAllTextAsync(file)).Trim();
    }

    private async Task<JsonElement> Status() => (await _cli.Process("daemon", "status", "--json")).Json.GetProperty("daemon");

    private static string Exe => Localmem.Exe;

    private ProcessStartInfo Info(string exe, params string[] args)
    {
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["LOCALMEM_HOME"] = _cli.Home;
        info.Environment["LOCALMEM_USER_ID"] = "dev";
        Localmem.SetDaemon(info, daemon: true);
        return info;
    }

    /// <summary>The daemons running for a home, from /proc.</summary>
    private static List<int> Daemons(string home) =>
        [.. Directory.EnumerateDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0).Where(pid => pid > 0)
            .Where(pid =>
            {
                try
                {
                    var args = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
                    return args.Contains("daemon") && args.Contains(home);
                }
                catch (IOException) { return false; }
                catch (UnauthorizedAccessException) { return false; }
            })];

    public void Dispose() => _cli.Dispose();
}
