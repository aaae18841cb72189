using System.Text.RegularExpressions;

namespace LocalMemory.Core.Inference;

/// <summary>What a sentence does in the conversation.</summary>
internal enum Kind
{
    /// <summary>States how things are or are to be: a candidate fact.</summary>
    Statement,
    Question,
    /// <summary>Greetings, thanks, acknowledgements; "do it" and "go ahead" too, which accept a proposal.</summary>
    Filler,
    /// <summary>Talk about the speaker's day or mood, praise, and sayings that hold for anyone ("family is everything").</summary>
    SmallTalk,
    /// <summary>"I think", "let me", "I'll have a look": an opinion in passing or a plan of the moment.</summary>
    Hedge,
    /// <summary>A task for the agent now ("run the tests"), not a rule.</summary>
    Request,
    /// <summary>A problem still open ("the build keeps failing").</summary>
    Transient,
    /// <summary>The assistant offers a choice ("Should I switch the runners to arm64?", "I'd suggest Zod for this").</summary>
    Proposal,
    /// <summary>The assistant says what it changed ("I moved the cron to 02:00").</summary>
    Report,
    /// <summary>Why something broke, or how it was fixed.</summary>
    Cause,
}

internal static partial class Statements
{
    public static Kind Classify(Unit unit)
    {
        var text = unit.Text;
        if (text.Length == 0 || Filler().IsMatch(text) || Acceptance().IsMatch(text)) return Kind.Filler;
        if (unit.FromAssistant)
        {
            if (Offer().IsMatch(text)) return Kind.Proposal;
            if (IsQuestion(text)) return Kind.Question;
            if (Cause().IsMatch(text)) return Kind.Cause;
            return Changed().IsMatch(text) ? Kind.Report : Kind.Statement;
        }
        if (IsQuestion(text)) return Kind.Question;
        if (Cause().IsMatch(text) && Words(text) >= 4) return Kind.Cause;
        if (Hedge().IsMatch(text) && !Commitment().IsMatch(text)) return Kind.Hedge;
        if (unit.Speaker == Segmenter.User && WantTo().IsMatch(text)) return Kind.Request; // "I want to add paging to X": the task of this session
        if (unit.Speaker == Segmenter.User && Hypothetical().IsMatch(text)) return Kind.Hedge; // "caching would make it faster": weighing, not deciding (among friends, "we would fish" is a habit)
        if (Incident().IsMatch(text)) return Kind.Transient; // "the importer ran every job twice last night": checked before "every" makes it a rule
        if (Mood().IsMatch(text)) return Kind.SmallTalk; // "I'm off until Monday": "until" makes no rule of it
        if (Rule().IsMatch(text) || Choice().IsMatch(text)) return Kind.Statement;
        if (Task().IsMatch(text)) return Kind.Request;
        if (Transient().IsMatch(text)) return Kind.Transient;
        if (Change.In(text) is not null) return Kind.Statement; // "forget the Friday freeze": a change, whatever its words
        if (Mood().IsMatch(text) || (Praise().IsMatch(text) && (!Anchored(text) || PointingSubject().IsMatch(text))) || (unit.Speaker == Segmenter.User && Leisure().IsMatch(text) && !Technical().IsMatch(text)))
            return Kind.SmallTalk;
        return Kind.Statement;
    }

    /// <summary>"yes", "go ahead", "that fixed it": the user agrees with what was just proposed or done.</summary>
    public static bool Accepts(string text) => Acceptance().IsMatch(text) || AcceptanceWord().IsMatch(text) || Thanks().IsMatch(text);

    /// <summary>Thanks after the assistant reports a change takes the change in.</summary>
    [GeneratedRegex(@"^(?:thanks|thank you|thx|ty|cheers)\b[\s!.,]*(?:a lot|so much)?[\s!.,]*$", RegexOptions.IgnoreCase)]
    private static partial Regex Thanks();

    public static bool IsQuestion(string text) => text.EndsWith('?') || Interrogative().IsMatch(text);

    public static bool IsRule(string text) => Rule().IsMatch(text);

