using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Evaluation;

/// <summary>Counts for <see cref="ExtractionEvaluation"/>, conversation by conversation.</summary>
internal sealed class ExtractionTally
{
    private int _expected, _found, _stored, _matched, _rightCategory, _forbidden, _fragments;
    private int _updates, _applied, _replaced, _questions, _hits;
    private readonly Dictionary<string, int> _confusions = [];
    private readonly List<string> _extra = [], _missed = [], _wrongCategory = [], _forbiddenLines = [], _fragmentLines = [];
    private readonly List<string> _updateLines = [], _searchMisses = [], _storedLines = [];

    /// <summary>Scores the memories one call added or updated against its conversation's labels.</summary>
    public void Score(LabelledConversation c, IReadOnlyList<MemoryRecord> memories, IReadOnlySet<string> added)
    {
        _expected += c.Facts.Count;
        _stored += memories.Count;
        foreach (var m in memories)
        {
            _storedLines.Add($"{c.Id}: [{string.Join(",", m.Categories)}] {m.Memory}");
            if (c.Facts.Any(f => f.MatchedBy(m.Memory))) _matched++;
            else _extra.Add($"{c.Id}: {m.Memory}");
            var phrase = c.MustNotStore.FirstOrDefault(p => m.Memory.Contains(p, StringComparison.OrdinalIgnoreCase));
            if (phrase is not null || (c.Facts.Count == 0 && added.Contains(m.Id)))
            {
                _forbidden++;
                _forbiddenLines.Add($"{c.Id}: {m.Memory}{(phrase is null ? " (nothing to store here)" : $" (contains \"{phrase}\")")}");
            }
            if (FragmentJudge.IsFragment(m.Memory))
            {
                _fragments++;
                _fragmentLines.Add($"{c.Id}: {m.Memory}");
            }
        }
        foreach (var fact in c.Facts)
        {
            var match = memories.FirstOrDefault(m => fact.MatchedBy(m.Memory));
            if (match is null)
            {
                _missed.Add($"{c.Id}: [{string.Join(", ", fact.Terms)}]");
                continue;
            }
            _found++;
            if (match.Categories.Contains(fact.Category)) _rightCategory++;
            else
            {
                var key = $"{fact.Category}->{(match.Categories.Count > 0 ? string.Join("+", match.Categories) : "none")}";
                _confusions[key] = _confusions.GetValueOrDefault(key) + 1;
                _wrongCategory.Add($"{c.Id}: {key}: {match.Memory}");
            }
        }
    }

    public void ScoreUpdate(LabelledConversation c, ExpectedUpdate update, MemoryRecord? current, bool wasUpdated, IReadOnlyList<MemoryRecord> memories)
    {
        _updates++;
        bool applied;
        if (update.Now.Count == 0) applied = current is null;
        else
        {
            applied = current is not null && wasUpdated
                && update.Now.All(t => current.Memory.Contains(t, StringComparison.OrdinalIgnoreCase))
                && !update.Not.Any(t => current.Memory.Contains(t, StringComparison.OrdinalIgnoreCase));
            if (current is null && memories.Any(m => update.Now.All(t => m.Memory.Contains(t, StringComparison.OrdinalIgnoreCase)))) _replaced++;
        }
        if (applied) _applied++;
        else _updateLines.Add($"{c.Id}: \"{c.Stored[update.Stored]}\" is now {(current is null ? "deleted" : $"\"{current.Memory}\"")}; expected {(update.Now.Count == 0 ? "deleted" : $"[{string.Join(", ", update.Now)}] without [{string.Join(", ", update.Not)}]")}");
    }

    public void ScoreQuestion(LabelledConversation c, string question, ExpectedFact fact, IReadOnlyList<string> top3)
    {
        _questions++;
        if (top3.Any(fact.MatchedBy)) _hits++;
        else _searchMisses.Add($"{c.Id}: \"{question}\" -> {(top3.Count > 0 ? top3[0] : "nothing")}");
    }

    public ExtractionReport Report(int conversations) => new()
    {
        Conversations = conversations,
        Expected = _expected,
        Found = _found,
        Recall = Share(_found, _expected),
        Stored = _stored,
        Precision = Share(_matched, _stored),
        Category = Share(_rightCategory, _found),
        Confusions = _confusions,
        Forbidden = _forbidden,
        ForbiddenRate = Share(_forbidden, _stored, empty: 0),
        Fragments = _fragments,
        FragmentRate = Share(_fragments, _stored, empty: 0),
        Updates = _updates,
        UpdatesApplied = _applied,
        UpdateRate = Share(_applied, _updates),
        UpdatesReplaced = _replaced,
        Questions = _questions,
        HitAt3 = Share(_hits, _questions),
        Details = new ExtractionDetails(_extra, _missed, _wrongCategory, _forbiddenLines, _fragmentLines, _updateLines, _searchMisses, _storedLines),
    };

    internal static double Share(int part, int whole, double empty = 1) => whole == 0 ? empty : Math.Round(part / (double)whole, 3);
}
