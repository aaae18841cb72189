using System.Text.Json.Nodes;
using LocalMemory.Core.Memories;
using Microsoft.Data.Sqlite;

namespace LocalMemory.Core.Storage;

public sealed partial class MemoryStore
{
    private static void InsertHistory(SqliteConnection c, SqliteTransaction tx, string memoryId, ChangeKind kind, string? oldText, string? newText, EventRecord evt, string? origin = null) =>
        Execute(c, tx, "insert into history(memory_id, event, old_memory, new_memory, app_id, event_id, created_at, origin) values (@id, @event, @old, @new, @app, @evt, @at, @origin)",
            ("@id", memoryId), ("@event", kind.ToString().ToUpperInvariant()), ("@old", oldText), ("@new", newText),
            ("@app", evt.AppId), ("@evt", evt.Id), ("@at", evt.FinishedAt ?? evt.CreatedAt), ("@origin", origin));

    private static void InsertEvent(SqliteConnection c, SqliteTransaction tx, EventRecord e) =>
        Execute(c, tx, """
            insert into events(id, type, status, user_id, app_id, results, error, created_at, finished_at, duration_ms)
            values (@id, @type, @status, @user, @app, @results, @error, @created, @finished, @duration)
            on conflict(id) do update set status = excluded.status, results = excluded.results, error = excluded.error,
                finished_at = excluded.finished_at, duration_ms = excluded.duration_ms
            """,
            ("@id", e.Id), ("@type", e.Type), ("@status", e.Status.ToString().ToUpperInvariant()), ("@user", e.UserId), ("@app", e.AppId),
            ("@results", e.Results?.ToJsonString()), ("@error", e.Error), ("@created", e.CreatedAt), ("@finished", e.FinishedAt), ("@duration", e.DurationMs));

    /// <summary>Records an event on its own (a call that failed after it started).</summary>
    public void RecordEvent(EventRecord evt) => Write((c, tx) => { InsertEvent(c, tx, evt); return 0; });

    public IReadOnlyList<HistoryEntry> History(string memoryId) => Read(c =>
    {
        using var command = Command(c, null, "select id, memory_id, event, old_memory, new_memory, app_id, event_id, created_at from history where memory_id = @id order by id", ("@id", memoryId));
        using var r = command.ExecuteReader();
        var entries = new List<HistoryEntry>();
        while (r.Read())
            entries.Add(new HistoryEntry
            {
                Id = r.GetInt64(0),
                MemoryId = r.GetString(1),
                Event = Enum.Parse<ChangeKind>(r.GetString(2), ignoreCase: true),
                OldMemory = r.IsDBNull(3) ? null : r.GetString(3),
                NewMemory = r.IsDBNull(4) ? null : r.GetString(4),
                AppId = r.IsDBNull(5) ? null : r.GetString(5),
                EventId = r.IsDBNull(6) ? null : r.GetString(6),
                CreatedAt = r.GetString(7),
            });
        return entries;
    });

    private const string EventColumns = "id, type, status, user_id, app_id, results, error, created_at, finished_at, duration_ms";

    public EventRecord? GetEvent(string id) => Read(c =>
    {
        using var command = Command(c, null, $"select {EventColumns} from events where id = @id", ("@id", id));
        return ReadEvents(command).FirstOrDefault();
    });

    public Page<EventRecord> ListEvents(string? type, EventStatus? status, string? memoryId, string? since, string? userId, int page, int pageSize) => Read(c =>
    {
        var w = new SqlWhere();
        if (type is not null) w.Add($"e.type = {w.Param(type.ToUpperInvariant())}");
        if (status is not null) w.Add($"e.status = {w.Param(status.Value.ToString().ToUpperInvariant())}");
        if (memoryId is not null) w.Add($"e.id in (select event_id from history where memory_id = {w.Param(memoryId)})");
        if (since is not null) w.Add($"e.created_at >= {w.Param(since)}");
        if (userId is not null) w.Add($"e.user_id = {w.Param(userId)}");
        using var count = Command(c, null, $"select count(*) from events e where {w.Sql}");
        w.Bind(count);
        var total = (long)count.ExecuteScalar()!;
        using var select = Command(c, null, $"select {EventColumns} from events e where {w.Sql} order by e.seq desc limit @limit offset @offset",
            ("@limit", pageSize), ("@offset", (long)(page - 1) * pageSize));
        w.Bind(select);
        return new Page<EventRecord>(ReadEvents(select), page, pageSize, total);
    });

    private static List<EventRecord> ReadEvents(SqliteCommand command)
    {
        using var r = command.ExecuteReader();
        var events = new List<EventRecord>();
        while (r.Read())
            events.Add(new EventRecord
            {
                Id = r.GetString(0),
                Type = r.GetString(1),
                Status = Enum.Parse<EventStatus>(r.GetString(2), ignoreCase: true),
                UserId = r.IsDBNull(3) ? null : r.GetString(3),
                AppId = r.IsDBNull(4) ? null : r.GetString(4),
                Results = r.IsDBNull(5) ? null : JsonNode.Parse(r.GetString(5)),
                Error = r.IsDBNull(6) ? null : r.GetString(6),
                CreatedAt = r.GetString(7),
                FinishedAt = r.IsDBNull(8) ? null : r.GetString(8),
                DurationMs = r.IsDBNull(9) ? null : r.GetDouble(9),
            });
        return events;
    }

