// localmem's benchmark: one table, each figure a median over repeated runs with its range.
// Usage (scripts/bench.sh builds what the installer builds and passes its path):
//   dotnet run --project scripts/Bench -c Release -- --localmem PATH [--peer PATH-TO-server-memory.js] [--sizes 1000,10000,100000] [--eval FILE] [--only hooks|search]
using System.Diagnostics;
using System.Text.Json;
using LocalMemory.Core;
using LocalMemory.Core.Embeddings;
using LocalMemory.Core.Evaluation;
using LocalMemory.Core.Hosting;
using LocalMemory.Core.Memories;
using LocalMemory.Core.Storage;
using Microsoft.ML.OnnxRuntime;

var localmem = Arg("--localmem") ?? throw new ArgumentException("--localmem PATH is required");
var peer = Arg("--peer");
var sizes = (Arg("--sizes") ?? "1000,10000,100000").Split(',').Select(int.Parse).ToArray();
var evalFile = Arg("--eval");
var rows = new List<(string What, string Figure, string Note)>();
void Row(string what, string figure, string note = "") { rows.Add((what, figure, note)); Console.Error.WriteLine($"{what}: {figure} {note}"); }
void Table()
{
    Console.WriteLine($"| measure | figure | note |\n|---|---|---|");
    foreach (var (what, figure, note) in rows) Console.WriteLine($"| {what} | {figure} | {note} |");
    Console.WriteLine($"\nmachine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
}
var hookOptions = LocalMemoryOptions.Resolve() with { Home = Directory.CreateTempSubdirectory("localmem-bench-").FullName };
var only = Arg("--only");
if (only == "hooks") // the hook rows alone (--only hooks), a quick check while working on them
{
    HookBench.Run(localmem, hookOptions, Row);
    Table();
    return 0;
}

if (only is null) // "--only search": the warm search rows alone
{
// 1. Start-up of the installed build: alone (no daemon), then with the daemon cold and warm; the npm peer in the same run.
var alone = new Dictionary<string, string> { ["LOCALMEM_DAEMON"] = "off" };
var cold = Enumerable.Range(0, 7).Select(_ => Serve(localmem, ["serve"], null, alone, "bench", search: true).Done()).ToList();
Row("initialize, cold `localmem serve`, no daemon", Stat(cold.Select(c => c.Initialize)));
Row("tools/list, cold, no daemon", Stat(cold.Select(c => c.ToolsList)));
Row("first search_memories, fresh process, no daemon", Stat(cold.Select(c => c.FirstSearch - c.ToolsList)), "model load included");
var inProcess = cold.Select(c => c.Memory).OrderBy(m => m.Pss).ElementAt(cold.Count / 2);
Row("memory of one serve after its first search, no daemon", $"{inProcess.Rss:0} MB resident ({inProcess.Pss:0} MB proportional)");
var spawning = Enumerable.Range(0, 5).Select(_ => Serve(localmem, ["serve"], null, [], "bench", search: true).Done()).ToList();
Row("initialize, `localmem serve` starting the daemon", Stat(spawning.Select(c => c.Initialize)), "answered while the daemon starts");
Row("first search_memories, daemon started by that serve", Stat(spawning.Select(c => c.FirstSearch - c.ToolsList)), "daemon start and model load included");
if (peer is not null)
{
    var peers = Enumerable.Range(0, 7).Select(_ => Serve("node", [peer], null, [], "bench", search: false).Done()).ToList();
    var initialize = Median(cold.Select(c => c.Initialize).Concat(spawning.Select(c => c.Initialize)));
    Row("initialize, cold @modelcontextprotocol/server-memory (peer)", Stat(peers.Select(c => c.Initialize)), $"ours / peer: {initialize / Median(peers.Select(c => c.Initialize)):0.00}x");
}

// 1b. The daemon warm: fresh serves and CLI calls against one home whose daemon holds the model.
{
    var home = Directory.CreateTempSubdirectory("localmem-bench-daemon-").FullName;
    var env = new Dictionary<string, string> { ["LOCALMEM_HOME"] = home };
    Run(localmem, ["add", "Postgres is the primary database", "--global"], env);
    Run(localmem, ["search", "warm up"], env);
    var warm = Enumerable.Range(0, 9).Select(i => Serve(localmem, ["serve"], home, [], "bench", search: true, query: $"which database, take {i}").Done()).Skip(2).ToList();
    Row("initialize, `localmem serve`, daemon warm", Stat(warm.Select(c => c.Initialize)));
    Row("first search_memories after initialize, daemon warm", Stat(warm.Select(c => c.FirstSearch - c.ToolsList)), "target 50 ms");
    var cli = Enumerable.Range(0, 9).Select(i => Time(() => Run(localmem, ["search", $"which database do we use, take {i}"], env))).Skip(2).ToList();
    var cliAlone = Enumerable.Range(0, 5).Select(i => Time(() => Run(localmem, ["--no-daemon", "search", $"which database do we use, alone {i}"], env))).ToList();
    Row("`localmem search`, wall, daemon warm", Stat(cli), $"target 100 ms; with --no-daemon {Stat(cliAlone)}");
    string[] clients = ["codex", "claude-code", "cursor"];
    var three = clients.Select(name => Serve(localmem, ["serve"], home, [], name, search: true, query: $"what does {name} remember")).ToList();
    Thread.Sleep(500);
    var daemonPid = int.Parse(Run(localmem, ["daemon", "status", "--json"], env).Split("\"pid\": ")[1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture);
    var memory = three.Select(t => MemoryOf(t.Process.Id)).Append(MemoryOf(daemonPid)).ToList();
    var (rss, pss) = (memory.Sum(m => m.Rss), memory.Sum(m => m.Pss));
    Row("three serves (codex, claude-code, cursor) + the daemon, memory in total",
        $"{pss:0} MB proportional ({pss / inProcess.Pss:0.00}x one serve alone), {rss:0} MB resident ({rss / inProcess.Rss:0.00}x)",
        $"daemon {memory[^1].Pss:0} MB, each serve {memory[0].Pss:0} MB proportional; target below 1.3x");
    foreach (var t in three) t.Done();
    Run(localmem, ["daemon", "stop"], env);
    Directory.Delete(home, recursive: true);
}

// 1c. The hooks Codex and Claude Code run on every session start, prompt and stop.
HookBench.Run(localmem, hookOptions, Row);

}

// 2. Embedding throughput beside its floor: raw ONNX Runtime on the same model, batch size and inputs.
var options = LocalMemoryOptions.Resolve() with { Home = Directory.CreateTempSubdirectory("localmem-bench-").FullName };
var manifest = Assets.LoadModel(options.AssetsDirectory, options.Model);
using var embedder = OnnxEmbedder.Load(manifest);
var texts = Enumerable.Range(0, 256).Select(i => $"Fact {i}: service s{i} in team t{i % 50} listens on port {10000 + i} and logs to /var/log/s{i}.log").ToList();
embedder.EmbedDocuments(texts.Take(16).ToList()); // warm
var ours = Repeat(5, () => embedder.EmbedDocuments(texts)).Select(ms => texts.Count / (ms / 1000)).ToList();
using var raw = RawSession.Get(manifest);
var rawTokenizer = Microsoft.ML.Tokenizers.BertTokenizer.Create(manifest.VocabPath, new Microsoft.ML.Tokenizers.BertOptions { LowerCaseBeforeTokenization = true });
RawOrt(raw.Session, rawTokenizer, texts); // warm
var floor = Repeat(5, () => RawOrt(raw.Session, rawTokenizer, texts)).Select(ms => texts.Count / (ms / 1000)).ToList();
Row($"embedding throughput (batch {Constants.EmbeddingBatchSize})", $"{Median(ours):0} texts/s", $"raw ORT floor {Median(floor):0}/s, ratio {Median(floor) / Median(ours):0.00}x");

// 3. Warm add and search at each size (the store filled with real vectors of a pool of texts).
foreach (var size in sizes)
{
    var home = Directory.CreateTempSubdirectory("localmem-bench-").FullName;
    using var service = MemoryService.Open(options with { Home = home, UserId = "bench" }, embedder);
    var fill = Stopwatch.StartNew();
    Fill(service, embedder, size);
    var fillSeconds = fill.Elapsed.TotalSeconds;
    var context = new CallContext("bench", null);
    // Distinct queries, also across sizes (the embedder is shared): no query-cache hits.
    var queries = Enumerable.Range(40 * Array.IndexOf(sizes, size), 40).Select(i => $"which port does service s{i * 7 % size} use").ToList();
    var search = queries.Select(q => Time(() => service.SearchAsync(new SearchRequest { Query = q }, context, CancellationToken.None).GetAwaiter().GetResult())).Skip(5).ToList();
    // The floor: sqlite-vec's KNN alone (one scan, not split by shard), same vectors and connection settings, the
    // query vectors ready. A search also embeds the query and reads keywords and rows, but scans the shards in parallel.
    using var database = new Database(Path.Combine(home, Constants.DatabaseFile), Assets.SqliteVecPath(options.AssetsDirectory));
    var knn = queries.Select(q => embedder.EmbedQuery(q)).ToList().Select(v => Time(() => RawKnn(database, v))).Skip(5).ToList();
    var add = Enumerable.Range(0, 40).Select(i => Time(() => service.AddAsync(new AddRequest { Text = $"Warm add {i}: the cache node c{i} holds shard {i % 16}" }, context, CancellationToken.None).GetAwaiter().GetResult())).Skip(5).ToList();
    Row($"warm search at {size:N0} memories", $"p50 {Percentile(search, 50):0.0} ms, p95 {Percentile(search, 95):0.0} ms",
        $"raw sqlite-vec KNN, one scan of the same vectors, query vector ready: p50 {Percentile(knn, 50):0.0} ms; whole search / raw KNN {Percentile(search, 50) / Percentile(knn, 50):0.00}x");
    Row($"warm add (infer=false) at {size:N0} memories", $"p50 {Percentile(add, 50):0.0} ms, p95 {Percentile(add, 95):0.0} ms");
    Row($"database size at {size:N0} memories", $"{new FileInfo(Path.Combine(home, Constants.DatabaseFile)).Length / 1024.0 / 1024.0 / size * 1000:0.00} MiB per 1,000", $"filled in {fillSeconds:0} s");
    service.Dispose();
    Directory.Delete(home, recursive: true);
}

// 3b. The page (served by the daemon) at 10,000 memories: each page one request, timed from a signed-in client.
if (only is null)
{
    var home = Directory.CreateTempSubdirectory("localmem-bench-ui-").FullName;
    using (var service = MemoryService.Open(options with { Home = home, UserId = "bench" }, embedder)) Fill(service, embedder, 10_000);
    await File.WriteAllTextAsync(Path.Combine(home, Constants.ConfigFile), """{"http": "127.0.0.1:0"}""");
    var env = new Dictionary<string, string> { ["LOCALMEM_HOME"] = home, ["LOCALMEM_USER_ID"] = "bench" };
    var link = Run(localmem, ["ui", "--no-browser"], env).Trim();
    var site = link[..link.IndexOf("/ui/", StringComparison.Ordinal)];
    using var http = new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer(), AllowAutoRedirect = true });
    (await http.GetAsync(link)).EnsureSuccessStatusCode();
    var memory = System.Text.RegularExpressions.Regex.Match(await http.GetStringAsync(site + "/ui/memories"), "/ui/memory/[0-9a-f-]+").Value;
    foreach (var (name, path) in new[]
    {
        ("search", "/ui/?q=which+port+does+service+s4242+use"), ("memories, first page", "/ui/memories"), ("memories, page 100", "/ui/memories?page=100"),
        ("memories, filtered", "/ui/memories?app=bench&from=2020-01-01"), ("one memory with history", memory + "?user=bench"),
        ("events", "/ui/events"), ("entities and projects", "/ui/entities"), ("stats and doctor", "/ui/stats"),
    })
    {
        var all = Enumerable.Range(0, 12).Select(i => Time(() => http.GetAsync(site + path + (name == "search" ? $"{i}" : "")).GetAwaiter().GetResult().EnsureSuccessStatusCode())).ToList();
        var (first, times) = (all[0], all.Skip(2).ToList());
        Row($"page at 10,000 memories: {name}", $"p50 {Percentile(times, 50):0.0} ms, p95 {Percentile(times, 95):0.0} ms",
            name.StartsWith("stats", StringComparison.Ordinal) ? $"target 100 ms; doctor's checks, rerun at most once a minute, took {first:0} ms on the first view" : "target 100 ms");
    }
    Run(localmem, ["daemon", "stop"], env);
    Directory.Delete(home, recursive: true);
}

