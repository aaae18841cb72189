using System.Text.Json.Nodes;
using LocalMemory.Core.Memories;
using Microsoft.Data.Sqlite;

namespace LocalMemory.Core.Storage;

/// <summary>A memory to store with its vector.</summary>
public sealed record NewMemory(MemoryRecord Record, float[] Vector);

/// <summary>One step of a change to the store, applied with the others in one transaction.</summary>
public abstract record PlannedChange
{
    public sealed record Add(MemoryRecord Record, float[] Vector) : PlannedChange;
    /// <summary>New text for a memory whose text was <paramref name="Base"/> when the change was planned; if it was
    /// deleted meanwhile, <paramref name="Fallback"/> is added instead.</summary>
    public sealed record Update(string Id, string Base, string Text, string Hash, float[] Vector, string UpdatedAt, NewMemory Fallback) : PlannedChange;
    /// <summary>Deletes a memory whose text was <paramref name="Base"/> when the change was planned.</summary>
    public sealed record Delete(string Id, string Base) : PlannedChange;
    public sealed record Known(string Id, string Text) : PlannedChange;
}

public sealed partial class MemoryStore
{
    private const string Columns =
        "m.seq, m.id, m.memory, m.hash, m.user_id, m.agent_id, m.app_id, m.run_id, m.project, m.metadata, m.categories, m.source, m.created_at, m.updated_at, m.expiration_date, m.timestamp";

    /// <summary>The index of the first column a query selects after {Columns} (which follow the seq).</summary>
    private const int AfterColumns = 16;

    /// <summary>Applies a plan of adds, updates and deletes with their history and the event, in one transaction.
    /// An add whose text the same user already has in the same project is not added again (NONE, with the
    /// existing id); an update or delete of a memory deleted meanwhile becomes an add or nothing; one of a memory whose
    /// text changed since the plan was made applies nothing (<see cref="ConcurrentChangeException"/>: plan again).</summary>
    public IReadOnlyList<MemoryChange> Apply(IReadOnlyList<PlannedChange> plan, Func<IReadOnlyList<MemoryChange>, EventRecord> evt) => Write((c, tx) =>
    {
        if (plan.Any(p => p is PlannedChange.Add or PlannedChange.Update)) RequireVectorModel(c, tx);
        var changes = new List<MemoryChange>();
        var history = new List<(string Id, ChangeKind Kind, string? Old, string? New)>();
        foreach (var step in plan)
        {
            switch (step)
            {
                case PlannedChange.Add(var m, var vector):
                    using (var duplicate = Command(c, tx, "select id from memories where user_id = @user and hash = @hash and project is @project limit 1",
                        ("@user", m.UserId), ("@hash", m.Hash), ("@project", m.Project)))
                    {
                        if (duplicate.ExecuteScalar() is string existing)
                        {
                            changes.Add(new MemoryChange(existing, m.Memory, ChangeKind.None));
                            break;
                        }
                    }
                    Insert(c, tx, m, vector);
                    history.Add((m.Id, ChangeKind.Add, null, m.Memory));
                    changes.Add(new MemoryChange(m.Id, m.Memory, ChangeKind.Add));
                    break;
                case PlannedChange.Update(var id, var planned, var text, var hash, var vector, var updatedAt, var fallback):
                    if (Find(c, tx, id) is not { } current)
                    {
                        Insert(c, tx, fallback.Record, fallback.Vector);
                        history.Add((fallback.Record.Id, ChangeKind.Add, null, fallback.Record.Memory));
                        changes.Add(new MemoryChange(fallback.Record.Id, fallback.Record.Memory, ChangeKind.Add));
                        break;
                    }
                    var (seq, old) = current;
                    if (old.Memory != planned) throw new ConcurrentChangeException(id);
                    // The new text holds from when it was stated. A memory stored without a category takes the one
                    // read from the new text; categories someone gave it stay.
                    Execute(c, tx, """
                        update memories set memory = @memory, hash = @hash, updated_at = @updated, version = @version, timestamp = coalesce(@timestamp, timestamp),
                            categories = case when categories = '[]' then @categories else categories end where seq = @seq
                        """,
                        ("@memory", text), ("@hash", hash), ("@updated", updatedAt), ("@version", NextVersion(c, tx)), ("@timestamp", fallback.Record.Timestamp),
                        ("@categories", Json.Serialize(fallback.Record.Categories)), ("@seq", seq));
                    Execute(c, tx, "delete from memories_vec where rowid = @seq", ("@seq", seq));
                    InsertVector(c, tx, seq, old.UserId, old.Project, vector);
                    history.Add((id, ChangeKind.Update, old.Memory, text));
                    changes.Add(new MemoryChange(id, text, ChangeKind.Update, old.Memory));
                    break;
                case PlannedChange.Delete(var id, var planned):
                    if (Find(c, tx, id) is not { } found) break;
                    var (victim, gone) = found;
                    if (gone.Memory != planned) throw new ConcurrentChangeException(id);
                    Remove(c, tx, victim, gone);
                    history.Add((id, ChangeKind.Delete, gone.Memory, null));
                    changes.Add(new MemoryChange(id, gone.Memory, ChangeKind.Delete));
                    break;
                case PlannedChange.Known(var id, var text):
                    changes.Add(new MemoryChange(id, text, ChangeKind.None));
                    break;
            }
        }
        var record = evt(changes);
        foreach (var (id, kind, old, text) in history) InsertHistory(c, tx, id, kind, old, text, record);
        InsertEvent(c, tx, record);
        return (IReadOnlyList<MemoryChange>)changes;
    });

