using System.Text.RegularExpressions;

namespace LocalMemory.Core.Inference;

/// <summary>Names who a sentence is about: "I", "my" and "me" become the speaker ("I prefer tabs" from the user:
/// "The user prefers tabs"; "I'm on call" from Lena: "Lena is on call"), and "you"/"your" the one spoken to when
/// the conversation has exactly two named speakers. Verbs after the new subject agree with it.</summary>
internal static partial class Person
{
    public static bool FirstPerson(string text) => FirstPersonWord().IsMatch(text);

    public static bool SecondPerson(string text) => SecondPersonWord().IsMatch(text);

    public static string Rewrite(string text, string speaker, string? addressee)
    {
        text = Replace(text, FirstSubject(), speaker);
        text = Replace(text, FirstPossessive(), speaker + "'s");
        text = Replace(text, FirstObject(), speaker);
        text = Reflexive().Replace(text, "themself");
        if (addressee is null) return text;
        text = Replace(text, SecondSubject(), addressee);
        return Replace(text, SecondPossessive(), addressee + "'s");
    }

    private static string Replace(string text, Regex pattern, string who) => pattern.Replace(text, m =>
    {
        var name = m.Index == 0 ? Capitalize(who) : who;
        var aux = m.Groups["aux"].Value.ToLowerInvariant();
        if (aux.Length > 0) return name + " " + Auxiliary(aux, m.Groups["next"].Value);
        var verb = m.Groups["verb"];
        return verb.Success ? name + " " + m.Groups["adverbs"].Value + ThirdPerson(verb.Value) : name;
    });

    private static string Auxiliary(string aux, string next) => aux switch
    {
        "'m" or " am" or "'re" or " are" => "is",
        " was" or " were" => "was",
        "'ve" or " have" => "has",
        "'ll" or " will" => "will",
        "'d" => next.EndsWith("ed", StringComparison.Ordinal) || next is "been" or "gotten" ? "had" : "would",
        _ => aux.Trim(),
    } + (next.Length > 0 ? " " + next : "");

    /// <summary>"love" → "loves", "go" → "goes", "try" → "tries"; past tenses and modals stay.</summary>
    internal static string ThirdPerson(string verb)
    {
        var lower = verb.ToLowerInvariant();
        if (Unchanged().IsMatch(lower) || (lower.EndsWith("ed", StringComparison.Ordinal) && !lower.EndsWith("eed", StringComparison.Ordinal))) return verb;
        return lower switch
        {
            "have" => "has",
            "do" => "does",
            "don't" => "doesn't",
            "haven't" => "hasn't",
            "aren't" or "am not" => "isn't",
            _ when lower.EndsWith('y') && lower.Length > 2 && !"aeiou".Contains(lower[^2], StringComparison.Ordinal) => verb[..^1] + "ies",
            _ when Sibilant().IsMatch(lower) => verb + "es",
            _ => verb + "s",
        };
    }

    private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    [GeneratedRegex(@"\b(?:I(?:'m|'ve|'ll|'d)?|my|me|mine|myself)\b")]
    private static partial Regex FirstPersonWord();

    [GeneratedRegex(@"\b(?:you|your|yours|yourself)\b", RegexOptions.IgnoreCase)]
    private static partial Regex SecondPersonWord();

    /// <summary>"I" with what follows it: an auxiliary (and the word after), or adverbs and a verb.</summary>
    [GeneratedRegex(@"\bI(?:(?<aux>'m|'ve|'ll|'d| am| was| have| will)(?: (?<next>[\w']+))?|(?: (?<adverbs>(?:(?:really|just|also|always|never|usually|often|still|actually|definitely|totally|recently|finally|already|sometimes|even|only|mostly|truly|absolutely|personally|generally|basically|currently|rarely|seriously|certainly|probably|especially|kinda|sorta|now) )*)(?<verb>[a-z][\w']*))?)\b(?!/)")]
    private static partial Regex FirstSubject();

    [GeneratedRegex(@"\b(?:[Mm]y|[Mm]ine)\b")]
    private static partial Regex FirstPossessive();

    [GeneratedRegex(@"\b[Mm]e\b")]
    private static partial Regex FirstObject();

    [GeneratedRegex(@"\b[Mm]yself\b")]
    private static partial Regex Reflexive();

    /// <summary>"you" as a subject (opening a clause) takes a verb that agrees; anywhere else it is an object.</summary>
    [GeneratedRegex(@"(?:^|(?<=[,;:] |\b(?:and|but|so|because|if|when|that|since|as) ))[Yy]ou(?:(?<aux>'re|'ve|'ll|'d| are| were| have| will)(?: (?<next>[\w']+))?|(?: (?<adverbs>(?:(?:really|just|also|always|never|usually|often|still|actually|definitely|totally|recently|finally|already|sometimes|even|only|mostly|truly) )*)(?<verb>(?!(?:to|too|and|or|for|guys|all|both|two|so|know|soon|again|there|here|in|on|at|with|as|a|the|an|many|much)\b)[a-z][\w']*))?)\b|\b[Yy]ou(?:rself)?\b")]
    private static partial Regex SecondSubject();

    [GeneratedRegex(@"\b[Yy]ours?\b")]
    private static partial Regex SecondPossessive();

    [GeneratedRegex(@"^(?:can|could|will|would|shall|should|must|may|might|need to|can't|cannot|couldn't|won't|wouldn't|shouldn't|didn't|wasn't|weren't|hadn't|was|were|had|did|went|made|got|took|saw|came|said|told|gave|found|felt|thought|knew|left|met|ran|began|bought|brought|built|caught|chose|drew|drove|ate|fell|forgot|grew|heard|held|kept|led|lost|meant|paid|put|read|rode|sang|sat|sent|set|shot|slept|spent|spoke|stood|swam|taught|threw|understood|woke|won|wore|wrote|became|broke|fought|flew|hid|hung|lit|quit|shook|shut|sold|stuck|let|hit|hurt|cut|cost|spread|used to)$")]
    private static partial Regex Unchanged();

    [GeneratedRegex(@"(?:s|sh|ch|x|z|o)$")]
    private static partial Regex Sibilant();
}
