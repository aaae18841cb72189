using LocalMemory.Core.Evaluation;
using LocalMemory.Core.Memories;
using LocalMemory.Core.Search;

namespace LocalMemory.Core.Tests;

/// <summary>Search that reads the time a query names, the speaker it names and the turns around a memory.</summary>
public sealed class TimeSearchTests : IDisposable
{
    private readonly TestHome _home = new();
    private readonly CancellationToken _ct = CancellationToken.None;

    private async Task<string> First(MemoryService service, string query) =>
        (await service.SearchAsync(new SearchRequest { Query = query, Limit = 5 }, Context.Global, _ct))[0].Memory.Memory;

    [Fact]
    public async Task Of_two_facts_that_differ_only_in_when_they_held_the_question_about_a_time_finds_the_one_that_held_then()
    {
        var service = _home.Open();
        // Stored in the order that puts the later one first by similarity ties and by storing time.
        await service.AddAsync(new AddRequest { Text = "The weekly planning meeting is on Tuesday mornings.", Timestamp = "2024-03-04T09:00:00Z" }, Context.Global, _ct);
        await service.AddAsync(new AddRequest { Text = "The weekly planning meeting is on Thursday mornings.", Timestamp = "2025-10-02T09:00:00Z" }, Context.Global, _ct);

        Assert.Contains("Tuesday", await First(service, "Which day was the weekly planning meeting in March 2024?"));
        Assert.Contains("Thursday", await First(service, "Which day was the weekly planning meeting in October 2025?"));
        Assert.Contains("Tuesday", await First(service, "Which day was the weekly planning meeting originally?"));
        Assert.Contains("Thursday", await First(service, "Which day is the weekly planning meeting now?"));
        Assert.Contains("Tuesday", await First(service, "Which day was the weekly planning meeting in 2024?"));
    }

    [Fact]
    public async Task A_relative_time_counts_from_now()
    {
        var service = _home.Open();
        var now = DateTimeOffset.UtcNow;
        await service.AddAsync(new AddRequest { Text = "The nightly build broke on a missing font package.", Timestamp = Json.Timestamp(now.AddDays(-3)) }, Context.Global, _ct);
        await service.AddAsync(new AddRequest { Text = "The nightly build broke on an expired signing key.", Timestamp = Json.Timestamp(now.AddDays(-60)) }, Context.Global, _ct);

        Assert.Contains("signing key", await First(service, "Why did the nightly build break two months ago?"));
        Assert.Contains("font package", await First(service, "Why did the nightly build break three days ago?"));
    }

    [Fact]
    public async Task Results_carry_the_time_and_it_can_be_filtered()
    {
        var service = _home.Open();
        await service.AddAsync(new AddRequest { Text = "Release 4.2 shipped with the new importer.", Timestamp = "2023-06-01T12:00:00Z" }, Context.Global, _ct);
        var hit = (await service.SearchAsync(new SearchRequest { Query = "importer release" }, Context.Global, _ct)).Single();
        Assert.Equal("2023-06-01T12:00:00.0000000Z", hit.Memory.Timestamp);
        var after = await service.SearchAsync(new SearchRequest { Query = "importer release", Filter = MemoryFilter.Parse("""{"timestamp": {"gte": "2024-01-01T00:00:00Z"}}""") }, Context.Global, _ct);
        Assert.Empty(after);
    }