// 4. Bulk import (export of a filled store, imported into an empty one) beside the raw ONNX Runtime floor on its texts.
if (only is null)
{
    const int count = 2_000;
    var source = Directory.CreateTempSubdirectory("localmem-bench-").FullName;
    var target = Directory.CreateTempSubdirectory("localmem-bench-").FullName;
    var file = Path.Combine(source, "export.jsonl");
    using (var service = MemoryService.Open(options with { Home = source, UserId = "bench" }, embedder))
    {
        Fill(service, embedder, count);
        using var writer = new StreamWriter(file);
        await service.ExportAsync(writer, "bench", CancellationToken.None);
    }
    using (var service = MemoryService.Open(options with { Home = target, UserId = "bench" }, embedder))
    {
        var importMs = Time(() => service.ImportAsync(file, null, CancellationToken.None).GetAwaiter().GetResult());
        var importTexts = Enumerable.Range(0, count).Select(i => $"Fact {i}: service s{i} in team t{i % 50} listens on port {10000 + i} and logs to /var/log/s{i}.log").ToList();
        var floorMs = Time(() => RawOrt(raw.Session, rawTokenizer, importTexts));
        Row($"bulk import ({count:N0} memories, export then import)", $"{count / (importMs / 1000):0} memories/s",
            $"raw ORT floor on the same texts {count / (floorMs / 1000):0}/s, ratio {importMs / floorMs:0.00}x");
    }
    Directory.Delete(source, recursive: true);
    Directory.Delete(target, recursive: true);
}

