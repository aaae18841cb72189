using System.Text.RegularExpressions;

namespace LocalMemory.Core.Inference;

/// <summary>The part of <see cref="Reading"/> that reads a sentence against what came before it: a reference back
/// resolved or joined, and a correction applied to the choice it corrects.</summary>
internal sealed partial class Reading
{
    /// <summary>Resolves a sentence that leans on the one before: its subject back, or joined to it. Null: it cannot stand alone.</summary>
    private string? Lean(Unit unit, string text)
    {
        var near = _statement is { } s && (s.Unit.Message == unit.Message || (s.Unit.Speaker == unit.Speaker && unit.Message - s.Unit.Message <= 2)) ? s.Text : null;
        var subject = near is null ? null : Subject(near);
        if (subject is not null && PersonName().IsMatch(subject)) text = ObjectPronoun().Replace(text, subject);
        var trailing = TrailingPronoun().Match(text);
        if (subject is not null && trailing.Success)
            return text[..trailing.Index] + " " + FactExtractor.Lower(subject) + trailing.Groups["end"].Value; // "Dana runs it" names what "it" is
        // "the auditors want it" leans on the sentence before; in "keep X, procurement hasn't signed that" the thing is in the sentence
        var leansBack = trailing.Success && Statements.Words(text) <= 8 && !Clause().IsMatch(text) && Choices.Values(text).Count == 0;
        var leading = LeadingPronoun().Match(text);
        if (!leading.Success && (TrailingThere().IsMatch(text) || leansBack)) leading = leansBack ? trailing : TrailingThere().Match(text); // "... is pinned there", "... the auditors want it": join
        else if (leading.Success)
        {
            var pronoun = leading.Value.ToLowerInvariant();
            // "it" is the thing named before; "this"/"that" is what the sentence before said, so it is joined to it
            var pointsToStatement = pronoun is "this" or "that" or "these" or "those";
            var possessive = pronoun is "its" or "their" or "his" or "her";
            if (subject is not null && !possessive && !pointsToStatement && !(PersonName().IsMatch(subject) ^ pronoun is "he" or "she"))
                return subject + Contraction().Replace(text[leading.Length..], m => m.Value switch { "'s" => " is", "'re" => " are", _ => " will" }, 1);
        }
        else
        {
            // "Run it after every migration": "it" is what the sentence before named
            if (!ObjectIt().IsMatch(text)) return text;
            var rule = Statements.IsPin(text) || Statements.IsRule(text);
            var previous = near ?? (rule && _statement is { } p && unit.Message - p.Unit.Message == 1 && !p.Unit.FromAssistant ? p.Text : null); // among people, "pin it" names what the last speaker chose
            if (previous is not null && Single(Choices.Values(previous).Where(v => !Quantity().IsMatch(v))) is { } named) return ObjectIt().Replace(text, m => m.Groups["verb"].Value + named, 1);
        }
        if (near is not null && _last is { } last && !last.Removed && last.Text == near && last.Text.Length + text.Length < MaxJoined)
        {
            last.Text = FactExtractor.Join(last.Text, text);
            _statement = (last.Text, unit);
            return null;
        }
        return null;
    }

    /// <summary>A correction of a choice made earlier in the call (or proposed by the assistant). True when handled here.</summary>
    private bool Correct(Unit unit)
    {
        var text = unit.Text;
        var value = Corrections.Value(text) ?? Choices.Chosen(text) ?? (Statements.Words(text) <= 3 ? text.Trim('.', '!', ' ') : null);
        var earlier = _drafts.Where(d => !d.Removed).Reverse().Select(d => (d.Text, Draft: (Draft?)d)).ToList();
        foreach (var (before, draft) in earlier)
            if (Corrections.NotB(text, before) is { } fixedText)
            {
                draft!.Removed = true;
                Add(unit, fixedText, draft.Category);
                return true;
            }
        if (_proposal is { } p) earlier.Insert(0, (p.Text, null));
        foreach (var (before, draft) in earlier)
        {
            var old = (value is null ? null : Corrections.OldAmount(before, value)) ?? Choices.Chosen(before) ?? Single(Choices.Values(before).Where(v => !Choices.Names(text, v)));
            if (old is null || (value is not null && old.Equals(value, StringComparison.OrdinalIgnoreCase))) continue;
            _proposal = null;
            if (SelfContained(text, before, old, value))
            {
                if (draft is not null) draft.Removed = true; // the statement that follows replaces it
                return false;
            }
            var chosen = value ?? (Choices.IsVersion(old) ? Single(Choices.Values(text).Where(Choices.IsVersion)) : null);
            if (chosen is null) return false;
            if (draft is not null) draft.Removed = true;
            // the assistant's "Done, X is 8" and the user's "set X to 8" both say what "make it 12" corrects
            if (draft is null) foreach (var stale in _drafts.Where(d => !d.Removed && Choices.Names(d.Text, old) && Words.Content(d.Text).Intersect(Words.Content(before)).Count() >= 2)) stale.Removed = true;
            Add(unit, OneUnit(Choices.Replace(before, old, chosen), chosen), draft?.Category);
            return true;
        }
        return false;
    }

    /// <summary>"is 10 MB" corrected to "25 MB" says the unit once.</summary>
    private static string OneUnit(string replaced, string chosen) =>
        chosen.LastIndexOf(' ') is > 0 and var space && replaced.Contains(chosen + chosen[space..], StringComparison.Ordinal)
            ? replaced.Replace(chosen + chosen[space..], chosen, StringComparison.Ordinal) : replaced;
}