    /// <summary>Users, agents, apps and runs with their memory counts; of one user if given.</summary>
    public Page<Entity> Entities(string? userId, int page, int pageSize) => Read(c =>
    {
        const string union = """
            select 'user' as type, user_id as id, count(*) as n, min(created_at) as first, max(updated_at) as last from memories where @user is null or user_id = @user group by user_id
            union all select 'agent', agent_id, count(*), min(created_at), max(updated_at) from memories where agent_id is not null and (@user is null or user_id = @user) group by agent_id
            union all select 'app', app_id, count(*), min(created_at), max(updated_at) from memories where app_id is not null and (@user is null or user_id = @user) group by app_id
            union all select 'run', run_id, count(*), min(created_at), max(updated_at) from memories where run_id is not null and (@user is null or user_id = @user) group by run_id
            """;
        var total = Scalar<long>(c, null, $"select count(*) from ({union})", ("@user", userId));
        using var command = Command(c, null, $"select type, id, n, first, last from ({union}) order by case type when 'user' then 0 when 'agent' then 1 when 'app' then 2 else 3 end, id limit @limit offset @offset",
            ("@user", userId), ("@limit", pageSize), ("@offset", (long)(page - 1) * pageSize));
        using var r = command.ExecuteReader();
        var entities = new List<Entity>();
        while (r.Read())
            entities.Add(new Entity
            {
                Type = Enum.Parse<EntityType>(r.GetString(0), ignoreCase: true),
                Id = r.GetString(1),
                Memories = r.GetInt64(2),
                FirstSeen = r.GetString(3),
                LastSeen = r.GetString(4),
            });
        return new Page<Entity>(entities, page, pageSize, total);
    });

    /// <summary>Stores a PENDING event with the input to work on, so that the work survives the process.</summary>
    public void Enqueue(EventRecord evt, string input) => Write((c, tx) =>
    {
        InsertEvent(c, tx, evt);
        Execute(c, tx, "update events set input = @input where id = @id", ("@input", input), ("@id", evt.Id));
        return 0;
    });

    /// <summary>Takes the oldest PENDING event, or a RUNNING one whose process died or whose lease ran out, for this
    /// process, counting the attempt. An event already tried <see cref="Constants.InferenceAttempts"/> times (its
    /// workers died each time) ends FAILED instead. Returns the work, or null when there is none.</summary>
    public ClaimedWork? ClaimPending(int ownerPid, Func<int, bool> isAlive, TimeSpan lease) =>
        Read(c => Scalar<long>(c, null, "select count(*) from events where status in ('PENDING', 'RUNNING') and input is not null")) == 0
            ? null // the common case reads only: no write lock for a process that has nothing to finish
            : Claim(ownerPid, isAlive, lease);

    private ClaimedWork? Claim(int ownerPid, Func<int, bool> isAlive, TimeSpan lease) => Write((c, tx) =>
    {
        var now = Json.Timestamp(DateTimeOffset.UtcNow);
        using var select = Command(c, tx, "select id, input, created_at, status, owner_pid, lease_until, attempts, error from events where status in ('PENDING', 'RUNNING') and input is not null order by seq limit 50");
        using var r = select.ExecuteReader();
        ClaimedWork? claimed = null;
        var exhausted = new List<(string Id, int Attempts, string? Error)>();
        while (r.Read())
        {
            var running = r.GetString(3) == "RUNNING";
            var owner = r.IsDBNull(4) ? (int?)null : r.GetInt32(4);
            var expired = r.IsDBNull(5) || string.CompareOrdinal(r.GetString(5), now) < 0;
            if (running && owner is { } pid && pid != ownerPid && isAlive(pid) && !expired) continue;
            if (running && owner == ownerPid && !expired) continue; // already being worked on here
            var attempts = r.GetInt32(6);
            if (attempts >= Constants.InferenceAttempts)
            {
                exhausted.Add((r.GetString(0), attempts, r.IsDBNull(7) ? null : r.GetString(7)));
                continue;
            }
            claimed = new ClaimedWork(r.GetString(0), r.GetString(1), r.GetString(2), attempts + 1);
            break;
        }
        r.Close();
        foreach (var (id, attempts, error) in exhausted)
            Execute(c, tx, "update events set status = 'FAILED', owner_pid = null, lease_until = null, finished_at = @now, error = @error where id = @id",
                ("@now", now), ("@id", id), ("@error", $"gave up after {attempts} attempts: " + (error ?? "the process working on it stopped each time")));
        if (claimed is { } work)
            Execute(c, tx, "update events set status = 'RUNNING', owner_pid = @pid, lease_until = @lease, attempts = @attempts where id = @id",
                ("@pid", ownerPid), ("@lease", Json.Timestamp(DateTimeOffset.UtcNow + lease)), ("@attempts", work.Attempt), ("@id", work.Id));
        return claimed;
    });

    /// <summary>A try of background work failed: PENDING again with the reason, for a later try, or FAILED with it
    /// when this was the last.</summary>
    public void RecordAttemptFailed(ClaimedWork work, string error) => Write((c, tx) =>
    {
        var last = work.Attempt >= Constants.InferenceAttempts;
        Execute(c, tx, "update events set status = @status, owner_pid = null, lease_until = null, error = @error, finished_at = @finished where id = @id and status = 'RUNNING'",
            ("@status", last ? "FAILED" : "PENDING"), ("@error", last ? $"failed after {work.Attempt} attempts: {error}" : error),
            ("@finished", last ? Json.Timestamp(DateTimeOffset.UtcNow) : null), ("@id", work.Id));
        return 0;
    });
}

/// <summary>Background work taken by this process: the event, its input, and which attempt this is (from 1).</summary>
public sealed record ClaimedWork(string Id, string Input, string CreatedAt, int Attempt);
