using System.CommandLine;
using LocalMemory.Cli.Output;
using LocalMemory.Core;
using LocalMemory.Core.Evaluation;

namespace LocalMemory.Cli.Commands;

/// <summary>eval: the retrieval check, in a temporary data directory that is removed afterwards.</summary>
internal static class EvalCommand
{
    private static readonly Argument<FileInfo?> File = new("file") { Description = "Facts and queries (shared/eval/recall-dev.json), or labelled conversations (tests/LocalMemory.Core.Tests/data/extraction.json)", Arity = ArgumentArity.ZeroOrOne };
    private static readonly Option<FileInfo?> Locomo = new("--locomo") { Description = "The LoCoMo benchmark's locomo10.json: turn-level recall per question category" };
    private static readonly Option<string?> Conversations = new("--conversations") { Description = "With --locomo: which conversations, e.g. conv-26,conv-30 (default all)" };
    private static readonly Option<string?> Model = new("--model") { Description = "Model to evaluate (default: the configured one)" };

    public static Command Create()
    {
        var command = new Command("eval", "Measure retrieval (hit@1, hit@3, MRR; LoCoMo recall@5/@10) or fact extraction (precision, recall, hit@3), in a throw-away store") { File, Locomo, Conversations, Model };
        command.SetAction(CliContext.Action(async (cli, ct) =>
        {
            var locomo = cli.Parse.GetValue(Locomo);
            var file = cli.Parse.GetValue(File) ?? locomo;
            if (file is null || (locomo is not null && cli.Parse.GetValue(File) is not null))
                throw LocalMemoryException.Invalid("give a facts-and-queries FILE, or --locomo FILE, not both");
            if (!file.Exists) throw LocalMemoryException.Invalid($"{file.FullName} does not exist");
            if (locomo is null && cli.Parse.GetValue(Conversations) is not null) throw LocalMemoryException.Invalid("--conversations goes with --locomo");
            var home = Directory.CreateTempSubdirectory("localmem-eval-");
            try
            {
                var options = cli.Options with { Home = home.FullName, Model = cli.Parse.GetValue(Model) ?? cli.Options.Model };
                if (locomo is not null) return await LocomoAsync(cli, file, options, ct);
                if (ExtractionEvaluation.IsExtractionSet(await System.IO.File.ReadAllTextAsync(file.FullName, ct)))
                    return await Extraction(cli, await ExtractionEvaluation.RunAsync(file.FullName, options, ct));
                var report = await RetrievalEvaluation.RunAsync(file.FullName, options, ct);
                if (cli.Json) return await cli.WriteJson(report);
                await cli.Out.WriteLineAsync($"model {report.Model}, {file.Name}");
                var table = new Table("KIND", "QUERIES", "HIT@1", "HIT@3", "MRR");
                foreach (var s in report.Scores) table.Add(s.Kind, $"{s.Queries}", $"{s.HitAt1:0.000}", $"{s.HitAt3:0.000}", $"{s.Mrr:0.000}");
                table.Write(cli.Out);
                foreach (var miss in report.Misses)
                    await cli.Err.WriteLineAsync($"miss: [{miss.Kind}] \"{miss.Query}\" expected {miss.Expected} at rank {miss.Rank?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ">10"}, top was {miss.Top}");
                return ExitCodes.Success;
            }
            finally { home.Delete(recursive: true); }
        }));
        return command;
    }

    private static async Task<int> LocomoAsync(CliContext cli, FileInfo file, Core.Hosting.LocalMemoryOptions options, CancellationToken ct)
    {
        var only = cli.Parse.GetValue(Conversations)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var report = await LocomoEvaluation.RunAsync(file.FullName, only, options, ct);
        if (cli.Json) return await cli.WriteJson(report);
        await cli.Out.WriteLineAsync($"model {report.Model}, {string.Join(",", report.Conversations)}: {report.Memories} memories " +
            $"(added in {report.IngestSeconds:0.0} s), questions searched in {report.SearchSeconds:0.0} s");
        var table = new Table("CATEGORY", "QUESTIONS", "R@5", "R@10", "DRAGON R@10");
        foreach (var s in report.Scores)
            table.Add(s.Category, $"{s.Questions}", $"{s.RecallAt5:0.000}", $"{s.RecallAt10:0.000}", s.Dragon is { } d ? $"{d:0.000}" : "");
        table.Write(cli.Out);
        if (report.Unscorable > 0) await cli.Err.WriteLineAsync($"{report.Unscorable} questions left out: their evidence names no turn in the file");
        return ExitCodes.Success;
    }

    private static async Task<int> Extraction(CliContext cli, ExtractionReport r)
    {
        if (cli.Json) return await cli.WriteJson(r);
        var table = new Table("CONVERSATIONS", "EXPECTED", "EXTRACTED", "PRECISION", "RECALL", "QUESTIONS", "HIT@3");
        table.Add($"{r.Conversations}", $"{r.Expected}", $"{r.Extracted}", $"{r.Precision:0.000}", $"{r.Recall:0.000}", $"{r.Questions}", $"{r.HitAt3:0.000}");
        table.Write(cli.Out);
        foreach (var fp in r.FalsePositives) await cli.Err.WriteLineAsync($"extra:  {fp}");
        foreach (var miss in r.Missed) await cli.Err.WriteLineAsync($"missed: {miss}");
        foreach (var miss in r.SearchMisses) await cli.Err.WriteLineAsync($"search: {miss}");
        return ExitCodes.Success;
    }
}
