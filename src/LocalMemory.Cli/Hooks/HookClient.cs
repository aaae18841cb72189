using System.CommandLine;
using LocalMemory.Cli.Commands;
using LocalMemory.Cli.Daemon;

namespace LocalMemory.Cli.Hooks;

/// <summary>The hook as the client starts it: reads the client's stdin, hands the hook to the daemon (starting one if
/// needed) or runs it here, and exits 0 whatever happens, within a deadline shorter than the client's timeout.</summary>
internal static class HookClient
{
    /// <summary>What one hook may take at most: a daemon's start, and for a prompt the model's first load, fit in it.
    /// A hook that runs out says nothing; the next one finds the daemon warm.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    private const int MaxStdinChars = 1 << 20;

    public static bool Handles(ParseResult parse) => parse.CommandResult.Command.Name == "hook";

    public static async Task<int> RunAsync(ParseResult parse, string[] args)
    {
        try
        {
            if (parse.Errors.Count > 0)
            {
                await Console.Error.WriteLineAsync($"localmem hook: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
                return 0;
            }
            using var deadline = new CancellationTokenSource(Deadline);
            var stdin = await ReadStdinAsync(deadline.Token);
            if (await CliRouter.TryDaemonAsync(parse, args, deadline.Token, stdin) is null)
            {
                var here = new CliEnvironment(Environment.CurrentDirectory, Environment.GetEnvironmentVariable, new StringReader(stdin), null);
                await CliEnvironment.RunAs(here, () => parse.InvokeAsync(cancellationToken: deadline.Token));
            }
        }
#pragma warning disable CA1031 // a hook never fails the client's turn; the reason goes to stderr
        catch (Exception e)
#pragma warning restore CA1031
        {
            await Console.Error.WriteLineAsync(e is OperationCanceledException ? $"localmem hook: gave up after {Deadline.TotalSeconds:0} s" : $"localmem hook: {e.Message}");
        }
        return 0;
    }

    /// <summary>The client's JSON: everything up to the end of stdin (both clients close it), at most 1 MiB of it.
    /// Nothing when stdin is a terminal, as when someone tries the hook by hand.</summary>
    private static async Task<string> ReadStdinAsync(CancellationToken cancellationToken)
    {
        if (!Console.IsInputRedirected) return "";
        using var reader = new StreamReader(Console.OpenStandardInput());
        var text = new System.Text.StringBuilder();
        var buffer = new char[16 * 1024];
        while (text.Length < MaxStdinChars && await reader.ReadAsync(buffer, cancellationToken) is var read and > 0) text.Append(buffer, 0, read);
        return text.Length > MaxStdinChars ? text.ToString(0, MaxStdinChars) : text.ToString();
    }
}
