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
/// <item>A change of value ("moved from X to Y", "replaced X with Y", "Y replaced X", "X is gone, we use Y", "use Y
/// instead of X"): the near memory that names X gets Y in its place, so it keeps what it said the value was for.</item>
/// <item>A change to a value whose predecessor is not named ("we're back on A", "reverted to A"): the nearest memory
/// about the same thing gets A in place of its value (the one the fact also names, else its only one).</item>
/// <item>A new version ("upgrade X to N", "X is now on N"): the near memory naming X gets N in place of its version.</item>
/// <item>"We no longer use X", "X is gone", "stopped using X": DELETE the near memory naming X.</item>
/// <item>The same words: NONE. Close (similarity ≥ <see cref="Related"/>) and one value differs: UPDATE. Close, and
/// one's words contain the other's: the longer one wins (UPDATE, or NONE). Nearly the same (≥ <see cref="Duplicate"/>)
/// with no value differing: NONE. Otherwise ADD.</item>
/// </list>
/// </remarks>
public static partial class Reconciler
{
    public const double Duplicate = 0.95;
    public const double Related = 0.82;
    /// <summary>How near a memory must be for a change that names its old value to touch it.</summary>
    public const double Named = 0.3;
    /// <summary>How near for a change that names only the new value ("back on A").</summary>
    public const double Unnamed = 0.6;

    public static Decision Decide(string fact, IReadOnlyList<Candidate> candidates)
    {
        if (Changed(fact, candidates) is { } decision) return decision;

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

    private static Decision? Changed(string fact, IReadOnlyList<Candidate> candidates)
    {
        switch (Change.In(fact))
        {
            case Change.Replaced(var from, var to, _) when from is not null:
            {
                var target = candidates.Where(c => c.Similarity >= Named && Choices.Names(c.Text, from) && !Choices.Names(c.Text, to)).MaxBy(c => c.Similarity);
                return target is null ? null : new Decision.Update(target.Id, target.Text, Choices.Replace(target.Text, from, to));
            }
            case Change.Replaced(_, var to, var loose):
            {
                // A memory with a value the fact also names ("back on A, B broke ...") before the nearest one
                var named = candidates.Where(c => c.Similarity >= Named && !Choices.Names(c.Text, to))
                    .Select(c => (c, Old: Olds(c.Text, OpeningName().IsMatch(to + " x")).FirstOrDefault(v => Choices.Names(fact, v)))).Where(n => n.Old is not null).OrderByDescending(n => n.c.Similarity).FirstOrDefault();
                if (named.Old is not null) return new Decision.Update(named.c.Id, named.c.Text, Choices.Replace(named.c.Text, named.Old, to));
                foreach (var c in candidates.Where(c => c.Similarity >= Unnamed && !Choices.Names(c.Text, to)).OrderByDescending(c => c.Similarity))
                {
                    if (loose && !SameSubject(c.Text, fact, 1)) continue;
                    // "Builds are back to every push": no value to put in, so the fact replaces a memory about the same subject
                    if (!IsValue(to)) { if (SameSubject(c.Text, fact, 2)) return new Decision.Update(c.Id, c.Text, fact); continue; }
                    var values = Choices.Values(c.Text);
                    var old = values.FirstOrDefault(v => Choices.Names(fact, v)) ?? (values.Count == 1 ? values[0] : Choices.Chosen(c.Text));
                    if (old is not null) return new Decision.Update(c.Id, c.Text, Choices.Replace(c.Text, old, to));
                }
                return null;
            }
            case Change.Version(var what, var to):
            {
                var target = candidates.Where(c => c.Similarity >= Named && Choices.Names(c.Text, what) && Choices.Versions(c.Text).Any(v => v != to)).MaxBy(c => c.Similarity);
                if (target is null) return null;
                var versions = Choices.Versions(target.Text);
                var at = target.Text.IndexOf(what, StringComparison.OrdinalIgnoreCase);
                var old = versions.FirstOrDefault(v => target.Text.IndexOf(v, at, StringComparison.Ordinal) > at) ?? versions[0];
                return new Decision.Update(target.Id, target.Text, Choices.Replace(target.Text, old, to));
            }
            case Change.Dropped(var what):
            {
                var target = candidates.Where(c => c.Similarity >= 0.5 && Choices.Names(c.Text, what)).MaxBy(c => c.Similarity);
                return target is null ? new Decision.Add() : new Decision.Delete(target.Id, target.Text);
            }
            default:
                return null;
        }
    }

    /// <summary>Does the fact name the memory's subject, its first content words?</summary>
    private static bool SameSubject(string memory, string fact, int words)
    {
        var subject = Inference.Words.Content(memory).Take(words).ToList();
        var said = Inference.Words.Content(fact).ToHashSet();
        return subject.Count == words && subject.All(said.Contains);
    }

    /// <summary>The values a memory could have had replaced: its names and versions, and what it says to use.</summary>
    private static IEnumerable<string> Olds(string text, bool person)
    {
        var olds = Choices.Chosen(text) is { } chosen ? Choices.Values(text).Append(chosen) : Choices.Values(text);
        return person && OpeningName().Match(text) is { Success: true } name ? olds.Prepend(name.Value) : olds; // "Lea owns X": Lea is a value when a person takes over
    }

    [GeneratedRegex(@"^(?!(?:The|A|An|This|That|These|Those|It|Its|We|Our|They|There|Use|Run|Keep|Ask|Always|Never|Do|Don't|All|Every|Each|No|Only|If|When|Internal|Nightly|Unit|Builds?|Logs?|Emails?|Secrets?|Deploys?)\b)\p{Lu}\p{Ll}+(?= \p{Ll})")]
    private static partial Regex OpeningName();

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
}
