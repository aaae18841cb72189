using System.Text.Json;
using LocalMemory.Core.Hooks;
using LocalMemory.Core.Hosting;
using LocalMemory.Core.Memories;

namespace LocalMemory.Cli.Tests;

/// <summary>`localmem hook` with the real store and model: what each hook shows the model, within its budget, above
/// the relevance floor and never twice in a session; what stop and pre-compact queue; and that no failure reaches the
/// client's turn.</summary>
public sealed class HookTests : IDisposable
{
    private readonly Localmem _cli = new();

    private static string Stdin(string session, string? prompt = null, string? answer = null, string? transcript = null) =>
        JsonSerializer.Serialize(new Dictionary<string, string?> { ["session_id"] = session, ["prompt"] = prompt, ["last_assistant_message"] = answer, ["transcript_path"] = transcript });

    /// <summary>The context a hook gave the model, after checking its format: "" when it printed nothing.</summary>
    private static string Context(CliResult result, string clientEvent)
    {
        Assert.Equal(0, result.ExitCode);
        if (result.Out.Length == 0) return "";
        var output = result.Json.GetProperty("hookSpecificOutput");
        Assert.Equal(clientEvent, output.GetProperty("hookEventName").GetString());
        return output.GetProperty("additionalContext").GetString()!;
    }

    private static int Tokens(string text) => (text.Length + 3) / 4;

    /// <summary>Stores memories (global: the hooks run outside a repository here) with one model load for all.</summary>
    private async Task<List<MemoryRecord>> Seed(params (string Text, string? Category)[] memories)
    {
        using var service = MemoryService.Open(LocalMemoryOptions.Resolve(_cli.Home) with { UserId = "dev" });
        var added = new List<MemoryRecord>();
        foreach (var (text, category) in memories)
        {
            var result = await service.AddAsync(new AddRequest { Text = text, Categories = category is null ? null : [category] }, new CallContext("cli", null), CancellationToken.None);
            added.Add(await service.GetAsync(result.Results[0].Id, null, CancellationToken.None));
        }
        return added;
    }

    private static readonly (string, string?)[] Project =
    [
        ("The api service stores its data in Postgres 16.", "decision"), ("Redis holds user sessions; they expire after 24 hours.", "decision"),
        ("Never use any() in TypeScript code in this repository.", "constraint"), ("Integration tests run with ./scripts/test.sh and need Docker.", null),
        ("The frontend is built with Vite and React 19.", "decision"), ("Deployments go through GitHub Actions to Fly.io on every merge to main.", null),
        ("The user prefers short answers without summaries at the end.", "preference"), ("Dates are stored in UTC and shown in the browser's time zone.", "decision"),
        ("Feature flags live in LaunchDarkly, not in environment variables.", "decision"), ("Logging uses structured JSON through pino.", null),
        ("Payments are handled by Stripe; webhooks arrive at /api/stripe/webhook.", null), ("Commit messages follow Conventional Commits.", "constraint"),
        ("Alice owns the billing service.", null), ("The mobile app talks to the api through GraphQL, the web app through REST.", null),
        ("Invoices are generated as PDF by a nightly job.", null),
    ];

