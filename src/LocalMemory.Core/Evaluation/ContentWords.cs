using System.Text.RegularExpressions;

namespace LocalMemory.Core.Evaluation;

/// <summary>The words of a text that carry its content, for the evaluations' judges: lower-cased, function words
/// left out, and crudely stemmed so that "paints", "painted" and "painting" count as one word.</summary>
/// <remarks>Deliberately independent of the extractor's own word lists, so that a judge does not agree with the
/// extractor merely because they share them.</remarks>
public static partial class ContentWords
{
    public static IReadOnlyList<string> Of(string text) =>
        [.. Word().Matches(text).Select(m => m.Value.ToLowerInvariant().TrimEnd('.', '\'', '-')).Where(w => w.Length > 0 && !Function.Contains(w)).Select(Stem).Distinct()];

    /// <summary>Strips one common English suffix, then a final "e" or "y", keeping at least three letters.</summary>
    public static string Stem(string word)
    {
        if (!word.All(char.IsLetter)) return word;
        foreach (var suffix in Suffixes)
            if (word.EndsWith(suffix, StringComparison.Ordinal) && word.Length - suffix.Length >= 3 && !(suffix == "s" && word.EndsWith("ss", StringComparison.Ordinal)))
            {
                word = word[..^suffix.Length];
                break;
            }
        return word.Length >= 4 && word[^1] is 'e' or 'y' ? word[..^1] : word;
    }

    private static readonly string[] Suffixes = ["ingly", "ings", "ing", "edly", "ied", "ies", "ed", "ly", "s"];

    private static readonly HashSet<string> Function =
    [
        "a", "an", "the", "and", "or", "but", "nor", "so", "yet", "if", "then", "than", "because", "as", "of", "in", "on",
        "at", "to", "for", "from", "by", "with", "without", "about", "into", "onto", "over", "under", "up", "down", "out",
        "off", "through", "after", "before", "since", "until", "while", "during", "between", "among", "also", "too",
        "very", "just", "really", "quite", "still", "even", "only", "not", "no", "is", "are", "was", "were", "be", "been",
        "being", "am", "do", "does", "did", "done", "have", "has", "had", "having", "will", "would", "shall", "should",
        "can", "could", "may", "might", "must", "i", "me", "my", "mine", "myself", "you", "your", "yours", "we", "us",
        "our", "ours", "he", "him", "his", "she", "her", "hers", "it", "its", "they", "them", "their", "theirs", "this",
        "that", "these", "those", "there", "here", "what", "which", "who", "whom", "whose", "when", "where", "why", "how",
        "all", "any", "some", "each", "every", "both", "either", "neither", "other", "another", "such", "own", "same",
        "one", "ones", "now", "recently", "currently", "really", "much", "many", "more", "most", "lot", "lots", "s", "t",
        "'s", "'re", "'ve", "'ll", "'d", "'m",
    ];

    [GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{N}'_./#+-]*")]
    private static partial Regex Word();
}
