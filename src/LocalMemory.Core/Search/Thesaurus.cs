namespace LocalMemory.Core.Search;

/// <summary>Words that mean the same thing in a software team's talk, for the keyword channel of search.</summary>
/// <remarks>
/// A query word also matches a memory that says it another way ("sign-in" finds "login", "db" finds "database").
/// Groups are symmetric. The keyword channel only adds to the vector similarity (see <see cref="Fusion"/>), so a
/// synonym can lift a memory but never hide one.
/// </remarks>
public static class Thesaurus
{
    // Only words that name the same thing: spellings, abbreviations and true synonyms of software talk. Inflections
    // are left to FTS5's Porter stemmer. A word that is merely related (a product for its kind, a place for what
    // happens there) is no synonym: it makes unrelated memories match.
    private static readonly string[][] Groups =
    [
        ["signin", "sign", "login", "logon"],
        ["auth", "authentication", "authn"],
        ["id", "ids", "identifier", "identifiers"],
        ["database", "databases", "db", "dbs"],
        ["error", "errors", "exception", "exceptions"],
        ["secret", "secrets", "credential", "credentials"],
        ["docs", "doc", "documentation"],
        ["config", "configuration", "settings"],
        ["bug", "bugs", "defect", "defects"],
        ["timezone", "tz"],
        ["repo", "repos", "repository", "repositories"],
        ["dependency", "dependencies", "deps"],
        ["env", "environment", "environments"],
        ["k8s", "kubernetes"],
        ["js", "javascript"],
        ["ts", "typescript"],
    ];

    private static readonly Dictionary<string, string[]> ByWord = Groups
        .SelectMany(g => g.Select(w => (Word: w, Group: g)))
        .GroupBy(p => p.Word, StringComparer.OrdinalIgnoreCase)
        .ToDictionary(p => p.Key, p => p.SelectMany(x => x.Group).Distinct(StringComparer.OrdinalIgnoreCase).ToArray(), StringComparer.OrdinalIgnoreCase);

    /// <summary>The word and the words that mean the same.</summary>
    public static IReadOnlyList<string> Expand(string word) =>
        ByWord.TryGetValue(word, out var group) ? [word, .. group.Where(w => !w.Equals(word, StringComparison.OrdinalIgnoreCase))] : [word];
}
