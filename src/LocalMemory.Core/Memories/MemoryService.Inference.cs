using System.Diagnostics;
using System.Text.Json.Nodes;
using LocalMemory.Core.Inference;
using LocalMemory.Core.Storage;

namespace LocalMemory.Core.Memories;

public sealed partial class MemoryService
{
    private readonly SemaphoreSlim _workSignal = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _worker;

    /// <summary>Extracts facts, decides ADD/UPDATE/DELETE/NONE for each against the memories in scope (and the facts
    /// before it in the same call), and applies all of it with the event in one transaction. If a memory the plan
    /// changes was changed by someone else meanwhile, nothing is applied and the plan is made again.</summary>
    private async Task<IReadOnlyList<MemoryChange>> InferAsync(AddInput input, string eventId, string createdAt, long started, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try { return await PlanAndApplyAsync(input, eventId, createdAt, started, cancellationToken); }
            catch (ConcurrentChangeException) when (attempt < MaxPlanAttempts) { }
        }
    }

    private const int MaxPlanAttempts = 5;

    /// <summary>How many near memories a fact is reconciled with. A change names the old value in a sentence that reads
    /// unlike the stored one ("we ditched axios, ky everywhere now" against "Use Axios for HTTP calls in the frontend"),
    /// so the memory it changes can rank below many that merely share its topic.</summary>
    private const int ReconcileNeighbours = 20;

    private async Task<IReadOnlyList<MemoryChange>> PlanAndApplyAsync(AddInput input, string eventId, string createdAt, long started, CancellationToken cancellationToken)
    {
        var facts = FactExtractor.Extract(input.Messages);
        var embedder = await EmbedderAsync(cancellationToken);
        var vectors = facts.Count == 0 ? [] : embedder.EmbedDocuments([.. facts.Select(f => f.Text)]);
        var visible = new MemoryQuery { UserId = input.UserId, Project = input.Project };
        var now = Json.Timestamp(DateTimeOffset.UtcNow);

        var plan = new List<PlannedChange>();
        var batch = new List<(PlannedChange.Add Add, int Index)>(); // facts of this call, candidates for the later ones
        for (var i = 0; i < facts.Count; i++)
        {
            var fact = facts[i];
            var near = _store.NearestVectors(visible, vectors[i], ReconcileNeighbours);
            var stored = _store.Fetch(visible, near.Select(n => n.Key), vectors[i], near);
            var candidates = stored.Values.Select(r => new Candidate(r.Record.Id, r.Record.Memory, 1 - r.Distance))
                .Concat(batch.Select(b => new Candidate(b.Add.Record.Id, b.Add.Record.Memory, Cosine(b.Add.Vector, vectors[i]))))
                .ToList();
            var source = new JsonObject { ["type"] = "extracted", ["event_id"] = eventId, ["message_index"] = fact.MessageIndex, ["role"] = fact.Role };
            switch (Reconciler.Decide(fact.Text, candidates))
            {
                case Decision.Add:
                    var add = new PlannedChange.Add(input.NewRecord(fact.Text, now, source, [fact.Category]), vectors[i]);
                    plan.Add(add);
                    batch.Add((add, plan.Count - 1));
                    break;
                case Decision.Update(var id, var old, var text):
                    var vector = text == fact.Text ? vectors[i] : embedder.EmbedDocuments([text])[0];
                    var pending = batch.FindIndex(b => b.Add.Record.Id == id);
                    if (pending >= 0)
                    {
                        var replaced = batch[pending].Add with { Record = batch[pending].Add.Record with { Memory = text, Hash = Hash(text) }, Vector = vector };
                        plan[batch[pending].Index] = replaced;
                        batch[pending] = (replaced, batch[pending].Index);
                    }
                    else
                    {
                        var fallback = new NewMemory(input.NewRecord(text, now, source, [fact.Category]), vector);
                        plan.Add(new PlannedChange.Update(id, old, text, Hash(text), vector, now, fallback));
                    }
                    break;
                case Decision.Delete(var id, var old):
                    var inBatch = batch.FindIndex(b => b.Add.Record.Id == id);
                    if (inBatch >= 0) plan[batch[inBatch].Index] = new PlannedChange.Known(id, fact.Text);
                    else plan.Add(new PlannedChange.Delete(id, old));
                    break;
                case Decision.None(var id):
                    plan.Add(new PlannedChange.Known(id, fact.Text));
                    break;
            }
        }
        return _store.Apply(plan, changes => Event(eventId, "ADD", input.UserId, input.AppId, createdAt, started, ChangesJson(changes)));
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0;
        for (var i = 0; i < a.Length; i++) dot += a[i] * b[i];
        return dot; // both unit length
    }

    /// <summary>Works through PENDING events (and RUNNING ones whose process died) on a thread of its own, until none is left.
    /// A host that stays up (serve) calls it at start, so the work of a killed process is finished by the next.</summary>
    public void StartBackgroundWork()
    {
        lock (_workSignal)
        {
            if (_worker is null || _worker.IsCompleted)
                _worker = Task.Factory.StartNew(() => WorkAsync(_stopping.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
            else _workSignal.Release();
        }
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        var pid = Environment.ProcessId;
        while (!cancellationToken.IsCancellationRequested)
        {
            ClaimedWork? claimed;
            try { claimed = _store.ClaimPending(pid, IsAlive, Constants.InferenceLease); }
            catch (LocalMemoryException) { claimed = null; } // the store is busy or failing now: look again later
            if (claimed is null)
            {
                if (!await _workSignal.WaitAsync(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false)) return;
                continue;
            }
            try
            {
                await InferAsync(AddInput.FromJson(claimed.Input), claimed.Id, claimed.CreatedAt, Stopwatch.GetTimestamp(), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return; // stopping: the event stays RUNNING, and the next process takes it over
            }
#pragma warning disable CA1031 // any failure (an ONNX Runtime error too) ends this attempt with its reason; the worker goes on
            catch (Exception e)
#pragma warning restore CA1031
            {
                // An input that cannot be read will not read better next time; anything else is tried again.
                var final = e is System.Text.Json.JsonException or LocalMemoryException { Kind: ErrorKind.InvalidInput };
                try { _store.RecordAttemptFailed(final ? claimed with { Attempt = Constants.InferenceAttempts } : claimed, e.Message); }
                catch (LocalMemoryException) { } // the lease runs out and another attempt is made
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            // A killed process whose parent has not collected it yet is a zombie: gone, though its pid still answers.
            if (OperatingSystem.IsLinux() && File.Exists($"/proc/{pid}/stat")
                && File.ReadAllText($"/proc/{pid}/stat") is var stat && stat.LastIndexOf(')') is var end and > 0
                && end + 2 < stat.Length && stat[end + 2] is 'Z' or 'X')
                return false;
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (IOException) { return false; }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }
}
