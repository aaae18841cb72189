using System.Text.RegularExpressions;

namespace LocalMemory.Core.Evaluation;

/// <summary>Judges, mechanically, whether a stored memory is a fact on its own. A memory is a fragment when:
/// <list type="number">
/// <item>it opens with a pronoun or demonstrative that points outside it ("It was ...", "That fixed ...", "She ...");</item>
/// <item>it speaks in the first or second person ("I", "my", "you"), so whoever it is about is not named;</item>
/// <item>it is a question;</item>
/// <item>or it has one content word, or two with no name, number or identifier among them ("Relaxing is key.").</item>
/// </list></summary>
/// <remarks>A reader would call some of these facts and miss other fragments (a vague but complete sentence passes);
/// the rules are fixed so that the figure can be compared from run to run, not tuned to a set.</remarks>
public static partial class FragmentJudge
{
    public static bool IsFragment(string memory)
    {
        var text = memory.Trim();
        if (text.Length == 0 || text.EndsWith('?')) return true;
        if (LeadingReference().IsMatch(text) || Person().IsMatch(text)) return true;
        var words = ContentWords.Of(text);
        return words.Count < 2 || (words.Count == 2 && !Specific().IsMatch(text));
    }

    [GeneratedRegex(@"^(?:it|its|it's|this|that|these|those|they|them|their|he|she|him|her|his)\b", RegexOptions.IgnoreCase)]
    private static partial Regex LeadingReference();

    [GeneratedRegex(@"\bI(?:'m|'ve|'ll|'d)?\b(?!/)|(?i:\b(?:me|my|mine|myself|you|your|yours|yourself)\b)")]
    private static partial Regex Person();

    /// <summary>A name (a capital after the first word), a number, or an identifier.</summary>
    [GeneratedRegex(@"(?<=\S\s+)\p{Lu}|\d|[\w][./_#@][\w]|`")]
    private static partial Regex Specific();
}
