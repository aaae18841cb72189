using System.Runtime.InteropServices;
using LocalMemory.Core.Memories;
using LocalMemory.Core.Search;
using Microsoft.Data.Sqlite;

namespace LocalMemory.Core.Storage;

public sealed partial class MemoryStore
{
    /// <summary>The nearest memories to a vector, nearest first: row keys with their cosine distance.</summary>
    /// <remarks>
    /// When only the user and the project visibility restrict the rows, sqlite-vec's KNN scan applies them itself
    /// (user_id is the partition key, project a metadata column). Expired memories are still in the vector index, so
    /// the scan asks for as many more candidates as there are expired memories in scope (counted on an index of
    /// expiring memories), and the row fetch drops them: expired rows never take a live memory's place. With any other
    /// filter, or too many expired rows, the candidates are ranked exactly over the filtered rows instead, so a narrow
    /// filter never starves the results.
    /// </remarks>
    public IReadOnlyList<(long Key, double Distance)> NearestVectors(MemoryQuery query, float[] vector, int k)
    {
        var blob = Blob(vector);
        var where = Where(query);
        if (where.OnlyScope && !query.IncludeExpired) k += (int)Math.Min(int.MaxValue / 2, Read(c => ExpiredInScope(c, query)));
        if (!where.OnlyScope || k > MaxKnn) return Read(c => NearestExact(c, where, blob, Math.Min(k, MaxKnn)));
        // One KNN scan per shard, each on its own connection and core; the k nearest of their union are the k nearest.
        var others = Enumerable.Range(1, Constants.VectorShards - 1).Select(shard => Task.Run(() => Read(c => NearestInShard(c, query, blob, k, shard)))).ToList();
        var nearest = Read(c => NearestInShard(c, query, blob, k, 0));
        foreach (var other in others) nearest.AddRange(other.GetAwaiter().GetResult());
        return [.. nearest.OrderBy(n => n.Distance).ThenBy(n => n.Key).Take(k)];
    }

    /// <summary>sqlite-vec's limit for k.</summary>
    private const int MaxKnn = 4096;

    private static long ExpiredInScope(SqliteConnection c, MemoryQuery query)
    {
        var project = query.AllProjects ? "" : query.Project is null ? "and project is null" : "and (project is null or project = @project)";
        using var command = Command(c, null,
            $"select count(*) from memories where user_id = @user and expiration_date is not null and expiration_date <= @now {project}",
            ("@user", query.UserId), ("@now", Json.Timestamp(DateTimeOffset.UtcNow)), ("@project", query.Project));
        return (long)command.ExecuteScalar()!;
    }

    private static List<(long Key, double Distance)> NearestInShard(SqliteConnection c, MemoryQuery query, byte[] blob, int k, int shard)
    {
        var project = query.AllProjects ? "" : query.Project is null ? "and project = ''" : "and project in ('', @project)";
        using var command = Command(c, null,
            $"select rowid, distance from memories_vec where embedding match @q and k = @k and user_id = @user and shard = @shard {project} order by distance",
            ("@q", blob), ("@k", k), ("@user", query.UserId), ("@shard", shard));
        if (query.Project is not null && !query.AllProjects) command.Parameters.AddWithValue("@project", query.Project);
        return ReadDistances(command);
    }

    private static List<(long Key, double Distance)> NearestExact(SqliteConnection c, SqlWhere where, byte[] blob, int k)
    {
        using var command = Command(c, null,
            $"select m.seq, vec_distance_cosine(v.embedding, @q) as distance from memories m join memories_vec v on v.rowid = m.seq where {where.Sql} order by distance limit @k",
            ("@q", blob), ("@k", k));
        where.Bind(command);
        return ReadDistances(command);
    }

    private static List<(long Key, double Distance)> ReadDistances(SqliteCommand command)
    {
        using var r = command.ExecuteReader();
        var rows = new List<(long, double)>();
        while (r.Read()) rows.Add((r.GetInt64(0), r.GetDouble(1)));
        return rows;
    }