// 5. Retrieval, so that speed never silently costs quality.
if (evalFile is not null && only is null)
{
    var report = await RetrievalEvaluation.RunAsync(evalFile, options with { Home = Directory.CreateTempSubdirectory("localmem-bench-").FullName }, CancellationToken.None);
    var all = report.Scores.Single(s => s.Kind == "all");
    Row("retrieval on recall-dev.json", $"hit@1 {all.HitAt1:0.000}, hit@3 {all.HitAt3:0.000}, MRR {all.Mrr:0.000}");
}

Table();
return 0;

string? Arg(string name) { var i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : null; }

static double Time(Action action) { var sw = Stopwatch.StartNew(); action(); return sw.Elapsed.TotalMilliseconds; }

static List<double> Repeat(int n, Action action) => [.. Enumerable.Range(0, n).Select(_ => Time(action))];

static double Median(IEnumerable<double> values) => Percentile(values.ToList(), 50);

static double Percentile(List<double> values, int p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1)];
}

static string Stat(IEnumerable<double> values)
{
    var v = values.Order().ToList();
    return $"{Median(v):0} ms ({v[0]:0}–{v[^1]:0})";
}

// The floor: tokenised inputs straight into an InferenceSession, same batch size, no pooling or windows.
static void RawOrt(InferenceSession session, Microsoft.ML.Tokenizers.BertTokenizer tokenizer, List<string> texts)
{
    foreach (var batch in texts.Chunk(Constants.EmbeddingBatchSize))
    {
        var ids = batch.Select(t => tokenizer.EncodeToIds(t).ToArray()).ToList();
        var seq = ids.Max(i => i.Length);
        var input = new long[batch.Length * seq];
        var mask = new long[batch.Length * seq];
        for (var b = 0; b < ids.Count; b++)
            for (var t = 0; t < ids[b].Length; t++) { input[b * seq + t] = ids[b][t]; mask[b * seq + t] = 1; }
        long[] shape = [batch.Length, seq];
        using var a = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var m = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var z = OrtValue.CreateTensorValueFromMemory(new long[input.Length], shape);
        using var run = new RunOptions();
        using var outputs = session.Run(run, new Dictionary<string, OrtValue> { ["input_ids"] = a, ["attention_mask"] = m, ["token_type_ids"] = z }, ["last_hidden_state"]);
    }
}

