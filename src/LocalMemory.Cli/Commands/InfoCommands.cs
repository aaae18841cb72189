using System.CommandLine;
using LocalMemory.Cli.Output;
using LocalMemory.Core;
using LocalMemory.Core.Memories;

namespace LocalMemory.Cli.Commands;

/// <summary>entities, history, events, stats.</summary>
internal static class InfoCommands
{
    public static Command Entities()
    {
        var command = new Command("entities", "Users, agents, apps and runs with their memory counts") { CliOptions.Page, CliOptions.PageSize, CliOptions.User };
        command.SetAction(CliContext.Action(async (cli, service, ct) =>
        {
            var page = await service.ListEntitiesAsync(cli.Scope.UserId, cli.Parse.GetValue(CliOptions.Page), cli.Parse.GetValue(CliOptions.PageSize), ct);
            if (cli.Json) return await cli.WriteJson(page);
            var table = new Table("TYPE", "MEMORIES", "FIRST SEEN", "LAST SEEN", "ID");
            foreach (var e in page.Results) table.Add(e.Type.ToString().ToLowerInvariant(), $"{e.Memories}", e.FirstSeen[..16].Replace('T', ' '), e.LastSeen[..16].Replace('T', ' '), e.Id);
            table.Write(cli.Out);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static readonly Argument<string> MemoryId = new("id") { Description = "The memory's id" };

    public static Command History()
    {
        var command = new Command("history", "Every change to one memory: old and new text, time and app") { MemoryId };
        command.SetAction(CliContext.Action(async (cli, service, ct) =>
        {
            var history = await service.HistoryAsync(cli.Parse.GetValue(MemoryId)!, ct);
            if (cli.Json) return await cli.WriteJson(new ResultList<HistoryEntry>(history));
            var table = new Table("WHEN", "EVENT", "APP", "CHANGE");
            foreach (var h in history)
                table.Add(h.CreatedAt[..19].Replace('T', ' '), h.Event.ToString().ToUpperInvariant(), h.AppId ?? "",
                    h.Event == ChangeKind.Update ? $"{h.OldMemory} → {h.NewMemory}" : h.NewMemory ?? h.OldMemory);
            table.Write(cli.Out);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static readonly Argument<string?> EventId = new("id") { Description = "One event's id (else list events)", Arity = ArgumentArity.ZeroOrOne };
    private static readonly Option<string?> Type = new("--type") { Description = "ADD, UPDATE, DELETE, DELETE_ALL, DELETE_ENTITIES" };
    private static readonly Option<EventStatus?> Status = new("--status") { Description = "pending, running, succeeded, failed" };
    private static readonly Option<string?> Memory = new("--memory") { Description = "Events that changed this memory" };
    private static readonly Option<string?> Since = new("--since") { Description = "Events since this date or time (ISO 8601)" };

    public static Command Events()
    {
        var command = new Command("events", "Calls that changed memories, newest first; or one event by id")
        {
            EventId, Type, Status, Memory, Since, CliOptions.Page, CliOptions.PageSize,
        };
        command.SetAction(CliContext.Action(async (cli, service, ct) =>
        {
            if (cli.Parse.GetValue(EventId) is { } id)
            {
                var evt = await service.GetEventAsync(id, ct);
                return cli.Json ? await cli.WriteJson(evt) : await WriteEvents(cli, [evt]);
            }
            var page = await service.ListEventsAsync(new EventQuery(cli.Parse.GetValue(Type), cli.Parse.GetValue(Status), cli.Parse.GetValue(Memory),
                cli.Parse.GetValue(Since), cli.Parse.GetValue(CliOptions.Page), cli.Parse.GetValue(CliOptions.PageSize)), ct);
            return cli.Json ? await cli.WriteJson(page) : await WriteEvents(cli, page.Results);
        }));
        return command;
    }

    private static async Task<int> WriteEvents(CliContext cli, IReadOnlyList<EventRecord> events)
    {
        var table = new Table("WHEN", "TYPE", "STATUS", "APP", "MS", "ID", "RESULTS");
        foreach (var e in events)
            table.Add(e.CreatedAt[..19].Replace('T', ' '), e.Type, e.Status.ToString().ToUpperInvariant(), e.AppId ?? "",
                e.DurationMs?.ToString("0", System.Globalization.CultureInfo.InvariantCulture), e.Id, e.Error ?? e.Results?.ToJsonString());
        table.Write(cli.Out);
        await Task.CompletedTask;
        return ExitCodes.Success;
    }

    public static Command Stats()
    {
        var command = new Command("stats", "How many memories, for whom, in which projects, and how big the store is");
        command.SetAction(CliContext.Action(async (cli, service, ct) =>
        {
            var stats = await service.StatsAsync(ct);
            var daemon = await Daemon.DaemonQuery.StatusAsync(cli.Options.Home, ct);
            if (cli.Json)
            {
                var json = System.Text.Json.Nodes.JsonNode.Parse(CliJson.Serialize(stats))!.AsObject();
                json["daemon"] = daemon is null ? null : System.Text.Json.Nodes.JsonNode.Parse(CliJson.Serialize(daemon));
                return await cli.WriteJson(json);
            }
            var o = cli.Out;
            await o.WriteLineAsync($"home        {stats.Home}");
            await o.WriteLineAsync($"database    {stats.Database} ({Bytes(stats.DatabaseBytes)}, WAL {Bytes(stats.WalBytes)}, schema v{stats.SchemaVersion})");
            await o.WriteLineAsync($"model       {stats.Model}" + (stats.IndexedModel is { } m && m != stats.Model ? $" (memories indexed with {m}: run localmem reindex)" : ""));
            await o.WriteLineAsync($"memories    {stats.Counts.Memories} (history {stats.Counts.History}, events {stats.Counts.Events})");
            await o.WriteLineAsync($"daemon      {(daemon is null ? "not running" : $"pid {daemon.Pid}, {daemon.ResidentMb:0} MB resident, version {daemon.Version}")}");
            var table = new Table("USER", "MEMORIES", "PROJECT");
            foreach (var s in stats.Scopes) table.Add(s.UserId, $"{s.Memories}", s.Project ?? "(global)");
            if (table.Count > 0) { await o.WriteLineAsync(); table.Write(o); }
            return ExitCodes.Success;
        }));
        return command;
    }

    internal static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KiB",
        _ => $"{bytes / 1024.0 / 1024.0:0.0} MiB",
    };
}
