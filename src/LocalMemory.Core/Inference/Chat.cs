using System.Text.RegularExpressions;

namespace LocalMemory.Core.Inference;

/// <summary>How people talk to each other in a chat between named speakers, as opposed to a developer instructing a
/// coding agent: they call each other by name, leave the subject out, and remark on what the other said.</summary>
internal static partial class Chat
{
    /// <summary>Drops "Mel," before and ", Mel!" after a sentence when Mel is a speaker's name or the start of one.</summary>
    public static string WithoutVocative(string text, IReadOnlyList<string> names)
    {
        bool IsName(string word) => word.Length >= 3 && names.Any(n => n.StartsWith(word, StringComparison.Ordinal));
        if (LeadingName().Match(text) is { Success: true } lead && IsName(lead.Groups["name"].Value)) text = text[lead.Length..];
        if (TrailingName().Match(text) is { Success: true } trail && IsName(trail.Groups["name"].Value)) text = text[..trail.Index] + trail.Groups["end"].Value;
        return text;
    }

    /// <summary>Gives a subjectless sentence its speaker ("Researching adoption agencies" → "Caroline is researching
    /// adoption agencies", "Gonna try pottery" → "... is going to try pottery", "Love hiking" → "... loves hiking").
    /// Null for a subjectless remark with no fact in it ("Totally agree", "Excited for you").</summary>
    public static string? WithSubject(string text, string speaker)
    {
        if (Remark().IsMatch(text)) return null;
        if (Gonna().Match(text) is { Success: true } gonna) return speaker + " is going to " + text[gonna.Length..];
        if (Likes().Match(text) is { Success: true } likes) return speaker + " " + likes.Groups["verb"].Value.ToLowerInvariant() + "s " + text[likes.Length..];
        if (Gerund().Match(text) is { Success: true } doing) return speaker + " is " + char.ToLowerInvariant(text[0]) + text[1..];
        return text;
    }

    public static bool HasSecondPersonSubject(string text) => YouSubject().IsMatch(text);

    [GeneratedRegex(@"^(?<name>\p{Lu}\p{Ll}+)[,!]+\s+")]
    private static partial Regex LeadingName();

    [GeneratedRegex(@",\s*(?<name>\p{Lu}\p{Ll}+)(?<end>[.!?]*)$")]
    private static partial Regex TrailingName();

    [GeneratedRegex(@"^(?:(?:totally|really|so|just|definitely|absolutely|completely|100%) )*(?:agree[sd]?|appreciate|hope|wish|wishing|think|guess|bet|mean|feel|miss|wonder|know|can't wait|cannot wait|excited|glad|happy|sad|sorry|proud|thrilled|grateful|thankful|lucky|blessed|sounds|looks|seems|feels|nice|great|good|awesome|amazing|cool|such|what a|how|congrats|congratulations|welcome|same|ditto|true|keep (?:it )?up|hang in there|take care|good luck|must|might|could|would|should|can|will|let's|reminds|makes|helps|gives|brings|keeps|means|shows|takes)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Remark();

    [GeneratedRegex(@"^(?:gonna|going to) ", RegexOptions.IgnoreCase)]
    private static partial Regex Gonna();

    [GeneratedRegex(@"^(?:(?:really|totally|absolutely) )?(?<verb>love|like|enjoy|adore|hate)\s+", RegexOptions.IgnoreCase)]
    private static partial Regex Likes();

    /// <summary>A gerund that is not itself the subject (no verb follows it): "Researching agencies", not "Painting is fun".</summary>
    [GeneratedRegex(@"^\p{L}+ing\b(?! (?:is|was|has|can|will|makes|helps|gives|keeps|takes|brings|sounds|looks|seems|feels|means|requires|needs|'s)\b)(?!')", RegexOptions.IgnoreCase)]
    private static partial Regex Gerund();

    [GeneratedRegex(@"^(?:you|your|you're|you've|you'll|you'd)\b", RegexOptions.IgnoreCase)]
    private static partial Regex YouSubject();
}
