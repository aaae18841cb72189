using System.Text.RegularExpressions;

namespace LocalMemory.Core.Search;

/// <summary>Turns a person's query into an FTS5 query: every meaningful word, quoted, joined by OR.</summary>
/// <remarks>Quoting makes any input safe for FTS5's syntax; BM25 then ranks rows that match more and rarer words higher.</remarks>
public static partial class KeywordQuery
{
    private static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "do", "does", "did", "for", "from", "how", "i", "in", "is", "it", "its",
        "of", "on", "or", "our", "so", "that", "the", "their", "there", "this", "to", "was", "we", "were", "what", "when",
        "where", "which", "who", "why", "with", "you", "your", "us", "my", "me", "can", "should", "would", "will", "have", "has",
        "about", "any", "all", "into", "use", "used", "using", "which", "whose", "here", "they", "them", "than", "then",
    };

    /// <summary>The FTS5 query, or null when the text has no word worth matching.</summary>
    public static string? Build(string text)
    {
        var words = Word().Matches(text).Select(m => m.Value).Where(w => !StopWords.Contains(w)).Distinct(StringComparer.OrdinalIgnoreCase).Take(32).ToList();
        return words.Count == 0 ? null : string.Join(" OR ", words.Select(w => $"\"{w}\""));
    }

    [GeneratedRegex(@"[\p{L}\p{N}_]+")]
    private static partial Regex Word();
}
