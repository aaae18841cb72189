namespace LocalMemory.Core.Search;

/// <summary>Words that mean the same thing in a software team's talk, for the keyword channel of search.</summary>
/// <remarks>
/// A query word also matches a memory that says it another way ("laptop" finds "local development", "sign-in" finds
/// "login"). Groups are symmetric. Keep them to real synonyms of engineering talk: a loose group makes unrelated
/// memories match. The keyword channel only adds to the vector similarity (see <see cref="HybridScore"/>), so a
/// synonym can lift a memory but never hide one.
/// </remarks>
public static class Thesaurus
{
    private static readonly string[][] Groups =
    [
        ["laptop", "local", "locally", "workstation", "localhost"],
        ["stack", "compose", "docker", "containers"],
        ["signin", "sign", "login", "logon", "auth", "authentication", "authenticate", "sso", "oidc"],
        ["id", "ids", "identifier", "identifiers", "uuid", "uuids", "guid"],
        ["ram", "memory", "heap"],
        ["database", "databases", "db", "datastore", "storage", "postgres", "postgresql", "mysql", "sqlite"],
        ["host", "hosting", "hosted", "deploy", "deployed", "deployment", "deployments"],
        ["region", "regions", "zone", "zones", "datacenter"],
        ["error", "errors", "exception", "exceptions", "failure", "failures"],
        ["pipeline", "pipelines", "ci", "workflow", "workflows"],
        ["log", "logs", "logging", "logger"],
        ["cache", "cached", "caching", "cdn"],
        ["latency", "slow", "fast", "performance", "p95", "p99"],
        ["formatter", "formatting", "format", "lint", "linter", "prettier"],
        ["upgrade", "upgrades", "bump", "pin", "pinned", "version", "versions"],
        ["secret", "secrets", "credential", "credentials", "password", "passwords", "token", "tokens"],
        ["queue", "queues", "topic", "topics", "broker", "streaming", "kafka"],
        ["docs", "documentation", "adr", "adrs", "readme", "wiki"],
        ["timestamp", "timestamps", "datetime", "date", "dates"],
        ["timezone", "utc", "tz"],
        ["retry", "retries", "backoff"],
        ["owner", "owns", "maintainer", "maintains", "maintained"],
        ["bug", "bugs", "defect", "regression"],
        ["endpoint", "endpoints", "route", "routes"],
        ["config", "configuration", "settings"],
        ["mock", "mocks", "mocking", "stub", "stubs", "fake", "fakes"],
        ["email", "emails", "phone", "contact", "pii"],
        ["frontend", "ui", "client"],
        ["backend", "server"],
        ["crash", "crashes", "panic", "panics"],
        ["test", "tests", "testing"],
        ["image", "images", "asset", "assets", "static"],
        ["review", "reviews", "reviewer", "reviewing"],
    ];

    private static readonly Dictionary<string, string[]> ByWord = Groups
        .SelectMany(g => g.Select(w => (Word: w, Group: g)))
        .GroupBy(p => p.Word, StringComparer.OrdinalIgnoreCase)
        .ToDictionary(p => p.Key, p => p.SelectMany(x => x.Group).Distinct(StringComparer.OrdinalIgnoreCase).ToArray(), StringComparer.OrdinalIgnoreCase);

    /// <summary>The word and the words that mean the same.</summary>
    public static IReadOnlyList<string> Expand(string word) =>
        ByWord.TryGetValue(word, out var group) ? [word, .. group.Where(w => !w.Equals(word, StringComparison.OrdinalIgnoreCase))] : [word];
}