static int RawKnn(Database database, float[] vector) => database.Read(c =>
{
    using var command = c.CreateCommand();
    command.CommandText = "select rowid, distance from memories_vec where embedding match @q and k = 40 and user_id = 'bench' and project = ''";
    command.Parameters.AddWithValue("@q", System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.AsSpan()).ToArray());
    using var r = command.ExecuteReader();
    var n = 0;
    while (r.Read()) n++;
    return n;
});

// Fills a store quickly with realistic rows: texts from templates, vectors from real embeddings of a pool of them.
static void Fill(MemoryService service, IEmbedder embedder, int size)
{
    const int pool = 512;
    var poolTexts = Enumerable.Range(0, pool).Select(i => $"Fact {i}: service s{i} in team t{i % 50} listens on port {10000 + i} and logs to /var/log/s{i}.log").ToList();
    var vectors = embedder.EmbedDocuments(poolTexts);
    service.Store.InitializeVectors(embedder.Model.Name, embedder.Model.Dimension);
    for (var start = 0; start < size; start += 1000)
    {
        var now = Json.Timestamp(DateTimeOffset.UtcNow);
        var plan = Enumerable.Range(start, Math.Min(1000, size - start)).Select(i =>
        {
            var text = $"Fact {i}: service s{i} in team t{i % 50} listens on port {10000 + i} and logs to /var/log/s{i}.log";
            return (PlannedChange)new PlannedChange.Add(new MemoryRecord { Id = MemoryService.NewId(), Memory = text, Hash = MemoryService.Hash(text), UserId = "bench", CreatedAt = now, UpdatedAt = now }, vectors[i % pool]);
        }).ToList();
        service.Store.Apply(plan, _ => new EventRecord { Id = MemoryService.NewId(), Type = "ADD", Status = EventStatus.Succeeded, CreatedAt = now });
    }
}

