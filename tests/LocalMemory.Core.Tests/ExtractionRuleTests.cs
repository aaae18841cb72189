using LocalMemory.Core.Evaluation;
using LocalMemory.Core.Inference;
using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Tests;

/// <summary>Rules of the extractor on talk written for these tests, and the second dev set's floor.</summary>
public sealed class ExtractionRuleTests : IDisposable
{
    private readonly TestHome _home = new();
    private readonly CancellationToken _ct = CancellationToken.None;

    [Fact]
    public async Task The_second_dev_set_stays_above_its_floor()
    {
        var report = await ExtractionEvaluation.RunAsync(Path.Combine(AppContext.BaseDirectory, "data", "extraction-dev2.json"), _home.Options, _ct);
        var d = report.Details!;
        var detail = string.Join("; ", d.Extra.Concat(d.Missed).Concat(d.SearchMisses).Concat(d.Updates));
        Assert.True(report.Conversations >= 100);
        Assert.True(report.Recall >= 0.9, $"recall {report.Recall}: {detail}");
        Assert.True(report.Precision >= 0.85, $"precision {report.Precision}: {detail}");
        Assert.True(report.HitAt3 >= 0.85, $"hit@3 {report.HitAt3}: {detail}");
        Assert.True(report.FragmentRate + report.ForbiddenRate <= 0.04, $"fragments {report.Fragments}, forbidden {report.Forbidden}: {string.Join("; ", d.Fragments.Concat(d.Forbidden))}");
        Assert.True(report.UpdateRate >= 0.9, $"updates {report.UpdatesApplied} of {report.Updates}: {detail}");
    }

    [Fact]
    public void A_short_answer_carries_what_the_question_asked_for()
    {
        var facts = FactExtractor.Extract([new Message("assistant", "Which region should the replica live in?"), new Message("user", "us-east-2")]);
        var fact = Assert.Single(facts);
        Assert.Contains("region", fact.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("us-east-2", fact.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bare_correction_leaves_only_the_corrected_value()
    {
        var facts = FactExtractor.Extract([
            new Message("user", "set the worker concurrency to 8"),
            new Message("assistant", "Done, the worker concurrency is 8."),
            new Message("user", "make it 12, the queue backs up")]);
        Assert.Contains(facts, f => f.Text.Contains("concurrency", StringComparison.Ordinal) && f.Text.Contains("12", StringComparison.Ordinal));
        Assert.DoesNotContain(facts, f => f.Text.Contains(" 8", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_retired_tool_with_its_successor_named_updates_the_memory()
    {
        var service = _home.Open();
        var id = (await service.AddAsync(new AddRequest { Text = "Storybook builds use Webpack." }, Context.Global, _ct)).Results.Single().Id;
        var changed = await service.AddAsync(new AddRequest { Messages = [new Message("user", "webpack is gone, vite everywhere now")], Infer = true }, Context.Global, _ct);
        Assert.Equal((id, ChangeKind.Update), (changed.Results.Single().Id, changed.Results.Single().Event));
        var memory = (await service.GetAsync(id, null, _ct)).Memory;
        Assert.Contains("vite", memory, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("webpack", memory, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(await service.HistoryAsync(id, _ct), h => h.Event == ChangeKind.Update);
    }

    [Fact]
    public async Task Work_handed_over_changes_its_owner()
    {
        var service = _home.Open();
        var id = (await service.AddAsync(new AddRequest { Text = "Ana owns the search indexer." }, Context.Global, _ct)).Results.Single().Id;
        await service.AddAsync(new AddRequest
        {
            Messages = [new Message("user", "Ana: I'm handing the indexer over to Luis, I'm joining the mobile team."), new Message("user", "Luis: yes, the indexer is mine now.")],
            Infer = true,
        }, Context.Global, _ct);
        var memory = (await service.GetAsync(id, null, _ct)).Memory;
        Assert.Contains("Luis", memory, StringComparison.Ordinal);
        Assert.DoesNotContain("Ana", memory, StringComparison.Ordinal);
    }

    public void Dispose() => _home.Dispose();
}
