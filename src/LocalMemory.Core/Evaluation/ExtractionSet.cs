using System.Text.Json;
using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Evaluation;

/// <summary>An expected fact: a memory matches it when it contains every term (case-insensitive substrings).</summary>
public sealed record ExpectedFact(IReadOnlyList<string> Terms, string Category)
{
    public bool MatchedBy(string memory) => Terms.All(t => memory.Contains(t, StringComparison.OrdinalIgnoreCase));
}

/// <summary>After the call, stored[Stored] must hold every Now term and none of the Not phrases; no Now terms: it must be gone.</summary>
public sealed record ExpectedUpdate(int Stored, IReadOnlyList<string> Now, IReadOnlyList<string> Not);

public sealed record LabelledConversation(
    string Id, IReadOnlyList<Message> Messages, IReadOnlyList<ExpectedFact> Facts, IReadOnlyList<(string Q, int Fact)> Questions,
    IReadOnlyList<string> Stored, IReadOnlyList<string> MustNotStore, IReadOnlyList<ExpectedUpdate> Updates);

/// <summary>Reads a labelled extraction set (tests/.../extraction.json): conversations with facts and questions, and
/// optionally memories stored before the conversation, phrases no memory may contain, and updates of stored memories.</summary>
public static class ExtractionSet
{
    public static bool Is(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("conversations", out _);
    }

    public static IReadOnlyList<LabelledConversation> Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var list = new List<LabelledConversation>();
        foreach (var c in doc.RootElement.GetProperty("conversations").EnumerateArray())
        {
            var id = Required(c, "id", null).GetString()!;
            var facts = Array(c, "facts").Select(f => new ExpectedFact(Strings(f, "terms"), f.TryGetProperty("category", out var k) ? k.GetString()! : "other")).ToList();
            var stored = Strings(c, "stored");
            var conversation = new LabelledConversation(
                id,
                [.. Required(c, "messages", id).EnumerateArray().Select(m => new Message(Required(m, "role", id).GetString()!, Required(m, "content", id).GetString()!))],
                facts,
                [.. Array(c, "questions").Select(q => (Required(q, "q", id).GetString()!, Required(q, "fact", id).GetInt32()))],
                stored,
                Strings(c, "must_not_store"),
                [.. Array(c, "updates").Select(u => new ExpectedUpdate(Required(u, "stored", id).GetInt32(), Strings(u, "now"), Strings(u, "not")))]);
            if (facts.Any(f => f.Terms.Count == 0)) throw LocalMemoryException.Invalid($"conversation {id}: a fact has no terms");
            if (conversation.Questions.Any(q => q.Fact < 0 || q.Fact >= facts.Count)) throw LocalMemoryException.Invalid($"conversation {id}: a question names a fact that does not exist");
            if (conversation.Updates.Any(u => u.Stored < 0 || u.Stored >= stored.Count)) throw LocalMemoryException.Invalid($"conversation {id}: an update names a stored memory that does not exist");
            list.Add(conversation);
        }
        return list;
    }

    private static JsonElement Required(JsonElement e, string name, string? conversation) =>
        e.TryGetProperty(name, out var v) ? v : throw LocalMemoryException.Invalid(conversation is null ? $"a conversation has no \"{name}\"" : $"conversation {conversation}: \"{name}\" is missing");

    private static JsonElement[] Array(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? [.. v.EnumerateArray()] : [];

    private static List<string> Strings(JsonElement e, string name) => [.. Array(e, name).Select(s => s.GetString()!)];
}