    /// <summary>Opens with a verb that tells someone to do something.</summary>
    public static bool IsImperative(string text) => Choice().IsMatch(text) || Task().IsMatch(text);

    public static bool IsCause(string text) => Cause().IsMatch(text);

    /// <summary>"Should I switch the runners to arm64?" → "Switch the runners to arm64"; "I'd suggest Zod for X" → "Use Zod for X".</summary>
    public static string? Proposed(string text)
    {
        var m = Offer().Match(text);
        if (!m.Success) return null;
        var rest = text[m.Length..].TrimEnd('?', '.', '!', ' ');
        if (rest.Length == 0) return null;
        if (m.Groups["noun"].Success) return "Use " + rest;
        return Choice().IsMatch(rest) ? char.ToUpperInvariant(rest[0]) + rest[1..] : null; // a task ("remove the old config") is no fact
    }

    /// <summary>"Options for the cache: Redis, Memcached or KeyDB" (or "You could use A, B or C for X"): the values and what they are for.</summary>
    public static (List<string> Values, string? Topic)? Options(string text)
    {
        var m = OptionList().Match(text);
        if (!m.Success) return null;
        var values = OptionSeparator().Split(m.Groups["list"].Value.TrimEnd('.', '?', '!')).Select(v => v.Trim()).Where(v => v.Length > 0 && Words(v) <= 3).ToList();
        return values.Count >= 2 ? (values, m.Groups["topic"].Success ? m.Groups["topic"].Value.Trim() : null) : null;
    }

    /// <summary>A version held back: "keep X at 1.2", "X stays on 7.17", "don't bump X".</summary>
    public static bool IsPin(string text) => Pin().IsMatch(text);

    /// <summary>"What about disk?" names what the answer's "it" is.</summary>
    public static string? Topic(string question) => AboutWhat().Match(question) is { Success: true } m ? m.Groups["topic"].Value : null;

    /// <summary>A name, number, identifier or code: something a saying in general would not have.</summary>
    public static bool Anchored(string text) => Specific().IsMatch(text);

    public static int Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

    [GeneratedRegex(@"^(?:thanks|thank you|thx)\b.*$|^(?:long time no (?:see|talk)|what's new|how's it going|(?:it's been|been) (?:a while|ages|forever)|(?:a lot|lots|so much) (?:has|'s|have) (?:been going on|been happening|happened)|things have been \w+)\b.*$|^(?:ty|cheers|ok(?:ay)?|great|cool|nice|sounds good|got it|bye|hi|hello|hey|perfect|awesome|lol|haha+|hmm+|interesting|let's see|sure|yes|good|done|understood|noted|will do|agreed|same|me too|good (?:morning|night|evening|afternoon|luck)|morning|welcome|you're welcome|no problem|np|of course|of course!|congrats|congratulations|wow|yay|oops|ouch|right|true|exactly|indeed|fair enough|makes sense|love it|that's all(?: for (?:today|now))?|that is all|all good|see you|talk (?:soon|later)|bye for now|take care|have a good \w+|good to (?:see|hear from) you|(?:good|nice|great) to know|nice to (?:meet|see) you|how are you|what's up)\b[\s!.,:)(]*(?:\p{L}+[\s!.,]*)?$", RegexOptions.IgnoreCase)]
    private static partial Regex Filler();

    [GeneratedRegex(@"^(?:yes,? )?(?:do it|do that|go ahead|go for it|please do|ship it|let's do (?:it|that)|sounds? good|works for me|fine by me|that works|approved|(?:that|this|it) (?:fixed|solved|did) (?:it|the trick)|(?:that|it) works(?: now)?|keep it (?:that way|as is|like that)|(?:that|this|it|\S+) (?:is|'s|sounds|looks|seems) (?:fine|good|ok|okay|great|perfect|right))\b[\s!.,]*$", RegexOptions.IgnoreCase)]
    private static partial Regex Acceptance();

    [GeneratedRegex(@"^(?:ok(?:ay)?|alright|sure|yes|yeah|yep|yup|perfect|exactly|correct|agreed|great|good|lgtm|👍)[\s!.,]*$", RegexOptions.IgnoreCase)]
    private static partial Regex AcceptanceWord();

