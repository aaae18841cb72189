using System.Text.RegularExpressions;

namespace LocalMemory.Core.Inference;

/// <summary>The value a sentence chooses ("use Dramatiq", "put them in S3", "we're on Deno"), the values it names,
/// and putting one value in place of another, for corrections within a call and updates across calls.</summary>
internal static partial class Choices
{
    /// <summary>The object of a choice verb: one word, then any capitalised or numbered words ("Google Cloud Run", "Spring Boot 3.2").</summary>
    public static string? Chosen(string text) => ChoiceVerb().Match(text) is { Success: true } m ? m.Groups["value"].Value.TrimEnd('.', ',') : null;

    /// <summary>Names, versions and identifiers: capitalised words after the first, anything with a digit or a dot, slash,
    /// underscore or hash inside, and code in backticks. Neighbouring capitalised words make one value.</summary>
    public static List<string> Values(string text) =>
        [.. Value().Matches(text).Select(m => m.Value.TrimEnd('.', ',', ':', ';')).Where(v => v.Length > 0 && !Common().IsMatch(v)).Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>Does the text name the value (a plural ending allowed)?</summary>
    public static bool Names(string text, string value) =>
        value.Length > 0 && Regex.IsMatch(text, $@"(?<![\w@./#+-]){Regex.Escape(value)}(?:e?s|{Suffix})?(?![\w@#+-]|\.\w)", RegexOptions.IgnoreCase);

    /// <summary>"Moment" names "Moment.js": a library's name often carries its language.</summary>
    private const string Suffix = @"\.(?:js|ts|py|rb|io|net|dev)";

    public static string Replace(string text, string old, string value) =>
        Regex.Replace(text, $@"(?<![\w@./#+-]){Regex.Escape(old)}(?:{Suffix})?(?![\w@#+-]|\.\w)", value.Replace("$", "$$", StringComparison.Ordinal), RegexOptions.IgnoreCase);

    /// <summary>The version numbers in a text, in order.</summary>
    public static List<string> Versions(string text) => [.. VersionIn().Matches(text).Select(m => m.Value)];

    [GeneratedRegex(@"(?<![\w.])v?\d+(?:\.\d+)*(?:\.x)?(?![\w]|\.\d)", RegexOptions.IgnoreCase)]
    private static partial Regex VersionIn();

    /// <summary>A version number such as 3.12, v2, 0.74.1 or 20.</summary>
    public static bool IsVersion(string value) => Version().IsMatch(value);

    [GeneratedRegex(@"\b(?:use|using|uses|go with|going with|went with|pick|picked|choose|chose|switch(?:ed)? (?:over )?to|mov(?:e|ed) (?:over )?to|migrat(?:e|ed) to|stick with|stay on|(?:we're|we are|we're now|we are now|now) on|back (?:on|to)|standardi[sz]ed on|settled on|make (?:it|that)|replace \S+ with|instead,? use|(?:change|set|switch|bump|lower|raise|increase|reduce) (?:it|that|this|them) to|(?:store|stored|put|keep|kept|save|saved|host|hosted|deploy|deployed|deploys|run|runs|running|send|sent|live|lives|move|moved)\b(?: (?!in\b|on\b|into\b|to\b|at\b)[\w'-]+){0,3} (?:in|on|into|to|at)) (?:the )?(?<value>`[^`]+`|[\w@./#+-]+(?-i:(?: [\p{Lu}\d][\w@./#+-]*)*))", RegexOptions.IgnoreCase)]
    private static partial Regex ChoiceVerb();

    [GeneratedRegex(@"`[^`]+`|(?<=[\w,;:)]\s+|\s\()\p{Lu}[\w@./#+-]*(?:\s\p{Lu}[\w@./#+-]*|\s\d[\w.]*)*|(?<![\w.])v?\d+(?:\.\d+)*[\w%-]*|\b[\w-]+[./_#@][\w./_#@-]*\w|^\p{Lu}[\w-]*\d[\w.-]*|^\p{Lu}[a-z]+\p{Lu}[\w-]*")]
    private static partial Regex Value();

    /// <summary>Capitalised for the sentence's sake rather than being names.</summary>
    [GeneratedRegex(@"^(?:I|I'm|I've|I'll|I'd|The|A|An|We|It|This|That|They|You|And|But|Or|So|Also|Use|Please|OK|Okay|Yes|No)$")]
    private static partial Regex Common();

    [GeneratedRegex(@"^v?\d+(?:\.\d+)*(?:\.x)?$", RegexOptions.IgnoreCase)]
    private static partial Regex Version();
}
