using LocalMemory.Core.Evaluation;
using LocalMemory.Core.Inference;
using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Tests;

public sealed class InferenceTests : IDisposable
{
    private readonly TestHome _home = new();
    private readonly CancellationToken _ct = CancellationToken.None;

    private Task<AddResult> Infer(MemoryService service, params string[] userMessages) =>
        service.AddAsync(new AddRequest { Messages = [.. userMessages.Select(m => new Message("user", m))], Infer = true }, Context.Global, _ct);

    [Fact]
    public async Task The_labelled_conversations_meet_the_extraction_targets()
    {
        var report = await ExtractionEvaluation.RunAsync(Path.Combine(AppContext.BaseDirectory, "data", "extraction.json"), _home.Options, _ct);
        Assert.True(report.Conversations >= 25);
        var d = report.Details!;
        var detail = string.Join("; ", d.Extra.Concat(d.Missed).Concat(d.SearchMisses));
        Assert.True(report.Precision >= 0.85, $"precision {report.Precision}: {detail}");
        Assert.True(report.Recall >= 0.85, $"recall {report.Recall}: {detail}");
        Assert.True(report.HitAt3 >= 0.9, $"hit@3 {report.HitAt3}: {detail}");
        Assert.True(report.FragmentRate + report.ForbiddenRate <= 0.02, $"fragments {report.Fragments}, forbidden {report.Forbidden}: {string.Join("; ", d.Fragments.Concat(d.Forbidden))}");
        Assert.True(report.UpdateRate >= 0.9, $"updates {report.UpdatesApplied} of {report.Updates}: {string.Join("; ", d.Updates)}");
    }

