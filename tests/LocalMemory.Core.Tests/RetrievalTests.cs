using LocalMemory.Core.Evaluation;

namespace LocalMemory.Core.Tests;

/// <summary>The retrieval check of shared/eval/recall-dev.json (a copy lives in data/) with the default model.</summary>
public sealed class RetrievalTests : IDisposable
{
    private readonly TestHome _home = new();

    [Fact]
    public async Task Recall_dev_meets_its_targets()
    {
        var report = await RetrievalEvaluation.RunAsync(Path.Combine(AppContext.BaseDirectory, "data", "recall-dev.json"), _home.Options, CancellationToken.None);
        var all = report.Scores.Single(s => s.Kind == "all");
        var misses = string.Join("; ", report.Misses.Select(m => $"{m.Query} -> {m.Top} (rank {m.Rank})"));
        Assert.True(all.HitAt1 >= 0.93, $"hit@1 {all.HitAt1}: {misses}");
        Assert.True(all.HitAt3 >= 0.96, $"hit@3 {all.HitAt3}: {misses}");
        Assert.Equal(1.0, report.Scores.Single(s => s.Kind == "lexical").HitAt3);
    }

    public void Dispose() => _home.Dispose();
}
