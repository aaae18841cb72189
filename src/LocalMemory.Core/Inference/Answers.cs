using System.Text.RegularExpressions;

namespace LocalMemory.Core.Inference;

/// <summary>A short answer leaves out what the question asked about ("Which port?" → "9090"); it carries the
/// question's topic to stand alone ("Port: 9090").</summary>
internal static partial class Answers
{
    /// <summary>What a question asks for: "Which port should the exporter listen on?" → "port"; "Should I also add a
    /// circuit breaker?" → "circuit breaker". Null when the question names no thing.</summary>
    public static string? Asked(string question, bool withPurpose = false)
    {
        var m = WhichThing().Match(question);
        if (withPurpose && m.Success && ForWhat().Match(question, m.Groups["topic"].Index + m.Groups["topic"].Length) is { Success: true } purpose)
            return m.Groups["topic"].Value.Trim() + purpose.Value.TrimEnd('?', ' '); // "broker for the billing events"
        if (!m.Success) m = AddThing().Match(question);
        if (!m.Success) m = AgreeOn().Match(question);
        if (!m.Success) return null;
        var topic = m.Groups["topic"].Value.Trim();
        return Statements.Words(topic) is >= 1 and <= 6 ? topic : null;
    }

    /// <summary>An answer without a verb of its own ("9090", "two weeks, like the other services").</summary>
    public static bool IsElliptic(string answer) =>
        Statements.Words(answer) <= 8 && !Verb().IsMatch(answer) && !Statements.IsImperative(answer) && !Statements.IsQuestion(answer);

    public static string Complete(string topic, string answer) => FactExtractor.Capitalize(topic) + ": " + FactExtractor.Lower(answer);

    [GeneratedRegex(@"^(?:and |so )?(?:what|which)\s+(?<topic>(?!(?:is|are|was|were|do|does|did|should|would|will|can|about)\b)[\w-]+(?:\s+(?!(?:is|are|was|were|do|does|did|should|shall|would|will|can|for|to|in|on|of|we|you|i)\b)[\w-]+){0,3})(?:\s+(?:is|are|do|does|should|shall|would|will|can|for|to|in|on|of)\b[^?]*)?\?+$", RegexOptions.IgnoreCase)]
    private static partial Regex WhichThing();

    [GeneratedRegex(@"^(?:should|shall) (?:i|we) (?:also )?(?:add|set|use|enable|configure|set up|put in|turn on|introduce)\s+(?:a|an|the|some)\s+(?<topic>[^?,]+?)(?: too| as well)?\?+$", RegexOptions.IgnoreCase)]
    private static partial Regex AddThing();

    [GeneratedRegex(@"\G\s+for\s+[^?]+", RegexOptions.IgnoreCase)]
    private static partial Regex ForWhat();

    [GeneratedRegex(@"\b(?:agree on|decide on|settle on|pick|choose)\s+(?:a|an|one|the|which)\s+(?<topic>[^?,]+?)\?+$", RegexOptions.IgnoreCase)]
    private static partial Regex AgreeOn();

    /// <summary>A finite verb or a pronoun subject: the answer says something of its own.</summary>
    [GeneratedRegex(@"\b(?:is|are|was|were|be|been|being|am|has|have|had|do|does|did|don't|doesn't|use|uses|used|run|runs|ran|should|must|will|would|can|could|need|needs|want|wants|go|goes|went|keep|keeps|make|makes|set|get|gets|like|likes|think|know|i|we|you|he|she|they|it)\b|'s\b|'re\b|'m\b", RegexOptions.IgnoreCase)]
    private static partial Regex Verb();
}
