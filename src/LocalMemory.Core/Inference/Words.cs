using System.Text.RegularExpressions;

namespace LocalMemory.Core.Inference;

/// <summary>The content words of a sentence: lower-cased, without function words, a plural "s" dropped.</summary>
internal static partial class Words
{
    public static IEnumerable<string> Content(string text) =>
        Word().Matches(text).Select(m => m.Value.ToLowerInvariant().TrimEnd('.', '\''))
            .Where(w => w.Length > 1 && !Function.Contains(w))
            .Select(w => w.Length > 3 && w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal) ? w[..^1] : w)
            .Distinct();

    private static readonly HashSet<string> Function =
    [
        "the", "a", "an", "and", "or", "but", "so", "if", "then", "than", "of", "in", "on", "at", "to", "for", "from", "by",
        "with", "about", "into", "over", "up", "out", "as", "is", "are", "was", "were", "be", "been", "am", "do", "does",
        "did", "have", "has", "had", "will", "would", "can", "could", "should", "may", "might", "it", "its", "it's", "this",
        "that", "these", "those", "they", "them", "we", "our", "us", "you", "your", "i", "my", "me", "he", "she", "his",
        "her", "there", "here", "what", "which", "who", "not", "no", "all", "any", "some", "very", "really", "just", "also",
        "too", "now", "still", "already", "instead", "one", "get", "got", "super", "pretty", "quite",
        "totally", "truly", "extremely", "incredibly", "absolutely", "such", "much", "many", "lot", "lots", "loads", "never",
        "always", "don't", "do", "up",
    ];

    /// <summary>A word, or code such as "%w", "$HOME", "@Inject" or "--force".</summary>
    [GeneratedRegex(@"(?:(?<![\p{L}\p{N}])(?:[%$@]|--?))?[\p{L}\p{N}][\p{L}\p{N}'_./#+-]*")]
    private static partial Regex Word();
}
