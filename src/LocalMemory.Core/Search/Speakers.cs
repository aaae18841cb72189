using System.Text.RegularExpressions;

namespace LocalMemory.Core.Search;

/// <summary>Who a query asks about and who said a memory, for memories kept as turns of a conversation ("Name: text").</summary>
public static partial class Speakers
{
    /// <summary>Capitalised words of the query after its first word (the first is capitalised as the sentence's start),
    /// without a possessive 's: the people and things it names.</summary>
    public static IReadOnlyList<string> NamesIn(string query) =>
        [.. Word().Matches(query).Skip(1)
            .Select(m => m.Value.EndsWith("'s", StringComparison.Ordinal) ? m.Value[..^2] : m.Value)
            .Where(w => w.Length > 1 && char.IsUpper(w[0]) && w.Skip(1).All(char.IsLower))
            .Distinct()];

    /// <summary>Whether the memory is a turn ("Name: ..." or "First Last: ...", the colon within the first 40
    /// characters) spoken by one of the names.</summary>
    public static bool IsSpokenByOneOf(string memory, IReadOnlyList<string> names)
    {
        if (names.Count == 0) return false;
        var colon = memory.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon > 40) return false;
        var who = memory[..colon].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return who.Length is > 0 and <= 3 && names.Contains(who[0]);
    }

    [GeneratedRegex(@"[\p{L}\p{N}']+")]
    private static partial Regex Word();
}
