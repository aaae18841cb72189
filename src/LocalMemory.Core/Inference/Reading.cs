using System.Text.RegularExpressions;

namespace LocalMemory.Core.Inference;

/// <summary>Reads a conversation in order and keeps what it settles: statements that stand alone, a proposal the
/// user accepts, the last word of a choice that was corrected, and a cause with its fix.</summary>
/// <remarks>
/// <list type="bullet">
/// <item>A sentence that leans on the one before ("It runs on 6380", "Ask him first") gets its subject back, or is
/// joined to that sentence; one that cannot be resolved is dropped.</item>
/// <item>A correction ("actually, use B instead", "scratch that, put them in B") replaces the value of the choice
/// it corrects, which keeps what the choice was for; the corrected statement is not kept.</item>
/// <item>The reason given for a constraint in the next sentence stays with it.</item>
/// <item>From the assistant only causes and fixes are facts; its proposals and reports of a change become facts
/// when the user accepts them, or when they fix a problem of this conversation.</item>
/// </list>
/// </remarks>
internal sealed partial class Reading(List<Unit> units)
{
    private sealed class Draft(Unit unit, string text, string? category = null)
    {
        public Unit Unit { get; } = unit;
        public string Text { get; set; } = text;
        public string? Category { get; set; } = category;
        public bool Removed { get; set; }
        public bool Joined { get; set; }
    }

    private const int MaxJoined = 400;
    private readonly List<Draft> _drafts = [];
    private readonly List<string> _named = [.. units.Where(u => u.Speaker is not (Segmenter.User or Segmenter.Assistant)).Select(u => u.Speaker).Distinct()];
    private (string Text, Unit Unit)? _proposal;
    private (List<string> Values, string? Topic)? _options; // "Options for X: A, B or C", answered by naming one
    private (string Text, Unit Unit)? _finding; // what the assistant found while a problem is open: a cause, if a fix follows
    private (string Text, Unit Unit)? _statement; // the last statement, kept or not: what "it" and "him" point to
    private Draft? _last;
    private Draft? _cause;
    private string? _topic; // what the next answer or finding is about ("What about disk?", "I looked into X")
    private string? _problem; // the problem the user reported, which the assistant's fix is about
    private (string Topic, int Message)? _asked; // what the last question asked for, which a short answer leaves out
    private int _userAsked = -2; // the message in which the user last asked something
    private string? _wanted; // what the user's question asked for ("which broker for X?"), what the options offered are for
    private readonly List<(string Text, Unit Unit)> _answers = []; // the assistant's answer to it, kept if the user takes it in
    private Draft? _why; // a statement the assistant asked the reason for

    public IReadOnlyList<ExtractedFact> Facts()
    {
        var carried = Cue.None;
        for (var i = 0; i < units.Count; i++)
        {
            var unit = units[i];
            if (i > 0 && units[i - 1].Message == unit.Message) unit = unit with { Cues = unit.Cues | carried };
            carried = unit.Text.Length == 0 ? unit.Cues : Cue.None; // "Hmm, actually no." colours the sentence after it
            if (unit.FromAssistant) Assistant(unit, Statements.Classify(unit));
            else User(unit, Statements.Classify(unit));
            var endOfMessage = i + 1 == units.Count || units[i + 1].Message != unit.Message;
            if (endOfMessage && !unit.FromAssistant && _proposal is { } p && p.Unit.Message < unit.Message) _proposal = null;
            if (endOfMessage && !unit.FromAssistant)
            {
                _options = null;
                _answers.Clear();
                _why = null;
                if (_asked?.Message < unit.Message) _asked = null;
            }
        }
        return [.. _drafts.Where(d => !d.Removed).Select(d =>
        {
            var text = FactExtractor.Finish(d.Text);
            return new ExtractedFact(text, d.Category ?? Categories.Of(text), d.Unit.Message, d.Unit.Role);
        })];
    }

