using System.Text.RegularExpressions;

namespace LocalMemory.Core.Inference;

/// <summary>A stored memory near a new fact, with its cosine similarity to the fact.</summary>
public sealed record Candidate(string Id, string Text, double Similarity);

/// <summary>What to do with one new fact.</summary>
public abstract record Decision
{
    public sealed record Add : Decision;
    /// <summary>Replace the memory's text (its old text stays in history).</summary>
    public sealed record Update(string Id, string OldText, string NewText) : Decision;
    public sealed record Delete(string Id, string OldText) : Decision;
    /// <summary>Already known.</summary>
    public sealed record None(string Id) : Decision;
}

/// <summary>Decides, without a model, whether a fact is new, changes or retracts a stored one, or is already known.</summary>
/// <remarks>
/// <list type="bullet">
/// <item>"moved from X to Y", "switched from X to Y", "replace X with Y", "use Y instead of X": the stored memory that
/// names X becomes UPDATE with X replaced by Y ("Postgres is the primary database" → "MySQL is the primary database").</item>
/// <item>"we no longer use X", "forget X", "stopped using X", "X is no longer ...": DELETE the near memory naming X.</item>
/// <item>The same words: NONE.</item>
/// <item>Close (similarity ≥ <see cref="Related"/>), and the only difference is one value for another (a number,
/// version or name): the value changed, UPDATE. Two or more differences mean another subject ("svc-1 on 9001" is
/// not a new value of "svc-0 on 9000").</item>
/// <item>Close, and one's words contain the other's: the longer, more detailed text wins (UPDATE, or NONE when the
/// stored one already says more). Nearly the same (≥ <see cref="Duplicate"/>): NONE.</item>
/// <item>Otherwise ADD.</item>
/// </list>
/// </remarks>
public static partial class Reconciler
{
    public const double Duplicate = 0.95;
    public const double Related = 0.82;

    public static Decision Decide(string fact, IReadOnlyList<Candidate> candidates)
    {
        if (Change().Match(fact) is { Success: true } change)
        {
            var from = change.Groups["from"].Value.Trim();
            var to = change.Groups["to"].Value.Trim();
            var target = candidates.Where(c => Names(c.Text, from) && !Names(c.Text, to)).MaxBy(c => c.Similarity);
            if (target is not null)
                return new Decision.Update(target.Id, target.Text, Regex.Replace(target.Text, $@"\b{Regex.Escape(from)}\b", to.Replace("$", "$$", StringComparison.Ordinal), RegexOptions.IgnoreCase));
        }
        if (Retraction().Match(fact) is { Success: true } retraction)
        {
            var what = retraction.Groups["what"].Value.Trim();
            var target = candidates.Where(c => Names(c.Text, what) && c.Similarity >= 0.5).MaxBy(c => c.Similarity);
            return target is not null ? new Decision.Delete(target.Id, target.Text) : new Decision.Add();
        }

        var best = candidates.MaxBy(c => c.Similarity);
        if (best is null) return new Decision.Add();
        var factWords = Words(fact);
        var bestWords = Words(best.Text);
        if (factWords.SetEquals(bestWords)) return new Decision.None(best.Id);
        if (best.Similarity < Related) return new Decision.Add();
        var added = Originals(fact).Where(w => !bestWords.Contains(w.ToLowerInvariant())).ToList();
        var removed = Originals(best.Text).Where(w => !factWords.Contains(w.ToLowerInvariant())).ToList();
        if (added.Count == 1 && removed.Count == 1 && IsValue(added[0]) && IsValue(removed[0]))
            return new Decision.Update(best.Id, best.Text, fact); // the same statement with another value
        if (bestWords.IsSubsetOf(factWords)) return new Decision.Update(best.Id, best.Text, fact);
        if (factWords.IsSubsetOf(bestWords)) return new Decision.None(best.Id);
        // Nearly the same wording is a duplicate, unless a value differs: "svc-2 on 9002" is not "svc-3 on 9003".
        if (best.Similarity >= Duplicate && !added.Concat(removed).Any(IsValue)) return new Decision.None(best.Id);
        return new Decision.Add();
    }

    private static bool Names(string text, string term) =>
        term.Length > 0 && Regex.IsMatch(text, $@"(?<![\w]){Regex.Escape(term)}(?![\w])", RegexOptions.IgnoreCase);

    /// <summary>Content words, lower-cased; identifiers and numbers kept whole.</summary>
    internal static HashSet<string> Words(string text) => [.. Originals(text).Select(w => w.ToLowerInvariant())];

    private static IEnumerable<string> Originals(string text) =>
        Word().Matches(text).Select(m => m.Value.TrimEnd('.')).Where(w => !Stop.Contains(w.ToLowerInvariant())).Distinct();

    private static bool IsValue(string word) => Value().IsMatch(word);

    private static readonly HashSet<string> Stop = ["a", "an", "the", "is", "are", "was", "we", "our", "to", "of", "in", "on", "for", "and", "with", "it", "this", "that", "be", "at", "as", "by", "now"];

    [GeneratedRegex(@"[\p{L}\p{N}_][\p{L}\p{N}_./#+-]*")]
    private static partial Regex Word();

    /// <summary>A value rather than a plain word: a number or version, an identifier, or a name with a capital.</summary>
    [GeneratedRegex(@"^(?:v?\d[\w.]*|.*[\d./_#+].*|\p{Lu}.*)$")]
    private static partial Regex Value();

    [GeneratedRegex(@"\b(?:(?:moved|switched|migrated|changed|went|move|switch|migrate|change|go)\s+(?:\w+\s+){0,3}?from\s+(?<from>[\w.#+/-]+(?:\s\d[\w.]*)?)\s+to\s+(?<to>[\w.#+/-]+(?:\s\d[\w.]*)?)|replac(?:e|ed|ing)\s+(?<from>[\w.#+/-]+)\s+(?:with|by)\s+(?<to>[\w.#+/-]+)|(?:use|using)\s+(?<to>[\w.#+/-]+)\s+instead\s+of\s+(?<from>[\w.#+/-]+)|instead\s+of\s+(?<from>[\w.#+/-]+),?\s+(?:we\s+)?use\s+(?<to>[\w.#+/-]+))", RegexOptions.IgnoreCase)]
    private static partial Regex Change();

    [GeneratedRegex(@"\b(?:(?:we |i )?no longer (?:use |need |have |do )?(?<what>[\w.#+/-]+)|forget (?:that |about )?(?:the )?(?<what>[\w.#+/-]+)|stop(?:ped)? using (?<what>[\w.#+/-]+)|(?:we |i )?(?:dropped|removed|retired) (?:the )?(?<what>[\w.#+/-]+)|(?:we )?(?:don't|do not) use (?<what>[\w.#+/-]+) any ?more|(?<what>[\w.#+/-]+) is no longer (?:used|true|needed|valid|the case))", RegexOptions.IgnoreCase)]
    private static partial Regex Retraction();
}
