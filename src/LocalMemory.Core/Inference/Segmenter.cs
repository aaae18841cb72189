using System.Text.RegularExpressions;
using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Inference;

/// <summary>How a sentence began before its lead-in was stripped.</summary>
[Flags]
internal enum Cue
{
    None = 0,
    /// <summary>"remember", "note", "from now on": the speaker wants it kept.</summary>
    Remember = 1,
    /// <summary>"actually", "scratch that", "sorry, I meant": it corrects something said before.</summary>
    Correction = 2,
    /// <summary>"yes", "perfect", "go ahead": it accepts what was proposed.</summary>
    Acceptance = 4,
    /// <summary>"no", "nope": it turns down what was proposed.</summary>
    Rejection = 8,
    /// <summary>"haha", "lol": what follows is an aside, not a fact about the project.</summary>
    Aside = 16,
}

/// <summary>One sentence of a conversation, with who said it. <see cref="Speaker"/> is a name, "the user" or "the assistant".</summary>
internal sealed record Unit(int Message, int Index, string Role, string Speaker, string Text, Cue Cues)
{
    public bool FromAssistant => Role == "assistant";
}

/// <summary>Cuts messages into sentences: drops fenced code, gives each bullet its list's heading, splits a
/// "label: a, b, c" note into one sentence per item, strips lead-ins, and names the speaker of "Name: text" lines.</summary>
internal static partial class Segmenter
{
    public const string User = "the user";
    public const string Assistant = "the assistant";

    public static List<Unit> Split(IReadOnlyList<Message> messages)
    {
        var named = messages.Count(m => m.Role.Equals("user", StringComparison.OrdinalIgnoreCase) && SpeakerName(m.Content) is not null);
        var units = new List<Unit>();
        for (var m = 0; m < messages.Count; m++)
        {
            var role = messages[m].Role.ToLowerInvariant();
            if (role is not ("user" or "assistant") || string.IsNullOrWhiteSpace(messages[m].Content)) continue;
            var content = messages[m].Content;
            var speaker = role == "assistant" ? Assistant : User;
            if (role == "user" && SpeakerName(content) is { } name && (named >= 2 || Person.FirstPerson(content[(name.Length + 1)..])))
            {
                speaker = name;
                content = content[(name.Length + 1)..];
            }
            var index = 0;
            foreach (var sentence in Sentences(content))
            {
                var (text, cues) = StripLeadIns(sentence);
                units.Add(new Unit(m, index++, role, speaker, text, cues));
            }
        }
        return units;
    }

    /// <summary>The name in "Name: text" when it looks like a person's (capitalised, not a label such as "Note").</summary>
    private static string? SpeakerName(string content)
    {
        var match = SpeakerPrefix().Match(content);
        return match.Success && !Label().IsMatch(match.Groups["name"].Value) ? match.Groups["name"].Value : null;
    }

    private static readonly string[] Abbreviations = ["e.g.", "i.e.", "etc.", "vs.", "mr.", "mrs.", "ms.", "dr.", "approx.", "no.", "cf."];

    internal static IEnumerable<string> Sentences(string text)
    {
        var lines = Lines(text);
        string? heading = null;
        for (var i = 0; i < lines.Count; i++)
        {
            var (line, bullet, code) = lines[i];
            if (code is not null) continue;
            if (!bullet)
            {
                heading = null;
                if (Heading().Match(line) is { Success: true } h)
                {
                    var next = i + 1 < lines.Count ? lines[i + 1] : default;
                    if (next.Bullet) { heading = h.Groups["heading"].Value; continue; }
                    if (Presents().IsMatch(line)) continue; // "X looks like this:" says nothing without the code, which is shown, not said
                    // "We call the API only through the wrapper:" and the code that shows it
                    line = next.Code is { } shown ? $"{h.Groups["heading"].Value}: `{shown}`" : h.Groups["heading"].Value;
                }
            }
            else if (heading is not null && !GenericHeading().IsMatch(heading)) line = heading + ": " + line;
            foreach (var sentence in InLine(line))
                foreach (var item in Items(sentence))
                    foreach (var clause in Clauses(item)) yield return clause;
        }
    }

