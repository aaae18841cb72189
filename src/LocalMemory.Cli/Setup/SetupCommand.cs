using System.CommandLine;
using LocalMemory.Cli.Commands;
using LocalMemory.Cli.Output;
using LocalMemory.Core;

namespace LocalMemory.Cli.Setup;

/// <summary>`localmem setup codex|claude|cursor`: adds localmem to a client's MCP configuration; with --hooks, automatic
/// memory too (the hooks and the skill); with --remove, takes it out again.</summary>
internal static class SetupCommand
{
    private static readonly Argument<string> Client = new("client") { Description = "codex, claude or cursor" };
    private static readonly Option<bool> DryRun = new("--dry-run") { Description = "Print the files as they would be written; change nothing" };
    private static readonly Option<string?> Config = new("--config") { Description = "The client's configuration file (default: its usual place in your home)" };
    private static readonly Option<string?> CommandPath = new("--command") { Description = "The localmem to launch (default: this one)" };
    private static readonly Option<bool> Hooks = new("--hooks") { Description = "Automatic memory (Codex, Claude Code): lifecycle hooks and the memory skill" };
    private static readonly Option<bool> Trust = new("--trust") { Description = "With codex --hooks: trust the hooks in config.toml, as approving them in /hooks does" };
    private static readonly Option<bool> Remove = new("--remove") { Description = "Take out what setup added (with --hooks: only the hooks and the skill)" };

    public static Command Create()
    {
        Client.AcceptOnlyFromAmong([.. ClientConfig.All.Select(c => c.Name)]);
        var command = new Command("setup", "Add localmem to Codex, Claude Code or Cursor (idempotent, keeps a backup)") { Client, DryRun, Config, CommandPath, Hooks, Trust, Remove };
        command.SetAction(CliContext.Action(async (cli, ct) =>
        {
            var client = ClientConfig.Find(cli.Parse.GetValue(Client)!);
            var (hooks, trust, remove, dryRun) = (cli.Parse.GetValue(Hooks), cli.Parse.GetValue(Trust), cli.Parse.GetValue(Remove), cli.Parse.GetValue(DryRun));
            if (hooks && client.Name == "cursor") throw LocalMemoryException.Invalid("--hooks is for codex and claude; Cursor gets the MCP server only");
            if (trust && (!hooks || remove || client.Name != "codex")) throw LocalMemoryException.Invalid("--trust goes with `setup codex --hooks`: it trusts Codex's hooks");
            var path = Path.GetFullPath(cli.Parse.GetValue(Config) ?? client.DefaultPath(UserHome));
            var localmem = ServerCommand.Current(cli.Parse.GetValue(CommandPath));
            IReadOnlyList<FileChange> plan = hooks || (remove && client.Name != "cursor")
                ? HookSetup.Plan(client, path, UserHome, localmem, trust, remove, mcp: !(hooks && remove))
                : [new FileChange(path, HookSetup.Read(path), remove ? client.Remove(HookSetup.Read(path)) : client.Apply(HookSetup.Read(path), localmem))];
            if (remove) plan = [.. plan.Select(f => f.PreferBackup())];
            var files = plan.Select(f => new FileReport(f.Path, f.Changed, f.Updated is null && f.Existing is not null, dryRun || !f.Changed ? null : f.Write())).ToList();
            var changed = files.Any(f => f.Changed);
            if (cli.Json) return await cli.WriteJson(new SetupReport(client.Name, path, changed, files.FirstOrDefault(f => f.Path == path)?.Backup, dryRun, hooks || remove ? files : null));
            await Report(cli, client.Name, plan, files, dryRun);
            if (changed && !dryRun) await cli.Out.WriteLineAsync($"restart {client.Name} to load the change");
            if (hooks && !remove && client.Name == "codex" && !trust)
                await cli.Out.WriteLineAsync("Codex runs new hooks only once you trust them: start codex, type /hooks and trust the four localmem hooks, or run `localmem setup codex --hooks --trust`.");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static async Task Report(CliContext cli, string client, IReadOnlyList<FileChange> plan, List<FileReport> files, bool dryRun)
    {
        if (!files.Any(f => f.Changed))
        {
            await cli.Out.WriteLineAsync($"{client}: nothing to change in {string.Join(", ", files.Select(f => f.Path))}");
            return;
        }
        foreach (var (change, file) in plan.Zip(files).Where(p => p.Second.Changed))
        {
            if (dryRun)
            {
                await cli.Err.WriteLineAsync(file.Removed ? $"would remove {file.Path}" : $"would write {file.Path}:");
                if (!file.Removed) await cli.Out.WriteAsync(change.Updated);
            }
            else await cli.Out.WriteLineAsync($"{client}: {(file.Removed ? "removed" : "wrote")} {file.Path}" + (file.Backup is null ? "" : $" (backup: {file.Backup})"));
        }
    }

    public static string UserHome => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}
