using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace LocalMemory.Core.Storage;

/// <summary>Counts that tell whether the three indexes of a memory agree.</summary>
public sealed record IndexCounts(long Memories, long Keyword, long Vectors, long MissingVectors, long History, long Events);

public sealed partial class MemoryStore
{
    public string VecVersion() => Read(c => Scalar<string>(c, null, "select vec_version()"));

    public string IntegrityCheck() => Read(c => Scalar<string>(c, null, "pragma quick_check"));

    /// <summary>FTS5's own check that the keyword index matches the memories; null when it does.</summary>
    public string? KeywordIndexCheck()
    {
        try
        {
            Write((c, tx) => Execute(c, tx, "insert into memories_fts(memories_fts, rank) values ('integrity-check', 1)"));
            return null;
        }
        catch (LocalMemoryException e) { return e.Message; }
    }

    public IndexCounts Counts() => Read(c =>
    {
        var hasVectors = Scalar<long>(c, null, "select count(*) from sqlite_master where name = 'memories_vec'") > 0;
        return new IndexCounts(
            Scalar<long>(c, null, "select count(*) from memories"),
            Scalar<long>(c, null, "select count(*) from memories_fts_docsize"),
            hasVectors ? Scalar<long>(c, null, "select count(*) from memories_vec_rowids") : 0,
            hasVectors ? Scalar<long>(c, null, "select count(*) from memories m where not exists (select 1 from memories_vec_rowids r where r.rowid = m.seq)") : Scalar<long>(c, null, "select count(*) from memories"),
            Scalar<long>(c, null, "select count(*) from history"),
            Scalar<long>(c, null, "select count(*) from events"));
    });

    public long SchemaVersion() => long.Parse(GetMeta("schema_version") ?? "0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Users and projects with their memory counts.</summary>
    public IReadOnlyList<(string User, string? Project, long Count)> ScopeCounts() => Read(c =>
    {
        using var command = Command(c, null, "select user_id, project, count(*) from memories group by user_id, project order by user_id, project");
        using var r = command.ExecuteReader();
        var rows = new List<(string, string?, long)>();
        while (r.Read()) rows.Add((r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetInt64(2)));
        return rows;
    });

    // Re-embedding (reindex, doctor --repair) never holds the write lock while the model runs: vectors are made in
    // batches outside it and staged, each batch in a short transaction, in reindex_vectors (with the hash of the text
    // they were made from, so a memory changed meanwhile is done again). One last short transaction swaps them in.
    // Staged vectors survive a crash: the next run does only what is left.

    /// <summary>Starts (or resumes) re-embedding with <paramref name="model"/>; vectors staged for another model are dropped.</summary>
    public void ReindexBegin(string model) => Write((c, tx) =>
    {
        Execute(c, tx, "create table if not exists reindex_vectors(seq integer primary key, hash text not null, model text not null, embedding blob not null)");
        Execute(c, tx, "delete from reindex_vectors where model != @model", ("@model", model));
        return 0;
    });

    /// <summary>How many memories there are, and how many still need a staged vector.</summary>
    public (long Total, long Left) ReindexProgress() => Read(c => (
        Scalar<long>(c, null, "select count(*) from memories"),
        Scalar<long>(c, null, "select count(*) from memories m where not exists (select 1 from reindex_vectors r where r.seq = m.seq and r.hash = m.hash)")));

    /// <summary>Memories without a staged vector for their current text.</summary>
    public IReadOnlyList<(long Seq, string Hash, string Text)> ReindexPending(int limit) => Read(c => ReindexPending(c, null, limit));

    private static List<(long Seq, string Hash, string Text)> ReindexPending(SqliteConnection c, SqliteTransaction? tx, int limit)
    {
        using var command = Command(c, tx,
            "select m.seq, m.hash, m.memory from memories m where not exists (select 1 from reindex_vectors r where r.seq = m.seq and r.hash = m.hash) order by m.seq limit @limit",
            ("@limit", limit));
        using var r = command.ExecuteReader();
        var rows = new List<(long, string, string)>();
        while (r.Read()) rows.Add((r.GetInt64(0), r.GetString(1), r.GetString(2)));
        return rows;
    }

    public void ReindexStage(string model, IReadOnlyList<(long Seq, string Hash, float[] Vector)> rows) => Write((c, tx) =>
    {
        foreach (var (seq, hash, vector) in rows)
            Execute(c, tx, "insert or replace into reindex_vectors(seq, hash, model, embedding) values (@seq, @hash, @model, @embedding)",
                ("@seq", seq), ("@hash", hash), ("@model", model), ("@embedding", Blob(vector)));
        return 0;
    });

    /// <summary>Swaps the staged vectors in as the vector index of <paramref name="model"/>, rebuilds the keyword index
    /// and records the model, in one transaction. Memories that changed after the last batch (a few at most) are
    /// embedded inside it.</summary>
    public int ReindexSwap(string model, int dimension, Func<IReadOnlyList<string>, float[][]> embed) => Write((c, tx) =>
    {
        for (var left = ReindexPending(c, tx, 256); left.Count > 0; left = ReindexPending(c, tx, 256))
        {
            var vectors = embed([.. left.Select(l => l.Text)]);
            for (var i = 0; i < left.Count; i++)
                Execute(c, tx, "insert or replace into reindex_vectors(seq, hash, model, embedding) values (@seq, @hash, @model, @embedding)",
                    ("@seq", left[i].Seq), ("@hash", left[i].Hash), ("@model", model), ("@embedding", Blob(vectors[i])));
        }
        Execute(c, tx, "drop table if exists memories_vec");
        CreateVectors(c, tx, model, dimension);
        var count = Execute(c, tx, $"""
            insert into memories_vec(rowid, user_id, shard, project, embedding)
            select m.seq, m.user_id, m.seq % {Constants.VectorShards}, coalesce(m.project, ''), r.embedding
            from memories m join reindex_vectors r on r.seq = m.seq and r.hash = m.hash order by m.seq
            """);
        Execute(c, tx, "insert into memories_fts(memories_fts) values ('rebuild')"); // derived from the memories too
        Execute(c, tx, "drop table reindex_vectors");
        return count;
    });

    /// <summary>Up to <paramref name="limit"/> memories chosen at random, with their stored vectors (doctor --deep).</summary>
    public IReadOnlyList<(string Id, string Text, float[]? Vector)> SampleVectors(int limit) => Read(c =>
    {
        using var command = Command(c, null, """
            select m.id, m.memory, (select v.embedding from memories_vec v where v.rowid = m.seq)
            from memories m where m.seq in (select seq from memories order by random() limit @limit)
            """, ("@limit", limit));
        using var r = command.ExecuteReader();
        var rows = new List<(string, string, float[]?)>();
        while (r.Read())
            rows.Add((r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : MemoryMarshal.Cast<byte, float>((byte[])r.GetValue(2)).ToArray()));
        return rows;
    });
}