    /// <summary>The memories behind row keys that the query still admits, each with its cosine distance to the vector
    /// (taken from <paramref name="nearest"/> where the KNN scan has it, else looked up).</summary>
    public IReadOnlyDictionary<long, (MemoryRecord Record, double Distance)> Fetch(
        MemoryQuery query, IEnumerable<long> keys, float[] vector, IReadOnlyList<(long Key, double Distance)> nearest) => Read(c =>
    {
        var known = nearest.ToDictionary(n => n.Key, n => n.Distance);
        var where = Where(query);
        // The keys drive the loop (cross join: otherwise the planner may walk the user's index past every memory).
        // Each missing distance is a point lookup by rowid (a subquery; as a join, the planner scans every vector).
        // Each costs a walk through a vector chunk, so the ones the KNN scan returned are not looked up again.
        using var command = Command(c, null, $"""
            select {Columns}, case when m.seq in (select value from json_each(@known)) then 0
                else (select vec_distance_cosine(v.embedding, @q) from memories_vec v where v.rowid = m.seq) end
            from json_each(@keys) k cross join memories m on m.seq = k.value where {where.Sql}
            """,
            ("@q", Blob(vector)), ("@keys", Json.Serialize(keys.ToArray())), ("@known", Json.Serialize(known.Keys.ToArray())));
        where.Bind(command);
        using var r = command.ExecuteReader();
        var rows = new Dictionary<long, (MemoryRecord, double)>();
        while (r.Read())
        {
            var key = r.GetInt64(0);
            if (known.TryGetValue(key, out var distance)) rows[key] = (ReadMemory(r, 1), distance);
            else if (!r.IsDBNull(AfterColumns)) rows[key] = (ReadMemory(r, 1), r.GetDouble(AfterColumns)); // no vector: unsearchable until doctor --repair
        }
        return rows;
    });

    /// <summary>Counting stops here: a word in more memories than this carries almost no weight, and counting every
    /// match of a common word would make each search cost grow with the store.</summary>
    public const int DocumentFrequencyCap = 2_000;

    /// <summary>Everything search ranks with, in one read: the <paramref name="k"/> nearest memories, the
    /// <paramref name="k"/> best BM25 matches of the query's words, the neighbours of both, each with its vector and
    /// BM25 score.</summary>
    /// <remarks>Words found in <see cref="DocumentFrequencyCap"/> memories or more, or in half of them, are stopwords
    /// for this store: they would cost a scan of most of it and weigh almost nothing.</remarks>
    public CandidateSet Candidates(MemoryQuery query, float[] vector, KeywordQuery? keywords, int k)
    {
        var nearest = NearestVectors(query, vector, k);
        return Read(c =>
        {
            var where = Where(query);
            var (terms, knownWords) = keywords is null ? ([], 1) : KeywordTerms(c, keywords);
            var fts = string.Join(" OR ", terms.Select(t => $"({t})"));
            var matches = new List<long>();
            if (terms.Count > 0)
            {
                using var command = Command(c, null,
                    $"select m.seq from memories_fts join memories m on m.seq = memories_fts.rowid where memories_fts match @fts and {where.Sql} order by memories_fts.rank limit @k",
                    ("@fts", fts), ("@k", k));
                where.Bind(command);
                matches = ReadKeys(command);
            }
            var found = nearest.Select(n => n.Key).Union(matches).ToList();
            var rows = Rows(c, where, found.SelectMany(key => new[] { key - 1, key, key + 1 }).Distinct());
            var keys = found.Where(rows.ContainsKey).ToHashSet();
            foreach (var key in keys.ToList())
                foreach (var next in new[] { key - 1, key + 1 })
                    if (rows.TryGetValue(next, out var n) && Fusion.IsNeighbour(n.Record, rows[key].Record)) keys.Add(next);
            var bm25 = terms.Count == 0 ? [] : Bm25(c, fts, keys);
            var vectorRank = nearest.Select((n, i) => (n.Key, i + 1)).ToDictionary();
            var keywordRank = matches.Select((key, i) => (key, i + 1)).ToDictionary();
            return new CandidateSet([.. keys.Select(key => new Candidate(key, rows[key].Record, rows[key].Vector,
                vectorRank.TryGetValue(key, out var v) ? v : null, keywordRank.TryGetValue(key, out var w) ? w : null,
                bm25.GetValueOrDefault(key)))], knownWords);
        });
    }

