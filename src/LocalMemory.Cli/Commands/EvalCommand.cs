using System.CommandLine;
using LocalMemory.Cli.Output;
using LocalMemory.Core;
using LocalMemory.Core.Evaluation;

namespace LocalMemory.Cli.Commands;

/// <summary>eval: the retrieval and extraction checks, in a temporary data directory that is removed afterwards.</summary>
internal static class EvalCommand
{
    private static readonly Argument<FileInfo> File = new("file") { Description = "Facts and queries (shared/eval/recall-dev.json), labelled conversations (tests/LocalMemory.Core.Tests/data/extraction.json), or LoCoMo's locomo10.json with --locomo-observations" };
    private static readonly Option<string?> Model = new("--model") { Description = "Model to evaluate (default: the configured one)" };
    private static readonly Option<bool> Summary = new("--summary") { Description = "Print only the figures, never a conversation's words (for a held-out set)" };
    private static readonly Option<bool> Observations = new("--locomo-observations") { Description = "FILE is LoCoMo: the share of its annotated observations that infer=true covers" };
    private static readonly Option<string[]> Conversations = new("--conversations") { Description = "LoCoMo sample ids to use (default: all), e.g. conv-26,conv-30", AllowMultipleArgumentsPerToken = true };

    public static Command Create()
    {
        var command = new Command("eval", "Measure retrieval (hit@1, hit@3, MRR), fact extraction (recall, precision, fragments, updates, hit@3) or LoCoMo observation coverage, in a throw-away store")
        {
            File, Model, Summary, Observations, Conversations,
        };
        command.SetAction(CliContext.Action(async (cli, ct) =>
        {
            var file = cli.Parse.GetValue(File)!;
            if (!file.Exists) throw LocalMemoryException.Invalid($"{file.FullName} does not exist");
            var summary = cli.Parse.GetValue(Summary);
            var home = Directory.CreateTempSubdirectory("localmem-eval-");
            try
            {
                var options = cli.Options with { Home = home.FullName, Model = cli.Parse.GetValue(Model) ?? cli.Options.Model };
                if (cli.Parse.GetValue(Observations))
                {
                    var only = (cli.Parse.GetValue(Conversations) ?? []).SelectMany(c => c.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToHashSet();
                    return await EvalReports.Write(cli, await ObservationEvaluation.RunAsync(file.FullName, only, options, ct), summary);
                }
                if (ExtractionSet.Is(await System.IO.File.ReadAllTextAsync(file.FullName, ct)))
                    return await EvalReports.Write(cli, await ExtractionEvaluation.RunAsync(file.FullName, options, ct), summary);
                var report = await RetrievalEvaluation.RunAsync(file.FullName, options, ct);
                if (cli.Json) return await cli.WriteJson(report);
                await cli.Out.WriteLineAsync($"model {report.Model}, {file.Name}");
                var table = new Table("KIND", "QUERIES", "HIT@1", "HIT@3", "MRR");
                foreach (var s in report.Scores) table.Add(s.Kind, $"{s.Queries}", $"{s.HitAt1:0.000}", $"{s.HitAt3:0.000}", $"{s.Mrr:0.000}");
                table.Write(cli.Out);
                if (summary) return ExitCodes.Success;
                foreach (var miss in report.Misses)
                    await cli.Err.WriteLineAsync($"miss: [{miss.Kind}] \"{miss.Query}\" expected {miss.Expected} at rank {miss.Rank?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ">10"}, top was {miss.Top}");
                return ExitCodes.Success;
            }
            finally { home.Delete(recursive: true); }
        }));
        return command;
    }
}
