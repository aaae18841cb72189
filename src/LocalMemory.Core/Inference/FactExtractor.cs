using System.Text;
using System.Text.RegularExpressions;
using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Inference;

/// <summary>A self-contained statement taken from a conversation, with where it came from.</summary>
public sealed record ExtractedFact(string Text, string Category, int MessageIndex, string Role);

/// <summary>Turns text or a conversation into separate, self-contained facts without a model or a network.</summary>
/// <remarks>
/// Rules, in order: split messages into sentences and clauses; drop greetings, thanks, questions, requests to the
/// agent, filler and reports of a problem still open; strip lead-ins ("ok,", "remember that", "FYI"); rewrite the
/// speaker ("I prefer" → "The user prefers", "let's go with X" → "Use X"); resolve a leading or trailing "it"/"this"
/// to the subject of the previous fact; join "fixed it by ..." to the cause before it. From the assistant only
/// causes and fixes are kept (its other sentences are answers, not the team's knowledge). Identifiers, numbers,
/// versions, paths and names are never rewritten.
/// </remarks>
public static partial class FactExtractor
{
    public static IReadOnlyList<ExtractedFact> Extract(IReadOnlyList<Message> messages)
    {
        var facts = new List<ExtractedFact>();
        for (var m = 0; m < messages.Count; m++)
        {
            var role = messages[m].Role.ToLowerInvariant();
            if (role == "system" || string.IsNullOrWhiteSpace(messages[m].Content)) continue;
            var fromAssistant = role == "assistant";
            string? previous = null; // the previous statement of this message, kept or not: "it" refers to it
            string? topic = null;    // "I looked into the slow dashboard." names what the next finding is about
            foreach (var sentence in Sentences(messages[m].Content))
            {
                if (Topic().Match(sentence) is { Success: true } named)
                {
                    topic = named.Groups["topic"].Value.TrimEnd('.', ' ');
                    continue;
                }
                if (FixedIt().IsMatch(sentence) && previous is not null)
                {
                    // "The export loaded the whole table. I fixed it by streaming rows." is one fact: cause; fix.
                    var merged = Finish(TrimEnd(previous) + "; " + FixedIt().Replace(StripLeadIns(sentence).Text, "fixed", 1));
                    if (facts.Count > 0 && facts[^1].MessageIndex == m && facts[^1].Text == Finish(previous)) facts[^1] = facts[^1] with { Text = merged, Category = "bugfix" };
                    else facts.Add(new ExtractedFact(merged, "bugfix", m, role));
                    previous = merged;
                    continue;
                }
                foreach (var clause in Clauses(sentence))
                {
                    var (text, flagged) = StripLeadIns(clause);
                    var keep = Keep(text, fromAssistant, flagged);
                    var resolved = Resolve(Rewrite(text), previous);
                    previous = resolved;
                    if (!keep) continue;
                    if (topic is not null && Cause().IsMatch(resolved) && !resolved.Contains(topic, StringComparison.OrdinalIgnoreCase))
                        resolved = Capitalize(topic) + ": " + resolved;
                    var fact = Finish(resolved);
                    if (facts.All(f => !f.Text.Equals(fact, StringComparison.OrdinalIgnoreCase)))
                        facts.Add(new ExtractedFact(fact, Categorize(fact), m, role));
                }
            }
        }
        return facts;
    }

    // ---- splitting ----

    private static readonly string[] Abbreviations = ["e.g.", "i.e.", "etc.", "vs.", "mr.", "dr.", "approx.", "no."];

    internal static IEnumerable<string> Sentences(string text)
    {
        foreach (var line in text.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            var content = Bullet().Replace(line, "").Trim();
            if (content.Length == 0) continue;
            var start = 0;
            for (var i = 0; i < content.Length; i++)
            {
                if (content[i] is not ('.' or '!' or '?')) continue;
                var end = i + 1;
                while (end < content.Length && content[end] is '.' or '!' or '?' or '"' or '\'' or ')') end++;
                if (end < content.Length && !char.IsWhiteSpace(content[end])) continue; // "18.2", "api/schema.graphql"
                var candidate = content[start..end];
                if (Abbreviations.Any(a => candidate.EndsWith(a, StringComparison.OrdinalIgnoreCase))) continue;
                yield return candidate.Trim();
                start = end;
                i = end - 1;
            }
            if (start < content.Length && content[start..].Trim() is { Length: > 0 } rest) yield return rest;
        }
    }