    private void User(Unit unit, Kind kind)
    {
        if (unit.Index == 0 && (kind == Kind.Filler || (unit.Cues & Cue.Acceptance) != 0))
            foreach (var (answer, by) in _answers) Add(by, answer, null); // the user took in the answer to their question
        _answers.Clear();
        if ((unit.Cues & Cue.Acceptance) != 0 && kind == Kind.Statement && _proposal is { } p && Answers.IsElliptic(unit.Text))
        {
            _proposal = (Answers.Complete(p.Text, unit.Text), p.Unit); // "yes, the nightly one"
            Accept();
            return;
        }
        if ((unit.Cues & Cue.Acceptance) != 0 || (kind == Kind.Filler && Statements.Accepts(unit.Text))) Accept();
        if ((unit.Cues & Cue.Rejection) != 0 && kind == Kind.Filler) _proposal = null;
        if (_options is { } options && unit.Index == 0 && Picked(unit.Text, options.Values) is { } picked)
            Add(unit, options.Topic is { } topic ? $"Use {picked} for {topic}" : _wanted is { } wanted ? $"Use {picked} as the {wanted}" : $"Use {picked}", "decision");
        if (kind is not (Kind.Question or Kind.Filler) && ((unit.Cues & (Cue.Correction | Cue.Rejection)) != 0 || Instead().IsMatch(unit.Text) || Corrections.Starts(unit.Text)) && Correct(unit)) return;
        if ((unit.Cues & Cue.Aside) != 0 && unit.Speaker == Segmenter.User && !Statements.IsRule(unit.Text)) return; // "haha the linter hates me"
        switch (kind)
        {
            case Kind.Filler:
                return;
            case Kind.Question:
                _topic = Statements.Topic(unit.Text);
                _statement = null;
                if (!Request().IsMatch(unit.Text)) _userAsked = unit.Message; // a question of fact, not "can you explain this?"
                _wanted = Answers.Asked(unit.Text, withPurpose: true);
                if (Choices.Chosen(unit.Text) is not null && Statements.IsImperative(unit.Text)) _proposal = (unit.Text.TrimEnd('?', ' '), unit); // "store the avatars in Azure?"
                if (unit.Speaker != Segmenter.User && Answers.Asked(unit.Text) is { } topic) _asked = (topic, unit.Message); // among people
                return;
            case Kind.Transient:
                _problem ??= unit.Text.TrimEnd('.', '!', ' ');
                return;
            case Kind.Hedge or Kind.Request or Kind.SmallTalk:
                _statement = null;
                return;
            case Kind.Cause:
                _problem ??= "";
                break;
        }
        if (kind == Kind.Cause && JoinFix(unit)) return;
        var speaker = unit.Speaker == Segmenter.User ? "the user" : unit.Speaker;
        var addressee = _named.Count == 2 && _named.Contains(unit.Speaker) ? _named.First(n => n != unit.Speaker) : null;
        var said = unit.Text;
        if (unit.Speaker != Segmenter.User)
        {
            // In a chat among people, a remark to the other one ("you'd be a great counselor") is about the moment,
            // and advice without a name or value in it ("keep it up") is no fact.
            said = Chat.WithoutVocative(said, _named);
            if (Chat.HasSecondPersonSubject(said) && !Statements.IsRule(said)) return;
            if (addressee is null && Inference.Person.SecondPerson(said) && !Statements.IsRule(said)) return;
            if (Statements.IsImperative(said) && !Statements.Anchored(said) && !Statements.IsRule(said)) return;
            if (Chat.WithSubject(said, speaker) is not { } complete) return;
            said = complete;
        }
        else if (YouSubject().IsMatch(said)) return; // a remark to the agent
        if (ForDoing().IsMatch(said)) return; // what is left of "thanks for doing X"
        if (_asked is { } asked && asked.Message < unit.Message && unit.Index == 0 && Answers.IsElliptic(said)) said = Answers.Complete(asked.Topic, said);
        var text = FactExtractor.Rewrite(said, speaker, addressee);
        if (_why is { Removed: false } reasonOf && unit.Index == 0)
        {
            reasonOf.Text = FactExtractor.Join(reasonOf.Text, text); // the reason the assistant asked for
            _why = null;
            return;
        }
        if (Lean(unit, text) is not { } resolved) return;
        text = resolved;
        if (_last is { } last && !last.Removed && last.Unit.Message == unit.Message && _statement?.Text == last.Text && Categories.Of(last.Text) == "constraint"
            && ((Statements.IsReason(text) && Shares(last.Text, text)) || (Statements.IsPin(last.Text) && !Statements.IsRule(text) && !Statements.IsImperative(said))))
        {
            last.Text = FactExtractor.Join(last.Text, text); // the pin and why
            return;
        }
        Add(unit, text, kind == Kind.Cause ? "bugfix" : null);
    }