    /// <summary>The lines of a message without bullets; a fenced code block becomes one entry whose Code is its first
    /// line when the block is short (a longer block is shown, not said).</summary>
    private static List<(string Text, bool Bullet, string? Code)> Lines(string text)
    {
        var lines = new List<(string, bool, string?)>();
        var raw = text.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                var end = i + 1;
                while (end < raw.Length && !raw[end].TrimStart().StartsWith("```", StringComparison.Ordinal)) end++;
                var code = raw[(i + 1)..Math.Min(end, raw.Length)].Where(l => l.Trim().Length > 0).ToList();
                lines.Add(("", false, code.Count is > 0 and <= 5 && code[0].Trim().Length <= 80 ? code[0].Trim() : ""));
                i = end;
                continue;
            }
            if (raw[i].StartsWith("    ", StringComparison.Ordinal) || raw[i].StartsWith('\t')) continue; // indented code
            var bullet = Bullet().Match(raw[i]);
            var line = raw[i][bullet.Length..].Trim();
            if (line.Length > 0) lines.Add((line, bullet.Success, null));
        }
        return lines;
    }

    private static IEnumerable<string> InLine(string content)
    {
        var start = 0;
        for (var i = 0; i < content.Length; i++)
        {
            if (content[i] == '`' && content.IndexOf('`', i + 1) is var close and > 0) { i = close; continue; } // "`a.b()`" is one word
            if (content[i] is not ('.' or '!' or '?')) continue;
            var end = i + 1;
            while (end < content.Length && content[end] is '.' or '!' or '?' or '"' or '\'' or ')') end++;
            if (end < content.Length && !char.IsWhiteSpace(content[end])) continue; // "18.2", "api/schema.graphql"
            var candidate = content[start..end];
            if (Abbreviations.Any(a => candidate.EndsWith(a, StringComparison.OrdinalIgnoreCase))) continue;
            if (candidate.Trim().Length > 0) yield return candidate.Trim();
            start = end;
            i = end - 1;
        }
        if (start < content.Length && content[start..].Trim() is { Length: > 0 } rest) yield return rest;
    }

    /// <summary>"eslint: no console, max 120 cols, strict" is three notes about eslint.</summary>
    private static IEnumerable<string> Items(string sentence)
    {
        var match = LabelList().Match(sentence);
        if (!match.Success) return [sentence];
        var items = ListSeparator().Split(match.Groups["items"].Value.TrimEnd('.', '!')).Select(i => i.Trim()).Where(i => i.Length > 0).ToList();
        // "x: y, is required" is one sentence, and "options: a, b or c" one list of alternatives
        if (items.Count < 2 || items.Any(i => i.Split(' ').Length > 4 || Predicate().IsMatch(i) || i.Contains(" or ", StringComparison.Ordinal))) return [sentence]; // "x: y, is required" is one sentence
        return items.Select(i => $"{match.Groups["label"].Value}: {i}");
    }

    /// <summary>Splits a sentence into statements that stand alone: at "; " and at ", and remember/never/always ...".
    /// A cause and its fix stay together, and so does a part that only refers back ("; use B instead").</summary>
    internal static IEnumerable<string> Clauses(string sentence)
    {
        if (Statements.IsCause(sentence)) return [sentence];
        var parts = new List<string>();
        foreach (var part in sentence.Split("; "))
        {
            // "X was retired; we use Y now" says what replaced X only as a whole
            if (parts.Count > 0 && (ReferBack().IsMatch(part) || Statements.IsReason(part) || (Change.In(parts[^1]) is Change.Dropped && Change.In(parts[^1] + "; " + part) is Change.Replaced))) parts[^1] += "; " + part;
            else parts.AddRange(RuleJoin().Split(part).Where(p => !string.IsNullOrWhiteSpace(p)).SelectMany(Splice));
        }
        return parts;
    }

    /// <summary>"I'm handing X over, I'm moving to Y": two sentences joined by a comma, each with its own subject.</summary>
    private static IEnumerable<string> Splice(string part)
    {
        // "forget the code freeze, we have feature flags now": what is dropped, then a fact of its own
        if (Change.In(part) is Change.Dropped && AfterDrop().Match(part) is { Success: true } then && Statements.Words(part[(then.Index + 2)..]) >= 3)
            return [part[..then.Index] + ".", part[(then.Index + 2)..]];
        var m = CommaSplice().Match(part);
        if (!m.Success) return [part];
        // only two plain statements by the same subject: "when I travel, I'm slower to reply" and "..., we'll discuss it" stay whole
        var first = part[..m.Index];
        var second = part[(m.Index + 2)..];
        var subject = second[..second.IndexOfAny([' ', '\''])];
        var sameSubject = first.StartsWith(subject, StringComparison.Ordinal) && first.Length > subject.Length && !char.IsLetter(first[subject.Length]);
        if (!sameSubject || Statements.Words(first) < 3 || Statements.Words(second) < 5 || Linked().IsMatch(first)) return [part];
        return [part[..m.Index] + ".", part[(m.Index + 2)..]];
    }

    public static (string Text, Cue Cues) StripLeadIns(string text)
    {
        var cues = Cue.None;
        for (var m = LeadIn().Match(text); m.Success && m.Length > 0; m = LeadIn().Match(text))
        {
            var word = m.Groups["word"].Value.ToLowerInvariant();
            cues |= RememberWord().IsMatch(word.Replace(" that", "", StringComparison.Ordinal)) ? Cue.Remember
                : CorrectionWord().IsMatch(word) ? Cue.Correction
                : RejectionWord().IsMatch(word) ? Cue.Rejection
                : AcceptanceWord().IsMatch(word) ? Cue.Acceptance
                : word.StartsWith("hah", StringComparison.Ordinal) || word is "lol" ? Cue.Aside
                : Cue.None;
            text = text[m.Length..].TrimStart();
            if (text.Length == 0) break;
        }
        return (text, cues);
    }

    [GeneratedRegex(@"^(?:is|are|was|were|must|should|has|have|will|can)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Predicate();

    [GeneratedRegex(@"\b(?:like this|like so|as follows|the following|this (?:pattern|snippet|example)|for example|for instance|(?:this|the|an?) error|errors? (?:we|i) (?:get|got|see)|getting|stack ?trace|traceback|exception)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Presents();

    [GeneratedRegex(@", (?=(?:we|i|they|there)\b)", RegexOptions.IgnoreCase)]
    private static partial Regex AfterDrop();

    /// <summary>A comma, then a new subject with its verb: "I'm", "we'll", "she is".</summary>
    [GeneratedRegex(@", (?=(?:I|we|he|she|they)(?:'m|'re|'ll|'ve| am| are| will| have| is)\b)")]
    private static partial Regex CommaSplice();

    /// <summary>A clause that needs the other one ("if X, I'll Y"; "after X, we ...").</summary>
    [GeneratedRegex(@"\b(?:if|when|once|because|since|although|though|unless|before|after|while|as|until|whenever|but|and|so)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Linked();

    [GeneratedRegex(@"\binstead\b|^(?:it|this|that|they)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ReferBack();

    [GeneratedRegex(@",? and (?=(?:remember|never|always|don't|do not|make sure|also|please) )", RegexOptions.IgnoreCase)]
    private static partial Regex RuleJoin();

    /// <summary>A heading that says only that a list follows ("Rules for this project") adds nothing to its items.</summary>
    [GeneratedRegex(@"^(?:(?:our|the|this|these|some|a|few|couple|of|for|in|quick|general|misc|important|team|repo|repository|project|codebase|here|conventions?|rules?|notes?|guidelines?|standards?|things|stuff|list|todos?|reminders?|points?)\s*)+$", RegexOptions.IgnoreCase)]
    private static partial Regex GenericHeading();

    [GeneratedRegex(@"^\s*(?:[-*+•]|\d+[.)])\s+")]
    private static partial Regex Bullet();

    /// <summary>A short line that ends in a colon and introduces a list.</summary>
    [GeneratedRegex(@"^(?<heading>[^:`]{2,60}):$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^(?<label>[\w][\w .#/+-]{0,30}):\s+(?<items>[^:]+)$")]
    private static partial Regex LabelList();

    [GeneratedRegex(@",\s*(?:and\s+)?|;\s*|\s+and\s+")]
    private static partial Regex ListSeparator();

    [GeneratedRegex(@"^(?<name>\p{Lu}[\p{Ll}'-]+(?: \p{Lu}[\p{Ll}'-]+)?):\s")]
    private static partial Regex SpeakerPrefix();

    [GeneratedRegex(@"^(?:note|notes|update|edit|fyi|ps|todo|context|summary|decision|question|answer|reminder|important|warning|bug|fix|issue|problem|solution|result|status|plan|goal|example|also|tl;dr|re|done|next|why|because|rule|rules|convention|conventions|logging|config|setup|deploy|build|tests?|docs?)$", RegexOptions.IgnoreCase)]
    private static partial Regex Label();

    /// <summary>Discourse markers that open a sentence without adding to its content. Words that can also start a
    /// statement ("no force pushes", "update the docs") count only when punctuation follows them.</summary>
    [GeneratedRegex(@"^(?:(?<word>ok(?:ay)?|alright|all right|so|ah+|oh+|hmm+|um+|uh+|yes|yeah|yep|yup|nope|nah|never ?mind|anyway|btw|by the way|fyi|also|and|but|plus|note that|remember that|remember(?! to\b)|please|just|actually|no,? wait|from now on|going forward|for the record|heads up|perfect|exactly|indeed|absolutely|definitely|agreed|awesome|sorry|hold on|wow|whoa|omg|aww+|ooh+|yay|totally|scratch that|on second thought|my bad|i misremembered|i was wrong|i meant|that's right|that is right|makes sense|sounds good|fine (?:with|by) me|works for me|got it|lgtm|same here|me too|haha+|lol|hey|hi|hello|and yes)\b(?:\s*(?:[,:;!.]|-{1,2}|—)+)?|(?<word>no|well|right|great|cool|nice|sure|good|correct|true|done|wait|update|note|important|reminder|correction|then)\s*(?:[,:;!.]|-{1,2}|—)+|(?<word>👍|🙏|✅))\s*", RegexOptions.IgnoreCase)]
    private static partial Regex LeadIn();

    [GeneratedRegex(@"^(?:remember|remember that|note|note that|fyi|from now on|going forward|for the record|important|reminder|heads up)$")]
    private static partial Regex RememberWord();

    [GeneratedRegex(@"^(?:actually|wait|no,? wait|hold on|scratch that|on second thought|correction|sorry|my bad|i misremembered|i was wrong|i meant)$")]
    private static partial Regex CorrectionWord();

    [GeneratedRegex(@"^(?:no|nope|nah)$")]
    private static partial Regex RejectionWord();

    [GeneratedRegex(@"^(?:ok|okay|alright|all right|sure|yes|yeah|yep|yup|perfect|exactly|correct|indeed|absolutely|definitely|agreed|good|great|awesome|cool|nice|that's right|that is right|true|makes sense|sounds good|fine with me|fine by me|works for me|lgtm|and yes|👍|✅)$")]
    private static partial Regex AcceptanceWord();
}