// Starts an MCP server over stdio (in a fresh home unless one is given), times initialize, tools/list and a first
// search, and keeps it running until Done() (so that several can be measured at once).
static ServeRun Serve(string exe, string[] arguments, string? home, Dictionary<string, string> env, string client, bool search, string query = "what database do we use?")
{
    var fresh = home is null;
    home ??= Directory.CreateTempSubdirectory("localmem-bench-cold-").FullName;
    var info = new ProcessStartInfo(exe) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = home };
    foreach (var a in arguments) info.ArgumentList.Add(a);
    info.Environment["LOCALMEM_HOME"] = home;
    info.Environment["MEMORY_FILE_PATH"] = Path.Combine(home, "memory.jsonl");
    foreach (var (name, value) in env) info.Environment[name] = value;
    var sw = Stopwatch.StartNew();
    var p = Process.Start(info)!;
    p.ErrorDataReceived += (_, _) => { };
    p.BeginErrorReadLine();
    void Send(string json) { p.StandardInput.WriteLine(json); p.StandardInput.Flush(); }
    double Wait(int id)
    {
        while (p.StandardOutput.ReadLine() is { } line)
            if (JsonDocument.Parse(line).RootElement.TryGetProperty("id", out var r) && r.ValueKind == JsonValueKind.Number && r.GetInt32() == id) return sw.Elapsed.TotalMilliseconds;
        throw new InvalidOperationException($"{exe} closed stdout");
    }
    Send("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":""" + JsonSerializer.Serialize(client) + ""","version":"1"}}}""");
    var init = Wait(1);
    Send("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
    Send("""{"jsonrpc":"2.0","id":2,"method":"tools/list"}""");
    var tools = Wait(2);
    double first = 0;
    if (search)
    {
        Send(JsonSerializer.Serialize(new Dictionary<string, object> { ["jsonrpc"] = "2.0", ["id"] = 3, ["method"] = "tools/call", ["params"] = new Dictionary<string, object> { ["name"] = "search_memories", ["arguments"] = new Dictionary<string, string> { ["query"] = query } } }));
        first = Wait(3);
    }
    return new ServeRun(init, tools, first, search ? MemoryOf(p.Id) : default, p, fresh ? home : null);
}

static string Run(string exe, string[] arguments, Dictionary<string, string> env)
{
    var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in arguments) info.ArgumentList.Add(a);
    foreach (var (name, value) in env) info.Environment[name] = value;
    using var p = Process.Start(info)!;
    var output = p.StandardOutput.ReadToEnd();
    p.StandardError.ReadToEnd();
    p.WaitForExit();
    return p.ExitCode == 0 ? output : throw new InvalidOperationException($"{exe} {string.Join(' ', arguments)} exited {p.ExitCode}");
}

// Resident and proportional set size in MB: proportional counts pages shared between processes (the program's own
// code, libraries) once in total, which is what several processes together hold.
static (double Rss, double Pss) MemoryOf(int pid)
{
    double Field(string file, string name) => File.ReadAllLines(file).Where(l => l.StartsWith(name, StringComparison.Ordinal))
        .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024).FirstOrDefault();
    return (Field($"/proc/{pid}/status", "VmRSS:"), Field($"/proc/{pid}/smaps_rollup", "Pss:"));
}

sealed record ServeRun(double Initialize, double ToolsList, double FirstSearch, (double Rss, double Pss) Memory, Process Process, string? OwnHome)
{
    /// <summary>Closes stdin (the server exits), and removes the home it made.</summary>
    public ServeRun Done()
    {
        Process.StandardInput.Close();
        if (!Process.WaitForExit(10_000)) Process.Kill();
        Process.Dispose();
        if (OwnHome is not null) Directory.Delete(OwnHome, recursive: true); // a daemon it started sees its home gone and exits
        return this;
    }
}

sealed class RawSession : IDisposable
{
    public required InferenceSession Session { get; init; }
    public static RawSession Get(ModelManifest m) => new() { Session = new InferenceSession(m.ModelPath, new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL }) };
    public void Dispose() => Session.Dispose();
}
