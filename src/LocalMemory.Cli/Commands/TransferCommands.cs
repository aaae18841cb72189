using System.CommandLine;
using LocalMemory.Core;

namespace LocalMemory.Cli.Commands;

/// <summary>export, import, sync.</summary>
internal static class TransferCommands
{
    private static readonly Option<FileInfo?> Out = new("--out", "-o") { Description = "Write to this file (default: stdout)" };
    private static readonly Option<bool> AllUsers = new("--all-users") { Description = "Export every user's memories, not only yours" };

    public static Command Export()
    {
        var command = new Command("export", "Write memories as JSON Lines (with history, scopes, metadata; no embeddings)") { Out, AllUsers, CliOptions.User };
        command.SetAction(CliContext.Action(async (cli, service, ct) =>
        {
            var user = cli.Parse.GetValue(AllUsers) ? null : cli.Scope.UserId ?? cli.Options.UserId;
            var file = cli.Parse.GetValue(Out);
            int count;
            if (file is null) count = await service.ExportAsync(cli.Out, user, ct);
            else
            {
                var temp = file.FullName + ".partial";
                await using (var writer = new StreamWriter(temp)) count = await service.ExportAsync(writer, user, ct);
                File.Move(temp, file.FullName, overwrite: true);
            }
            await cli.Err.WriteLineAsync($"exported {count} memories" + (file is null ? "" : $" to {file.FullName}"));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static readonly Argument<FileInfo> In = new("file") { Description = "A file written by localmem export" };

    public static Command Import()
    {
        var command = new Command("import", "Read an export: keeps ids, the newer version wins, importing twice changes nothing") { In };
        command.SetAction(CliContext.Action(async (cli, service, ct) =>
        {
            var file = cli.Parse.GetValue(In)!;
            if (!file.Exists) throw LocalMemoryException.Invalid($"{file.FullName} does not exist");
            var progress = new ProgressBar(cli.Err);
            var result = await service.ImportAsync(file.FullName, progress.Report, ct);
            progress.Done();
            if (cli.Json) return await cli.WriteJson(result);
            await cli.Out.WriteLineAsync($"{result.Added} added, {result.Updated} updated, {result.Unchanged} unchanged");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static readonly Argument<DirectoryInfo> Dir = new("dir") { Description = "A folder that a git repository, Syncthing or a shared drive keeps the same on each machine" };

    public static Command Sync()
    {
        var command = new Command("sync", "Append this machine's changes to its log in DIR and replay the other machines' logs") { Dir };
        command.SetAction(CliContext.Action(async (cli, service, ct) =>
        {
            var progress = new ProgressBar(cli.Err);
            var result = await service.SyncAsync(cli.Parse.GetValue(Dir)!.FullName, progress.Report, ct);
            progress.Done();
            if (cli.Json) return await cli.WriteJson(result);
            await cli.Out.WriteLineAsync($"machine {result.Machine}: wrote {result.Exported} changes");
            foreach (var (machine, a) in result.Applied)
                await cli.Out.WriteLineAsync($"from {machine}: {a.Added} added, {a.Updated} updated, {a.Deleted} deleted, {a.Conflicts} conflicts kept in history, {a.Unchanged} unchanged");
            return ExitCodes.Success;
        }));
        return command;
    }
}
