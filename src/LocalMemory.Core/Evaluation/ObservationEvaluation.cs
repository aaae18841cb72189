using System.Text.Json;
using LocalMemory.Core.Hosting;
using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Evaluation;

public sealed record ObservationReport
{
    public int Conversations { get; init; }
    public int Sessions { get; init; }
    public int Observations { get; init; }
    /// <summary>Memories the sessions' calls added or updated.</summary>
    public int Stored { get; init; }
    /// <summary>Observations a memory covers and that memory names the speaker the observation is about.</summary>
    public int Covered { get; init; }
    public double Coverage { get; init; }
    /// <summary>Observations a memory covers, whether or not it names the speaker.</summary>
    public int CoveredAnyone { get; init; }
    public double CoverageAnyone { get; init; }
    public int Fragments { get; init; }
    public double FragmentRate { get; init; }
    public ObservationDetails? Details { get; init; }
}

public sealed record ObservationDetails(IReadOnlyList<string> Observations, IReadOnlyList<string> Fragments, IReadOnlyList<string> Stored);

/// <summary>LoCoMo's annotated observations against what infer=true stores from its sessions. Each session is one
/// add_memory call (every turn a user message "Speaker: text", each conversation its own user). An observation is
/// covered when a memory the session's call added, updated or found already known shares at least
/// <see cref="Overlap"/> of the observation's content words (speaker names aside, crudely stemmed) and, when the
/// memory was extracted in that call, comes from one of the observation's evidence turns.</summary>
public static class ObservationEvaluation
{
    public const double Overlap = 0.5;

    public static async Task<ObservationReport> RunAsync(string file, IReadOnlyCollection<string> only, LocalMemoryOptions options, CancellationToken cancellationToken)
    {
        var samples = Load(await File.ReadAllTextAsync(file, cancellationToken), only);
        using var service = MemoryService.Open(options);
        var context = new CallContext("eval", null);
        int sessions = 0, observations = 0, stored = 0, covered = 0, coveredAnyone = 0, fragments = 0;
        var lines = new List<string>();
        var fragmentLines = new List<string>();
        var storedLines = new List<string>();
        foreach (var sample in samples)
            foreach (var session in sample.Sessions)
            {
                sessions++;
                var result = await service.AddAsync(new AddRequest
                {
                    Messages = [.. session.Turns.Select(t => new Message("user", $"{t.Speaker}: {t.Text}"))],
                    Scope = new Scope(UserId: sample.Id),
                    Infer = true,
                }, context, cancellationToken);
                var touched = new List<(MemoryRecord Memory, string? Turn)>();
                foreach (var change in result.Results.Where(r => r.Event != ChangeKind.Delete))
                {
                    if (await Find(service, change.Id, sample.Id, cancellationToken) is not { } memory) continue;
                    var turn = memory.Source["event_id"]?.GetValue<string>() == result.EventId && memory.Source["message_index"]?.GetValue<int>() is { } i ? session.Turns[i].Id : null;
                    touched.Add((memory, turn));
                    if (change.Event == ChangeKind.None) continue;
                    stored++;
                    storedLines.Add($"{sample.Id} {turn}: {memory.Memory}");
                    if (FragmentJudge.IsFragment(memory.Memory))
                    {
                        fragments++;
                        fragmentLines.Add($"{sample.Id} {turn}: {memory.Memory}");
                    }
                }
                foreach (var o in session.Observations)
                {
                    observations++;
                    var words = ContentWords.Of(o.Text).Where(w => !sample.Names.Contains(w)).ToList();
                    var best = touched
                        .Where(t => t.Turn is null || o.Evidence.Contains(t.Turn))
                        .Select(t => (t.Memory, Shared: words.Intersect(ContentWords.Of(t.Memory.Memory)).Count(), Named: Names(t.Memory.Memory, o.Speaker)))
                        .OrderByDescending(t => t.Shared >= Needed(words.Count) && t.Named).ThenByDescending(t => t.Shared).FirstOrDefault();
                    var enough = best.Memory is not null && best.Shared >= Needed(words.Count);
                    if (enough) coveredAnyone++;
                    if (enough && best.Named) covered++;
                    lines.Add($"{(enough && best.Named ? "covered" : enough ? "unnamed" : "missed ")} {sample.Id} {string.Join(",", o.Evidence)} {o.Speaker}: {o.Text} <= {best.Memory?.Memory ?? "nothing"} ({best.Shared}/{words.Count})");
                }
            }
        return new ObservationReport
        {
            Conversations = samples.Count, Sessions = sessions, Observations = observations, Stored = stored,
            Covered = covered, Coverage = ExtractionTally.Share(covered, observations),
            CoveredAnyone = coveredAnyone, CoverageAnyone = ExtractionTally.Share(coveredAnyone, observations),
            Fragments = fragments, FragmentRate = ExtractionTally.Share(fragments, stored, empty: 0),
            Details = new ObservationDetails(lines, fragmentLines, storedLines),
        };
    }