    [Fact]
    public async Task Session_start_shows_decisions_constraints_preferences_then_the_rest_newest_first_with_ids()
    {
        var m = await Seed(("The billing service is written in Go.", "decision"), ("Every public endpoint needs rate limiting.", "constraint"),
            ("The user prefers table-driven tests.", "preference"), ("The staging cluster lives in eu-west-1.", null), ("Payments go through Adyen since March.", "decision"));
        foreach (var agent in new[] { "codex", "claude" })
        {
            var text = Context(await _cli.Hook("session-start", Stdin($"start-{agent}"), agent), "SessionStart");
            int At(MemoryRecord memory)
            {
                var i = text.IndexOf(memory.Memory, StringComparison.Ordinal);
                Assert.True(i >= 0, $"missing: {memory.Memory}\n{text}");
                Assert.Contains(memory.Id, text, StringComparison.Ordinal);
                return i;
            }
            Assert.True(At(m[4]) < At(m[0]) && At(m[0]) < At(m[1]) && At(m[1]) < At(m[2]) && At(m[2]) < At(m[3]), text);
            Assert.Contains("localmem skill", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Session_start_fills_about_1500_tokens_and_no_more()
    {
        var filler = Enumerable.Range(0, 90).Select(i => ($"Decision {i}: service s{i} publishes its events to topic t{i} with a retention of {i + 1} days and a schema registered in the catalogue.", (string?)"decision")).ToArray();
        var added = await Seed(filler);
        var text = Context(await _cli.Hook("session-start", Stdin("big")), "SessionStart");
        Assert.InRange(Tokens(text), 1_300, 1_500);
        Assert.Contains(added[^1].Id, text, StringComparison.Ordinal); // the newest first
        Assert.DoesNotContain(added[0].Id, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_prompt_gets_only_the_memories_that_stand_out_and_acknowledgements_get_no_search()
    {
        await Seed(Project);
        var tests = Context(await _cli.Hook("prompt", Stdin("p", "How do I run the integration tests?"), "claude"), "UserPromptSubmit");
        Assert.Contains("./scripts/test.sh", tests, StringComparison.Ordinal);
        Assert.DoesNotContain("Alice", tests, StringComparison.Ordinal);
        var webhook = Context(await _cli.Hook("prompt", Stdin("p", "Add a webhook handler for refunds")), "UserPromptSubmit");
        Assert.Contains("Stripe", webhook, StringComparison.Ordinal);
        Assert.Single(webhook.Split('\n'), l => l.StartsWith("- ", StringComparison.Ordinal));
        foreach (var unrelated in new[] { "Write a haiku about autumn leaves", "What is the capital of France?", "The login page is broken on Safari" })
            Assert.Equal("", Context(await _cli.Hook("prompt", Stdin("p", unrelated)), "UserPromptSubmit"));
        foreach (var nothing in new[] { "ok thanks, go ahead", "yes", "fix it", "/compact" })
            Assert.Equal("", Context(await _cli.Hook("prompt", Stdin("p", nothing)), "UserPromptSubmit"));
    }

    [Fact]
    public async Task A_memory_is_shown_once_in_a_session()
    {
        await Seed(Project);
        const string question = "How do I run the integration tests?";
        Assert.Contains("./scripts/test.sh", Context(await _cli.Hook("prompt", Stdin("a", question)), "UserPromptSubmit"), StringComparison.Ordinal);
        Assert.Equal("", Context(await _cli.Hook("prompt", Stdin("a", question)), "UserPromptSubmit"));
        Assert.Contains("./scripts/test.sh", Context(await _cli.Hook("prompt", Stdin("b", question)), "UserPromptSubmit"), StringComparison.Ordinal);

        Assert.Contains("./scripts/test.sh", Context(await _cli.Hook("session-start", Stdin("c")), "SessionStart"), StringComparison.Ordinal);
        Assert.Equal("", Context(await _cli.Hook("prompt", Stdin("c", question)), "UserPromptSubmit")); // the brief showed it
        // After a compaction the model has lost what it was shown: the new start shows it again, and the prompt does not.
        Assert.Contains("./scripts/test.sh", Context(await _cli.Hook("session-start", Stdin("a")), "SessionStart"), StringComparison.Ordinal);
        Assert.Equal("", Context(await _cli.Hook("prompt", Stdin("a", question)), "UserPromptSubmit"));
    }

    [Fact]
    public async Task A_prompt_gets_at_most_about_500_tokens()
    {
        await Seed([.. Project, .. Enumerable.Range(0, 12).Select(i => ($"Deployment note {i}: releases to production go through GitHub Actions, then Fly.io rolls out region {i} " +
            "after the smoke tests pass; a failed health check rolls the deployment back and pages the on-call engineer, who checks the release dashboard " +
            "and the deploy log before trying again with the same image tag.", (string?)null))]);
        var text = Context(await _cli.Hook("prompt", Stdin("d", "How do we deploy a release to production?")), "UserPromptSubmit");
        Assert.InRange(Tokens(text), 100, PromptRecall.BudgetTokens);
    }

    [Fact]
    public async Task Stop_queues_the_turn_at_once_and_background_work_stores_it()
    {
        await Seed(Project);
        Context(await _cli.Hook("prompt", Stdin("s", "We decided to deploy the api with Helm charts from now on.")), "UserPromptSubmit");
        var stop = await _cli.Hook("stop", Stdin("s", answer: "Understood, Helm it is."), "claude"); // Stop carries no prompt: the prompt hook kept it
        Assert.Equal("", Context(stop, "Stop"));
        var again = await _cli.Hook("stop", Stdin("s", answer: "Understood, Helm it is."), "claude");
        Assert.Equal(0, again.ExitCode);
        var pending = (await _cli.Run("events", "--status", "PENDING", "--json")).Json.GetProperty("results");
        Assert.Equal(1, pending.GetArrayLength());
        Assert.Equal("claude-code", pending[0].GetProperty("app_id").GetString());
        Assert.Contains(await Infer(), m => m.Contains("Helm", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_credential_in_a_prompt_is_not_kept_in_the_session_state()
    {
        const string token = "ghp_R7x2Kq9LmN4vB8tY3wZ6cD1fH5jP0sA2eG9u";
        await _cli.Hook("prompt", Stdin("t", $"Deploy with the token {token} to the staging cluster"));
        var state = Directory.GetFiles(Path.Combine(_cli.Home, "run", "hooks"));
        Assert.Single(state);
        Assert.DoesNotContain(token, await File.ReadAllTextAsync(state[0]), StringComparison.Ordinal);
        Assert.Contains("staging cluster", await File.ReadAllTextAsync(state[0]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pre_compact_and_stop_read_the_turn_from_the_transcript_in_either_client_format()
    {
        var claude = Path.Combine(_cli.Home, "claude.jsonl");
        await File.WriteAllLinesAsync(claude, [
            """{"type":"user","message":{"role":"user","content":"Earlier question about the linter."}}""",
            """{"type":"assistant","message":{"role":"assistant","content":[{"type":"text","text":"The linter is fine."}]}}""",
            """{"type":"user","isMeta":true,"message":{"role":"user","content":"<command-name>/compact</command-name>"}}""",
            """{"type":"user","message":{"role":"user","content":[{"type":"text","text":"We decided that the queue workers run on Kubernetes."}]}}""",
            """{"type":"assistant","message":{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"Bash","input":{}}]}}""",
            """{"type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"ok"}]}}""",
            """{"type":"assistant","message":{"role":"assistant","content":[{"type":"text","text":"Noted."}]}}""",
            """{"type":"user","isCompactSummary":true,"message":{"role":"user","content":"This session is being continued from a previous conversation."}}""",
        ]);
        Assert.Equal("", Context(await _cli.Hook("pre-compact", Stdin("k", transcript: claude), "claude"), "PreCompact"));
        Assert.Equal("", Context(await _cli.Hook("stop", Stdin("k", answer: "Noted.", transcript: claude), "claude"), "Stop")); // the same turn: not queued twice

        var codex = Path.Combine(_cli.Home, "rollout.jsonl");
        await File.WriteAllLinesAsync(codex, [
            """{"type":"session_meta","payload":{"id":"x"}}""",
            """{"type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"<environment_context>\n  <cwd>/tmp</cwd>\n</environment_context>"}]}}""",
            """{"type":"response_item","payload":{"type":"message","role":"developer","content":[{"type":"input_text","text":"localmem: ..."}]}}""",
            """{"type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"We decided that the reports are exported as Parquet."}]}}""",
            """{"type":"response_item","payload":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Understood."}]}}""",
        ]);
        Assert.Equal("", Context(await _cli.Hook("stop", Stdin("x", answer: "Understood.", transcript: codex)), "Stop"));

        Assert.Equal(2, (await _cli.Run("events", "--status", "PENDING", "--json")).Json.GetProperty("results").GetArrayLength());
        var memories = await Infer();
        Assert.Contains(memories, m => m.Contains("Kubernetes", StringComparison.Ordinal));
        Assert.Contains(memories, m => m.Contains("Parquet", StringComparison.Ordinal));
        Assert.DoesNotContain(memories, m => m.Contains("linter", StringComparison.Ordinal) || m.Contains("environment_context", StringComparison.Ordinal));
    }

    /// <summary>Runs the background work the daemon would, until nothing is pending; the memories afterwards.</summary>
    private async Task<List<string>> Infer()
    {
        using var service = MemoryService.Open(LocalMemoryOptions.Resolve(_cli.Home) with { UserId = "dev" });
        service.StartBackgroundWork();
        for (var i = 0; i < 300 && (await _cli.Run("events", "--status", "PENDING", "--json")).Json.GetProperty("results").GetArrayLength() > 0; i++) await Task.Delay(100);
        var running = await service.ListEventsAsync(new EventQuery(Status: EventStatus.Running), CancellationToken.None);
        for (var i = 0; i < 300 && running.Total > 0; i++)
        {
            await Task.Delay(100);
            running = await service.ListEventsAsync(new EventQuery(Status: EventStatus.Running), CancellationToken.None);
        }
        var list = await service.ListAsync(new ListRequest { PageSize = 500 }, new CallContext("test", null), CancellationToken.None);
        return [.. list.Results.Select(r => r.Memory)];
    }

    public void Dispose() => _cli.Dispose();
}
