using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LocalMemory.Core.Evaluation;

/// <summary>One turn of a LoCoMo conversation: its id (D3:7), speaker, text and the caption of an image it shared.</summary>
public sealed record LocomoTurn(string Id, string Speaker, string Text, string? Caption);

public sealed record LocomoSession(DateTimeOffset Time, IReadOnlyList<LocomoTurn> Turns);

/// <summary>A question with the turns that answer it. Category as in the file: 1 multi-hop, 2 temporal, 3 open-domain,
/// 4 single-hop (5, adversarial, is not loaded).</summary>
public sealed record LocomoQuestion(string Text, int Category, IReadOnlyList<string> Evidence);

public sealed record LocomoConversation(string Id, IReadOnlyList<LocomoSession> Sessions, IReadOnlyList<LocomoQuestion> Questions, int Unscorable);

/// <summary>Reads the LoCoMo benchmark's file (snap-research/LoCoMo, data/locomo10.json).</summary>
/// <remarks>A few evidence entries in the file are malformed ("D8:6; D9:17", "D:11:26", "D30:05"): each is split into
/// turn ids and normalised, ids of turns that do not exist are dropped, and a question left with no evidence is
/// counted as unscorable rather than scored.</remarks>
public static partial class LocomoData
{
    public static IReadOnlyList<LocomoConversation> Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind != JsonValueKind.Array) throw LocalMemoryException.Invalid("a LoCoMo file is a JSON array of conversations");
        return [.. doc.RootElement.EnumerateArray().Select(Conversation)];
    }

    private static LocomoConversation Conversation(JsonElement c)
    {
        var id = c.GetProperty("sample_id").GetString()!;
        var conversation = c.GetProperty("conversation");
        var sessions = conversation.EnumerateObject()
            .Select(p => (Property: p, Match: SessionKey().Match(p.Name)))
            .Where(p => p.Match.Success && p.Property.Value.ValueKind == JsonValueKind.Array)
            .OrderBy(p => int.Parse(p.Match.Groups[1].Value, CultureInfo.InvariantCulture))
            .Select(p => new LocomoSession(
                SessionTime(conversation.GetProperty(p.Property.Name + "_date_time").GetString()!, id),
                [.. p.Property.Value.EnumerateArray().Select(t => new LocomoTurn(
                    t.GetProperty("dia_id").GetString()!,
                    t.GetProperty("speaker").GetString()!,
                    t.GetProperty("text").GetString()!,
                    t.TryGetProperty("blip_caption", out var caption) ? caption.GetString() : null))]))
            .ToList();
        var turns = sessions.SelectMany(s => s.Turns).Select(t => t.Id).ToHashSet();
        var questions = new List<LocomoQuestion>();
        var unscorable = 0;
        foreach (var q in c.GetProperty("qa").EnumerateArray())
        {
            var category = q.GetProperty("category").GetInt32();
            if (category == 5) continue;
            var evidence = q.GetProperty("evidence").EnumerateArray()
                .SelectMany(e => TurnId().Matches(e.GetString() ?? ""))
                .Select(m => $"D{int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)}:{int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)}")
                .Where(turns.Contains)
                .Distinct()
                .ToList();
            if (evidence.Count == 0) unscorable++;
            else questions.Add(new LocomoQuestion(q.GetProperty("question").GetString()!, category, evidence));
        }
        return new LocomoConversation(id, sessions, questions, unscorable);
    }

    /// <summary>"1:56 pm on 8 May, 2023", read as UTC.</summary>
    private static DateTimeOffset SessionTime(string text, string conversation) =>
        DateTimeOffset.TryParseExact(text.Trim(), ["h:mm tt 'on' d MMMM, yyyy", "h:mm tt 'on' d MMM, yyyy"], CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw LocalMemoryException.Invalid($"{conversation}: cannot read the session time '{text}'");

    [GeneratedRegex(@"^session_(\d+)$")]
    private static partial Regex SessionKey();

    [GeneratedRegex(@"D:?(\d+):(\d+)")]
    private static partial Regex TurnId();
}
