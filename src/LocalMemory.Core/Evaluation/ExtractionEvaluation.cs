using LocalMemory.Core.Hosting;
using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Evaluation;

/// <summary>The figures of one run over a labelled set. Shares are rounded to three places.</summary>
public sealed record ExtractionReport
{
    public int Conversations { get; init; }
    public int Expected { get; init; }
    public int Found { get; init; }
    public double Recall { get; init; }
    /// <summary>Memories the calls added or updated.</summary>
    public int Stored { get; init; }
    public double Precision { get; init; }
    /// <summary>Of the found facts, the share whose memory carries the expected category.</summary>
    public double Category { get; init; }
    /// <summary>"expected->got" with how often, for found facts whose category differs.</summary>
    public IReadOnlyDictionary<string, int> Confusions { get; init; } = new Dictionary<string, int>();
    /// <summary>Stored memories that contain a must-not-store phrase, or were added from a conversation with no facts.</summary>
    public int Forbidden { get; init; }
    public double ForbiddenRate { get; init; }
    /// <summary>Stored memories that <see cref="FragmentJudge"/> finds are no fact on their own.</summary>
    public int Fragments { get; init; }
    public double FragmentRate { get; init; }
    public int Updates { get; init; }
    public int UpdatesApplied { get; init; }
    public double UpdateRate { get; init; }
    /// <summary>Updates done as a DELETE of the stored memory and an ADD of the new text: not applied, counted apart.</summary>
    public int UpdatesReplaced { get; init; }
    public int Questions { get; init; }
    public double HitAt3 { get; init; }
    /// <summary>What went wrong, one line each; null when only the figures are wanted.</summary>
    public ExtractionDetails? Details { get; init; }
}

public sealed record ExtractionDetails(
    IReadOnlyList<string> Extra, IReadOnlyList<string> Missed, IReadOnlyList<string> WrongCategory, IReadOnlyList<string> Forbidden,
    IReadOnlyList<string> Fragments, IReadOnlyList<string> Updates, IReadOnlyList<string> SearchMisses, IReadOnlyList<string> Stored);

/// <summary>Measures infer=true end to end on a labelled set, through the product: for each conversation in order, its
/// stored memories are added word for word, then the conversation with infer=true; after the last, every question is
/// asked. The scoring is the held-out set's (see its "about"): every term of an expected fact is required.</summary>
public static class ExtractionEvaluation
{
    public static async Task<ExtractionReport> RunAsync(string file, LocalMemoryOptions options, CancellationToken cancellationToken)
    {
        var conversations = ExtractionSet.Parse(await File.ReadAllTextAsync(file, cancellationToken));
        using var service = MemoryService.Open(options);
        var context = new CallContext("eval", null);
        var tally = new ExtractionTally();
        var produced = new List<List<MemoryRecord>>();
        foreach (var c in conversations)
        {
            var storedIds = new List<string>();
            foreach (var text in c.Stored)
                storedIds.Add((await service.AddAsync(new AddRequest { Text = text }, context, cancellationToken)).Results[0].Id);
            var result = await service.AddAsync(new AddRequest { Messages = c.Messages, Infer = true }, context, cancellationToken);
            var memories = new List<MemoryRecord>();
            foreach (var change in result.Results.Where(r => r.Event is ChangeKind.Add or ChangeKind.Update))
                if (await Current(service, change.Id, cancellationToken) is { } memory) memories.Add(memory);
            tally.Score(c, memories, result.Results.Where(r => r.Event == ChangeKind.Add).Select(r => r.Id).ToHashSet());
            foreach (var update in c.Updates)
                tally.ScoreUpdate(c, update, await Current(service, storedIds[update.Stored], cancellationToken),
                    await WasUpdated(service, storedIds[update.Stored], cancellationToken), memories);
            produced.Add(memories);
        }
        foreach (var c in conversations)
            foreach (var (q, fact) in c.Questions)
            {
                var results = await service.SearchAsync(new SearchRequest { Query = q, Limit = 3 }, context, cancellationToken);
                tally.ScoreQuestion(c, q, c.Facts[fact], [.. results.Select(r => r.Memory.Memory)]);
            }
        return tally.Report(conversations.Count);
    }

    private static async Task<MemoryRecord?> Current(MemoryService service, string id, CancellationToken cancellationToken)
    {
        try { return await service.GetAsync(id, null, cancellationToken); }
        catch (LocalMemoryException e) when (e.Kind == ErrorKind.NotFound) { return null; }
    }

    /// <summary>Was the stored memory's text changed by an UPDATE (its old text now in history)?</summary>
    private static async Task<bool> WasUpdated(MemoryService service, string id, CancellationToken cancellationToken) =>
        (await service.HistoryAsync(id, cancellationToken)).Any(h => h.Event == ChangeKind.Update);
}
