using System.Text.Json;
using LocalMemory.Core.Hosting;
using LocalMemory.Core.Inference;
using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Evaluation;

public sealed record ExtractionReport(
    int Conversations, int Expected, int Extracted, double Precision, double Recall, int Questions, double HitAt3,
    IReadOnlyList<string> FalsePositives, IReadOnlyList<string> Missed, IReadOnlyList<string> SearchMisses, IReadOnlyList<string> Facts);

/// <summary>Measures fact extraction on a labelled set (tests/.../extraction.json): precision and recall of facts,
/// and whether a question per expected fact finds it (hit@3) after every conversation is added with infer=true.</summary>
/// <remarks>An extracted fact matches an expected one when it contains every one of the expected fact's terms.</remarks>
public static class ExtractionEvaluation
{
    private sealed record Conversation(string Id, IReadOnlyList<Message> Messages, IReadOnlyList<string[]> Facts, IReadOnlyList<(string Q, int Fact)> Questions);

    public static async Task<ExtractionReport> RunAsync(string file, LocalMemoryOptions options, CancellationToken cancellationToken)
    {
        var conversations = Load(await File.ReadAllTextAsync(file, cancellationToken));
        int expected = 0, extracted = 0, truePositives = 0, found = 0;
        var falsePositives = new List<string>();
        var missed = new List<string>();
        var all = new List<string>();
        foreach (var c in conversations)
        {
            var facts = FactExtractor.Extract(c.Messages).Select(f => f.Text).ToList();
            all.AddRange(facts.Select(f => $"{c.Id}: {f}"));
            extracted += facts.Count;
            expected += c.Facts.Count;
            truePositives += facts.Count(f => c.Facts.Any(terms => Matches(f, terms)));
            falsePositives.AddRange(facts.Where(f => !c.Facts.Any(terms => Matches(f, terms))).Select(f => $"{c.Id}: {f}"));
            foreach (var terms in c.Facts)
            {
                if (facts.Any(f => Matches(f, terms))) found++;
                else missed.Add($"{c.Id}: [{string.Join(", ", terms)}]");
            }
        }

        using var service = MemoryService.Open(options);
        var context = new CallContext("eval", null);
        foreach (var c in conversations)
            await service.AddAsync(new AddRequest { Messages = c.Messages, Infer = true }, context, cancellationToken);
        var questions = 0;
        var hits = 0;
        var searchMisses = new List<string>();
        foreach (var c in conversations)
            foreach (var (q, fact) in c.Questions)
            {
                questions++;
                var results = await service.SearchAsync(new SearchRequest { Query = q, Limit = 3 }, context, cancellationToken);
                if (results.Any(r => Matches(r.Memory.Memory, c.Facts[fact]))) hits++;
                else searchMisses.Add($"{c.Id}: \"{q}\" -> {(results.Count > 0 ? results[0].Memory.Memory : "nothing")}");
            }

        return new ExtractionReport(conversations.Count, expected, extracted,
            Math.Round(extracted == 0 ? 1 : truePositives / (double)extracted, 3),
            Math.Round(expected == 0 ? 1 : found / (double)expected, 3),
            questions, Math.Round(questions == 0 ? 1 : hits / (double)questions, 3),
            falsePositives, missed, searchMisses, all);
    }

    public static bool IsExtractionSet(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.TryGetProperty("conversations", out _);
    }

    private static bool Matches(string fact, string[] terms) => terms.All(t => fact.Contains(t, StringComparison.OrdinalIgnoreCase));

    private static List<Conversation> Load(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return [.. doc.RootElement.GetProperty("conversations").EnumerateArray().Select(c => new Conversation(
            c.GetProperty("id").GetString()!,
            [.. c.GetProperty("messages").EnumerateArray().Select(m => new Message(m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!))],
            [.. c.GetProperty("facts").EnumerateArray().Select(f => f.GetProperty("terms").EnumerateArray().Select(t => t.GetString()!).ToArray())],
            [.. c.GetProperty("questions").EnumerateArray().Select(q => (q.GetProperty("q").GetString()!, q.GetProperty("fact").GetInt32()))]))];
    }
}
