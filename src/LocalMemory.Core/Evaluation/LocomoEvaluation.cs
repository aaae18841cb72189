using System.Diagnostics;
using LocalMemory.Core.Embeddings;
using LocalMemory.Core.Hosting;
using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Evaluation;

/// <summary>Turn-level recall of one category (or "all"), with DRAGON's R@10 from the LoCoMo paper where it has one.</summary>
public sealed record LocomoScore(string Category, int Questions, double RecallAt5, double RecallAt10, double? Dragon);

public sealed record LocomoReport(string Model, IReadOnlyList<string> Conversations, int Memories, int Unscorable,
    IReadOnlyList<LocomoScore> Scores, double IngestSeconds, double SearchSeconds);

/// <summary>One question's result: the share of its evidence turns in the first 5 and the first 10 results.</summary>
public sealed record LocomoAnswer(string Conversation, LocomoQuestion Question, double RecallAt5, double RecallAt10, IReadOnlyList<string> Found);

/// <summary>LoCoMo through the product: every turn is added (infer=false) as "speaker: text" with its session's time,
/// one add per session, in a fresh store per conversation; every non-adversarial question is searched with limit 10.</summary>
/// <remarks>An image a speaker shared is part of what they said: its caption is appended to the turn
/// ("[image: ...]"), as a person reading the chat would see it.</remarks>
public static class LocomoEvaluation
{
    public static readonly IReadOnlyList<(int Category, string Name, double Dragon)> Categories =
        [(4, "single-hop", 0.777), (1, "multi-hop", 0.466), (2, "temporal", 0.773), (3, "open-domain", 0.408)];

    public static async Task<LocomoReport> RunAsync(string file, IReadOnlyList<string>? only, LocalMemoryOptions options, CancellationToken cancellationToken, bool infer = false)
    {
        var all = LocomoData.Parse(await File.ReadAllTextAsync(file, cancellationToken));
        var unknown = (only ?? []).Except(all.Select(c => c.Id)).ToList();
        if (unknown.Count > 0)
            throw LocalMemoryException.Invalid($"no conversation {string.Join(", ", unknown)} in {file}; it has {string.Join(", ", all.Select(c => c.Id))}");
        var conversations = only is { Count: > 0 } ? [.. all.Where(c => only.Contains(c.Id))] : all;

        using var embedder = OnnxEmbedder.Load(Assets.LoadModel(options.AssetsDirectory, options.Model));
        var answers = new List<LocomoAnswer>();
        var memories = 0;
        long ingest = 0, search = 0;
        foreach (var conversation in conversations)
        {
            using var service = MemoryService.Open(options with { Home = Path.Combine(options.Home, conversation.Id), UserId = "locomo" }, embedder);
            var started = Stopwatch.GetTimestamp();
            var turns = await IngestAsync(service, conversation, infer, cancellationToken);
            ingest += Stopwatch.GetTimestamp() - started;
            memories += turns.Count;
            started = Stopwatch.GetTimestamp();
            answers.AddRange(await AskAsync(service, conversation, turns, cancellationToken));
            search += Stopwatch.GetTimestamp() - started;
        }
        return new LocomoReport(options.Model, [.. conversations.Select(c => c.Id)], memories, conversations.Sum(c => c.Unscorable), Score(answers),
            Math.Round(ingest / (double)Stopwatch.Frequency, 1), Math.Round(search / (double)Stopwatch.Frequency, 1));
    }

    /// <summary>Adds every session's turns, one add call per session (per <see cref="Constants.MaxMessages"/>), and
    /// returns the turn ids behind each memory id. infer=false: each turn is a memory (a turn whose text repeats an
    /// earlier one is the same memory). infer=true: facts are extracted; each counts for the turn it came from and
    /// every turn that later updated it.</summary>
    public static async Task<Dictionary<string, List<string>>> IngestAsync(MemoryService service, LocomoConversation conversation, bool infer, CancellationToken cancellationToken)
    {
        var context = new CallContext("locomo", null);
        var turns = new Dictionary<string, List<string>>();
        void Add(string memory, string turn)
        {
            if (!turns.TryGetValue(memory, out var ids)) turns[memory] = ids = [];
            ids.Add(turn);
        }
        foreach (var session in conversation.Sessions)
            foreach (var chunk in session.Turns.Chunk(Constants.MaxMessages))
            {
                var added = await service.AddAsync(new AddRequest
                {
                    Messages = [.. chunk.Select(t => new Message("user", Text(t)))],
                    Timestamp = Json.Timestamp(session.Time),
                    Global = true,
                    Infer = infer,
                }, context, cancellationToken);
                if (!infer)
                {
                    for (var i = 0; i < chunk.Length; i++) Add(added.Results[i].Id, chunk[i].Id);
                    continue;
                }
                foreach (var change in added.Results.Where(r => r.Event is ChangeKind.Add or ChangeKind.Update))
                    if ((await service.GetAsync(change.Id, null, cancellationToken)).Source["message_index"]?.GetValue<int>() is { } i && i < chunk.Length)
                        Add(change.Id, chunk[i].Id);
            }
        return turns;
    }

    public static string Text(LocomoTurn turn) =>
        $"{turn.Speaker}: {turn.Text}" + (string.IsNullOrWhiteSpace(turn.Caption) ? "" : $" [image: {turn.Caption}]");

    public static async Task<List<LocomoAnswer>> AskAsync(MemoryService service, LocomoConversation conversation, Dictionary<string, List<string>> turns, CancellationToken cancellationToken)
    {
        var context = new CallContext("locomo", null);
        var answers = new List<LocomoAnswer>();
        foreach (var question in conversation.Questions)
        {
            var hits = await service.SearchAsync(new SearchRequest { Query = question.Text, Limit = 10 }, context, cancellationToken);
            var found = hits.Select(h => turns.GetValueOrDefault(h.Memory.Id) ?? []).ToList();
            double Recall(int k) => question.Evidence.Count(e => found.Take(k).Any(ids => ids.Contains(e))) / (double)question.Evidence.Count;
            answers.Add(new LocomoAnswer(conversation.Id, question, Recall(5), Recall(10), [.. found.Select(ids => ids.FirstOrDefault() ?? "")]));
        }
        return answers;
    }

    public static List<LocomoScore> Score(IReadOnlyList<LocomoAnswer> answers)
    {
        static LocomoScore Of(string name, IReadOnlyList<LocomoAnswer> a, double? dragon) => a.Count == 0
            ? new LocomoScore(name, 0, 0, 0, dragon)
            : new LocomoScore(name, a.Count, Math.Round(a.Average(x => x.RecallAt5), 3), Math.Round(a.Average(x => x.RecallAt10), 3), dragon);
        var scores = Categories.Select(c => Of(c.Name, [.. answers.Where(a => a.Question.Category == c.Category)], c.Dragon)).ToList();
        scores.Add(Of("all", answers, null));
        return scores;
    }
}
