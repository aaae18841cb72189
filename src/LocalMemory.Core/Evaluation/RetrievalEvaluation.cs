using System.Text.Json;
using LocalMemory.Core.Hosting;
using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Evaluation;

public sealed record EvalScore(string Kind, int Queries, double HitAt1, double HitAt3, double Mrr);

public sealed record EvalMiss(string Query, string Kind, string Expected, int? Rank, string? Top);

public sealed record EvalReport(string Model, IReadOnlyList<EvalScore> Scores, IReadOnlyList<EvalMiss> Misses);

/// <summary>The retrieval check of shared/eval/recall-dev.json: store each fact verbatim for one user in a fresh
/// store, ask each query, and score where the expected fact ranks (hit@1, hit@3, MRR; overall and per kind).</summary>
public static class RetrievalEvaluation
{
    public static async Task<EvalReport> RunAsync(string file, LocalMemoryOptions options, CancellationToken cancellationToken)
    {
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(file, cancellationToken));
        var root = doc.RootElement;
        var user = root.TryGetProperty("user_id", out var u) ? u.GetString()! : "eval";
        var facts = root.GetProperty("facts").EnumerateArray().Select(f => (Id: f.GetProperty("id").GetString()!, Text: f.GetProperty("text").GetString()!)).ToList();
        var queries = root.GetProperty("queries").EnumerateArray()
            .Select(q => (Text: q.GetProperty("q").GetString()!, Id: q.GetProperty("id").GetString()!, Kind: q.TryGetProperty("kind", out var k) ? k.GetString()! : "all"))
            .ToList();

        using var service = MemoryService.Open(options with { UserId = user });
        var context = new CallContext("eval", null);
        var idByMemory = new Dictionary<string, string>();
        foreach (var fact in facts)
        {
            var added = await service.AddAsync(new AddRequest { Text = fact.Text, Global = true }, context, cancellationToken);
            idByMemory[added.Results[0].Id] = fact.Id;
        }

        var ranks = new List<(string Kind, int? Rank)>();
        var misses = new List<EvalMiss>();
        foreach (var query in queries)
        {
            var hits = await service.SearchAsync(new SearchRequest { Query = query.Text, Limit = 10 }, context, cancellationToken);
            var found = hits.Select((h, i) => (Fact: idByMemory.GetValueOrDefault(h.Memory.Id), Rank: i + 1)).FirstOrDefault(x => x.Fact == query.Id);
            int? rank = found.Fact is null ? null : found.Rank;
            ranks.Add((query.Kind, rank));
            if (rank != 1) misses.Add(new EvalMiss(query.Text, query.Kind, query.Id, rank, hits.Count > 0 ? idByMemory.GetValueOrDefault(hits[0].Memory.Id) : null));
        }

        var scores = new List<EvalScore> { Score("all", ranks) };
        scores.AddRange(ranks.Select(r => r.Kind).Distinct().Order().Select(kind => Score(kind, [.. ranks.Where(r => r.Kind == kind)])));
        return new EvalReport(options.Model, scores, misses);
    }

    private static EvalScore Score(string kind, List<(string Kind, int? Rank)> ranks) => new(
        kind,
        ranks.Count,
        Math.Round(ranks.Count(r => r.Rank == 1) / (double)ranks.Count, 3),
        Math.Round(ranks.Count(r => r.Rank <= 3) / (double)ranks.Count, 3),
        Math.Round(ranks.Sum(r => r.Rank is { } n ? 1.0 / n : 0) / ranks.Count, 3));
}
