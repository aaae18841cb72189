using System.Text.Json;
using System.Text.Json.Nodes;
using LocalMemory.Core.Memories;
using Microsoft.Data.Sqlite;

namespace LocalMemory.Core.Storage;

/// <summary>A memory to store with its vector.</summary>
public sealed record NewMemory(MemoryRecord Record, float[] Vector);

public sealed partial class MemoryStore
{
    private const string Columns =
        "m.seq, m.id, m.memory, m.hash, m.user_id, m.agent_id, m.app_id, m.run_id, m.project, m.metadata, m.categories, m.source, m.created_at, m.updated_at, m.expiration_date";

    /// <summary>Adds memories, their history rows and the event in one transaction. A memory whose text the same
    /// user already has in the same project is not added again (NONE, with the existing id).</summary>
    public IReadOnlyList<MemoryChange> Add(IReadOnlyList<NewMemory> memories, Func<IReadOnlyList<MemoryChange>, EventRecord> evt) => Write((c, tx) =>
    {
        var changes = new List<MemoryChange>();
        var added = new List<(long Seq, MemoryRecord Record)>();
        foreach (var (m, vector) in memories)
        {
            using var duplicate = Command(c, tx, "select id from memories where user_id = @user and hash = @hash and project is @project limit 1",
                ("@user", m.UserId), ("@hash", m.Hash), ("@project", m.Project));
            if (duplicate.ExecuteScalar() is string existing)
            {
                changes.Add(new MemoryChange(existing, m.Memory, ChangeKind.None));
                continue;
            }
            using var insert = Command(c, tx, """
                insert into memories(id, memory, hash, user_id, agent_id, app_id, run_id, project, metadata, categories, source, created_at, updated_at, expiration_date)
                values (@id, @memory, @hash, @user, @agent, @app, @run, @project, @metadata, @categories, @source, @created, @updated, @expires)
                returning seq
                """,
                ("@id", m.Id), ("@memory", m.Memory), ("@hash", m.Hash), ("@user", m.UserId), ("@agent", m.AgentId), ("@app", m.AppId),
                ("@run", m.RunId), ("@project", m.Project), ("@metadata", m.Metadata.ToJsonString()),
                ("@categories", JsonSerializer.Serialize(m.Categories)), ("@source", m.Source.ToJsonString()),
                ("@created", m.CreatedAt), ("@updated", m.UpdatedAt), ("@expires", m.ExpirationDate));
            var seq = (long)insert.ExecuteScalar()!;
            InsertVector(c, tx, seq, m.UserId, m.Project, vector);
            added.Add((seq, m));
            changes.Add(new MemoryChange(m.Id, m.Memory, ChangeKind.Add));
        }
        var record = evt(changes);
        foreach (var (_, m) in added) InsertHistory(c, tx, m.Id, ChangeKind.Add, null, m.Memory, record);
        InsertEvent(c, tx, record);
        return changes;
    });

    /// <summary>Replaces a memory's text (with its new vector) and/or metadata, with history and event, in one transaction.</summary>
    public MemoryRecord Update(string id, string? text, string? hash, float[]? vector, JsonObject? metadata, string updatedAt, EventRecord evt) => Write((c, tx) =>
    {
        var (seq, old) = Find(c, tx, id) ?? throw LocalMemoryException.NotFound($"memory {id} does not exist");
        Execute(c, tx, "update memories set memory = coalesce(@memory, memory), hash = coalesce(@hash, hash), metadata = coalesce(@metadata, metadata), updated_at = @updated where seq = @seq",
            ("@memory", text), ("@hash", hash), ("@metadata", metadata?.ToJsonString()), ("@updated", updatedAt), ("@seq", seq));
        if (vector is not null)
        {
            Execute(c, tx, "delete from memories_vec where rowid = @seq", ("@seq", seq));
            InsertVector(c, tx, seq, old.UserId, old.Project, vector);
        }
        InsertHistory(c, tx, id, ChangeKind.Update, old.Memory, text ?? old.Memory, evt);
        InsertEvent(c, tx, evt);
        return Find(c, tx, id)!.Value.Record;
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
            Execute(c, tx, "delete from memories_vec where rowid = @seq", ("@seq", seq));
            Execute(c, tx, "delete from memories where seq = @seq", ("@seq", seq));
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
        Categories = JsonSerializer.Deserialize<string[]>(r.GetString(o + 9)) ?? [],
        Source = JsonNode.Parse(r.GetString(o + 10)) as JsonObject ?? [],
        CreatedAt = r.GetString(o + 11),
        UpdatedAt = r.GetString(o + 12),
        ExpirationDate = r.IsDBNull(o + 13) ? null : r.GetString(o + 13),
    };

    private static void InsertVector(SqliteConnection c, SqliteTransaction tx, long seq, string userId, string? project, float[] vector) =>
        Execute(c, tx, "insert into memories_vec(rowid, user_id, project, embedding) values (@seq, @user, @project, @embedding)",
            ("@seq", seq), ("@user", userId), ("@project", project ?? ""), ("@embedding", Blob(vector)));

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