    private void Assistant(Unit unit, Kind kind)
    {
        if (Investigated().Match(unit.Text) is { Success: true } looked)
        {
            _topic = looked.Groups["topic"].Value.TrimEnd('.', ' ');
            return;
        }
        var text = FactExtractor.Impersonal(MidSentenceI().Replace(unit.Text, ""));
        if (_topic is not null) text = LeadingIt().Replace(text, FactExtractor.Capitalize(_topic));
        if (Statements.Options(unit.Text) is { } options) _options = options;
        if ((kind is Kind.Question or Kind.Proposal) && Answers.Asked(unit.Text) is { } asked) _asked = (asked, unit.Message);
        switch (kind)
        {
            case Kind.Question when WhyNot().IsMatch(unit.Text) && _last is { Removed: false } said && said.Unit.Message == unit.Message - 1:
                _why = said;
                return;
            case Kind.Question when Confirm().IsMatch(unit.Text) && _statement is { } summary && summary.Unit.Message == unit.Message:
                _proposal = (Plan().Replace(summary.Text, ""), summary.Unit); // "So the plan is: X. Correct?"
                return;
            case Kind.Proposal:
                if (Statements.Proposed(unit.Text) is { } proposed) _proposal = (proposed, unit);
                return;
            case Kind.Cause when JoinFix(unit):
                return;
            case Kind.Cause:
                Add(unit, About(FoundIt().Replace(text, "")), "bugfix");
                _cause = _last;
                _problem ??= "";
                return;
            case Kind.Report when _cause is { Joined: false } cause && !cause.Removed && unit.Message - cause.Unit.Message <= 2 && cause.Text.Length + text.Length < MaxJoined:
                cause.Text = FactExtractor.Join(cause.Text, text);
                cause.Joined = true;
                return;
            case Kind.Report when _problem is not null && _finding is { } found && unit.Message - found.Unit.Message <= 2:
                Add(unit, About(FactExtractor.Join(found.Text, text)), "bugfix"); // what was found, then what was changed
                _finding = null;
                return;
            case Kind.Report when _problem is not null:
                Add(unit, About(text), "bugfix");
                return;
            case Kind.Report:
                _proposal = (text, unit);
                return;
            case Kind.Statement:
                if (_userAsked == unit.Message - 1 && Statements.Anchored(text) && !Statements.IsImperative(text) && !LeadingPronoun().IsMatch(text)) _answers.Add((text, unit));
                if (Statements.IsImperative(unit.Text)) _proposal = (text, unit); // "Warm the cache first, then ...": advice, taken if accepted
                _statement = (text, unit); // context for what follows, not a fact of its own
                if (_problem is not null && _cause is null) _finding = (text, unit);
                return;
            default:
                return;
        }
    }

    /// <summary>A cause and the fix told in the next sentence ("X happened. I fixed it by Y.") are one fact: the cause;
    /// the fix.</summary>
    private bool JoinFix(Unit unit)
    {
        if (!FixedIt().IsMatch(unit.Text) || _statement is not { } before || before.Unit.Message != unit.Message) return false;
        var fix = FixedIt().Replace(FactExtractor.Impersonal(unit.Text), "fixed", 1);
        if (_last is { } found && !found.Removed && found.Unit.Message == unit.Message && found.Text == before.Text) found.Text = FactExtractor.Join(found.Text, fix);
        else Add(unit, FactExtractor.Join(before.Text, fix), "bugfix");
        _last!.Category = "bugfix";
        _cause = _last;
        _cause.Joined = true;
        return true;
    }

    /// <summary>A finding or fix names what it is about: "&lt;the problem&gt;: &lt;what was found&gt;".</summary>
    private string About(string text)
    {
        var about = _topic ?? _problem;
        if (string.IsNullOrEmpty(about) || Words.Content(about).Intersect(Words.Content(text)).Any()) return text;
        return FactExtractor.Capitalize(about) + ": " + FactExtractor.Lower(text);
    }

    /// <summary>The user said yes to what the assistant proposed or reported.</summary>
    private void Accept()
    {
        if (_proposal is not { } accepted) return;
        _proposal = null;
        Add(accepted.Unit, accepted.Text, null);
    }

    private void Add(Unit unit, string text, string? category)
    {
        if (Thin(text))
        {
            _statement = (text, unit);
            return;
        }
        var finished = FactExtractor.Finish(text);
        if (_drafts.Any(d => !d.Removed && FactExtractor.Finish(d.Text).Equals(finished, StringComparison.OrdinalIgnoreCase))) return;
        _last = new Draft(unit, text, category);
        _drafts.Add(_last);
        _statement = (text, unit);
    }

