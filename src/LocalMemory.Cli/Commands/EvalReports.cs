using LocalMemory.Cli.Output;
using LocalMemory.Core;
using LocalMemory.Core.Evaluation;

namespace LocalMemory.Cli.Commands;

/// <summary>Prints the extraction and observation evaluations: figures on stdout, what went wrong on stderr. With
/// --summary nothing but the figures is printed, so a held-out set can be scored without showing its words.</summary>
internal static class EvalReports
{
    public static async Task<int> Write(CliContext cli, ExtractionReport r, bool summary)
    {
        if (cli.Json) return await cli.WriteJson(summary ? r with { Details = null } : r);
        var table = new Table("MEASURE", "FIGURE", "COUNT");
        table.Add("recall", $"{r.Recall:0.000}", $"{r.Found} of {r.Expected} expected facts ({r.Conversations} conversations)");
        table.Add("precision", $"{r.Precision:0.000}", $"of {r.Stored} memories added or updated");
        table.Add("category", $"{r.Category:0.000}", Confusions(r.Confusions));
        table.Add("must-not-store", $"{r.ForbiddenRate:0.000}", $"{r.Forbidden} of {r.Stored}");
        table.Add("fragments (judged)", $"{r.FragmentRate:0.000}", $"{r.Fragments} of {r.Stored}");
        table.Add("updates applied", $"{r.UpdateRate:0.000}", $"{r.UpdatesApplied} of {r.Updates} ({r.UpdatesReplaced} deleted and re-added instead)");
        table.Add("hit@3", $"{r.HitAt3:0.000}", $"{r.Questions} questions");
        table.Write(cli.Out);
        if (summary || r.Details is not { } d) return ExitCodes.Success;
        foreach (var (label, lines) in new[] { ("stored", d.Stored), ("extra", d.Extra), ("missed", d.Missed), ("category", d.WrongCategory), ("forbidden", d.Forbidden), ("fragment", d.Fragments), ("update", d.Updates), ("search", d.SearchMisses) })
            foreach (var line in lines) await cli.Err.WriteLineAsync($"{label}: {line}");
        return ExitCodes.Success;
    }

    public static async Task<int> Write(CliContext cli, ObservationReport r, bool summary)
    {
        if (cli.Json) return await cli.WriteJson(summary ? r with { Details = null } : r);
        var table = new Table("MEASURE", "FIGURE", "COUNT");
        table.Add("coverage", $"{r.Coverage:0.000}", $"{r.Covered} of {r.Observations} observations ({r.Conversations} conversations, {r.Sessions} sessions), speaker named");
        table.Add("coverage, speaker aside", $"{r.CoverageAnyone:0.000}", $"{r.CoveredAnyone} of {r.Observations}");
        table.Add("fragments (judged)", $"{r.FragmentRate:0.000}", $"{r.Fragments} of {r.Stored} memories added or updated");
        table.Write(cli.Out);
        if (summary || r.Details is not { } d) return ExitCodes.Success;
        foreach (var line in d.Stored) await cli.Err.WriteLineAsync($"stored: {line}");
        foreach (var line in d.Fragments) await cli.Err.WriteLineAsync($"fragment: {line}");
        foreach (var line in d.Observations) await cli.Err.WriteLineAsync(line);
        return ExitCodes.Success;
    }

    private static string Confusions(IReadOnlyDictionary<string, int> confusions) =>
        confusions.Count == 0 ? "no confusions" : string.Join(", ", confusions.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"));
}
