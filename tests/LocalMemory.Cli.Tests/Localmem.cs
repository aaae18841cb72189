using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using LocalMemory.Cli.Commands;

namespace LocalMemory.Cli.Tests;

internal sealed record CliResult(int ExitCode, string Out, string Err)
{
    public JsonElement Json => JsonDocument.Parse(Out).RootElement;
}

/// <summary>Runs localmem verbs against a temporary home: in-process through the parser, or as a real process.</summary>
internal sealed class Localmem : IDisposable
{
    public string Home { get; } = Directory.CreateTempSubdirectory("localmem-cli-test-").FullName;

    public async Task<CliResult> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await LocalmemCommand.Create().Parse([.. args, "--home", Home, .. UserFor(args)])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Verbs that take --user run as "dev", the user the server processes use.</summary>
    private static string[] UserFor(string[] args) =>
        args.Length > 0 && args[0] is "add" or "search" or "list" or "get" or "update" or "delete" or "delete-all" or "export" && !args.Contains("--user") ? ["--user", "dev"] : [];

    /// <summary>The built localmem as a child process (LOCALMEM_EXE overrides, e.g. with the installed binary).</summary>
    public async Task<CliResult> Process(params string[] args)
    {
        var exe = Environment.GetEnvironmentVariable("LOCALMEM_EXE");
        var info = exe is null
            ? new ProcessStartInfo("dotnet") { ArgumentList = { DllPath } }
            : new ProcessStartInfo(exe);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.RedirectStandardOutput = info.RedirectStandardError = true;
        info.Environment["LOCALMEM_HOME"] = Home;
        info.Environment["LOCALMEM_USER_ID"] = "dev";
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The referenced localmem build, copied beside the tests.</summary>
    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "localmem.dll");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Home, recursive: true); }
        catch (IOException) { }
    }
}
