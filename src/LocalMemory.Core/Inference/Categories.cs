using System.Text.RegularExpressions;

namespace LocalMemory.Core.Inference;

/// <summary>The category of a fact: preference, constraint, bugfix, ownership, decision, reference or other.</summary>
public static partial class Categories
{
    public static string Of(string fact) =>
        Preference().IsMatch(fact) ? "preference"
        : Constraint().IsMatch(fact) ? "constraint"
        : Statements.IsCause(fact) ? "bugfix"
        : Ownership().IsMatch(fact) ? "ownership"
        : Decision().IsMatch(fact) ? "decision"
        : Reference().IsMatch(fact) ? "reference"
        : "other";

    [GeneratedRegex(@"\b(?:prefers?|would rather|'d rather|likes|wants|favou?rite|i like|i want)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Preference();

    [GeneratedRegex(@"\b(?:never|always|must|mustn't|don't|do not|doesn't|not allowed|forbidden|banned|required|make sure|pinned|pin|should not|shouldn't|can't|cannot|no \w+ (?:in|on)|only|until|(?:keep|stay|stays|hold|pin|leave)(?: \S+){1,3} (?:at|on|below|under|to) v?\d[\w.]*|(?:needs?|requires?|max(?:imum)?|min(?:imum)?|at most|at least|no more than|(?:kept|retained) for|retention|freeze|nobody|no one|(?:every|each)(?: other| second| third)? (?:\d+ )?(?:day|week|month|year|hour|minute|monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?)\b)", RegexOptions.IgnoreCase)]
    private static partial Regex Constraint();

    [GeneratedRegex(@"\b(?:owns|owner|owned by|owning|maintains|maintainer|responsible|in charge|reviews|on call|leads|takes over|taking over|is the contact|point of contact|approves|signs? off|captain|runs the [\w ]{1,30} team|is the [\w ]{1,20} lead|point person)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Ownership();

    [GeneratedRegex(@"\b(?:decided|decision|we use|we're using|we are using|we'll use|we will use|use|uses|going with|go with|chose|switch(?:ed)? (?:to|from)|moved (?:to|from|off)|migrat(?:e|ed) (?:to|from|off)|replac(?:e|ed)|no longer|stopped using|adopt(?:ed)?|standardi[sz]ed|settled on|upgrad(?:e|ed)|bump(?:ed)?|(?:we're|we are) (?:now )?on|back on|deploy with|go through|runs? (?:on|under)|store|put|host(?:ed)? (?:on|in|at)|handles|set(?: \S+){1,6} to|(?:switch|move)(?: \S+){1,4} to|\w+ = \w+)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Decision();

    [GeneratedRegex(@"(?:\w/\w|`[^`]+`|\.\w{2,8}\b(?!\.)|\b(?:lives in|is in|located|stored in|bucket|repo|channel)\b|https?://|#[a-z])", RegexOptions.IgnoreCase)]
    private static partial Regex Reference();
}