    private static async Task<MemoryRecord?> Find(MemoryService service, string id, string user, CancellationToken cancellationToken)
    {
        try { return await service.GetAsync(id, user, cancellationToken); }
        catch (LocalMemoryException e) when (e.Kind == ErrorKind.NotFound) { return null; } // a fact of the call that a later one retracted
    }

    private static int Needed(int words) => Math.Max(1, (int)Math.Ceiling(words * Overlap));

    private static bool Names(string memory, string speaker) => memory.Contains(speaker, StringComparison.OrdinalIgnoreCase);

    private sealed record Turn(string Id, string Speaker, string Text);

    private sealed record Observation(string Speaker, string Text, IReadOnlySet<string> Evidence);

    private sealed record Session(IReadOnlyList<Turn> Turns, IReadOnlyList<Observation> Observations);

    private sealed record Sample(string Id, IReadOnlySet<string> Names, IReadOnlyList<Session> Sessions);

    private static List<Sample> Load(string json, IReadOnlyCollection<string> only)
    {
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind != JsonValueKind.Array) throw LocalMemoryException.Invalid("a LoCoMo file is a JSON array of conversations");
        var samples = new List<Sample>();
        foreach (var c in doc.RootElement.EnumerateArray())
        {
            var id = c.GetProperty("sample_id").GetString()!;
            if (only.Count > 0 && !only.Contains(id)) continue;
            var conversation = c.GetProperty("conversation");
            string[] speakers = [conversation.GetProperty("speaker_a").GetString()!, conversation.GetProperty("speaker_b").GetString()!];
            var sessions = new List<Session>();
            for (var n = 1; conversation.TryGetProperty($"session_{n}", out var turns); n++)
            {
                var observed = c.GetProperty("observation").TryGetProperty($"session_{n}_observation", out var o) ? o : default;
                sessions.Add(new Session(
                    [.. turns.EnumerateArray().Select(t => new Turn(t.GetProperty("dia_id").GetString()!, t.GetProperty("speaker").GetString()!, t.GetProperty("text").GetString()!))],
                    observed.ValueKind != JsonValueKind.Object ? [] : [.. observed.EnumerateObject().SelectMany(s => s.Value.EnumerateArray().Select(f => new Observation(s.Name, f[0].GetString()!, Evidence(f[1]))))]));
            }
            samples.Add(new Sample(id, speakers.Select(s => ContentWords.Stem(s.ToLowerInvariant())).ToHashSet(), sessions));
        }
        var missing = only.Where(id => samples.All(s => s.Id != id)).ToList();
        if (missing.Count > 0) throw LocalMemoryException.Invalid($"no conversation {string.Join(", ", missing)} in the file");
        return samples;
    }

    /// <summary>Evidence is "D1:3", "D1:3, D1:5" or ["D1:3", "D1:5"].</summary>
    private static HashSet<string> Evidence(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array
            ? [.. e.EnumerateArray().Select(x => x.GetString()!.Trim())]
            : [.. e.GetString()!.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
