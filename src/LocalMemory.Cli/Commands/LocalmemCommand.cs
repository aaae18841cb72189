using System.CommandLine;

namespace LocalMemory.Cli.Commands;

/// <summary>The `localmem` root command and its verbs.</summary>
internal static class LocalmemCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("localmem: local memory for coding agents. One SQLite file, semantic + keyword search, no cloud.")
        {
            CliOptions.Home,
            CliOptions.Json,
            CliOptions.NoDaemon,
        };
        foreach (var command in new[]
        {
            MemoryCommands.Add(), MemoryCommands.Search(), MemoryCommands.List(), MemoryCommands.Get(),
            ChangeCommands.Update(), ChangeCommands.Delete(), ChangeCommands.DeleteAll(),
            InfoCommands.Entities(), InfoCommands.History(), InfoCommands.Events(), InfoCommands.Stats(),
            MaintenanceCommands.DoctorCommand(), MaintenanceCommands.Reindex(), EvalCommand.Create(),
            Mcp.ServeCommand.Create(), Daemon.DaemonCommand.Create(), Ui.UiCommand.Create(), Setup.SetupCommand.Create(),
            TransferCommands.Export(), TransferCommands.Import(), TransferCommands.Sync(),
        })
        {
            root.Subcommands.Add(command);
        }
        return root;
    }
}
