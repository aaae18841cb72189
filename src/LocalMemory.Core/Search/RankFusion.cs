namespace LocalMemory.Core.Search;

/// <summary>Reciprocal-rank fusion: each list gives a candidate <c>weight / (k + rank)</c>; the sums order the results.</summary>
public static class RankFusion
{
    public sealed record Fused(long Key, double Score, int? VectorRank, int? KeywordRank);

    public static IReadOnlyList<Fused> Fuse(IReadOnlyList<long> vector, IReadOnlyList<long> keyword, double vectorWeight = 1.0, double keywordWeight = 1.0, int k = Constants.RrfK)
    {
        var ranks = new Dictionary<long, (int? Vector, int? Keyword)>();
        for (var i = 0; i < vector.Count; i++) ranks[vector[i]] = (i + 1, null);
        for (var i = 0; i < keyword.Count; i++)
            ranks[keyword[i]] = ranks.TryGetValue(keyword[i], out var r) ? (r.Vector, i + 1) : (null, i + 1);
        return [.. ranks
            .Select(p => new Fused(
                p.Key,
                (p.Value.Vector is { } v ? vectorWeight / (k + v) : 0) + (p.Value.Keyword is { } w ? keywordWeight / (k + w) : 0),
                p.Value.Vector,
                p.Value.Keyword))
            .OrderByDescending(f => f.Score)
            .ThenBy(f => f.VectorRank ?? int.MaxValue)];
    }
}
