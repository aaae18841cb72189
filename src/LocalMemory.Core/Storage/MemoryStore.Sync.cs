using System.Text.Json.Nodes;
using LocalMemory.Core.Memories;
using LocalMemory.Core.Sync;
using Microsoft.Data.Sqlite;

namespace LocalMemory.Core.Storage;

/// <summary>One change to replay: a memory as it now is, or its deletion, with the version that made it.</summary>
public sealed record SyncOp(string Id, string Version, MemoryRecord? Memory, string? UserId, IReadOnlyList<HistoryEntry>? History = null)
{
    public bool IsDelete => Memory is null;
}

/// <summary>What replaying changes did.</summary>
public sealed record SyncApplied(int Added, int Updated, int Deleted, int Conflicts, int Unchanged);

public sealed partial class MemoryStore
{
    /// <summary>This database's machine id (made on first use): the tie-breaker of versions and the name of its sync log.</summary>
    public string MachineId() => Write((c, tx) => Machine(c, tx));

    private static string Machine(SqliteConnection c, SqliteTransaction tx)
    {
        if (GetMeta(c, tx, "machine_id") is { } id) return id;
        id = Guid.NewGuid().ToString("N")[..12];
        SetMeta(c, tx, "machine_id", id);
        return id;
    }

    /// <summary>The version of a change made now on this machine: later than every version seen, local or remote.</summary>
    private static string NextVersion(SqliteConnection c, SqliteTransaction tx)
    {
        var last = GetMeta(c, tx, "hlc") is { } text ? Hlc.Parse(text) : (Hlc?)null;
        var next = Hlc.Next(last, Machine(c, tx), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).ToString();
        SetMeta(c, tx, "hlc", next);
        return next;
    }

    /// <summary>A remote version moves the clock forward, so that the next local change is later than it.</summary>
    private static void Observe(SqliteConnection c, SqliteTransaction tx, string version)
    {
        if (GetMeta(c, tx, "hlc") is not { } last || string.CompareOrdinal(version, last) > 0) SetMeta(c, tx, "hlc", version);
    }

    public string? Setting(string key) => GetMeta(key);

    public void SetSetting(string key, string value) => Write((c, tx) => { SetMeta(c, tx, key, value); return 0; });

    /// <summary>Changes made on this machine after history row <paramref name="afterHistoryId"/>: each changed memory
    /// once, as it is now (or its tombstone), and the last history id covered.</summary>
    public (IReadOnlyList<SyncOp> Ops, long LastHistoryId) LocalChanges(long afterHistoryId) => Read(c =>
    {
        var ids = new List<string>();
        long last = afterHistoryId;
        using (var command = Command(c, null, "select id, memory_id from history where origin is null and id > @after order by id", ("@after", afterHistoryId)))
        using (var r = command.ExecuteReader())
            while (r.Read())
            {
                last = r.GetInt64(0);
                ids.Add(r.GetString(1));
            }
        var ops = new List<SyncOp>();
        foreach (var id in ids.Distinct())
        {
            if (Find(c, null, id) is { } found)
            {
                var version = Scalar<string>(c, null, "select version from memories where id = @id", ("@id", id));
                ops.Add(new SyncOp(id, version, found.Record, found.Record.UserId));
            }
            else
            {
                using var tomb = Command(c, null, "select version, user_id from tombstones where id = @id", ("@id", id));
                using var r = tomb.ExecuteReader();
                if (r.Read()) ops.Add(new SyncOp(id, r.GetString(0), null, r.IsDBNull(1) ? null : r.GetString(1)));
            }
        }
        return ((IReadOnlyList<SyncOp>)ops, last);
    });

    /// <summary>The versions of the memories with these ids that exist here.</summary>
    public IReadOnlyDictionary<string, string> Versions(IEnumerable<string> ids) => Read(c =>
    {
        using var command = Command(c, null, "select id, coalesce(version, '') from memories where id in (select value from json_each(@ids))",
            ("@ids", Json.Serialize(ids.ToArray())));
        using var r = command.ExecuteReader();
        var versions = new Dictionary<string, string>();
        while (r.Read()) versions[r.GetString(0)] = r.GetString(1);
        return (IReadOnlyDictionary<string, string>)versions;
    });