    /// <summary>The query's words that some memory holds and that are not stopwords for this store, and their share
    /// of the query's words that are not (<see cref="CandidateSet.KnownWords"/>).</summary>
    private static (List<string> Terms, double KnownWords) KeywordTerms(SqliteConnection c, KeywordQuery keywords)
    {
        // FTS5 gives a word in half the memories or more no weight at all (its idf is floored near zero), so a
        // small store leaves it out too, rather than rank every memory that has it.
        var cap = Math.Min(DocumentFrequencyCap, (Scalar<long>(c, null,
            "select count(*) from (select 1 from memories_fts_docsize limit @limit)", ("@limit", 2 * DocumentFrequencyCap)) + 1) / 2);
        var terms = new List<string>();
        var counted = 0;
        foreach (var term in keywords.Terms.Select((_, i) => keywords.Term(i)))
        {
            var frequency = Scalar<long>(c, null, "select count(*) from (select 1 from memories_fts where memories_fts match @fts limit @cap)", ("@fts", term), ("@cap", cap));
            if (frequency >= cap) continue;
            counted++;
            if (frequency > 0) terms.Add(term);
        }
        return (terms, counted == 0 ? 1 : terms.Count / (double)counted);
    }

    /// <summary>The memories behind row keys that the query admits, with their vectors.</summary>
    private static Dictionary<long, (MemoryRecord Record, float[] Vector)> Rows(SqliteConnection c, SqlWhere where, IEnumerable<long> keys)
    {
        // The keys drive the loop (cross join: otherwise the planner may walk the user's index past every memory).
        // Each vector is a point lookup by rowid (a subquery; as a join, the planner scans every vector).
        using var command = Command(c, null, $"""
            select {Columns}, (select v.embedding from memories_vec v where v.rowid = m.seq)
            from json_each(@keys) k cross join memories m on m.seq = k.value where {where.Sql}
            """, ("@keys", Json.Serialize(keys.ToArray())));
        where.Bind(command);
        using var r = command.ExecuteReader();
        var rows = new Dictionary<long, (MemoryRecord, float[])>();
        while (r.Read())
            if (!r.IsDBNull(AfterColumns)) // no vector: unsearchable until doctor --repair
                rows[r.GetInt64(0)] = (ReadMemory(r, 1), MemoryMarshal.Cast<byte, float>((byte[])r.GetValue(AfterColumns)).ToArray());
        return rows;
    }

    /// <summary>FTS5's bm25() of the candidates that match, as positive numbers (FTS5 ranks better ones lower).</summary>
    private static Dictionary<long, double> Bm25(SqliteConnection c, string fts, IEnumerable<long> keys)
    {
        using var command = Command(c, null, "select rowid, -bm25(memories_fts) from memories_fts where memories_fts match @fts and rowid in (select value from json_each(@keys))",
            ("@fts", fts), ("@keys", Json.Serialize(keys.ToArray())));
        using var r = command.ExecuteReader();
        var scores = new Dictionary<long, double>();
        while (r.Read()) scores[r.GetInt64(0)] = r.GetDouble(1);
        return scores;
    }

    private static List<long> ReadKeys(Microsoft.Data.Sqlite.SqliteCommand command)
    {
        using var r = command.ExecuteReader();
        var keys = new List<long>();
        while (r.Read()) keys.Add(r.GetInt64(0));
        return keys;
    }
}
