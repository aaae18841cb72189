using System.CommandLine;
using LocalMemory.Cli.Output;
using LocalMemory.Core;
using LocalMemory.Core.Diagnostics;
using LocalMemory.Core.Memories;

namespace LocalMemory.Cli.Commands;

/// <summary>doctor, reindex.</summary>
internal static class MaintenanceCommands
{
    public static Command DoctorCommand()
    {
        var command = new Command("doctor", "Check the model, sqlite-vec and the database, and say how to fix each problem") { Repair, Deep };
        command.SetAction(CliContext.Action(async (cli, ct) =>
        {
            if (cli.Parse.GetValue(Repair))
            {
                using var service = MemoryService.Open(cli.Options);
                var progress = new ProgressBar(cli.Err);
                var rebuilt = await service.ReindexAsync(progress.Report, ct);
                progress.Done();
                await cli.Err.WriteLineAsync($"rebuilt the keyword and vector indexes of {rebuilt} memories");
            }
            var checks = (await Doctor.RunAsync(cli.Options, cli.Parse.GetValue(Deep), ct)).Append(await Daemon.DaemonQuery.CheckAsync(cli.Options.Home, cli.Daemon, ct)).Concat(Setup.SetupCommand.Checks()).ToList();
            if (cli.Json) await cli.WriteJson(new DoctorReport(checks.All(c => c.Ok), checks));
            else
                foreach (var check in checks)
                {
                    await cli.Out.WriteLineAsync($"{(check.Ok ? "ok  " : "FAIL")}  {check.Name,-16} {check.Detail}");
                    if (!check.Ok && check.Fix is not null) await cli.Out.WriteLineAsync($"      {"",-16} fix: {check.Fix}");
                }
            return checks.All(c => c.Ok) ? ExitCodes.Success : ExitCodes.SystemFailure;
        }));
        return command;
    }

    private static readonly Option<bool> Repair = new("--repair") { Description = "Rebuild the keyword and vector indexes from the memories, then check" };
    private static readonly Option<bool> Deep = new("--deep") { Description = $"Also re-embed up to {Doctor.DeepSample} memories at random and check each vector matches its text" };

    private static readonly Option<string?> Model = new("--model") { Description = "Switch to this model (arctic-xs, minilm) and re-embed with it" };

    public static Command Reindex()
    {
        var command = new Command("reindex", "Re-embed every memory with the configured model (after a model change) and rebuild the keyword index") { Model };
        command.SetAction(CliContext.Action(async (cli, ct) =>
        {
            var model = cli.Parse.GetValue(Model);
            var options = model is null ? cli.Options : cli.Options with { Model = model };
            using var service = MemoryService.Open(options);
            var progress = new ProgressBar(cli.Err);
            var count = await service.ReindexAsync(progress.Report, ct);
            progress.Done();
            if (model is not null) options.SaveSetting("model", model);
            // A running daemon holds the model it started with: it exits, and the next call starts one with this model.
            if (await Daemon.DaemonQuery.StopAsync(options.Home, ct) is { } pid) await cli.Err.WriteLineAsync($"stopped the localmem daemon (pid {pid}); the next call starts it with {options.Model}");
            if (cli.Json) return await cli.WriteJson(new ReindexReport(count, options.Model));
            await cli.Out.WriteLineAsync($"re-embedded {count} memories with {options.Model}");
            return ExitCodes.Success;
        }));
        return command;
    }
}

/// <summary>A progress bar on stderr; plain lines when stderr is not a terminal.</summary>
internal sealed class ProgressBar(TextWriter writer)
{
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private int _lastPercent = -1;

    public void Report(int done, int total)
    {
        if (total < 200) return; // short runs need no bar
        var percent = total == 0 ? 100 : done * 100 / total;
        if (percent == _lastPercent || (!_interactive && percent % 25 != 0)) return;
        _lastPercent = percent;
        var bar = new string('#', percent / 4).PadRight(25, '.');
        if (_interactive) writer.Write($"\r[{bar}] {percent,3}% {done}/{total}");
        else writer.WriteLine($"[{bar}] {percent,3}% {done}/{total}");
    }

    public void Done()
    {
        if (_interactive) writer.WriteLine();
    }
}
