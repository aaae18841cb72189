using System.Text.RegularExpressions;

namespace LocalMemory.Core.Inference;

/// <summary>Items of a terse list ("queue = kafka", "no tabs") say little alone: an item too thin to stand as a fact
/// is joined to its neighbour from the same message, so the memory carries the list it leans on.</summary>
internal static partial class Terse
{
    public static List<ExtractedFact> Join(List<ExtractedFact> facts)
    {
        // Thin items next to each other make one memory ("queue = kafka; store = s3"); a thin item alone joins the
        // item before it in its message, or else the one after.
        var joined = new List<(ExtractedFact Fact, bool Thin)>();
        for (var i = 0; i < facts.Count; i++)
        {
            var fact = facts[i];
            var thin = Thin(fact.Text);
            var sameMessage = joined.Count > 0 && joined[^1].Fact.MessageIndex == fact.MessageIndex;
            var nextThin = i + 1 < facts.Count && facts[i + 1].MessageIndex == fact.MessageIndex && Thin(facts[i + 1].Text);
            var leaning = sameMessage && joined[^1].Thin && joined[^1].Fact.MessageIndex != (joined.Count > 1 ? joined[^2].Fact.MessageIndex : -1);
            if (sameMessage && ((thin && (joined[^1].Thin || !nextThin)) || leaning))
                joined[^1] = (joined[^1].Fact with { Text = FactExtractor.Join(joined[^1].Fact.Text, SameLabel(joined[^1].Fact.Text, fact.Text)) }, thin && joined[^1].Thin);
            else joined.Add((fact, thin));
        }
        return [.. joined.Select(j => j.Fact)];
    }

    /// <summary>Two content words or fewer, none of them a name, number or identifier.</summary>
    private static bool Thin(string text) => Words.Content(text).Count() <= 2 && !Specific().IsMatch(text);

    /// <summary>"Prettier: single quotes" then "Prettier: no semis": the label once.</summary>
    private static string SameLabel(string first, string second)
    {
        var label = LabelOf().Match(first);
        return label.Success && second.StartsWith(label.Value, StringComparison.Ordinal) ? second[label.Length..] : second;
    }

    [GeneratedRegex(@"^[^:;]{1,40}:\s+")]
    private static partial Regex LabelOf();

    [GeneratedRegex(@"(?<=\S\s+)\p{Lu}|\d|[\w][./_#@][\w]|`")]
    private static partial Regex Specific();
}
