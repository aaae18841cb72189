using System.Text.RegularExpressions;

namespace LocalMemory.Core.Inference;

/// <summary>What a fact says changed: a value replaced by another (From may be unknown: "we're back on A"), a
/// version raised, or something given up.</summary>
internal abstract partial record Change
{
    /// <summary>From is null when the fact names only the new value ("back on A", "reverted to A").</summary>
    /// <summary>Loose: said of the new value only in passing ("we're on Caddy now"), so only a memory about the same thing changes.</summary>
    public sealed record Replaced(string? From, string To, bool Loose = false) : Change;

    /// <summary>"upgrade Ruby to 3.3": What's version becomes To.</summary>
    public sealed record Version(string What, string To) : Change;

    /// <summary>"we no longer use X", "X is gone".</summary>
    public sealed record Dropped(string What) : Change;

    public static Change? In(string fact)
    {
        if (Swap().Match(fact) is { Success: true } swap) return new Replaced(Clean(swap.Groups["from"].Value), Clean(swap.Groups["to"].Value));
        if (Upgrade().Match(fact) is { Success: true } upgrade) return new Version(Generic().Replace(Clean(upgrade.Groups["what"].Value), ""), upgrade.Groups["to"].Value.TrimEnd('.'));
        var gone = Gone().Match(fact);
        if (gone.Success)
        {
            var what = Clean(gone.Groups["what"].Value);
            // "X is gone, we use Y now" replaces X with Y; "we no longer run X" only drops it
            var rest = fact[(gone.Index + gone.Length)..];
            if ((Choices.Chosen(rest) ?? Successor(rest)) is not { } chosen || chosen.Equals(what, StringComparison.OrdinalIgnoreCase)) return new Dropped(what);
            // "dropped Ruby 3.1, 3.2 is the floor": the new version is still Ruby's
            var versioned = VersionedName().Match(what);
            return new Replaced(what, versioned.Success && Choices.IsVersion(chosen) ? versioned.Groups["name"].Value + " " + Clean(chosen) : Clean(chosen));
        }
        if (Back().Match(fact) is { Success: true } back) return new Replaced(null, Clean(back.Groups["to"].Value), back.Groups["loose"].Success);
        return null;
    }

    /// <summary>"..., ky everywhere now", "...; the wiki is in Outline now": the clause that says what is used
    /// now names the successor (its name, else its subject).</summary>
    private static string? Successor(string rest)
    {
        var clauses = ClauseEnd().Split(rest).Select(c => c.Trim()).ToList();
        if (clauses.Select(c => NowIn().Match(c)).FirstOrDefault(m => m.Success) is { } place) return place.Groups["to"].Value; // "they're in the object store"
        var clause = clauses.FirstOrDefault(c => Now().IsMatch(c));
        if (clause is null) return null;
        if (Choices.Values(clause) is [var named, ..]) return named;
        var subject = SubjectOf().Match(clause);
        return subject.Success ? subject.Groups["to"].Value : null;
    }

    [GeneratedRegex(@"^(?:they're|they are|it's|it is|they live|it lives) (?:now )?(?:in|on) (?:the |our )?(?<to>[\w@.#+/-]+(?: [\w@.#+/-]+)?)$", RegexOptions.IgnoreCase)]
    private static partial Regex NowIn();

    [GeneratedRegex(@"[,;]\s*|\.(?:\s+|$)")]
    private static partial Regex ClauseEnd();

    [GeneratedRegex(@"^(?<name>\D+?)\s+v?\d[\w.]*$")]
    private static partial Regex VersionedName();