    /// <summary>The one option the user's answer names ("Caddy."), or picks by its place ("the third one").</summary>
    private static string? Picked(string answer, List<string> options)
    {
        if (Ordinal().Match(answer) is { Success: true } position)
        {
            var index = position.Groups[1].Value.ToLowerInvariant() switch { "first" or "1st" => 0, "second" or "2nd" => 1, "third" or "3rd" => 2, _ => options.Count - 1 };
            return index < options.Count ? options[index] : null;
        }
        var named = options.Where(o => Choices.Names(answer, o) && !Regex.IsMatch(answer, $@"\b(?:not|no|don't|never)\s+{Regex.Escape(o)}", RegexOptions.IgnoreCase)).ToList();
        return named.Count == 1 ? named[0] : null;
    }

    private static string? Single(IEnumerable<string> values) => values.Take(2).ToList() is [var one] ? one : null;

    /// <summary>Does the correction restate what it corrects (shares a word other than the values), so it stands alone?</summary>
    private static bool SelfContained(string correction, string before, string old, string? value) =>
        Statements.Words(correction) >= 4 && !Elliptic().IsMatch(correction) && Words.Content(correction).Intersect(Words.Content(before))
            .Any(w => !ChoiceWord().IsMatch(w) && !w.Equals(old, StringComparison.OrdinalIgnoreCase) && !w.Equals(value, StringComparison.OrdinalIgnoreCase) && !Choices.Values(before).Contains(w, StringComparer.OrdinalIgnoreCase));

    private static bool Shares(string a, string b) => Words.Content(a).Intersect(Words.Content(b)).Any() || Choices.Values(a).Intersect(Choices.Values(b), StringComparer.OrdinalIgnoreCase).Any();

    /// <summary>Fewer than two content words, or two with no name, number or identifier: no fact on its own.</summary>
    private static bool Thin(string text)
    {
        var words = Words.Content(text).Count();
        return words < 2 || (words == 2 && !KeyValue().IsMatch(text) && !Statements.Anchored(text) && !RuleStart().IsMatch(text) && !UseWhat().IsMatch(text));
    }

