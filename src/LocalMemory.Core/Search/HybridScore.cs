namespace LocalMemory.Core.Search;

/// <summary>How search orders candidates: cosine similarity plus a bonus for the share of the query's words a memory has.</summary>
/// <remarks>
/// <c>fused = similarity + KeywordWeight * coverage</c>, where coverage is the IDF-weighted fraction of query words
/// (or their synonyms) found in the memory: 1 when it has all of them, more for rare words than common ones.
/// A convex combination of scores ranks better than rank-only fusion when one channel's scores are informative
/// (Bruch et al., "An Analysis of Fusion Functions for Hybrid Retrieval", 2023): a single common word matched by a
/// weak candidate no longer outranks the nearest memory, while an exact identifier, version or PR number still lifts
/// its memory to the top.
/// </remarks>
public static class HybridScore
{
    public const double KeywordWeight = 0.15;

    /// <summary>Inverse document frequency (BM25's form): rare words weigh more.</summary>
    public static double Idf(long documents, long matching) =>
        Math.Log(1 + (Math.Max(documents, matching) - matching + 0.5) / (matching + 0.5));

    public static double Coverage(IReadOnlyList<double> termIdf, IReadOnlyList<bool> termMatched)
    {
        var total = termIdf.Sum();
        return total <= 0 ? 0 : termIdf.Where((_, i) => termMatched[i]).Sum() / total;
    }

    public static double Fuse(double similarity, double coverage) => similarity + KeywordWeight * coverage;
}
