using LocalMemory.Cli.Daemon;

namespace LocalMemory.Cli.Commands;

/// <summary>Where a verb runs: in this process (its working directory, environment and stdin), or in the daemon on a
/// client's behalf (the client's directory, LOCALMEM_* settings and stdin, and the daemon's warm engine).</summary>
internal sealed record CliEnvironment(string WorkingDirectory, Func<string, string?> Variable, TextReader? Stdin, Engine? Engine)
{
    private static readonly AsyncLocal<CliEnvironment?> Ambient = new();

    /// <summary>The environment of the verb running on this async flow.</summary>
    public static CliEnvironment Current => Ambient.Value ?? Process;

    private static CliEnvironment Process => new(Environment.CurrentDirectory, Environment.GetEnvironmentVariable, null, null);

    /// <summary>Runs a verb for a daemon client.</summary>
    public static async Task<T> RunAs<T>(CliEnvironment environment, Func<Task<T>> run)
    {
        Ambient.Value = environment;
        try { return await run(); }
        finally { Ambient.Value = null; }
    }

    public TextReader OpenStdin() => Stdin ?? new StreamReader(Console.OpenStandardInput());
}