    private static void Insert(SqliteConnection c, SqliteTransaction tx, MemoryRecord m, float[] vector, string? version = null)
    {
        using var insert = Command(c, tx, """
            insert into memories(id, memory, hash, user_id, agent_id, app_id, run_id, project, metadata, categories, source, created_at, updated_at, expiration_date, version, timestamp)
            values (@id, @memory, @hash, @user, @agent, @app, @run, @project, @metadata, @categories, @source, @created, @updated, @expires, @version, @timestamp)
            returning seq
            """,
            ("@id", m.Id), ("@memory", m.Memory), ("@hash", m.Hash), ("@user", m.UserId), ("@agent", m.AgentId), ("@app", m.AppId),
            ("@run", m.RunId), ("@project", m.Project), ("@metadata", m.Metadata.ToJsonString()),
            ("@categories", Json.Serialize(m.Categories)), ("@source", m.Source.ToJsonString()),
            ("@created", m.CreatedAt), ("@updated", m.UpdatedAt), ("@expires", m.ExpirationDate), ("@version", version ?? NextVersion(c, tx)),
            ("@timestamp", m.Timestamp ?? m.CreatedAt));
        InsertVector(c, tx, (long)insert.ExecuteScalar()!, m.UserId, m.Project, vector);
    }

    /// <summary>Replaces a memory's text and/or metadata, with history and event, in one transaction. New text comes
    /// with the vector made from it; when the memory's text is not the given text and no vector came with it (someone
    /// else changed the text since the caller read it), nothing is written and the answer is null: embed, then retry.
    /// So the vector always belongs to the text this transaction commits.</summary>
    public MemoryRecord? Update(string id, string? text, string? hash, float[]? vector, JsonObject? metadata, string updatedAt, EventRecord evt) => Write((c, tx) =>
    {
        var (seq, old) = Find(c, tx, id) ?? throw LocalMemoryException.NotFound($"memory {id} does not exist");
        if (text is not null && text != old.Memory && vector is null) return null;
        if (vector is not null) RequireVectorModel(c, tx);
        Execute(c, tx, "update memories set memory = coalesce(@memory, memory), hash = coalesce(@hash, hash), metadata = coalesce(@metadata, metadata), updated_at = @updated, version = @version where seq = @seq",
            ("@memory", text), ("@hash", hash), ("@metadata", metadata?.ToJsonString()), ("@updated", updatedAt), ("@version", NextVersion(c, tx)), ("@seq", seq));
        if (vector is not null)
        {
            Execute(c, tx, "delete from memories_vec where rowid = @seq", ("@seq", seq));
            InsertVector(c, tx, seq, old.UserId, old.Project, vector);
        }
        InsertHistory(c, tx, id, ChangeKind.Update, old.Memory, text ?? old.Memory, evt);
        InsertEvent(c, tx, evt);
        return (MemoryRecord?)Find(c, tx, id)!.Value.Record;
    });

    /// <summary>Deletes the memories a query selects (or the one id), with history and event, in one transaction.</summary>
    public IReadOnlyList<MemoryRecord> Delete(MemoryQuery? query, string? id, Func<IReadOnlyList<MemoryRecord>, EventRecord> evt) => Write((c, tx) =>
    {
        List<(long Seq, MemoryRecord Record)> victims;
        if (id is not null)
        {
            victims = [Find(c, tx, id) ?? throw LocalMemoryException.NotFound($"memory {id} does not exist")];
        }
        else
        {
            var where = Where(query!);
            using var select = Command(c, tx, $"select {Columns} from memories m where {where.Sql}");
            where.Bind(select);
            victims = ReadMemories(select);
        }
        var record = evt([.. victims.Select(v => v.Record)]);
        foreach (var (seq, m) in victims)
        {
            Remove(c, tx, seq, m);
            InsertHistory(c, tx, m.Id, ChangeKind.Delete, m.Memory, null, record);
        }
        InsertEvent(c, tx, record);
        return (IReadOnlyList<MemoryRecord>)[.. victims.Select(v => v.Record)];
    });

    public MemoryRecord? Get(string id) => Read(c => Find(c, null, id)?.Record);

