using System.CommandLine;
using LocalMemory.Cli.Output;
using LocalMemory.Core;
using LocalMemory.Core.Evaluation;

namespace LocalMemory.Cli.Commands;

/// <summary>eval: the retrieval check, in a temporary data directory that is removed afterwards.</summary>
internal static class EvalCommand
{
    private static readonly Argument<FileInfo> File = new("file") { Description = "Facts and queries (shared/eval/recall-dev.json), or labelled conversations (tests/LocalMemory.Core.Tests/data/extraction.json)" };
    private static readonly Option<string?> Model = new("--model") { Description = "Model to evaluate (default: the configured one)" };

    public static Command Create()
    {
        var command = new Command("eval", "Measure retrieval (hit@1, hit@3, MRR) or fact extraction (precision, recall, hit@3), in a throw-away store") { File, Model };
        command.SetAction(CliContext.Action(async (cli, ct) =>
        {
            var file = cli.Parse.GetValue(File)!;
            if (!file.Exists) throw LocalMemoryException.Invalid($"{file.FullName} does not exist");
            var home = Directory.CreateTempSubdirectory("localmem-eval-");
            try
            {
                var options = cli.Options with { Home = home.FullName, Model = cli.Parse.GetValue(Model) ?? cli.Options.Model };
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
