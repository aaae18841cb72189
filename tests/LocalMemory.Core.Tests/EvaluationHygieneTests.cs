using System.Text.Json;
using System.Text.RegularExpressions;

namespace LocalMemory.Core.Tests;

/// <summary>No rule, list entry or comment of the extractor or of search is copied from an evaluation's sentences:
/// a rule must be true of language or of the domain, and a figure measured on a set that lent its sentences to the
/// code says little about talk nobody here wrote.</summary>
public sealed partial class EvaluationHygieneTests
{
    /// <summary>Six words in a row shared by code and data are a copy, not a coincidence of English.</summary>
    private const int Run = 6;

    [Fact]
    public void No_comment_or_string_in_the_extractor_or_search_quotes_an_evaluation_file()
    {
        var root = RepositoryRoot();
        var data = Directory.GetFiles(Path.Combine(root, "tests", "LocalMemory.Core.Tests", "data"), "*.json").ToList();
        var shared = Path.Combine(root, "..", "shared", "eval");
        if (Directory.Exists(shared)) data.AddRange(Directory.GetFiles(shared, "*.json"));
        Assert.NotEmpty(data);
        var quoted = data.ToDictionary(file => Path.GetRelativePath(root, file), file => Runs(Strings(JsonDocument.Parse(File.ReadAllText(file)).RootElement)));

        var copies = new List<string>();
        foreach (var folder in new[] { "Inference", "Search" })
            foreach (var file in Directory.GetFiles(Path.Combine(root, "src", "LocalMemory.Core", folder), "*.cs"))
                foreach (var run in Runs(CommentsAndStrings().Matches(File.ReadAllText(file)).Select(m => m.Value)))
                    copies.AddRange(quoted.Where(q => q.Value.Contains(run)).Select(q => $"{folder}/{Path.GetFileName(file)} has \"{run}\", as {q.Key} does"));

        Assert.True(copies.Count == 0, string.Join("\n", copies.Distinct()));
    }

    private static HashSet<string> Runs(IEnumerable<string> texts)
    {
        var runs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            var words = Word().Matches(text.ToLowerInvariant()).Select(m => m.Value).ToArray();
            for (var i = 0; i + Run <= words.Length; i++) runs.Add(string.Join(' ', words[i..(i + Run)]));
        }
        return runs;
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        _ => [],
    };

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LocalMemory.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no LocalMemory.sln above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"//[^\n]*|""(?:[^""\\\n]|\\.)*""")]
    private static partial Regex CommentsAndStrings();

    [GeneratedRegex(@"[a-z0-9']+")]
    private static partial Regex Word();
}
