using System.CommandLine;
using LocalMemory.Cli.Output;
using LocalMemory.Core;
using LocalMemory.Core.Memories;

namespace LocalMemory.Cli.Commands;

/// <summary>update, delete, delete-all.</summary>
internal static class ChangeCommands
{
    private static readonly Argument<string> Id = new("id") { Description = "The memory's id" };
    private static readonly Option<string?> Text = new("--text", "-t") { Description = "The new text (re-embedded; the old text stays in history)" };
    private static readonly Option<bool> Yes = new("--yes", "-y") { Description = "Really delete (without it, only says how many would go)" };

    public static Command Update()
    {
        var command = new Command("update", "Correct a memory's text or replace its metadata") { Id, Text, CliOptions.Metadata, CliOptions.User };
        command.SetAction(CliContext.Action(async (cli, service, ct) =>
        {
            var memory = await service.UpdateAsync(new UpdateRequest(cli.Parse.GetValue(Id)!, cli.Parse.GetValue(Text), cli.Metadata, cli.Scope.UserId), cli.Call, ct);
            if (cli.Json) return await cli.WriteJson(memory);
            await cli.Out.WriteAsync(Render.Details(memory));
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command Delete()
    {
        var command = new Command("delete", "Delete one memory (its history is kept)") { Id, CliOptions.User };
        command.SetAction(CliContext.Action(async (cli, service, ct) =>
        {
            var result = await service.DeleteAsync(cli.Parse.GetValue(Id)!, cli.Scope.UserId, cli.Call, ct);
            if (cli.Json) return await cli.WriteJson(result);
            await cli.Out.WriteLineAsync($"deleted {result.Deleted.Id}: {result.Deleted.Memory}");
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command DeleteAll()
    {
        var command = new Command("delete-all", "Delete every memory that `list` with the same options shows (one user; global + current project unless --all-projects)")
        {
            Yes, CliOptions.AllProjects,
        };
        CliOptions.AddScope(command);
        command.SetAction(CliContext.Action(async (cli, service, ct) =>
        {
            var allProjects = cli.Parse.GetValue(CliOptions.AllProjects);
            if (!cli.Parse.GetValue(Yes))
            {
                var page = await service.ListAsync(new ListRequest { Scope = cli.Scope, AllProjects = allProjects, PageSize = 1 }, cli.Call, ct);
                await cli.Err.WriteLineAsync($"error: this would delete {page.Total} memories; run again with --yes to delete them");
                return ExitCodes.InvalidInput;
            }
            var result = await service.DeleteAllAsync(cli.Scope, cli.Call, allProjects, ct);
            if (cli.Json) return await cli.WriteJson(result);
            await cli.Out.WriteLineAsync($"deleted {result.Deleted} memories (event {result.EventId})");
            return ExitCodes.Success;
        }));
        return command;
    }
}