    private static string? Subject(string sentence)
    {
        var words = sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 1; i < Math.Min(words.Length, 6); i++)
            if (Verb().IsMatch(words[i])) return NotASubject().IsMatch(words[0]) && i == 1 ? null : string.Join(' ', words[..i]);
        return null;
    }

    [GeneratedRegex(@"\binstead\b(?! of)", RegexOptions.IgnoreCase)]
    private static partial Regex Instead();

    [GeneratedRegex(@"^(?:you|your)\b(?! (?:should|must|need to|have to|always need to|can't|cannot|may not|mustn't|must not|shouldn't|should not)\b|(?:'ll| will) (?:need|have) to\b)", RegexOptions.IgnoreCase)]
    private static partial Regex YouSubject();

    [GeneratedRegex(@"^(?:for|by|about|with) \w+ing\b", RegexOptions.IgnoreCase)]
    private static partial Regex ForDoing();

    [GeneratedRegex(@"^(?:i|we) (?:looked into|investigated|checked|debugged|dug into|profiled) (?<topic>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex Investigated();

    [GeneratedRegex(@"^(?:we |i |they )?(?:fixed|fix) (?:it|this|that)\b", RegexOptions.IgnoreCase)]
    private static partial Regex FixedIt();

    [GeneratedRegex(@"(?<=[;,] (?:so |and |then )?)I(?:'ve)? (?=[a-z])")]
    private static partial Regex MidSentenceI();

    [GeneratedRegex(@"^(?:It|This|That)\b(?= \w)")]
    private static partial Regex LeadingIt();

    [GeneratedRegex(@"^(?:correct|right|ok(?:ay)?|is that (?:right|correct|ok)|sounds? good|agreed|does that work|makes sense|yes|good)\?+$", RegexOptions.IgnoreCase)]
    private static partial Regex Confirm();

    [GeneratedRegex(@"^(?:so,? )?(?:the plan is|to summari[sz]e|to recap|recap|in short|summary|plan|so we(?:'re| are) going with)[:,]?\s*", RegexOptions.IgnoreCase)]
    private static partial Regex Plan();

    /// <summary>A correction that leans on what it corrects: "make it 40", "use B instead", "put them in B", a bare value.</summary>
    [GeneratedRegex(@"^(?:make (?:it|that)|(?:use|go with|pick|take|switch to|put (?:it|them)|store (?:it|them)|keep (?:it|them))\b)|, make (?:it|that)\b|\binstead\b|^\S+(?: \S+){0,2}[.!]?$", RegexOptions.IgnoreCase)]
    private static partial Regex Elliptic();

    [GeneratedRegex(@"^found (?:it|the \w+)[:,.!]\s*(?=\w)", RegexOptions.IgnoreCase)]
    private static partial Regex FoundIt();

    /// <summary>"3k", "40 GB": an amount, which "it" does not point to.</summary>
    [GeneratedRegex(@"^\d[\d.,]*\s*[A-Za-z%]{0,3}$")]
    private static partial Regex Quantity();

    [GeneratedRegex(@"^(?:can|could|would|will) (?:you|we|i)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Request();

    /// <summary>"use mise": a choice, however short (a terse list joins it to its neighbours).</summary>
    [GeneratedRegex(@"^use \S+[.!]?$", RegexOptions.IgnoreCase)]
    private static partial Regex UseWhat();

    /// <summary>"the third one": an option picked by its place in the list.</summary>
    [GeneratedRegex(@"^(?:the |let's go with the |go with the )?(first|second|third|1st|2nd|3rd|last)(?: one| option)?\b", RegexOptions.IgnoreCase)]
    private static partial Regex Ordinal();

    [GeneratedRegex(@"^why(?: not)?\?", RegexOptions.IgnoreCase)]
    private static partial Regex WhyNot();

    [GeneratedRegex(@"[,;:—]| - ")]
    private static partial Regex Clause();

    [GeneratedRegex(@"\bthere[.!]?$", RegexOptions.IgnoreCase)]
    private static partial Regex TrailingThere();

    [GeneratedRegex(@"^'(?:s|re|ll)\b")]
    private static partial Regex Contraction();

    [GeneratedRegex(@"^(?:it|they|he|she|its|their|his|her)\b(?!-)|^(?:this|that|these|those)\b(?=(?:'s|'re|'ll)? ?(?:\w+ )?(?:is|are|was|were|runs|uses|lives|has|have|needs|must|should|caches|stores|handles|talks|expires|belongs|goes|depends|holds|keeps|contains|can|can't|cannot|will|won't|only|never|always|also|does|doesn't|did|didn't|takes|means|makes|gets|breaks|works|decides|owns|reviews|maintains|leads|includes|applies|covers|affects|excludes|counts|happens|matters|requires|implies)\b|'s\b|'re\b)", RegexOptions.IgnoreCase)]
    private static partial Regex LeadingPronoun();

    [GeneratedRegex(@" (?:it|this|that)(?<end>[.!]?)$", RegexOptions.IgnoreCase)]
    private static partial Regex TrailingPronoun();

    [GeneratedRegex(@"^(?<verb>(?:[\w']+ ){1,2})(?:it|them|either|both|neither)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ObjectIt();

    [GeneratedRegex(@"\b(?:him|her)\b(?!self)")]
    private static partial Regex ObjectPronoun();

    [GeneratedRegex(@"^\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+)?$")]
    private static partial Regex PersonName();

    [GeneratedRegex(@"^(?:we|i|you|they|it|this|that|there|he|she|the user)$", RegexOptions.IgnoreCase)]
    private static partial Regex NotASubject();

    [GeneratedRegex(@"^(?:is|are|was|were|has|have|had|uses|runs|caches|lives|stores|owns|maintains|needs|must|should|will|can|goes|talks|deploys|expires|keeps|loads|calls|handles|sends|holds|contains|depends|reviews|listens|points|belongs|leads|decides|writes|reads|serves|takes)$", RegexOptions.IgnoreCase)]
    private static partial Regex Verb();

    [GeneratedRegex(@"^(?:use|using|uses|used|go|going|pick|choose|switch|move|put|store|keep)$")]
    private static partial Regex ChoiceWord();

    /// <summary>"No force pushes", "never rebase": a rule, however short.</summary>
    [GeneratedRegex(@"^(?:[^:]{1,40}: )?(?:no|never|always|don't|do not|only)\b", RegexOptions.IgnoreCase)]
    private static partial Regex RuleStart();

    [GeneratedRegex(@"^[^:=]{1,40}(?::| =) \S")]
    private static partial Regex KeyValue();
}
