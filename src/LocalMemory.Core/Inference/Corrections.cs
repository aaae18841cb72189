using System.Text.RegularExpressions;

namespace LocalMemory.Core.Inference;

/// <summary>Corrections that carry no "actually": "make it 30", "change it to 15", "PostHog then", and "A, not B".</summary>
internal static partial class Corrections
{
    /// <summary>Does the sentence correct a value said before, without a cue word?</summary>
    public static bool Starts(string text) => Redo().IsMatch(text) || Then().IsMatch(text);

    /// <summary>The value a correction settles on: "make it 30" → "30", "ok, PostHog then" → "PostHog".</summary>
    public static string? Value(string text) =>
        Redo().Match(text) is { Success: true } redo ? redo.Groups["value"].Value.TrimEnd('.', ',', '!')
        : Then().Match(text) is { Success: true } then ? then.Groups["value"].Value : null;

    /// <summary>"camelCase in JSON, not snake_case" puts the one new word in place of B in the sentence that said B.</summary>
    public static string? NotB(string correction, string before)
    {
        var m = NotThis().Match(correction);
        if (!m.Success || !Choices.Names(before, m.Groups["old"].Value)) return null;
        var beforeWords = Words.Content(before).ToHashSet();
        var added = Words.Content(m.Groups["new"].Value).Where(w => !beforeWords.Contains(w)).ToList();
        if (added.Count != 1) return null;
        var word = Regex.Match(m.Groups["new"].Value, $@"(?<![\w@./#+-]){Regex.Escape(added[0])}\w*", RegexOptions.IgnoreCase).Value;
        return word.Length == 0 ? null : Choices.Replace(before, m.Groups["old"].Value, word);
    }

    [GeneratedRegex(@"(?:^|, )(?:make (?:it|that)|(?:change|set|switch|bump|lower|raise|increase|reduce|drop) (?:it|that|this|them) to) (?<value>\S+(?: (?:minutes?|seconds?|hours?|days?|[KMGT]i?B|ms|s|%))?)", RegexOptions.IgnoreCase)]
    private static partial Regex Redo();

    /// <summary>"PostHog then": the speaker settles on a value after a discussion.</summary>
    [GeneratedRegex(@"^(?<value>(?:`[^`]+`|[\p{Lu}\d][\w@./#+-]*)(?: [\p{Lu}\d][\w@./#+-]*)?) then\b")]
    private static partial Regex Then();

    [GeneratedRegex(@"^(?<new>[^,]+?),? (?:not|instead of) (?<old>`[^`]+`|[\w@./#+-]+)[.!]?$", RegexOptions.IgnoreCase)]
    private static partial Regex NotThis();
}