    [GeneratedRegex(@"\b(?:now|instead|everywhere|from now on)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Now();

    [GeneratedRegex(@"^(?:we (?:use|run) )?(?!(?:we|i|they|it|this|that|the|our|everything|everyone|all)\b)(?<to>`[^`]+`|[\w@.#+/-]+)\b", RegexOptions.IgnoreCase)]
    private static partial Regex SubjectOf();

    /// <summary>"the Java version" is "Java": what has the version.</summary>
    [GeneratedRegex(@"\s+(?:version|versions|runtime|image|release)$|^(?:min(?:imum)?|max(?:imum)?|supported|default|target)\s+", RegexOptions.IgnoreCase)]
    private static partial Regex Generic();

    private static string Clean(string value) => Article().Replace(value.Trim(), "").TrimEnd('.', ',', ';', ':').Trim('`');

    [GeneratedRegex(@"^(?:the|our|an?)\s+", RegexOptions.IgnoreCase)]
    private static partial Regex Article();

    /// <summary>A named thing: code in backticks, or a word and any capitalised or numbered words after it, after an optional article.</summary>
    private const string Thing = @"(?:(?:the|our|an?)\s+)?(?:`[^`]+`|[\w@.#+/-]+(?-i:(?: [\p{Lu}\d][\w@.#+/-]*)*))";

    /// <summary>A name (capitalised), a version or an identifier: what "Y instead of X" puts first.</summary>
    private const string Named = @"(?-i:(?:`[^`]+`|\p{Lu}[\w@.#+/-]*|[\w@.#+/-]*[\d./_#@][\w@.#+/-]*)(?: [\p{Lu}\d][\w@.#+/-]*)*)";

    /// <summary>A person's name: who hands work over, or takes it over.</summary>
    private const string Person = @"(?-i:\p{Lu}\p{Ll}+)";

    /// <summary>The same, as the subject of "Y replaced X": not a pronoun.</summary>
    private const string Subject = @"(?!(?:we|i|they|you|he|she|it|someone|somebody|this|that)\b)" + Thing;

    [GeneratedRegex(@"\b(?:(?:moved|switched|migrated|changed|went|move|switch|migrate|change|go|moving|switching|migrating)\s+(?:(?!from\b)\S+\s+){0,3}?(?:away )?(?:from|off(?: of)?)\s+(?<from>" + Thing + @")(?:\s+[a-z]+)?\s+(?:to|onto|over to)\s+(?<to>" + Thing + @")"
        + @"|replac(?:e|ed|ing)\s+(?<from>" + Thing + @")\s+(?:with|by)\s+(?<to>" + Thing + @")"
        + @"|(?:swapp?(?:ed)?|trad(?:e|ed)|dropp?(?:ed)?|ditch(?:ed)?)\s+(?!support\b)(?<from>" + Thing + @")\s+(?:out\s+)?for\s+(?<to>" + Thing + @")"
        + @"|(?:dropp?(?:ed)?|ditch(?:ed)?|abandon(?:ed)?|left)\s+(?<from>" + Thing + @")\s+in\s+favou?r\s+of\s+(?<to>" + Thing + @")"
        + @"|(?:use|using)\s+(?<to>" + Thing + @")\s+instead\s+of\s+(?<from>" + Thing + @")"
        + @"|instead\s+of\s+(?<from>" + Thing + @"),?\s+(?:we\s+)?(?:use|run|go with)\s+(?<to>" + Thing + @")"
        + @"|(?<to>" + Subject + @")\s+(?:has\s+)?replac(?:ed|es)\s+(?<from>" + Thing + @")"
        + @"|(?<from>" + Thing + @")\s+(?:was|got|has been|is being)\s+replaced\s+(?:by|with)\s+(?<to>" + Thing + @")"
        + @"|(?<from>" + Thing + @")\s*(?:->|→)\s*(?<to>" + Thing + @")"
        + @"|(?<to>" + Named + @")\s+instead\s+of\s+(?<from>" + Thing + @")"
        + @"|(?<to>" + Named + @")\s+now,?\s+not\s+(?:[a-z]+\s+)?(?<from>" + Named + @")"
        + @"|(?<from>" + Person + @")\s+(?:is\s+|has\s+)?hand(?:s|ed|ing)?\s+(?:\S+\s+){0,3}?over\s+(?:\S+\s+){0,3}?to\s+(?<to>" + Person + @")"
        + @"|(?<from>" + Person + @")\s+(?:has\s+)?(?:left|quit)\b[^.;]*?[,;]\s*(?:\w+\s+){0,2}?(?<to>" + Person + @")\b"
        + @"|(?<to>" + Person + @")\s+(?:is\s+|has\s+|will\s+)?(?:take|takes|taking|taken|took)\s+over\s+(?:\S+\s+){1,4}?from\s+(?<from>" + Person + @"))", RegexOptions.IgnoreCase)]
    private static partial Regex Swap();

    [GeneratedRegex(@"\b(?<what>[\w.#+/-]+(?: [\w.#+/-]+)?)\s+(?:was|were|has been|have been|got|is)\s+(?:upgraded|bumped|updated|moved|migrated|raised|lowered|increased|reduced)\s+to\s+v?(?<to>\d[\w.]*)|\b(?:upgrad|bump|updat|mov|migrat|roll|downgrad|rais|lower|increas|reduc)(?:e|ed|ing|s)?\s+(?:(?:the|our|all|every)\s+)?(?<what>[\w.#+/-]+(?: [\w.#+/-]+){0,2}?)(?:\s+from\s+v?\d[\w.]*)?\s+(?:to|->|→)\s+v?(?<to>\d[\w.]*)|\b(?<what>[\w.#+/-]+(?: [\w.#+/-]+)?)\s+(?:is|are)\s+now\s+(?:on\s+)?v?(?<to>\d[\w.]*)|\b(?:it's|it is|we're|we are|runs?|uses?|is on|are on)\s+(?:on\s+)?(?<what>(?-i:\p{L}[\w.#+/-]*))\s+v?(?<to>\d[\w.]*)\s+now\b", RegexOptions.IgnoreCase)]
    private static partial Regex Upgrade();

    [GeneratedRegex(@"\b(?:(?:we |i )?no longer (?:use|run|need|have|do|support|deploy|ship|maintain|host|call|rely on|depend on|pay for)\s+(?:the\s+)?(?<what>" + Thing + @")|forget (?:that |about )?(?:the )?(?<what>" + Thing + @")|stop(?:ped)? (?:using|running) (?<what>" + Thing + @")|(?:dropped|removed|ended|stopped) support for (?<what>" + Thing + @")|(?:got rid of|gotten rid of|removed|dropped|retired|killed|sunset|decommissioned|turned off|deleted|ditched|dumped|scrapped|binned|moved away from) (?:the )?(?<what>" + Thing + @")|\bno more (?<what>" + Thing + @")|(?:don't|do not) (?:use|run) (?<what>" + Thing + @") any ?more|(?:isn't|aren't|is not|are not) (?:in|on|stored in|kept in) (?<what>" + Thing + @") any ?more|(?<what>" + Thing + @"(?: [a-z][\w-]*)?) (?:was|were|got|has been|have been) (?:sunset|retired|removed|dropped|decommissioned|deprecated|killed|shut down|turned off|ditched)|(?<what>" + Thing + @") (?:is|are) (?:no longer (?:used|true|needed|valid|the case|in use|(?:being )?\w+(?:ed|en))|gone|dead|retired|deprecated|removed|out))\b", RegexOptions.IgnoreCase)]
    private static partial Regex Gone();

    [GeneratedRegex(@"\b(?:back (?:on|to)|went back to|going back to|go back to|revert(?:ed|ing)? (?:back )?to|return(?:ed|ing)? to|rolled back to)\s+(?:the\s+)?(?<to>" + Thing + @")"
        + @"|(?<to>" + Named + @")\s+(?:is|are)\s+(?:now\s+)?(?:our|the)\s+new(?<loose>)\b"
        + @"|\b(?<loose>we're|we are)\s+(?:now\s+)?on\s+(?<to>" + Named + @")(?=[^.;]*\bnow\b)"
        + @"|\b(?<loose>moved|switched|migrated)\s+(?:(?:the|our)\s+)?(?:[\w-]+\s+){0,3}?(?:over\s+)?to\s+(?<to>" + Named + @")", RegexOptions.IgnoreCase)]
    private static partial Regex Back();
}
