using System.CommandLine;
using LocalMemory.Cli.Output;
using LocalMemory.Core;
using LocalMemory.Core.Evaluation;

namespace LocalMemory.Cli.Commands;

/// <summary>eval: the retrieval and extraction checks, in a temporary data directory that is removed afterwards.</summary>
internal static class EvalCommand
{
    private static readonly Argument<FileInfo?> File = new("file") { Description = "Facts and queries (shared/eval/recall-dev.json), labelled conversations (tests/LocalMemory.Core.Tests/data/extraction.json), or LoCoMo's locomo10.json with --locomo-observations", Arity = ArgumentArity.ZeroOrOne };
    private static readonly Option<FileInfo?> Locomo = new("--locomo") { Description = "The LoCoMo benchmark's locomo10.json: turn-level recall per question category, beside DRAGON" };
    private static readonly Option<bool> Infer = new("--infer") { Description = "With --locomo: add each session with infer=true (extracted facts) instead of turn by turn" };
    private static readonly Option<string?> Model = new("--model") { Description = "Model to evaluate (default: the configured one)" };
    private static readonly Option<bool> Summary = new("--summary") { Description = "Print only the figures, never a conversation's words (for a held-out set)" };
    private static readonly Option<bool> Observations = new("--locomo-observations") { Description = "FILE is LoCoMo: the share of its annotated observations that infer=true covers" };
    private static readonly Option<string[]> Conversations = new("--conversations") { Description = "LoCoMo sample ids to use (default: all), e.g. conv-26,conv-30", AllowMultipleArgumentsPerToken = true };

    public static Command Create()
    {
        var command = new Command("eval", "Measure retrieval (hit@1, hit@3, MRR; LoCoMo R@5/R@10), fact extraction (recall, precision, fragments, updates, hit@3) or LoCoMo observation coverage, in a throw-away store")
        {
            File, Locomo, Infer, Model, Summary, Observations, Conversations,
        };
        command.SetAction(CliContext.Action(async (cli, ct) =>
        {
            var locomo = cli.Parse.GetValue(Locomo);
            var file = cli.Parse.GetValue(File) ?? locomo;
            if (file is null || (locomo is not null && cli.Parse.GetValue(File) is not null))
                throw LocalMemoryException.Invalid("give a FILE, or --locomo FILE, not both");
            if (!file.Exists) throw LocalMemoryException.Invalid($"{file.FullName} does not exist");
            var summary = cli.Parse.GetValue(Summary);
            var home = Directory.CreateTempSubdirectory("localmem-eval-");
            try
            {
                var options = cli.Options with { Home = home.FullName, Model = cli.Parse.GetValue(Model) ?? cli.Options.Model };
                var only = (cli.Parse.GetValue(Conversations) ?? []).SelectMany(c => c.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToHashSet();
                if (locomo is not null) return await LocomoAsync(cli, file, only, options, ct);
                if (cli.Parse.GetValue(Observations))
                    return await EvalReports.Write(cli, await ObservationEvaluation.RunAsync(file.FullName, only, options, ct), summary);
                if (only.Count > 0) throw LocalMemoryException.Invalid("--conversations goes with --locomo or --locomo-observations");
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

    private static async Task<int> LocomoAsync(CliContext cli, FileInfo file, IReadOnlySet<string> only, Core.Hosting.LocalMemoryOptions options, CancellationToken ct)
    {
        var report = await LocomoEvaluation.RunAsync(file.FullName, [.. only], options, ct, cli.Parse.GetValue(Infer));
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
}