    public Page<MemoryRecord> List(MemoryQuery query, int page, int pageSize) => Read(c =>
    {
        var where = Where(query);
        using var count = Command(c, null, $"select count(*) from memories m where {where.Sql}");
        where.Bind(count);
        var total = (long)count.ExecuteScalar()!;
        using var select = Command(c, null,
            $"select {Columns} from memories m where {where.Sql} order by m.created_at desc, m.seq desc limit @limit offset @offset",
            ("@limit", pageSize), ("@offset", (long)(page - 1) * pageSize));
        where.Bind(select);
        return new Page<MemoryRecord>([.. ReadMemories(select).Select(r => r.Record)], page, pageSize, total);
    });

    private static (long Seq, MemoryRecord Record)? Find(SqliteConnection c, SqliteTransaction? tx, string id)
    {
        using var command = Command(c, tx, $"select {Columns} from memories m where m.id = @id", ("@id", id));
        var rows = ReadMemories(command);
        return rows.Count == 0 ? null : rows[0];
    }

    private static List<(long Seq, MemoryRecord Record)> ReadMemories(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var rows = new List<(long, MemoryRecord)>();
        while (reader.Read()) rows.Add((reader.GetInt64(0), ReadMemory(reader, 1)));
        return rows;
    }

    private static MemoryRecord ReadMemory(SqliteDataReader r, int o) => new()
    {
        Id = r.GetString(o),
        Memory = r.GetString(o + 1),
        Hash = r.GetString(o + 2),
        UserId = r.GetString(o + 3),
        AgentId = r.IsDBNull(o + 4) ? null : r.GetString(o + 4),
        AppId = r.IsDBNull(o + 5) ? null : r.GetString(o + 5),
        RunId = r.IsDBNull(o + 6) ? null : r.GetString(o + 6),
        Project = r.IsDBNull(o + 7) ? null : r.GetString(o + 7),
        Metadata = JsonNode.Parse(r.GetString(o + 8)) as JsonObject ?? [],
        Categories = Json.Deserialize<string[]>(r.GetString(o + 9)) ?? [],
        Source = JsonNode.Parse(r.GetString(o + 10)) as JsonObject ?? [],
        CreatedAt = r.GetString(o + 11),
        UpdatedAt = r.GetString(o + 12),
        ExpirationDate = r.IsDBNull(o + 13) ? null : r.GetString(o + 13),
        Timestamp = r.IsDBNull(o + 14) ? r.GetString(o + 11) : r.GetString(o + 14),
    };

    /// <summary>Deletes a memory's rows and leaves a tombstone, so that sync does not bring it back.</summary>
    private static void Remove(SqliteConnection c, SqliteTransaction tx, long seq, MemoryRecord m, string? version = null)
    {
        Execute(c, tx, "delete from memories_vec where rowid = @seq", ("@seq", seq));
        Execute(c, tx, "delete from memories where seq = @seq", ("@seq", seq));
        Execute(c, tx, "insert into tombstones(id, version, user_id, deleted_at) values (@id, @version, @user, @at) on conflict(id) do update set version = max(version, excluded.version)",
            ("@id", m.Id), ("@version", version ?? NextVersion(c, tx)), ("@user", m.UserId), ("@at", Json.Timestamp(DateTimeOffset.UtcNow)));
    }

    private static void InsertVector(SqliteConnection c, SqliteTransaction tx, long seq, string userId, string? project, float[] vector) =>
        Execute(c, tx, "insert into memories_vec(rowid, user_id, shard, project, embedding) values (@seq, @user, @shard, @project, @embedding)",
            ("@seq", seq), ("@user", userId), ("@shard", seq % Constants.VectorShards), ("@project", project ?? ""), ("@embedding", Blob(vector)));

    /// <summary>The SQL for a query over <c>memories m</c>.</summary>
    internal static SqlWhere Where(MemoryQuery query)
    {
        var w = new SqlWhere();
        if (query.UserId is not null) w.Add($"m.user_id = {w.Param(query.UserId)}");
        else w.OnlyScope = false;
        foreach (var (column, value) in new[] { ("agent_id", query.AgentId), ("app_id", query.AppId), ("run_id", query.RunId) })
        {
            if (value is null) continue;
            w.Add($"m.{column} = {w.Param(value)}");
            w.OnlyScope = false;
        }
        if (!query.AllProjects)
            w.Add(query.Project is null ? "m.project is null" : $"m.project is null or m.project = {w.Param(query.Project)}");
        if (query.Filter is not null)
        {
            w.Add(FilterSql.Compile(query.Filter, w));
            w.OnlyScope = false;
        }
        if (!query.IncludeExpired)
            w.Add($"m.expiration_date is null or m.expiration_date > {w.Param(Json.Timestamp(DateTimeOffset.UtcNow))}");
        return w;
    }
}

/// <summary>A planned change found the memory's text changed since the plan was made; nothing was written.</summary>
public sealed class ConcurrentChangeException(string id) : Exception($"memory {id} changed while the change was being planned");
