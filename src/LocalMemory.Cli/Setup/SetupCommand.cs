using System.CommandLine;
using LocalMemory.Cli.Commands;
using LocalMemory.Core;
using LocalMemory.Core.Diagnostics;

namespace LocalMemory.Cli.Setup;

/// <summary>`localmem setup codex|claude|cursor`: adds localmem to a client's MCP configuration.</summary>
internal static class SetupCommand
{
    private static readonly Argument<string> Client = new("client") { Description = "codex, claude or cursor" };
    private static readonly Option<bool> DryRun = new("--dry-run") { Description = "Print the file as it would be written; change nothing" };
    private static readonly Option<string?> Config = new("--config") { Description = "The client's configuration file (default: its usual place in your home)" };
    private static readonly Option<string?> CommandPath = new("--command") { Description = "The localmem to launch (default: this one)" };

    public static Command Create()
    {
        Client.AcceptOnlyFromAmong([.. ClientConfig.All.Select(c => c.Name)]);
        var command = new Command("setup", "Add localmem to Codex, Claude Code or Cursor (idempotent, keeps a backup)") { Client, DryRun, Config, CommandPath };
        command.SetAction(CliContext.Action(async (cli, ct) =>
        {
            var client = ClientConfig.Find(cli.Parse.GetValue(Client)!);
            var path = Path.GetFullPath(cli.Parse.GetValue(Config) ?? client.DefaultPath(UserHome));
            var dryRun = cli.Parse.GetValue(DryRun);
            var result = client.Setup(path, ServerCommand.Current(cli.Parse.GetValue(CommandPath)), dryRun);
            if (cli.Json) return await cli.WriteJson(new Output.SetupReport(result.Client, result.Path, result.Changed, result.Backup, dryRun));
            if (dryRun)
            {
                await cli.Err.WriteLineAsync(result.Changed ? $"would write {path}:" : $"{path} already has localmem; nothing would change");
                if (result.Changed) await cli.Out.WriteAsync(result.Content);
            }
            else if (!result.Changed) await cli.Out.WriteLineAsync($"{client.Name}: {path} already has localmem; nothing changed");
            else await cli.Out.WriteLineAsync($"{client.Name}: added localmem to {path}" + (result.Backup is null ? "" : $" (backup: {result.Backup})") + $"; restart {client.Name} to load it");
            return ExitCodes.Success;
        }));
        return command;
    }

    public static string UserHome => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    /// <summary>For doctor: which clients launch localmem, and whether the command they launch exists.</summary>
    public static IEnumerable<Check> Checks()
    {
        foreach (var client in ClientConfig.All)
        {
            var path = client.DefaultPath(UserHome);
            string? command = null;
            string? problem = null;
            try { command = File.Exists(path) ? client.ConfiguredCommand(File.ReadAllText(path)) : null; }
            catch (LocalMemoryException e) { problem = e.Message; }
            yield return problem is not null ? new Check($"client {client.Name}", false, $"{path}: {problem}", "fix the file by hand")
                : command is null ? new Check($"client {client.Name}", true, $"not set up (localmem setup {client.Name})")
                : File.Exists(command) ? new Check($"client {client.Name}", true, $"set up in {path}")
                : new Check($"client {client.Name}", false, $"{path} launches {command}, which does not exist", $"run localmem setup {client.Name}");
        }
    }
}
