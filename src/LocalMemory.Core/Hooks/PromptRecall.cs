using System.Text.RegularExpressions;
using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Hooks;

/// <summary>Memories for one prompt: a search for it, only results above a relevance floor and not shown earlier in
/// the session, within about 500 tokens. Acknowledgements and very short prompts get nothing, and no search.</summary>
/// <remarks>The floor is relative. An embedding model's similarities carry an offset that depends on the query:
/// with arctic-xs a prompt about code scores about 0.45–0.55 against memories it has nothing to do with, a chatty one
/// 0.40, so no fixed cut-off tells related from unrelated. What does is standing out: a result must beat the prompt's
/// <see cref="BaselineRank"/>th nearest memory (the bulk it is merely near) by <see cref="Margin"/>. In our trials on a
/// small project store, 11 of 13 memories that bore on a prompt cleared it (by 0.13–0.37; two weak ones by 0.08 and
/// 0.10), and no unrelated one did (the best reached 0.11). In a store too small to have a bulk, the session's start
/// has already shown everything.</remarks>
public static partial class PromptRecall
{
    public const int BudgetTokens = 500;

    /// <summary>How far a result's score (similarity plus keyword coverage) must rise above the baseline.</summary>
    public const double Margin = 0.12;

    private const int BaselineRank = 10;
    private const int MaxResults = 5;

    public static bool WorthSearching(string prompt)
    {
        var words = Words().Matches(prompt).Select(m => m.Value.ToLowerInvariant()).ToList();
        return !prompt.TrimStart().StartsWith('/') && words.Count >= 3 && !words.All(Acknowledgement.Contains);
    }

    public static async Task<HookContext> BuildAsync(MemoryService service, string prompt, CallContext context, IReadOnlySet<string> shown, CancellationToken cancellationToken)
    {
        if (!WorthSearching(prompt)) return new HookContext("", []);
        var query = prompt.Trim();
        if (query.Length > Constants.MaxQueryChars) query = query[..Constants.MaxQueryChars];
        var hits = await service.SearchAsync(new SearchRequest { Query = query, Limit = 2 * BaselineRank }, context, cancellationToken);
        if (hits.Count == 0) return new HookContext("", []);
        var baseline = hits.Select(h => h.Score).OrderDescending().ElementAt(Math.Min(hits.Count, BaselineRank) - 1);
        var budget = new ContextBudget(BudgetTokens);
        budget.TryAdd("localmem: stored memories that may bear on this prompt (ids for update_memory and delete_memory):");
        var added = new List<string>();
        foreach (var hit in hits.Where(h => h.Fused - baseline >= Margin && !shown.Contains(h.Memory.Id)).Take(MaxResults))
        {
            if (!budget.TryAdd(ContextBudget.Line(hit.Memory))) break;
            added.Add(hit.Memory.Id);
        }
        return added.Count == 0 ? new HookContext("", []) : new HookContext(budget.Text, added);
    }

    /// <summary>Words that, alone, make a prompt an acknowledgement ("ok, go ahead", "thanks!", "yes please do it").</summary>
    private static readonly HashSet<string> Acknowledgement =
    [
        "ok", "okay", "k", "yes", "yep", "yeah", "yup", "sure", "no", "nope", "thanks", "thank", "you", "thx", "ty", "great", "cool",
        "nice", "perfect", "awesome", "lgtm", "looks", "sounds", "good", "fine", "go", "ahead", "continue", "proceed", "carry", "on",
        "keep", "going", "do", "it", "that", "this", "please", "then", "next", "done", "got", "makes", "sense", "agreed", "right",
        "correct", "exactly", "alright", "all", "so", "much", "a", "lot", "again", "retry", "try", "now",
    ];

    [GeneratedRegex(@"[\p{L}\p{N}_'-]+")]
    private static partial Regex Words();
}
