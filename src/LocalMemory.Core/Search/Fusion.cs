using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Search;

/// <summary>How search orders its candidates: one score per memory, the sum of named parts (search --explain shows them).</summary>
/// <remarks>
/// Weights were chosen on the LoCoMo dev conversations and recall-dev.json; the README's retrieval section has the
/// table of every lever tried, kept or not.
/// - similarity: cosine similarity of the memory to the query.
/// - keyword: FTS5's bm25() for the query's words, relative to the best match among the candidates, times the share
///   of the query's words that the store holds at all (<see cref="CandidateSet.KnownWords"/>).
/// - speaker: a memory written as "Name: ..." (a turn of a conversation) whose speaker the query names. The words a
///   question asks about a person are usually in that person's own turns; BM25 gives a name that recurs in half the
///   memories almost no weight.
/// - context: the best score of the memory's neighbours (stored next to it by the same add call: the turns around it).
///   An answer often scores low on its own ("Yes, twice last year") and high through the turn that asked.
/// - time: where the query names a time ("in May 2024", "last week", "originally", "now"), memories that held then.
/// </remarks>
public static class Fusion
{
    public const double KeywordWeight = 0.1;
    public const double SpeakerWeight = 0.2;
    public const double ContextWeight = 0.5;
    public const double TimeWeight = 0.1;

    public static IReadOnlyList<SearchHit> Rank(CandidateSet set, float[] vector, string query, int limit, double? threshold, DateTimeOffset now)
    {
        var candidates = set.Candidates;
        if (candidates.Count == 0) return [];
        var names = Speakers.NamesIn(query);
        var time = TimeQuery.Parse(query, now).Scorer(candidates);
        var maxBm25 = candidates.Max(c => c.Bm25);
        var parts = candidates.ToDictionary(c => c.Key, c => new Parts(
            Similarity: Dot(vector, c.Vector),
            Keyword: maxBm25 <= 0 ? 0 : set.KnownWords * c.Bm25 / maxBm25,
            Speaker: Speakers.IsSpokenByOneOf(c.Record.Memory, names) ? 1 : 0,
            Time: time(c.Record)));
        var byKey = candidates.ToDictionary(c => c.Key);
        double Context(Candidate c) => new[] { c.Key - 1, c.Key + 1 }
            .Where(k => byKey.TryGetValue(k, out var n) && IsNeighbour(n.Record, c.Record))
            .Select(k => parts[k].Own)
            .DefaultIfEmpty(0)
            .Max();
        return [.. candidates
            .Select(c => (Candidate: c, Parts: parts[c.Key], Context: Context(c)))
            .Where(x => threshold is null || x.Parts.Similarity >= threshold)
            .Select(x => (x.Candidate, x.Parts, x.Context, Score: x.Parts.Own + ContextWeight * x.Context))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Candidate.VectorRank ?? int.MaxValue)
            .Take(limit)
            .Select(x => new SearchHit
            {
                Memory = x.Candidate.Record,
                Score = Math.Round(x.Parts.Similarity, 4),
                VectorRank = x.Candidate.VectorRank,
                KeywordRank = x.Candidate.KeywordRank,
                Coverage = Math.Round(x.Parts.Keyword, 3),
                Speaker = x.Parts.Speaker > 0,
                Context = Math.Round(x.Context, 4),
                Time = Math.Round(x.Parts.Time, 3),
                Fused = Math.Round(x.Score, 4),
            })];
    }

    /// <summary>Rows next to each other that one add call stored word for word: turns of one conversation. Facts
    /// extracted from one conversation are not: each was written to stand on its own.</summary>
    public static bool IsNeighbour(MemoryRecord a, MemoryRecord b) =>
        a.CreatedAt == b.CreatedAt && a.UserId == b.UserId && IsVerbatim(a) && IsVerbatim(b);

    private static bool IsVerbatim(MemoryRecord m) => m.Source["type"]?.GetValue<string>() == "verbatim";

    private sealed record Parts(double Similarity, double Keyword, double Speaker, double Time)
    {
        public double Own => Similarity + KeywordWeight * Keyword + SpeakerWeight * Speaker + TimeWeight * Time;
    }

    private static double Dot(float[] a, float[] b)
    {
        double s = 0;
        for (var i = 0; i < a.Length; i++) s += (double)a[i] * b[i];
        return s;
    }
}