    [Fact]
    public void Thin_items_of_a_terse_list_are_kept_together()
    {
        var facts = FactExtractor.Extract([new Message("user", "lint: eslint. format: biome. bundler = vite.")]);
        var fact = Assert.Single(facts);
        Assert.All(["eslint", "biome", "vite"], w => Assert.Contains(w, fact.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Going_back_updates_the_memory_whose_value_the_sentence_names()
    {
        var service = _home.Open();
        var kept = (await service.AddAsync(new AddRequest { Text = "Dockerfiles install Node 20." }, Context.Global, _ct)).Results.Single().Id;
        var id = (await service.AddAsync(new AddRequest { Text = "Use Yarn for installing dependencies." }, Context.Global, _ct)).Results.Single().Id;
        var changed = await Infer(service, "we went back to pnpm, yarn broke our Docker builds");
        Assert.Equal((id, ChangeKind.Update), (changed.Results.Single().Id, changed.Results.Single().Event));
        Assert.Contains("pnpm", (await service.GetAsync(id, null, _ct)).Memory, StringComparison.Ordinal);
        Assert.Equal("Dockerfiles install Node 20.", (await service.GetAsync(kept, null, _ct)).Memory);
    }

    [Fact]
    public async Task An_updated_memory_without_a_category_takes_the_new_facts_and_a_given_one_stays()
    {
        var service = _home.Open();
        var plain = (await service.AddAsync(new AddRequest { Text = "Use Yarn for installing dependencies." }, Context.Global, _ct)).Results.Single().Id;
        var labelled = (await service.AddAsync(new AddRequest { Text = "Error tracking goes to Sentry.", Categories = ["observability"] }, Context.Global, _ct)).Results.Single().Id;
        Assert.Empty((await service.GetAsync(plain, null, _ct)).Categories);

        await Infer(service, "we went back to pnpm, yarn broke our Docker builds");
        await Infer(service, "we replaced Sentry with Rollbar for error tracking");

        var updated = await service.GetAsync(plain, null, _ct);
        Assert.Contains("pnpm", updated.Memory, StringComparison.Ordinal);
        Assert.NotEmpty(updated.Categories);
        var kept = await service.GetAsync(labelled, null, _ct);
        Assert.Contains("Rollbar", kept.Memory, StringComparison.Ordinal);
        Assert.Equal(["observability"], kept.Categories);
    }

    [Fact]
    public async Task Going_back_with_nothing_to_go_back_from_adds_the_fact()
    {
        var service = _home.Open();
        var added = await Infer(service, "We're back on Gradle for the Android build.");
        Assert.Equal(ChangeKind.Add, added.Results.Single().Event);
        var again = await Infer(service, "We reverted to Maven for the backend build.");
        Assert.Single(again.Results);
    }

    [Fact]
    public async Task Dropping_a_weekday_rule_deletes_it()
    {
        var service = _home.Open();
        var id = (await service.AddAsync(new AddRequest { Text = "No releases on Mondays." }, Context.Global, _ct)).Results.Single().Id;
        var dropped = await Infer(service, "Forget the Monday release freeze, it's gone.");
        Assert.Equal((id, ChangeKind.Delete), (dropped.Results.Single().Id, dropped.Results.Single().Event));
    }

    [Fact]
    public void Greetings_thanks_questions_and_requests_yield_nothing()
    {
        var facts = FactExtractor.Extract([
            new Message("user", "Hi! Thanks a lot."),
            new Message("user", "Can you run the tests again?"),
            new Message("assistant", "Sure, running them now. All 42 passed."),
            new Message("user", "Great, continue with the refactor please."),
        ]);
        Assert.Empty(facts);
    }

    [Fact]
    public void Identifiers_versions_and_paths_are_kept_exactly_and_pronouns_resolved()
    {
        var facts = FactExtractor.Extract([new Message("user", "Note that the search service caches results in Memcached for 60 seconds. Maxime maintains it. Keep React pinned at 18.2 in web/package.json.")]);
        Assert.Equal(
            ["The search service caches results in Memcached for 60 seconds.", "Maxime maintains the search service.", "Keep React pinned at 18.2 in web/package.json."],
            facts.Select(f => f.Text));
        Assert.Equal(["other", "ownership", "constraint"], facts.Select(f => f.Category));
    }

    [Fact]
    public async Task The_same_conversation_twice_adds_nothing_the_second_time()
    {
        var service = _home.Open();
        string[] conversation = ["ok, let's go with Postgres for this, and remember we never log request bodies in the auth middleware. Thanks!"];
        var first = await Infer(service, conversation);
        Assert.Equal([ChangeKind.Add, ChangeKind.Add], first.Results.Select(r => r.Event));
        var second = await Infer(service, conversation);
        Assert.All(second.Results, r => Assert.Equal(ChangeKind.None, r.Event));
        Assert.Equal(2, (await service.ListAsync(new ListRequest(), Context.Global, _ct)).Total);
    }

    [Fact]
    public async Task A_changed_decision_updates_the_memory_and_search_no_longer_returns_the_old_text()
    {
        var service = _home.Open();
        var added = await Infer(service, "Postgres is the primary database.");
        var id = added.Results.Single().Id;
        await Infer(service, "Kafka topics are named domain.entity.event.");

        var changed = await Infer(service, "Heads up: we moved from Postgres to MySQL last sprint.");
        var update = Assert.Single(changed.Results, r => r.Event == ChangeKind.Update);
        Assert.Equal(id, update.Id);
        Assert.Equal("MySQL is the primary database.", update.Memory);
        Assert.Equal("Postgres is the primary database.", update.PreviousMemory);

        var hits = await service.SearchAsync(new SearchRequest { Query = "What is the primary database?" }, Context.Global, _ct);
        Assert.Equal("MySQL is the primary database.", hits[0].Memory.Memory);
        Assert.DoesNotContain(hits, h => h.Memory.Memory.Contains("Postgres", StringComparison.Ordinal));
        Assert.Equal("Postgres is the primary database.", (await service.HistoryAsync(id, _ct))[^1].OldMemory);
    }

    [Fact]
    public async Task A_new_value_for_the_same_statement_updates_it()
    {
        var service = _home.Open();
        var id = (await Infer(service, "Keep React pinned at 18.2 until the charting library supports 19.")).Results.Single().Id;
        var changed = await Infer(service, "Keep React pinned at 18.3 until the charting library supports 19.");
        Assert.Equal((id, ChangeKind.Update), (changed.Results.Single().Id, changed.Results.Single().Event));
        Assert.Equal(1, (await service.ListAsync(new ListRequest(), Context.Global, _ct)).Total);
    }

    [Fact]
    public async Task A_retraction_deletes_the_memory_and_keeps_it_in_history()
    {
        var service = _home.Open();
        var id = (await Infer(service, "Feature flags go through Unleash.")).Results.Single().Id;
        var retracted = await Infer(service, "We no longer use Unleash.");
        Assert.Equal((id, ChangeKind.Delete), (retracted.Results.Single().Id, retracted.Results.Single().Event));
        Assert.Equal(0, (await service.ListAsync(new ListRequest(), Context.Global, _ct)).Total);
        Assert.Equal(ChangeKind.Delete, (await service.HistoryAsync(id, _ct))[^1].Event);
    }

    [Fact]
    public async Task Extracted_memories_record_their_provenance_and_category()
    {
        var service = _home.Open();
        var result = await service.AddAsync(new AddRequest
        {
            Messages = [new Message("user", "Who owns billing?"), new Message("user", "Priya owns billing-service.")],
            Infer = true,
        }, Context.Global, _ct);
        var memory = await service.GetAsync(result.Results.Single().Id, null, _ct);
        Assert.Equal("extracted", memory.Source["type"]!.GetValue<string>());
        Assert.Equal(result.EventId, memory.Source["event_id"]!.GetValue<string>());
        Assert.Equal(1, memory.Source["message_index"]!.GetValue<int>());
        Assert.Equal(["ownership"], memory.Categories);
    }

    [Fact]
    public async Task A_long_conversation_is_inferred_in_the_background()
    {
        var service = _home.Open();
        var messages = Enumerable.Range(0, 12).Select(i => new Message("user", $"Service svc-{i} listens on port {9000 + i}.")).ToList();
        var pending = await service.AddAsync(new AddRequest { Messages = messages, Infer = true, Background = true }, Context.Global, _ct);
        Assert.Equal(EventStatus.Pending, pending.Status);
        Assert.Empty(pending.Results);

        for (var i = 0; i < 100 && (await service.GetEventAsync(pending.EventId, _ct)).Status is EventStatus.Pending or EventStatus.Running; i++)
            await Task.Delay(200);
        var done = await service.GetEventAsync(pending.EventId, _ct);
        Assert.Equal(EventStatus.Succeeded, done.Status);
        Assert.Equal(12, done.Results!.AsArray().Count);
        Assert.Equal(12, (await service.ListAsync(new ListRequest(), Context.Global, _ct)).Total);
    }

    public void Dispose() => _home.Dispose();
}