    /// <summary>Splits a sentence into statements that stand alone: at "; " and at ", and remember/never/always ...".</summary>
    internal static IEnumerable<string> Clauses(string sentence)
    {
        if (Cause().IsMatch(sentence)) return [sentence]; // a cause and its fix stay together
        var parts = new List<string>();
        foreach (var part in sentence.Split("; "))
        {
            // "use date-fns instead" means nothing without the clause before it
            if (parts.Count > 0 && ReferBack().IsMatch(part)) parts[^1] += "; " + part;
            else parts.AddRange(RuleJoin().Split(part).Where(p => !string.IsNullOrWhiteSpace(p)));
        }
        return parts;
    }

    // ---- keeping ----

    private static bool Keep(string text, bool fromAssistant, bool flagged)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 3 || Filler().IsMatch(text)) return false;
        if (text.EndsWith('?') || Question().IsMatch(text)) return false;
        if (fromAssistant) return Cause().IsMatch(text) || AssistantChange().IsMatch(text);
        if (FillerStatement().IsMatch(text)) return false;
        if (Transient().IsMatch(text) && !Cause().IsMatch(text)) return false;
        if (TaskRequest().IsMatch(text) && !RuleMarker().IsMatch(text)) return false;
        return flagged || Categorize(text) != "other" || Declarative().IsMatch(text) || Declarative().IsMatch(Rewrite(text));
    }

    private static (string Text, bool Flagged) StripLeadIns(string text)
    {
        var flagged = false;
        for (var changed = true; changed;)
        {
            changed = false;
            var m = LeadIn().Match(text);
            if (m.Success && m.Length < text.Length)
            {
                flagged |= MemoryIntent().IsMatch(m.Value);
                text = text[m.Length..].TrimStart();
                changed = true;
            }
        }
        return (text, flagged);
    }

    // ---- rewriting ----

    private static string Rewrite(string text)
    {
        text = LetsGoWith().Replace(text, m => "Use " + m.Groups["what"].Value);
        text = Lets().Replace(text, "");
        text = Speaker().Replace(text, m => m.Groups["verb"].Value.ToLowerInvariant() switch
        {
            "i'm" or "i am" => "The user is",
            "i prefer" => "The user prefers",
            "i like" => "The user likes",
            "i want" => "The user wants",
            "i use" => "The user uses",
            var v => "The user " + v[2..],
        });
        return ForThis().Replace(text, "");
    }

    /// <summary>"It runs on 6380" / "Maxime maintains it" after "The search service caches ..." name the service.</summary>
    private static string Resolve(string text, string? previous)
    {
        if (previous is null) return text;
        var subject = Subject(previous);
        if (subject is null) return text;
        var leading = LeadingPronoun().Match(text);
        if (leading.Success) return subject + text[leading.Groups["pronoun"].Length..];
        var trailing = TrailingPronoun().Match(text);
        return trailing.Success ? text[..trailing.Index] + " " + Lower(subject) + trailing.Groups["end"].Value : text;
    }

    private static string? Subject(string sentence)
    {
        var words = sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 1; i < Math.Min(words.Length, 6); i++)
            if (Verb().IsMatch(words[i])) return string.Join(' ', words[..i]);
        return null;
    }

    private static string Finish(string text)
    {
        text = text.Trim().TrimEnd(',', ';', ':').Trim();
        if (text.EndsWith('!')) text = text.TrimEnd('!') + ".";
        if (text.Length > 0 && (char.IsLetterOrDigit(text[^1]) || text[^1] is '`' or ')' or '"')) text += ".";
        if (text.Length > 0 && char.IsLower(text[0]) && !IdentifierStart().IsMatch(text))
            text = char.ToUpperInvariant(text[0]) + text[1..];
        return text;
    }

    private static string Capitalize(string text) => text.Length > 0 ? char.ToUpperInvariant(text[0]) + text[1..] : text;

    private static string TrimEnd(string text) => text.TrimEnd('.', ' ', '!');

    private static string Lower(string text) =>
        text.Length > 1 && char.IsUpper(text[0]) && char.IsLower(text[1]) && !text.StartsWith("I ", StringComparison.Ordinal) ? char.ToLowerInvariant(text[0]) + text[1..] : text;

    // ---- categories ----

    public static string Categorize(string text) =>
        Preference().IsMatch(text) ? "preference"
        : Constraint().IsMatch(text) ? "constraint"
        : Cause().IsMatch(text) ? "bugfix"
        : Decision().IsMatch(text) ? "decision"
        : Ownership().IsMatch(text) ? "ownership"
        : Reference().IsMatch(text) ? "reference"
        : "other";

    // ---- patterns ----

    [GeneratedRegex(@"^(?:i|we) (?:looked into|investigated|checked|debugged|dug into|profiled) (?<topic>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex Topic();

    [GeneratedRegex(@"^\s*(?:[-*+•]|\d+[.)])\s+")]
    private static partial Regex Bullet();

    [GeneratedRegex(@"^(?:ok(?:ay)?|alright|all right|so|well|right|ah right|ah|oh(?: and)?|hmm+|great|cool|nice|sure|yes|yeah|yep|no|nope|never ?mind|anyway|btw|by the way|fyi|also|and|but|plus|note that|note|remember that|remember|please|just|actually|from now on|going forward|for the record|important|reminder|heads up|update)\b[,:!.]?\s*", RegexOptions.IgnoreCase)]
    private static partial Regex LeadIn();

    [GeneratedRegex(@"remember|note|fyi|from now on|going forward|for the record|important|reminder", RegexOptions.IgnoreCase)]
    private static partial Regex MemoryIntent();

    [GeneratedRegex(@"^(?:thanks|thank you|thx|ty|ok(?:ay)?|great|cool|nice|sounds good|got it|bye|hi|hello|hey|perfect|awesome|lol|hmm+|interesting|let's see|sure|yes|no|good|done|understood)\b[\s!.,]*(?:(?:thanks|thank you|bye|a lot|so much|!)[\s!.,]*)*$", RegexOptions.IgnoreCase)]
    private static partial Regex Filler();

    [GeneratedRegex(@"^(?:what|why|how|when|where|who|whom|which|can you|could you|would you|will you|do you|does|did you|is there|are there|should i|should we|shall we|any idea)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Question();

    [GeneratedRegex(@"^(?:let me|i'll|i will|i'm going to|i am going to|just checking|i think|maybe|perhaps|i'm not sure|i guess|here's|here is|running|let me know|get back|i looked|looking|checking|it's a|it is a)\b", RegexOptions.IgnoreCase)]
    private static partial Regex FillerStatement();

    [GeneratedRegex(@"\b(?:keeps? (?:failing|crashing|breaking)|(?:is|are|was|were) (?:failing|crashing|broken|flaky|slow|down)|doesn't work|does not work|not working)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Transient();

    [GeneratedRegex(@"^(?:please |yes please,? |ok,? )?(?:continue|run|fix|check|look|show|explain|help|try|go ahead|create|write|update|refactor|implement|open|read|review|tell|give|find|investigate|debug)\b", RegexOptions.IgnoreCase)]
    private static partial Regex TaskRequest();

    [GeneratedRegex(@"\b(?:always|never|must|make sure|every|all|only|don't|do not|in \w+ files)\b", RegexOptions.IgnoreCase)]
    private static partial Regex RuleMarker();

    /// <summary>A statement of how things are: a subject, then a present-tense verb, with something concrete.</summary>
    [GeneratedRegex(@"^(?!(?:let me|i'll|i will|i'm going|just checking|i think|maybe|here's|running|let me know)\b)[\w`'""./#@-]+(?: [\w`'""./#@-]+){0,5} (?:is|are|has|have|uses|use|runs|run|lives|live|stores|caches|goes|go|talks|deploys|deploy|expires|expire|needs|need|holds|contains|depends|handles|sends|calls|keeps|belongs|points|listens)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Declarative();

    [GeneratedRegex(@"\b(?:fixed|fix(?:es)? (?:it|this|that)|root cause|the cause|was the cause|caused by|because|due to|resolved by|workaround)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Cause();

    [GeneratedRegex(@"\b(?:i (?:changed|added|replaced|removed|switched|moved|updated)|now (?:loads|uses|runs|takes))\b", RegexOptions.IgnoreCase)]
    private static partial Regex AssistantChange();

    [GeneratedRegex(@"^(?:we |i |they )?(?:fixed|fix) (?:it|this|that)\b", RegexOptions.IgnoreCase)]
    private static partial Regex FixedIt();

    [GeneratedRegex(@"\binstead\b|^(?:it|this|that|they)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ReferBack();

    [GeneratedRegex(@",? and (?=(?:remember|never|always|don't|do not|make sure|also|please) )|, (?=(?:remember|never|always) )", RegexOptions.IgnoreCase)]
    private static partial Regex RuleJoin();

    [GeneratedRegex(@"^let'?s (?:go with|use|pick|choose|stick with) (?<what>.+?)(?: for (?:this|now|the project|it))?(?=[.!,]|$)", RegexOptions.IgnoreCase)]
    private static partial Regex LetsGoWith();

    [GeneratedRegex(@"^let'?s (?=\w)", RegexOptions.IgnoreCase)]
    private static partial Regex Lets();

    [GeneratedRegex(@"^(?<verb>i'm|i am|i prefer|i like|i want|i use|i need|i always|i never)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Speaker();

    [GeneratedRegex(@" for this(?=[.!]?$)", RegexOptions.IgnoreCase)]
    private static partial Regex ForThis();

    [GeneratedRegex(@"^(?<pronoun>it|this|that)\b(?= (?:is|was|runs|uses|lives|has|needs|must|should|caches|stores|handles|talks|expires|belongs|goes|depends|holds|keeps))", RegexOptions.IgnoreCase)]
    private static partial Regex LeadingPronoun();

    [GeneratedRegex(@" (?:it|this|that)(?<end>[.!]?)$", RegexOptions.IgnoreCase)]
    private static partial Regex TrailingPronoun();

    [GeneratedRegex(@"^(?:is|are|was|were|has|have|had|uses|runs|caches|lives|stores|owns|maintains|needs|must|should|will|can|goes|talks|deploys|expires|keeps|loads|calls|handles|sends|holds|contains|depends|reviews|listens|points|belongs)$", RegexOptions.IgnoreCase)]
    private static partial Regex Verb();

    [GeneratedRegex(@"^[a-z0-9_.-]+(?:\(\)|[./_#])")]
    private static partial Regex IdentifierStart();

    [GeneratedRegex(@"\b(?:the user (?:prefers|likes|wants)|prefer|rather|i like|i want)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Preference();

    [GeneratedRegex(@"\b(?:never|always|must|mustn't|don't|do not|not allowed|forbidden|banned|required|make sure|pinned|pin|should not|shouldn't|no \w+ (?:in|on)|only)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Constraint();

    [GeneratedRegex(@"\b(?:decided|decision|we use|we'll use|we will use|use|going with|go with|chose|switch(?:ed)? (?:to|from)|moved (?:to|from|off)|migrat(?:e|ed) (?:to|from|off)|replac(?:e|ed)|no longer|stopped using|adopt(?:ed)?|deploy with|go through)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Decision();

    [GeneratedRegex(@"\b(?:owns|owner|maintains|maintainer|responsible for|reviews)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Ownership();

    [GeneratedRegex(@"(?:\w/\w|`[^`]+`|\.\w{2,8}\b(?!\.)|\b(?:lives in|is in|located|stored in)\b|https?://)", RegexOptions.IgnoreCase)]
    private static partial Regex Reference();
}
