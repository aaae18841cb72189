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

    /// <summary>Rebuilds the vector index with another model in one transaction (other writers wait until it ends).</summary>
    public int Reindex(string model, int dimension, Func<IReadOnlyList<string>, float[][]> embed, int batchSize, Action<int, int>? progress) => Write((c, tx) =>
    {
        Execute(c, tx, "drop table if exists memories_vec");
        Execute(c, tx, Schema.CreateVectors(dimension));
        var rows = new List<(long Seq, string User, string? Project, string Memory)>();
        using (var select = Command(c, tx, "select seq, user_id, project, memory from memories order by seq"))
        using (var r = select.ExecuteReader())
            while (r.Read()) rows.Add((r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3)));
        progress?.Invoke(0, rows.Count);
        for (var start = 0; start < rows.Count; start += batchSize)
        {
            var batch = rows.Skip(start).Take(batchSize).ToList();
            var vectors = embed([.. batch.Select(b => b.Memory)]);
            for (var i = 0; i < batch.Count; i++) InsertVector(c, tx, batch[i].Seq, batch[i].User, batch[i].Project, vectors[i]);
            progress?.Invoke(start + batch.Count, rows.Count);
        }
        // The keyword index is derived from the memories too: rebuild it in the same pass.
        Execute(c, tx, "insert into memories_fts(memories_fts) values ('rebuild')");
        SetMeta(c, tx, "embedding_model", model);
        SetMeta(c, tx, "embedding_dimension", dimension.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return rows.Count;
    });
}
