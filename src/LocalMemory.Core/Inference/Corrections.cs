using System.Text.RegularExpressions;

namespace LocalMemory.Core.Inference;

/// <summary>Corrections that carry no "actually": "make it 64", "change it to 7", "Caddy then", and "A, not B".</summary>
internal static partial class Corrections
{
    /// <summary>Does the sentence correct a value said before, without a cue word?</summary>
    public static bool Starts(string text) => Redo().IsMatch(text) || Then().IsMatch(text) || TooMuch().IsMatch(text) || ValueActually().IsMatch(text);

    /// <summary>The value a correction settles on: "make it 64" → "64", "ok, Caddy then" → "Caddy".</summary>
    public static string? Value(string text) =>
        Redo().Match(text) is { Success: true } redo ? redo.Groups["value"].Value.TrimEnd('.', ',', '!')
        : Then().Match(text) is { Success: true } then ? then.Groups["value"].Value
        : TooMuch().Match(text) is { Success: true } too ? too.Groups["value"].Value
        : ValueActually().Match(text) is { Success: true } actually ? actually.Groups["value"].Value
        : FinalUse().Match(text) is { Success: true } use ? use.Groups["value"].Value : null;

    /// <summary>"Cap the payload at 2 MB" corrected to "512 KB": the amount with its unit is what changes.</summary>
    public static string? OldAmount(string before, string value)
    {
        if (!Amount().IsMatch(value)) return null;
        var amounts = Amount().Matches(before);
        return amounts.Count == 1 ? amounts[0].Value : null;
    }

    /// <summary>"6 actually, the batch grew": a value, then the word that takes back the one before.</summary>
    [GeneratedRegex(@"^(?<value>[\w.$%/-]+(?: (?:ms|s|min|minutes?|hours?|days?|[KMGT]i?B|%|replicas?|workers?|nodes?))?),? actually\b", RegexOptions.IgnoreCase)]
    private static partial Regex ValueActually();

    [GeneratedRegex(@"^too (?:long|short|high|low|much|little|big|small|many|few|slow|fast|strict|loose),?\s+(?<value>[^,.!]+)", RegexOptions.IgnoreCase)]
    private static partial Regex TooMuch();

    /// <summary>"..., use Caddy": the choice a correction ends on.</summary>
    [GeneratedRegex(@"[,;]\s+(?:just\s+)?(?:use|go with|pick) (?:the )?(?<value>`[^`]+`|[\w@./#+-]+(?: [\p{Lu}\d][\w@./#+-]*)*)[.!]?$", RegexOptions.IgnoreCase)]
    private static partial Regex FinalUse();

    [GeneratedRegex(@"(?<![\w.])\d+(?:\.\d+)?\s?(?:ms|s|sec|secs|seconds?|min|mins|minutes?|h|hrs?|hours?|days?|weeks?|months?|[KMGT]i?B|%)(?!\w)", RegexOptions.IgnoreCase)]
    private static partial Regex Amount();

    /// <summary>"kebab-case in URLs, not snake_case" puts the one new word in place of B in the sentence that said B.</summary>
    public static string? NotB(string correction, string before)
    {
        var m = NotThis().Match(correction);
        var old = m.Groups["old"].Value.TrimEnd('.');
        if (!m.Success || !Choices.Names(before, old)) return null;
        var beforeWords = Words.Content(before).ToHashSet();
        var added = Words.Content(m.Groups["new"].Value).Where(w => !beforeWords.Contains(w)).ToList();
        if (added.Count != 1) return null;
        var word = Regex.Match(m.Groups["new"].Value, $@"(?<![\w@./#+-]){Regex.Escape(added[0])}\w*", RegexOptions.IgnoreCase).Value;
        return word.Length == 0 ? null : Choices.Replace(before, old, word);
    }

    [GeneratedRegex(@"(?:^|, )(?:make (?:it|that)|(?:change|set|switch|bump|lower|raise|increase|reduce|drop) (?:it|that|this|them) to) (?<value>\S+(?: (?:minutes?|seconds?|hours?|days?|[KMGT]i?B|ms|s|%))?)", RegexOptions.IgnoreCase)]
    private static partial Regex Redo();

    /// <summary>"Caddy then": the speaker settles on a value after a discussion.</summary>
    [GeneratedRegex(@"^(?<value>(?:`[^`]+`|[\p{Lu}\d][\w@./#+-]*)(?: [\p{Lu}\d][\w@./#+-]*)?) then\b")]
    private static partial Regex Then();

    [GeneratedRegex(@"^(?<new>[^,]+?),? (?:not|instead of) (?<old>`[^`]+`|[\w@./#+-]+)[.!]?$", RegexOptions.IgnoreCase)]
    private static partial Regex NotThis();
}
