using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LocalMemory.Core.Storage;
using LocalMemory.Core.Sync;

namespace LocalMemory.Core.Memories;

public sealed record ImportResult(int Lines, int Added, int Updated, int Unchanged);

public sealed record SyncResult(string Machine, int Exported, IReadOnlyDictionary<string, SyncApplied> Applied);

/// <summary>Export, import, and sync through a folder that some other tool (git, Syncthing, a shared drive) moves
/// between machines.</summary>
/// <remarks>
/// Export is JSON Lines: a header, then one line per memory with its scopes, metadata, timestamps, version and
/// history, and no embeddings (they are recomputed). Sync appends this machine's changes to its own log,
/// <c>DIR/MACHINE.jsonl</c>, and replays the other machines' logs from where it stopped last time. No machine ever
/// writes another's file, so a file-syncing tool never sees a conflict.
/// </remarks>
public sealed partial class MemoryService
{
    public const int TransferFormatVersion = 1;
    private const int TransferBatch = 200;

    public Task<int> ExportAsync(TextWriter writer, string? userId, CancellationToken cancellationToken)
    {
        writer.WriteLine(Line(new JsonObject
        {
            ["type"] = "header", ["format"] = "localmem-export", ["format_version"] = TransferFormatVersion,
            ["exported_at"] = Json.Timestamp(DateTimeOffset.UtcNow), ["machine"] = _store.MachineId(),
        }));
        var count = 0;
        for (long after = 0; ;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = _store.ExportBatch(after, TransferBatch, userId);
            if (batch.Count == 0) break;
            foreach (var (seq, record, version) in batch)
            {
                writer.WriteLine(Line(MemoryLine("memory", record, version, _store.History(record.Id))));
                after = seq;
                count++;
            }
        }
        return Task.FromResult(count);
    }

