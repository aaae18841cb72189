using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using LocalMemory.Core;
using LocalMemory.Core.Hosting;
using LocalMemory.Core.Memories;

namespace LocalMemory.Cli.Commands;

/// <summary>What a verb needs: where to write, the options, the caller's scope, and the memory service.</summary>
internal sealed class CliContext(ParseResult parse)
{
    public ParseResult Parse { get; } = parse;
    public TextWriter Out { get; } = parse.InvocationConfiguration.Output;
    public TextWriter Err { get; } = parse.InvocationConfiguration.Error;
    public bool Json { get; } = parse.GetValue(CliOptions.Json);
    public CliEnvironment Environment { get; } = CliEnvironment.Current;

    public LocalMemoryOptions Options { get; } = LocalMemoryOptions.Resolve(parse.GetValue(CliOptions.Home), environment: CliEnvironment.Current.Variable);

    /// <summary>The daemon's settings for this home; off with --no-daemon.</summary>
    public Daemon.DaemonSettings Daemon
    {
        get
        {
            var settings = LocalMemory.Cli.Daemon.DaemonSettings.Resolve(Options.Home, Environment.Variable);
            return Parse.GetValue(CliOptions.NoDaemon) ? settings with { Enabled = false } : settings;
        }
    }

    public Scope Scope => new(Value(CliOptions.User), Value(CliOptions.Agent), Value(CliOptions.App), Value(CliOptions.Run));

    public CallContext Call => new("cli", Value(CliOptions.Project) ?? ProjectResolver.FromDirectory(Environment.WorkingDirectory));

    public MemoryFilter? Filter => MemoryFilter.Parse(Value(CliOptions.Filters));

    public JsonObject? Metadata
    {
        get
        {
            var text = Value(CliOptions.Metadata);
            if (text is null) return null;
            try
            {
                return JsonNode.Parse(text) as JsonObject ?? throw LocalMemoryException.Invalid("--metadata must be a JSON object");
            }
            catch (JsonException e)
            {
                throw LocalMemoryException.Invalid($"--metadata is not valid JSON: {e.Message}");
            }
        }
    }

    private string? Value(Option<string?> option) => Parse.CommandResult.Command.Options.Contains(option) ? Parse.GetValue(option) : null;

    /// <summary>Runs a verb: opens the store (or takes the daemon's, warm), maps failures to exit codes (1 the input,
    /// 2 the system), messages to stderr.</summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Action(Func<CliContext, MemoryService, CancellationToken, Task<int>> run) =>
        Action(async (context, cancellationToken) =>
        {
            if (context.Environment.Engine is { } engine) return await run(context, engine.For(context.Options), cancellationToken);
            using var service = MemoryService.Open(context.Options);
            return await run(context, service, cancellationToken);
        });

    public static Func<ParseResult, CancellationToken, Task<int>> Action(Func<CliContext, CancellationToken, Task<int>> run) =>
        async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            try
            {
                return await run(new CliContext(parse), cancellationToken);
            }
            catch (LocalMemoryException e)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return e.ExitCode;
            }
            catch (OperationCanceledException)
            {
                await error.WriteLineAsync("cancelled");
                return ExitCodes.SystemFailure;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return ExitCodes.SystemFailure;
            }
        };

    public async Task<int> WriteJson<T>(T value)
    {
        await Out.WriteLineAsync(Output.CliJson.Serialize(value, indented: true));
        return ExitCodes.Success;
    }
}
