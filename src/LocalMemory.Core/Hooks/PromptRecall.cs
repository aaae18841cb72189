using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using LocalMemory.Core.Embeddings;
using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Hooks;

/// <summary>Memories for one prompt: a search for it, only results above a relevance floor and not shown earlier in
/// the session, within about 500 tokens. Acknowledgements and very short prompts get nothing, and no search.</summary>
/// <remarks>The floor is relative to the prompt. An embedding model's similarities carry an offset that depends on the
/// query: with arctic-xs a prompt about code scores 0.45–0.58 against memories it has nothing to do with, a chatty one
/// about 0.40, so no fixed cut-off tells related from unrelated. The prompt's offset is its mean similarity to
/// <see cref="Anchors"/>, short facts on unrelated subjects, and a result must beat it by <see cref="Margin"/>
/// (similarity plus the keyword part, as search weighs them; the time and neighbour parts order results but say
/// nothing of how related a memory is to the prompt). On a 15-memory project store and 18 prompts, the memories
/// that answered a prompt cleared the offset by 0.11–0.36, three weak matches by 0.086–0.096, and no unrelated memory
/// by more than 0.089. The anchors do not depend on the store, so a topic with many memories is not drowned out.</remarks>
public static partial class PromptRecall
{
    public const int BudgetTokens = 500;

    public const double Margin = 0.10;

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
        var hits = await service.SearchAsync(new SearchRequest { Query = query, Limit = 2 * MaxResults }, context, cancellationToken);
        if (hits.Count == 0) return new HookContext("", []);
        var model = await service.ModelAsync(cancellationToken);
        var offset = Dot(model.EmbedQuery(query), Centroid.GetValue(model, m => Mean(m.EmbedDocuments(Anchors)))); // the query's vector is cached by now
        var budget = new ContextBudget(BudgetTokens);
        budget.TryAdd("localmem: stored memories that may bear on this prompt (ids for update_memory and delete_memory):");
        var added = new List<string>();
        foreach (var hit in hits.Where(h => h.Score + Search.Fusion.KeywordWeight * h.Coverage - offset >= Margin && !shown.Contains(h.Memory.Id)).Take(MaxResults))
        {
            if (!budget.TryAdd(ContextBudget.Line(hit.Memory))) break;
            added.Add(hit.Memory.Id);
        }
        return added.Count == 0 ? new HookContext("", []) : new HookContext(budget.Text, added);
    }

    /// <summary>The mean of the anchors' vectors, once per loaded model: the mean of a query's similarities to the
    /// anchors is its dot product with this.</summary>
    private static readonly ConditionalWeakTable<IEmbedder, float[]> Centroid = [];

    private static float[] Mean(float[][] vectors)
    {
        var mean = new float[vectors[0].Length];
        foreach (var v in vectors) for (var i = 0; i < mean.Length; i++) mean[i] += v[i] / vectors.Length;
        return mean;
    }

    private static double Dot(float[] a, float[] b)
    {
        double dot = 0;
        for (var i = 0; i < a.Length; i++) dot += a[i] * b[i];
        return dot;
    }

    /// <summary>Facts of the kind memories hold, on subjects no prompt here is about (most on software, a few not).</summary>
    private static readonly string[] Anchors =
    [
        "The build runs on Gradle with the Kotlin DSL.", "Log files rotate every night at midnight.",
        "The mobile team ships a release every two weeks.", "Error messages are translated into German and French.",
        "The search index is rebuilt on Sundays.", "Images are resized to three widths before upload.",
        "The office printer is on the second floor.", "Support tickets are answered within one business day.",
        "The CLI prints tables unless --json is given.", "Old branches are deleted after a pull request merges.",
        "The marketing site is a static export.", "Background jobs retry three times with backoff.",
        "The design system uses an eight-pixel grid.", "Backups are encrypted and kept for thirty days.",
        "The data team meets on Thursdays.", "Passwords must be at least twelve characters long.",
        "The library follows semantic versioning.", "Cron jobs run in the UTC time zone.",
        "The public API is versioned in the URL path.", "Screenshots in the docs are updated each release.",
        "The garden is watered early in the morning.", "Trains to the airport leave every fifteen minutes.",
        "The recipe needs two cups of flour.", "The museum is closed on Mondays.",
    ];

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
