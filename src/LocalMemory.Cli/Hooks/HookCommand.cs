using System.CommandLine;
using System.Text.Json.Nodes;
using LocalMemory.Cli.Commands;
using LocalMemory.Core.Hooks;
using LocalMemory.Core.Memories;

namespace LocalMemory.Cli.Hooks;

/// <summary>`localmem hook EVENT --agent codex|claude`: a client's lifecycle hook. It reads the client's JSON on stdin
/// and answers in the client's format, through the daemon (warm) when it can. It never fails or blocks the turn: on any
/// error it prints nothing on stdout, says why on stderr and exits 0 (exit 2 would block a Claude Code turn).</summary>
internal static class HookCommand
{
    /// <summary>The events, and the client event each answers.</summary>
    private static readonly IReadOnlyDictionary<string, string> Events = new Dictionary<string, string>
    {
        ["session-start"] = "SessionStart", ["prompt"] = "UserPromptSubmit", ["stop"] = "Stop", ["pre-compact"] = "PreCompact",
    };

    private static readonly IReadOnlyDictionary<string, string> Agents = new Dictionary<string, string> { ["codex"] = "codex", ["claude"] = "claude-code" };

    // Plain strings, checked by the action: a parse error would print usage, and usage on a SessionStart's stdout would
    // reach the model.
    private static readonly Argument<string> Event = new("event") { Description = "session-start, prompt, stop or pre-compact" };
    private static readonly Option<string?> Agent = new("--agent") { Description = "The client that runs the hook: codex or claude" };

    private static readonly System.Text.Json.JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var command = new Command("hook", "Answer a Codex or Claude Code lifecycle hook (JSON on stdin); never fails the turn") { Event, Agent };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // The work stops before the client side gives up (HookClient.Deadline), so that a hook that ran out of time
            // records nothing as shown that the model never got.
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(HookClient.Deadline - TimeSpan.FromSeconds(1));
            try { await RunAsync(new CliContext(parse), parse.GetValue(Event)!, parse.GetValue(Agent), deadline.Token); }
#pragma warning disable CA1031 // whatever goes wrong, the client's turn goes on: the reason goes to stderr
            catch (Exception e)
#pragma warning restore CA1031
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"localmem hook: {e.Message}");
            }
            return 0;
        });
        return command;
    }

    private static async Task RunAsync(CliContext cli, string hook, string? agent, CancellationToken cancellationToken)
    {
        if (!Events.TryGetValue(hook, out var clientEvent))
            throw new ArgumentException($"unknown hook '{hook}'; hooks are {string.Join(", ", Events.Keys)}");
        var appId = agent is null ? null : Agents.GetValueOrDefault(agent) ?? throw new ArgumentException($"unknown agent '{agent}'; agents are codex, claude");
        using var reader = cli.Environment.OpenStdin();
        var input = HookInput.Parse(await reader.ReadToEndAsync(cancellationToken));
        var context = new CallContext(appId, ProjectResolver.FromDirectory(input.Cwd is { Length: > 0 } cwd && Directory.Exists(cwd) ? cwd : cli.Environment.WorkingDirectory));
        var engine = cli.Environment.Engine;
        using var own = engine is null ? MemoryService.Open(cli.Options) : null;
        var service = own ?? engine!.For(cli.Options);
        var sessions = Path.Combine(cli.Options.Home, "run", "hooks");
        var session = HookSession.Load(sessions, input.SessionId);

        string? text = null;
        switch (hook)
        {
            case "session-start":
                HookSession.Prune(sessions);
                var brief = await SessionBrief.BuildAsync(service, context, cancellationToken);
                session.Shown.Clear(); // a new, resumed or compacted session: the model has seen none of them yet
                session.Shown.UnionWith(brief.Shown);
                text = brief.Text;
                break;
            case "prompt":
                (session.LastPrompt, session.LastPromptTurn) = (input.Prompt, input.TurnId);
                session.Save(); // before the search, which may run out of time: the turn's Stop needs the prompt
                var recall = await PromptRecall.BuildAsync(service, input.Prompt ?? "", context, session.Shown, cancellationToken);
                cancellationToken.ThrowIfCancellationRequested(); // a model still loading may not have heard the deadline
                session.Shown.UnionWith(recall.Shown);
                text = recall.Text;
                break;
            default:
                // Stop carries the answer but not the prompt: this turn's prompt hook kept it (a prompt kept for another turn
                // is not this one's), else the transcript has it. PreCompact carries neither: the transcript has both.
                var kept = input.TurnId is null || input.TurnId == session.LastPromptTurn ? session.LastPrompt : null;
                var (prompt, answer) = hook == "stop" && input.LastAssistantMessage is not null
                    ? (input.Prompt ?? kept ?? Transcript.LastTurn(input.TranscriptPath).Prompt, input.LastAssistantMessage)
                    : Transcript.LastTurn(input.TranscriptPath);
                var turn = new TurnInput(prompt ?? kept, answer, input.SessionId, hook);
                if (await TurnCapture.QueueAsync(service, session, turn, context, cancellationToken) is not null)
                    engine?.For(engine.Options).StartBackgroundWork(); // the daemon infers it now; alone, the next daemon or serve does
                break;
        }
        session.Save();
        if (!string.IsNullOrEmpty(text))
            await cli.Out.WriteLineAsync(new JsonObject { ["hookSpecificOutput"] = new JsonObject { ["hookEventName"] = clientEvent, ["additionalContext"] = text } }.ToJsonString(Relaxed));
    }
}
