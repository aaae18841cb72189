using System.Text.RegularExpressions;
using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Inference;

/// <summary>A self-contained statement taken from a conversation, with where it came from.</summary>
public sealed record ExtractedFact(string Text, string Category, int MessageIndex, string Role);

/// <summary>Turns text or a conversation into separate, self-contained facts without a model or a network.</summary>
/// <remarks>
/// <see cref="Segmenter"/> cuts the messages into sentences and names their speakers; <see cref="Statements"/> tells
/// statements from questions, small talk, plans and tasks; <see cref="Reading"/> walks the conversation in order
/// (proposals accepted or turned down, corrections, sentences that lean on the one before, causes and their fixes);
/// this class rewrites a statement so that it stands alone. Identifiers, numbers, versions, paths and names are never
/// rewritten.
/// </remarks>
public static partial class FactExtractor
{
    public static IReadOnlyList<ExtractedFact> Extract(IReadOnlyList<Message> messages) => Terse.Join([.. new Reading(Segmenter.Split(messages)).Facts()]);

    /// <summary>Says who: "let's use X" → "Use X", "I prefer" → "The user prefers", "you should X" (to the agent) → "X".</summary>
    internal static string Rewrite(string text, string speaker, string? addressee)
    {
        text = LetsUse().Replace(text, m => "Use " + m.Groups["what"].Value);
        text = ForLetsUse().Replace(text, m => "Use " + m.Groups["what"].Value + " for " + m.Groups["topic"].Value);
        text = HowWe().Replace(text, "How ");
        text = Lets().Replace(text, "");
        if (addressee is null) text = YouShould().Replace(text, "");
        if (speaker == Segmenter.User)
        {
            // To a coding agent, "if X you must Y" is the rule "if X Y", and "before you open a PR" is "before opening a PR"
            text = YouCant().Replace(text, "Never ");
            text = YouMust().Replace(text, "");
            text = WhenYou().Replace(text, m => m.Groups["when"].Value + " " + Gerund(m.Groups["verb"].Value));
        }
        text = Person.Rewrite(text, speaker, addressee);
        text = Demonstrative().Replace(text, "The ");
        return Capitalize(ForThis().Replace(text, ""));
    }

    /// <summary>The assistant's "I moved the cron to 02:00" is kept as "Moved the cron to 02:00".</summary>
    internal static string Impersonal(string text) => Capitalize(AssistantSubject().Replace(text, ""));

    /// <summary>"open" → "opening", "merge" → "merging", "commit" → "committing".</summary>
    internal static string Gerund(string verb)
    {
        var v = verb.ToLowerInvariant();
        if (v.EndsWith("ie", StringComparison.Ordinal)) return verb[..^2] + "ying";
        if (v.EndsWith('e') && !v.EndsWith("ee", StringComparison.Ordinal) && v.Length > 2) return verb[..^1] + "ing";
        return ShortVerb().IsMatch(v) ? verb + verb[^1] + "ing" : verb + "ing";
    }

    internal static string Finish(string text)
    {
        text = text.Trim().TrimEnd(',', ';', ':', '-', '—').Trim();
        if (text.EndsWith('!')) text = text.TrimEnd('!') + ".";
        if (text.Length > 0 && (char.IsLetterOrDigit(text[^1]) || text[^1] is '`' or ')' or '"' or '\'')) text += ".";
        return text.Length > 0 && char.IsLower(text[0]) && !IdentifierStart().IsMatch(text) ? Capitalize(text) : text;
    }

    internal static string Capitalize(string text) => text.Length > 0 && char.IsLower(text[0]) && !IdentifierStart().IsMatch(text) ? char.ToUpperInvariant(text[0]) + text[1..] : text;

    internal static string Lower(string text) => Common().IsMatch(text) ? char.ToLowerInvariant(text[0]) + text[1..] : text;

    internal static string Join(string first, string second) => first.TrimEnd('.', ' ', '!') + "; " + Lower(second);

    [GeneratedRegex(@"^let'?s (?:go with|use|pick|choose|stick with) (?<what>.+?)(?: for (?:this|now|the project|it))?(?=[.!,]|$)", RegexOptions.IgnoreCase)]
    private static partial Regex LetsUse();