    [GeneratedRegex(@"^(?:what|why|how|when|where|who|whom|which|can you|could you|would you|will you|do you|does|did you|is there|are there|should i|should we|shall we|any idea|is it|are we|do we|have you|has anyone|anyone)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Interrogative();

    [GeneratedRegex(@"^(?:what|how) about (?<topic>[^?]+)\?*$", RegexOptions.IgnoreCase)]
    private static partial Regex AboutWhat();

    /// <summary>The assistant's offers. With "suggest X" (a noun) the choice is "Use X"; with "should I X" it is X.</summary>
    [GeneratedRegex(@"^(?:(?:should|shall) (?:i|we)|(?:do you )?want me to|would you like me to|i could|we could|maybe we should|i can|i'll(?= (?:set|use|put|switch|change|move|pin|keep)\b)) |^(?:i(?:'d| would)? (?:suggest|recommend|propose|go with)|how about|what about) (?<noun>)", RegexOptions.IgnoreCase)]
    private static partial Regex Offer();

    [GeneratedRegex(@"^(?:let me|let's see|i'll|i will|i'm going to|i am going to|i'm gonna|just checking|checking|i think|i guess|i believe|i feel like|maybe|perhaps|probably|i'm not sure|not sure|i wonder|here's|here is|running|looking|let me know|i'll get back|get back|i looked|i tried|i'm looking|i'm trying|working on|on it|one sec|brb|afk|i need to check|need to check|i hope|hopefully|it seems|seems like|looks like|just saying|just wanted to|nothing yet|not yet|nothing much|not much|i'm torn|i am torn|i can't decide|on the fence|i'm (?:still )?undecided)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Hedge();

    /// <summary>"I'll take over billing" states who owns what, unlike "I'll take a look".</summary>
    [GeneratedRegex(@"^i(?:'ll| will) (?:own|handle|lead|maintain|be responsible|be in charge|take over|take care of|keep owning)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Commitment();

    /// <summary>Words that make a sentence a standing rule rather than a task of the moment.</summary>
    [GeneratedRegex(@"\b(?:always|never|must|mustn't|make sure|every|each|only|don't|do not|doesn't|shouldn't|should not|cannot|can't|not allowed|forbidden|banned|required|requires|by default|whenever|before (?:\w+ing|you|we|any|every|merging|deploying|release)|until|unless|in \w+ files|from now on|going forward|no (?:more|longer))\b|, not\b", RegexOptions.IgnoreCase)]
    private static partial Regex Rule();

    /// <summary>Imperatives that choose a tool, value or place: decisions, not tasks.</summary>
    [GeneratedRegex(@"^(?:please )?(?:use|store|put|keep|pin|prefer|avoid|name|format|indent|log|stick with|stay on|go with|switch(?: \S+){0,4} to|change(?: \S+){0,4} to|move(?: \S+){0,4} (?:to|off|over)|migrate|enable|disable|adopt|upgrade|bump|downgrade|default to|standardi[sz]e on|host|deploy (?:with|to|from|on)|send \w+ to|route|call (?:it|them|the)|target|support|drop support|set(?: \S+){1,8} to)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Choice();

    [GeneratedRegex(@"^(?:please |now |then |pls |we (?:need|have) to )?(?:continue|run|rerun|fix|check|look|show|explain|help|try|go ahead|create|write|refactor|implement|open|read|review|tell|give|find|investigate|debug|add|remove|delete|rename|move|copy|retry|highlight|sort|filter|hide|display|paginate|validate|finish|build|test|commit|push|merge|install|make|change|update|send|ping|ask|call|take a look|have a look|see if|figure out|clean up|set up|generate|start|stop|restart|retry|revert|undo|double-check|verify|print|list|search|grep|paste|share|draft|summari[sz]e|document|can you|could you|would you|let's (?:fix|run|check|look|try|see|debug|test|add|remove|write))\b", RegexOptions.IgnoreCase)]
    private static partial Regex Task();

    [GeneratedRegex(@"\b(?:driving (?:me|us) (?:crazy|nuts|mad|insane)|killing (?:me|us)|(?:have|having|has|got|there's|there is) (?:a |an |some )?(?:problem|issue|bug|trouble)s? with|(?:is|are|running|getting)(?: (?:very|really|so|too|super|quite|a bit))? (?:slow|slower|flaky)|takes? (?:\d+|forever|ages)(?: ?(?:s|ms|seconds?|minutes?|mins?|hours?))? now|keeps? (?:failing|crashing|breaking|timing out)|(?:is|are|was|were) (?:failing|crashing|broken|flaky|slow|down|red|hanging|timing out|stuck)|times out|timing out|doesn't work|does not work|not working|is acting up|broke again|failing again|fails? (?:for|on|in|when|with|randomly|sometimes|intermittently)|throws|errors out|returns (?:a )?(?:500|404|error))\b", RegexOptions.IgnoreCase)]
    private static partial Regex Transient();

    [GeneratedRegex(@"^found (?:it|the (?:bug|cause|problem|issue|culprit))\b|\b(?:fixed|fix(?:es)? (?:it|this|that)|root cause|the cause|was the cause|caused by|because of|due to|resolved by|workaround|comes? from|came from|the (?:problem|issue|bug) (?:was|is)|turned out|was causing|were causing)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Cause();

    [GeneratedRegex(@"^done[,.:]\s+\w|^[\w-]+(?: [\w-]+)? now (?:use|uses|run|runs|load|loads|take|takes|go|goes)\b|^(?:done[,.:]?\s*)?(?:i(?:'ve)? |we(?:'ve)? )?(?:changed|added|replaced|removed|switched|moved|updated|set|bumped|pinned|rewrote|refactored|renamed|deleted|configured|enabled|disabled|restart(?:ed)?|upgraded|downgraded|migrated|implemented|created|installed|introduced|enforced|wired up|limited|capped|now (?:loads|uses|runs|takes))\b|\b(?:so|and|then) (?:i(?:'ve)?|we(?:'ve)?) (?:changed|added|replaced|removed|switched|moved|updated|set|bumped|pinned|rewrote|refactored|renamed|deleted|configured|enabled|disabled|restart(?:ed)?|upgraded|downgraded|migrated)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Changed();

    [GeneratedRegex(@"^i (?:want|would like|'d like|need) to (?:add|build|create|implement|write|make|fix|refactor|change|move|remove|set up|try|clean up|rewrite|look)\b", RegexOptions.IgnoreCase)]
    private static partial Regex WantTo();

    [GeneratedRegex(@"^\S+(?: \S+){0,3} would (?!rather\b|like\b|prefer\b|love\b)\w+", RegexOptions.IgnoreCase)]
    private static partial Regex Hypothetical();

    /// <summary>Something that went wrong at a moment just past: a problem to fix, not how things are.</summary>
    [GeneratedRegex(@"\b(?:twice|failed|crashed|broke|went down|was down|spiked|timed out|errored)\b.*\b(?:last night|this morning|yesterday|earlier today|just now)\b|^(?:we|i) (?:have|had|got|are having|'re having) (?:a |an |some )?(?:problem|issue|bug|trouble)s? with\b", RegexOptions.IgnoreCase)]
    private static partial Regex Incident();

    /// <summary>The speaker's state of the moment: tired, off for the weekend, back from lunch.</summary>
    [GeneratedRegex(@"^(?:i'm|i am|i was|i've been|we're|feeling)(?: (?:so|really|super|pretty|a bit|kinda|totally|just|still))* (?:tired|exhausted|sleepy|hungry|busy|off|back|here|late|sick|bored|done|out|beat|wiped|swamped|slammed)(?: (?:for|from|with|today|now|again|the day|lunch|a bit)\b.*)?[.!]*$", RegexOptions.IgnoreCase)]
    private static partial Regex Mood();

    /// <summary>"X is/was (so) amazing": an evaluation. Only a sentence without a name, number or identifier counts as praise.</summary>
    [GeneratedRegex(@"^(?:[\w'&-]+ ){0,7}?(?:is|are|was|were|'s|sounds(?: like)?|seems(?: like)?|looks(?: like)?|feels(?: like)?|must be|must have been|has been|have been|can be|would be)(?: (?:so|really|very|truly|super|pretty|such|quite|absolutely|just|always|totally|incredibly|seriously|kinda))* (?:a |an |the )?(?:amazing|awesome|great|good|nice|cool|lovely|wonderful|beautiful|fantastic|incredible|inspiring|special|important|crucial|vital|key|essential|everything|huge|hard|tough|fun|exciting|interesting|powerful|meaningful|precious|necessary|valuable|sweet|cute|adorable|impressive|awful|terrible|sad|scary|rough|stressful|relaxing|calming|peaceful|refreshing|therapeutic|rewarding|worth it|best|blessing|gift|wild|crazy|insane|brutal|weird|funny|hilarious|brilliant|excellent|epic|magical|unforgettable|healing|uplifting|empowering|encouraging|heartwarming|touching|gorgeous|stunning|breathtaking|priceless|life-changing|fascinating|remarkable|admirable|perfect|ideal|phenomenal|fabulous|terrific|superb|marvelous|delightful|charming|cozy|thrilling|adventurous|dope|sick|lit|rad|fab|wholesome|kind|brave|strong|proud|thrilled|glad|happy|excited|grateful|thankful|blessed|lucky)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Praise();

    /// <summary>A sentence that gives the reason for the constraint before it ("the plugin only works with 4").</summary>
    public static bool IsReason(string text) => Reason().IsMatch(text);

    [GeneratedRegex(@"\b(?:only works? (?:with|on)|only supports?|(?:doesn't|does not|don't|do not|can't|cannot|won't) (?:support|handle|work with|run on|build with|compile with)|breaks? (?:on|with|in)|(?:is|are)n't compatible|(?:is|are) incompatible|incompatible|not (?:compatible|supported)|(?:is|are) still on|fails? (?:on|with)|crash(?:es)? (?:on|with)|because|since|otherwise)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Reason();

    /// <summary>"That sounds great", "It was amazing": praise of whatever was just said.</summary>
    [GeneratedRegex(@"^(?:that|this|it|they|those|these|what)(?:'s|'re| is| are| was| were| sounds| looks| seems| must| has| have)\b", RegexOptions.IgnoreCase)]
    private static partial Regex PointingSubject();

    [GeneratedRegex(@"^(?:(?:the |your |some |a few |two |three )?(?:options|choices|alternatives|candidates)(?: (?:for|are))?(?<topic> [^:]+?)?|(?:you|we) could (?:use|go with|pick)(?<list2>)?)[:]\s*(?<list>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex OptionList();

    [GeneratedRegex(@",\s*(?:or\s+|and\s+)?|\s+or\s+")]
    private static partial Regex OptionSeparator();

    [GeneratedRegex(@"\b(?:(?:keep|keeps|stay|stays|hold|holds|pin|pinned|leave|locked?|frozen|freeze)\b.*(?<![:.])\bv?\d+(?:\.\d+)*\b(?!:)|(?:don't|do not|never) (?:bump|upgrade|update|move)\b)", RegexOptions.IgnoreCase)]
    private static partial Regex Pin();

    [GeneratedRegex(@"\b(?:coffee|lunch|dinner|breakfast|weekend|holiday|holidays|vacation|friday|monday|tired|sleep|lol|haha|cheers|brb|afk|weather|kid|kids|son|daughter|wife|husband|partner|baby|sick|doctor|dentist|family|birthday|movie|game)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Leisure();

    [GeneratedRegex(@"\d|[\w][./_#@][\w]|`")]
    private static partial Regex Technical();

    [GeneratedRegex(@"(?<=\S\s+)\p{Lu}[\w-]*|\b\p{Ll}+\p{Lu}|\d|[\w][./_#@][\w]|`|\b(?:I|my|me)\b|(?<!\w)[%$@]\w|\b\w+-\w+-\w+\b")]
    private static partial Regex Specific();
}