    /// <summary>Imports an export: every line is checked first (a bad line is refused with its number and nothing is
    /// imported), then memories keep their ids and the newer version wins, so importing twice changes nothing.</summary>
    public async Task<ImportResult> ImportAsync(string path, Action<int, int>? progress, CancellationToken cancellationToken)
    {
        var ops = new List<SyncOp>();
        var number = 0;
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var op = ParseLine(line, number, allowHeader: number == 1, Options.Secrets);
            if (op is not null) ops.Add(op);
        }
        var applied = await ReplayAsync(ops, null, progress, cancellationToken); // as if made here: sync passes them on
        return new ImportResult(number, applied.Added, applied.Updated + applied.Deleted, applied.Unchanged + applied.Conflicts);
    }

    public async Task<SyncResult> SyncAsync(string directory, Action<int, int>? progress, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var machine = _store.MachineId();
        var exportedUpTo = long.Parse(_store.Setting("sync_exported") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        var (changes, last) = _store.LocalChanges(exportedUpTo);
        if (changes.Count > 0)
        {
            var text = new StringBuilder();
            foreach (var op in changes)
                text.Append(Line(op.IsDelete
                    ? new JsonObject { ["type"] = "delete", ["id"] = op.Id, ["version"] = op.Version, ["user_id"] = op.UserId }
                    : MemoryLine("memory", op.Memory!, op.Version, null))).Append('\n');
            await using (var log = new FileStream(Path.Combine(directory, machine + ".jsonl"), FileMode.Append, FileAccess.Write, FileShare.Read))
            {
                await log.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), cancellationToken);
                log.Flush(flushToDisk: true);
            }
        }
        if (last > exportedUpTo) _store.SetSetting("sync_exported", last.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var applied = new Dictionary<string, SyncApplied>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.jsonl").Order(StringComparer.Ordinal))
        {
            var other = Path.GetFileNameWithoutExtension(file);
            if (other == machine) continue;
            var key = "sync_offset:" + other;
            var offset = long.Parse(_store.Setting(key) ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            var (lines, end) = await CompleteLinesAsync(file, offset, cancellationToken);
            var ops = lines.Select((l, i) => ParseLine(l, i + 1, allowHeader: false, Options.Secrets, source: file)).OfType<SyncOp>().ToList();
            applied[other] = await ReplayAsync(ops, other, progress, cancellationToken);
            _store.SetSetting(key, end.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return new SyncResult(machine, changes.Count, applied);
    }

    /// <param name="origin">The machine the changes come from; null for an import (then sync passes them on).</param>
    private async Task<SyncApplied> ReplayAsync(List<SyncOp> ops, string? origin, Action<int, int>? progress, CancellationToken cancellationToken)
    {
        int added = 0, updated = 0, deleted = 0, conflicts = 0, unchanged = 0;
        progress?.Invoke(0, ops.Count);
        if (ops.Count == 0) return new SyncApplied(0, 0, 0, 0, 0);
        var embedder = await EmbedderAsync(cancellationToken);
        for (var start = 0; start < ops.Count; start += TransferBatch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = ops.Skip(start).Take(TransferBatch).ToList();
            var now = Json.Timestamp(DateTimeOffset.UtcNow);
            var evt = Event(NewId(), origin is null ? "IMPORT" : "SYNC", null, origin ?? "import", now, Stopwatch.GetTimestamp(), new JsonObject());
            // The model runs here, outside the write lock, for the texts that may be stored (not those already here
            // at the same version); each batch is then one short transaction, and a rerun skips what is in.
            var known = _store.Versions(batch.Select(o => o.Id));
            var vectors = Embed(embedder, batch.Where(o => !o.IsDelete && known.GetValueOrDefault(o.Id) != o.Version).Select(o => o.Memory!.Memory), []);
            SyncApplied r;
            while (true)
            {
                try { r = _store.ApplyRemote(batch, origin, vectors, evt); break; }
                catch (MissingVectorException) { vectors = Embed(embedder, batch.Where(o => !o.IsDelete).Select(o => o.Memory!.Memory), vectors); }
            }
            (added, updated, deleted, conflicts, unchanged) = (added + r.Added, updated + r.Updated, deleted + r.Deleted, conflicts + r.Conflicts, unchanged + r.Unchanged);
            progress?.Invoke(start + batch.Count, ops.Count);
        }
        return new SyncApplied(added, updated, deleted, conflicts, unchanged);
    }

    private static Dictionary<string, float[]> Embed(Embeddings.IEmbedder embedder, IEnumerable<string> texts, Dictionary<string, float[]> known)
    {
        var missing = texts.Distinct().Where(t => !known.ContainsKey(t)).ToList();
        var vectors = new Dictionary<string, float[]>(known);
        foreach (var (text, vector) in missing.Zip(missing.Count == 0 ? [] : embedder.EmbedDocuments(missing))) vectors[text] = vector;
        return vectors;
    }

    /// <summary>The complete lines of a log after byte <paramref name="offset"/> (a line still being written by a
    /// file-syncing tool is left for next time), and the offset after the last complete line.</summary>
    private static async Task<(List<string> Lines, long End)> CompleteLinesAsync(string file, long offset, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(file, cancellationToken);
        if (offset > bytes.Length) offset = 0; // the log was replaced: replaying it all is safe
        var end = Array.LastIndexOf(bytes, (byte)'\n');
        if (end < offset) return ([], offset);
        var text = Encoding.UTF8.GetString(bytes, (int)offset, end + 1 - (int)offset);
        return ([.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)], end + 1);
    }

    private static JsonObject MemoryLine(string type, MemoryRecord record, string version, IReadOnlyList<HistoryEntry>? history)
    {
        var line = new JsonObject { ["type"] = type, ["version"] = version, ["memory"] = Json.ToNode(record) };
        if (history is not null) line["history"] = Json.ToNode(history);
        return line;
    }

    private static string Line(JsonObject line) => line.ToJsonString(Json.Options);

    /// <summary>One line of an export or a sync log, admitted as an add would be: text and metadata checked, credentials
    /// redacted (or the line refused) per the secrets policy, scope ids kept out of metadata.</summary>
    private static SyncOp? ParseLine(string line, int number, bool allowHeader, Security.SecretsMode secrets, string? source = null)
    {
        var where = source is null ? $"line {number}" : $"{Path.GetFileName(source)} line {number}";
        try
        {
            var node = JsonNode.Parse(line) as JsonObject ?? throw LocalMemoryException.Invalid("not a JSON object");
            switch (node["type"]?.GetValue<string>())
            {
                case "header" when allowHeader:
                    var format = node["format_version"]?.GetValue<int>() ?? 0;
                    return format is > 0 and <= TransferFormatVersion ? null
                        : throw LocalMemoryException.Invalid($"format version {format} is not one this localmem reads (1..{TransferFormatVersion})");
                case "delete":
                    var id = Validation.Id(node["id"]?.GetValue<string>(), "id") ?? throw LocalMemoryException.Invalid("id is missing");
                    return new SyncOp(id, Version(node), null, node["user_id"]?.GetValue<string>());
                case "memory":
                    var record = Json.Deserialize<MemoryRecord>(node["memory"]) ?? throw LocalMemoryException.Invalid("memory is missing");
                    Validation.Id(record.Id, "memory.id");
                    Validation.Id(record.UserId, "memory.user_id");
                    Validation.Time(record.CreatedAt, "memory.created_at");
                    Validation.Time(record.UpdatedAt, "memory.updated_at");
                    record = record with
                    {
                        Memory = Validation.Admit(record.Memory, "memory.memory", secrets),
                        Metadata = Validation.Metadata(record.Metadata, secrets) ?? [],
                        Categories = Validation.Categories(record.Categories),
                        Source = record.Source ?? new JsonObject { ["type"] = "verbatim" }, // a hand-written file may leave it out
                    };
                    var history = Json.Deserialize<List<HistoryEntry>>(node["history"])?
                        .Select(h => h with { OldMemory = Redact(h.OldMemory, secrets), NewMemory = Redact(h.NewMemory, secrets) }).ToList();
                    var version = node["version"] is null
                        ? new Hlc(DateTimeOffset.Parse(record.UpdatedAt, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), 0, "import").ToString()
                        : Version(node);
                    return new SyncOp(record.Id, version, record, record.UserId, history);
                default:
                    throw LocalMemoryException.Invalid($"unknown line type '{node["type"]}'");
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or LocalMemoryException)
        {
            throw LocalMemoryException.Invalid($"{where}: {e.Message}; nothing from this file was applied");
        }
    }

    private static string? Redact(string? text, Security.SecretsMode secrets) =>
        text is null ? null : Security.SecretScanner.Apply(text, secrets == Security.SecretsMode.Allow ? secrets : Security.SecretsMode.Redact, "history");

    private static string Version(JsonObject node)
    {
        var text = node["version"]?.GetValue<string>() ?? throw LocalMemoryException.Invalid("version is missing");
        Hlc.Parse(text);
        return text;
    }
}