    /// <summary>"This is how we log: ..." presents what follows; it points nowhere before.</summary>
    /// <summary>"For the queue, let's use Kafka" chooses Kafka for the queue.</summary>
    [GeneratedRegex(@"^for (?<topic>[^,]{3,40}?),? let'?s (?:go with|use|pick|choose|stick with) (?<what>[^.!,]+)", RegexOptions.IgnoreCase)]
    private static partial Regex ForLetsUse();

    [GeneratedRegex(@"^(?:this|here) is how ", RegexOptions.IgnoreCase)]
    private static partial Regex HowWe();

    [GeneratedRegex(@"^let'?s (?=\w)", RegexOptions.IgnoreCase)]
    private static partial Regex Lets();

    /// <summary>To a coding agent, "you should/must X" is the rule "X".</summary>
    [GeneratedRegex(@"^you (?:should|must|need to|have to|always need to)\s+", RegexOptions.IgnoreCase)]
    private static partial Regex YouShould();

    /// <summary>"This necklace is ..." names its thing; only "this" alone, before a verb, points elsewhere.</summary>
    [GeneratedRegex(@"^(?i:this|that|these|those) (?!(?:is|was|are|were|has|had|have|will|would|can|could|should|must|might|means|made|makes|did|does|fixed|broke|works|worked|sounds|looks|seems|helps|helped|gives|gave|took|takes|got|gets|includes|applies|covers|affects|excludes|counts|happens|matters|requires|implies|'s)\b)(?=[a-z])")]
    private static partial Regex Demonstrative();

    [GeneratedRegex(@"(?<=\S )you(?:'ll| will)? (?:should|must|need to|have to)(?: to)? (?=[a-z])|^[Yy]ou(?:'ll| will) (?:need to|have to) ")]
    private static partial Regex YouMust();

    /// <summary>"you can't edit generated files" is the rule "never edit generated files".</summary>
    [GeneratedRegex(@"^[Yy]ou (?:can't|cannot|can not|may not|mustn't|must not|shouldn't|should not|are not allowed to|aren't allowed to) (?=[a-z])")]
    private static partial Regex YouCant();

    [GeneratedRegex(@"\b(?<when>[Bb]efore|[Aa]fter|[Ww]hen|[Ww]henever|[Uu]ntil|[Oo]nce|[Ww]hile|[Ii]f) you (?<verb>(?!(?:are|were|have|had|can|could|will|would|should|must|do|did|don't|need|want|get|got)\b)[a-z]+)\b(?!')")]
    private static partial Regex WhenYou();

    /// <summary>One vowel before a final consonant (run, set, stop), or a stressed "-it"/"-er" ending: the consonant doubles.</summary>
    [GeneratedRegex(@"^(?:[^aeiou]*[aeiou][bdgmnprt]|(?:com|sub|ad|per|o)mit|(?:re|pre)fer|occur|forget|begin)$")]
    private static partial Regex ShortVerb();

    [GeneratedRegex(@" for this(?=[.!]?$)", RegexOptions.IgnoreCase)]
    private static partial Regex ForThis();

    [GeneratedRegex(@"^(?:done[.,:!]?\s*)?(?:i(?:'ve)?|we(?:'ve)?)\s+(?=\w)", RegexOptions.IgnoreCase)]
    private static partial Regex AssistantSubject();

    [GeneratedRegex(@"^[a-z0-9_.-]+(?:\(\)|[./_#])")]
    private static partial Regex IdentifierStart();

    /// <summary>Words capitalised only because they open the sentence; anything else (a name) keeps its capital.</summary>
    [GeneratedRegex(@"^(?:The|A|An|It|Its|This|That|These|Those|They|Their|We|Our|There|So|And|But|Then|Never|Always|Don't|Do|Use|Keep|Ask|Ping|Make|Run|Store|Put|Pin|Only|Please|If|When|Because|Since|Each|Every|All|No|Not|Any|\p{Lu}\p{Ll}+ed)\b(?! user\b)")]
    private static partial Regex Common();
}