    /// <summary>Replays changes from elsewhere in one transaction: for each memory the newest version wins
    /// (ties broken by machine id), a tombstone keeps an older update from bringing a memory back, and the losing
    /// text is kept in history. Replaying the same changes again changes nothing. The vectors of the texts that get
    /// stored come made (outside the write lock); if one is missing (the store changed since the caller looked),
    /// nothing is written (<see cref="MissingVectorException"/>: embed it and replay).</summary>
    public SyncApplied ApplyRemote(IReadOnlyList<SyncOp> ops, string? origin, IReadOnlyDictionary<string, float[]> vectors, EventRecord evt) => Write((c, tx) =>
    {
        RequireVectorModel(c, tx);
        int added = 0, updated = 0, deleted = 0, conflicts = 0, unchanged = 0;
        float[] Vector(string text) => vectors.TryGetValue(text, out var vector) ? vector : throw new MissingVectorException(text);

        foreach (var op in ops)
        {
            Observe(c, tx, op.Version);
            var local = Find(c, tx, op.Id);
            var localVersion = local is null ? null : Scalar<string>(c, tx, "select coalesce(version, '') from memories where id = @id", ("@id", op.Id));
            string? tombstone = null;
            if (local is null)
            {
                using var tomb = Command(c, tx, "select version from tombstones where id = @id", ("@id", op.Id));
                tombstone = tomb.ExecuteScalar() as string;
            }
            var newer = string.CompareOrdinal(op.Version, localVersion ?? tombstone ?? "") > 0;

            if (op.IsDelete)
            {
                if (local is { } gone && newer)
                {
                    Remove(c, tx, gone.Seq, gone.Record, op.Version);
                    InsertHistory(c, tx, op.Id, ChangeKind.Delete, gone.Record.Memory, null, evt, origin);
                    deleted++;
                }
                else if (local is null)
                {
                    Execute(c, tx, "insert into tombstones(id, version, user_id, deleted_at) values (@id, @version, @user, @at) on conflict(id) do update set version = max(version, excluded.version)",
                        ("@id", op.Id), ("@version", op.Version), ("@user", op.UserId), ("@at", Json.Timestamp(DateTimeOffset.UtcNow)));
                    unchanged++;
                }
                else unchanged++;
                continue;
            }

            var m = op.Memory!;
            if (local is null)
            {
                if (!newer) { unchanged++; continue; } // deleted here after that version
                Execute(c, tx, "delete from tombstones where id = @id", ("@id", op.Id));
                Insert(c, tx, m with { Hash = MemoryService.Hash(m.Memory) }, Vector(m.Memory), op.Version);
                foreach (var h in op.History ?? [])
                    Execute(c, tx, "insert into history(memory_id, event, old_memory, new_memory, app_id, event_id, created_at, origin) values (@id, @event, @old, @new, @app, @evt, @at, @origin)",
                        ("@id", op.Id), ("@event", h.Event.ToString().ToUpperInvariant()), ("@old", h.OldMemory), ("@new", h.NewMemory), ("@app", h.AppId), ("@evt", h.EventId), ("@at", h.CreatedAt), ("@origin", origin));
                if (op.History is not { Count: > 0 }) InsertHistory(c, tx, op.Id, ChangeKind.Add, null, m.Memory, evt, origin);
                added++;
                continue;
            }

            var (seq, current) = local.Value;
            if (!newer)
            {
                if (op.Version != localVersion && m.Memory != current.Memory)
                {
                    InsertHistory(c, tx, op.Id, ChangeKind.None, m.Memory, current.Memory, evt, origin); // the losing version, kept
                    conflicts++;
                }
                else unchanged++;
                continue;
            }
            Execute(c, tx, """
                update memories set memory = @memory, hash = @hash, metadata = @metadata, categories = @categories,
                    updated_at = @updated, expiration_date = @expires, version = @version where seq = @seq
                """,
                ("@memory", m.Memory), ("@hash", MemoryService.Hash(m.Memory)), ("@metadata", m.Metadata.ToJsonString()),
                ("@categories", Json.Serialize(m.Categories)), ("@updated", m.UpdatedAt), ("@expires", m.ExpirationDate),
                ("@version", op.Version), ("@seq", seq));
            if (m.Memory != current.Memory)
            {
                Execute(c, tx, "delete from memories_vec where rowid = @seq", ("@seq", seq));
                InsertVector(c, tx, seq, current.UserId, current.Project, Vector(m.Memory));
                InsertHistory(c, tx, op.Id, ChangeKind.Update, current.Memory, m.Memory, evt, origin);
            }
            updated++;
        }
        if (added + updated + deleted + conflicts > 0) InsertEvent(c, tx, evt with { Results = new JsonObject { ["added"] = added, ["updated"] = updated, ["deleted"] = deleted, ["conflicts"] = conflicts, ["origin"] = origin } });
        return new SyncApplied(added, updated, deleted, conflicts, unchanged);
    });

    /// <summary>Memories after row <paramref name="afterSeq"/>, with their versions, for export (one user, or all).</summary>
    public IReadOnlyList<(long Seq, MemoryRecord Record, string Version)> ExportBatch(long afterSeq, int limit, string? userId) => Read(c =>
    {
        using var command = Command(c, null,
            $"select {Columns}, coalesce(m.version, '') from memories m where m.seq > @after and (@user is null or m.user_id = @user) order by m.seq limit @limit",
            ("@after", afterSeq), ("@user", userId), ("@limit", limit));
        using var r = command.ExecuteReader();
        var rows = new List<(long, MemoryRecord, string)>();
        while (r.Read()) rows.Add((r.GetInt64(0), ReadMemory(r, 1), r.GetString(15)));
        return (IReadOnlyList<(long, MemoryRecord, string)>)rows;
    });
}

/// <summary>A replayed change needs a vector the caller did not make; nothing was written.</summary>
public sealed class MissingVectorException(string text) : Exception("a vector is missing for a replayed text")
{
    public string Text { get; } = text;
}