    [Theory]
    [InlineData("What did we decide in May 2024?", "2024-05-01", "2024-06-01")]
    [InlineData("What did we decide in 2023?", "2023-01-01", "2024-01-01")]
    [InlineData("What changed last month?", "2026-10-01", "2026-11-01")]
    [InlineData("What broke yesterday?", "2026-11-24", "2026-11-25")]
    [InlineData("Who joined in March?", "2026-03-01", "2026-04-01")]
    [InlineData("Who joined in December?", "2025-12-01", "2026-01-01")]
    public void Time_phrases_are_windows(string query, string from, string to)
    {
        var time = TimeQuery.Parse(query, new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
        Assert.Equal(DateTimeOffset.Parse(from + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), time.From);
        Assert.Equal(DateTimeOffset.Parse(to + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), time.To);
    }

    [Theory]
    [InlineData("Which database may we use?", 0)]
    [InlineData("Which database did we use originally?", -1)]
    [InlineData("Which database do we use now?", 1)]
    public void Time_phrases_without_a_window(string query, int direction)
    {
        var time = TimeQuery.Parse(query, DateTimeOffset.UtcNow);
        Assert.Null(time.From);
        Assert.Equal(direction, time.Direction);
    }

    [Fact]
    public async Task A_turn_is_read_with_the_turns_around_it_and_with_its_speaker()
    {
        var service = _home.Open();
        // One conversation, one add: the answer ("Yes, twice") says nothing of the subject; the turn before it does.
        await service.AddAsync(new AddRequest
        {
            Messages =
            [
                new Message("user", "Ana: Have you ever been to the volcano museum in Naples?"),
                new Message("user", "Ben: Yes, twice, and I would go again."),
                new Message("user", "Ana: I prefer quiet beaches to museums."),
                new Message("user", "Ben: The bakery downstairs sells great bread."),
            ],
            Infer = false,
        }, Context.Global, _ct);
        for (var i = 0; i < 12; i++)
            await service.AddAsync(new AddRequest { Text = $"Note {i}: the museum ticket office closes at {i + 1} pm.", Infer = false }, Context.Global, _ct);

        var hits = await service.SearchAsync(new SearchRequest { Query = "Has Ben visited the volcano museum?", Limit = 3 }, Context.Global, _ct);
        Assert.Contains(hits, h => h.Memory.Memory.StartsWith("Ben: Yes, twice", StringComparison.Ordinal));
        Assert.True(hits.Single(h => h.Memory.Memory.StartsWith("Ben: Yes", StringComparison.Ordinal)) is { Speaker: true, Context: > 0 });
    }

    [Fact]
    public async Task The_locomo_evaluation_scores_turn_level_recall_per_category()
    {
        // A file in LoCoMo's shape, written here (the benchmark's own text is not in this repository).
        var file = Path.Combine(_home.Home, "tiny-locomo.json");
        await File.WriteAllTextAsync(file, """
            [{"sample_id": "t-1",
              "conversation": {"speaker_a": "Ana", "speaker_b": "Ben",
                "session_1_date_time": "10:00 am on 3 March, 2024",
                "session_1": [
                  {"speaker": "Ana", "dia_id": "D1:1", "text": "I started learning the cello in January."},
                  {"speaker": "Ben", "dia_id": "D1:2", "text": "My sister runs a bicycle repair shop in Lyon."}],
                "session_2_date_time": "4:00 pm on 9 April, 2024",
                "session_2": [
                  {"speaker": "Ana", "dia_id": "D2:1", "text": "My cello teacher moved to Vienna.", "blip_caption": "a photo of a cello"},
                  {"speaker": "Ben", "dia_id": "D2:2", "text": "We adopted a grey cat named Pixel."}]},
              "qa": [
                {"question": "What instrument does Ana play?", "answer": "cello", "evidence": ["D1:1"], "category": 4},
                {"question": "Where does Ben's sister work?", "answer": "Lyon", "evidence": ["D1:2"], "category": 4},
                {"question": "What pet did Ben adopt?", "answer": "a cat", "evidence": ["D2:2"], "category": 1},
                {"question": "Is it a trick?", "answer": "", "adversarial_answer": "x", "evidence": ["D2:1"], "category": 5},
                {"question": "Nothing to find", "answer": "", "evidence": ["D9:9"], "category": 2}]}]
            """, _ct);
        var report = await LocomoEvaluation.RunAsync(file, null, _home.Options, _ct);
        Assert.Equal(4, report.Memories);
        Assert.Equal(1, report.Unscorable);
        var all = report.Scores.Single(s => s.Category == "all");
        Assert.Equal(3, all.Questions);
        Assert.Equal(1.0, all.RecallAt10); // four turns, limit 10: every evidence turn is found
        Assert.Equal(0.777, report.Scores.Single(s => s.Category == "single-hop").Dragon);

        // infer=true: facts extracted per session, each traced to the turn it came from.
        var inferred = await LocomoEvaluation.RunAsync(file, null, _home.Options with { Home = Path.Combine(_home.Home, "inferred") }, _ct, infer: true);
        Assert.InRange(inferred.Memories, 1, 8);
        Assert.Equal(3, inferred.Scores.Single(s => s.Category == "all").Questions);
    }

    public void Dispose() => _home.Dispose();
}
