using System.Text.RegularExpressions;

namespace LocalMemory.Core.Search;

/// <summary>A person's query as FTS5 terms: each meaningful word with its synonyms, every word quoted (so any input is
/// safe FTS5 syntax).</summary>
public sealed partial class KeywordQuery
{
    private static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "do", "does", "did", "for", "from", "how", "i", "in", "is", "it", "its",
        "of", "on", "or", "our", "so", "that", "the", "their", "there", "this", "to", "was", "we", "were", "what", "when",
        "where", "which", "who", "why", "with", "you", "your", "us", "my", "me", "can", "should", "would", "will", "have", "has",
        "about", "any", "all", "into", "use", "used", "using", "whose", "here", "they", "them", "than", "then", "get", "got",
        "if", "not", "no", "yes", "also", "just", "there", "these", "those", "been", "being", "some", "need", "want",
    };

    private const int MaxTerms = 12;

    private KeywordQuery(IReadOnlyList<IReadOnlyList<string>> terms) => Terms = terms;

    /// <summary>One entry per query word: the word first, then its synonyms.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Terms { get; }

    /// <summary>FTS5 query matching a memory that has any of the given query words.</summary>
    public string Any(IEnumerable<int> terms) => string.Join(" OR ", terms.Select(Term));

    /// <summary>FTS5 query matching a memory that has the i-th query word or a synonym of it.</summary>
    public string Term(int i) => Term(Terms[i]);

    private static string Term(IReadOnlyList<string> words) => string.Join(" OR ", words.Select(w => $"\"{w.Replace("\"", "", StringComparison.Ordinal)}\""));

    /// <summary>The keyword query, or null when the text has no word worth matching.</summary>
    public static KeywordQuery? Build(string text)
    {
        var words = Word().Matches(text).Select(m => m.Value)
            .Where(w => !StopWords.Contains(w))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Take(MaxTerms)
            .ToList();
        return words.Count == 0 ? null : new KeywordQuery([.. words.Select(Thesaurus.Expand)]);
    }

    [GeneratedRegex(@"[\p{L}\p{N}_]+")]
    private static partial Regex Word();
}
