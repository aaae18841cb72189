using System.Diagnostics;
using LocalMemory.Core.Hosting;
using LocalMemory.Core.Memories;

/// <summary>The hooks as a client runs them: the installed program, the client's JSON on stdin, timed from start to
/// exit (what the client waits for), with the daemon warm and with LOCALMEM_DAEMON=off, on a store of 2,000 memories.</summary>
internal static class HookBench
{
    public static void Run(string localmem, LocalMemoryOptions options, Action<string, string, string> row)
    {
        var home = Directory.CreateTempSubdirectory("localmem-bench-hooks-").FullName;
        using (var service = MemoryService.Open(options with { Home = home, UserId = "bench" }))
            Fill(service);
        var env = new Dictionary<string, string> { ["LOCALMEM_HOME"] = home, ["LOCALMEM_USER_ID"] = "bench" };
        foreach (var daemon in new[] { true, false })
        {
            env["LOCALMEM_DAEMON"] = daemon ? "on" : "off";
            var rounds = daemon ? 40 : 12;
            if (daemon) Hook(localmem, env, "prompt", """{"session_id":"warm","prompt":"which topic holds the order events"}"""); // starts the daemon, loads the model
            var (start, prompt, stop) = (new List<double>(), new List<double>(), new List<double>());
            for (var i = 0; i < rounds; i++)
            {
                var session = $"{(daemon ? "d" : "a")}{i}";
                start.Add(Hook(localmem, env, "session-start", $$"""{"session_id":"{{session}}","source":"startup"}"""));
                // distinct prompts, so that no query vector comes from the cache
                prompt.Add(Hook(localmem, env, "prompt", $$"""{"session_id":"{{session}}","prompt":"Which retention does service s{{i * 37 % 2000}} use for its events?"}"""));
                stop.Add(Hook(localmem, env, "stop", $$"""{"session_id":"{{session}}","last_assistant_message":"Service s{{i}} keeps its events for {{i + 3}} days; we agreed to raise it to {{i + 10}}."}"""));
            }
            var how = daemon ? "daemon warm" : "no daemon (LOCALMEM_DAEMON=off)";
            row($"hook session-start, {how}", P(start), daemon ? "target p95 300 ms; 2,000 memories, brief of ~1,500 tokens" : "no model needed");
            row($"hook prompt, {how}", P(prompt), daemon ? "target p95 150 ms" : "loads the model in the hook's own process");
            row($"hook stop, {how}", P(stop), daemon ? "target 100 ms; queues the turn, inferred in the background" : "queues the turn; the next daemon or serve infers it");
        }
        Hook(localmem, new(env) { ["LOCALMEM_DAEMON"] = "on" }, "stop", "{}");
        RunQuiet(localmem, ["daemon", "stop"], env);
        Directory.Delete(home, recursive: true);
    }

    private static string P(List<double> ms)
    {
        var sorted = ms.Order().ToList();
        double At(int p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1)];
        return $"p50 {At(50):0} ms, p95 {At(95):0} ms";
    }

    /// <summary>One hook, wall time in ms; it must exit 0 (a hook never fails the turn).</summary>
    private static double Hook(string localmem, Dictionary<string, string> env, string hook, string stdin)
    {
        var info = new ProcessStartInfo(localmem) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = env["LOCALMEM_HOME"] };
        foreach (var a in new[] { "hook", hook, "--agent", "codex" }) info.ArgumentList.Add(a);
        foreach (var (name, value) in env) info.Environment[name] = value;
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(info)!;
        p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 ? sw.Elapsed.TotalMilliseconds : throw new InvalidOperationException($"hook {hook} exited {p.ExitCode}");
    }

    private static void RunQuiet(string exe, string[] arguments, Dictionary<string, string> env)
    {
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        foreach (var (name, value) in env) info.Environment[name] = value;
        using var p = Process.Start(info)!;
        p.WaitForExit();
    }

    /// <summary>2,000 global memories, a quarter each decisions, constraints, preferences and uncategorised, added
    /// 200 at a time (one embedding batch and one transaction each).</summary>
    private static void Fill(MemoryService service)
    {
        string[] categories = ["decision", "constraint", "preference", ""];
        foreach (var batch in Enumerable.Range(0, 2000).Chunk(200))
        {
            var category = categories[batch[0] / 200 % 4];
            var messages = batch.Select(i => new Message("user", $"Service s{i} of team t{i % 40} keeps its events for {i % 30 + 1} days in topic events.s{i}, owned by the platform group.")).ToList();
            service.AddAsync(new AddRequest { Messages = messages, Categories = category.Length == 0 ? null : [category] }, new CallContext("bench", null), CancellationToken.None).GetAwaiter().GetResult();
        }
    }
}
