using System.CommandLine;
using LocalMemory.Cli.Output;
using LocalMemory.Core;
using LocalMemory.Core.Memories;

namespace LocalMemory.Cli.Commands;

/// <summary>add, search, list, get.</summary>
internal static class MemoryCommands
{
    private static readonly Argument<string?> Text = new("text") { Description = "What to remember, word for word", Arity = ArgumentArity.ZeroOrOne };
    private static readonly Option<FileInfo?> FromFile = new("--file") { Description = "Add each non-empty line of this file (- for stdin) as its own memory" };
    private static readonly Option<string[]> Category = new("--category", "-c") { Description = "A category (repeatable): decision, constraint, preference, bugfix, ..." };
    private static readonly Option<bool> Global = new("--global") { Description = "Store as a global memory, not tied to the current project" };
    private static readonly Option<string?> Expires = new("--expires") { Description = "Expiration date (ISO 8601); expired memories are hidden, not deleted" };
    private static readonly Option<bool> Infer = new("--infer") { Description = "Extract facts from the text and reconcile them with what is stored (default: keep it word for word)" };

    public static Command Add()
    {
        var command = new Command("add", "Remember a fact, word for word (or --infer: extract facts and reconcile them)") { Text, FromFile, Category, Global, Expires, Infer, CliOptions.Metadata };
        CliOptions.AddScope(command);
        command.SetAction(CliContext.Action(async (cli, service, ct) =>
        {
            var text = cli.Parse.GetValue(Text);
            var file = cli.Parse.GetValue(FromFile);
            if ((text is null) == (file is null)) throw LocalMemoryException.Invalid("give the text to remember, or --file FILE, not both");
            if (file is not null) return await AddLines(cli, service, file, ct);
            var result = await service.AddAsync(new AddRequest
            {
                Text = text,
                Scope = cli.Scope,
                Metadata = cli.Metadata,
                Categories = cli.Parse.GetValue(Category),
                Global = cli.Parse.GetValue(Global),
                ExpirationDate = cli.Parse.GetValue(Expires),
                Infer = cli.Parse.GetValue(Infer),
            }, cli.Call, ct);
            if (cli.Json) return await cli.WriteJson(result);
            var table = new Table("EVENT", "ID", "MEMORY");
            foreach (var change in result.Results) table.Add(change.Event.ToString().ToUpperInvariant(), change.Id, change.Memory);
            table.Write(cli.Out);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>One memory per line, each added in its own transaction, so other processes interleave with it.</summary>
    private static async Task<int> AddLines(CliContext cli, MemoryService service, FileInfo file, CancellationToken ct)
    {
        using var reader = file.Name == "-" ? cli.Environment.OpenStdin() : file.Exists ? file.OpenText()
            : throw LocalMemoryException.Invalid($"{file.FullName} does not exist");
        var counts = new Dictionary<ChangeKind, int>();
        var number = 0;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            AddResult result;
            try
            {
                result = await service.AddAsync(new AddRequest { Text = line, Scope = cli.Scope, Global = cli.Parse.GetValue(Global), Infer = cli.Parse.GetValue(Infer) }, cli.Call, ct);
            }
            catch (LocalMemoryException e) when (e.Kind == ErrorKind.InvalidInput)
            {
                throw LocalMemoryException.Invalid($"line {number}: {e.Message} (lines before it were added)");
            }
            foreach (var change in result.Results) counts[change.Event] = counts.GetValueOrDefault(change.Event) + 1;
        }
        if (cli.Json) return await cli.WriteJson(new AddFileReport(number, counts.ToDictionary(c => c.Key.ToString().ToUpperInvariant(), c => c.Value)));
        await cli.Out.WriteLineAsync($"{number} lines: " + string.Join(", ", counts.Select(c => $"{c.Value} {c.Key.ToString().ToUpperInvariant()}")));
        return ExitCodes.Success;
    }

    private static readonly Argument<string> Query = new("query") { Description = "What to look for, in plain words" };
    private static readonly Option<int> Limit = new("--limit", "-n") { Description = "How many results", DefaultValueFactory = _ => Constants.DefaultSearchLimit };
    private static readonly Option<double?> Threshold = new("--threshold") { Description = "Minimum similarity to the query (0..1)" };
    private static readonly Option<bool> Explain = new("--explain") { Description = "Show why each result ranked where it did" };

    public static Command Search()
    {
        var command = new Command("search", "Find memories by meaning and by keyword") { Query, Limit, Threshold, Explain, CliOptions.Filters, CliOptions.AllProjects };
        CliOptions.AddScope(command);
        command.SetAction(CliContext.Action(async (cli, service, ct) =>
        {
            var hits = await service.SearchAsync(new SearchRequest
            {
                Query = cli.Parse.GetValue(Query)!,
                Scope = cli.Scope,
                Filter = cli.Filter,
                Limit = cli.Parse.GetValue(Limit),
                Threshold = cli.Parse.GetValue(Threshold),
                AllProjects = cli.Parse.GetValue(CliOptions.AllProjects),
            }, cli.Call, ct);
            if (cli.Json) return await cli.WriteJson(Render.Hits(hits));
            var explain = cli.Parse.GetValue(Explain);
            var table = explain ? new Table("#", "FUSED", "SIMILARITY", "VECTOR", "KEYWORD", "COVERAGE", "ID", "MEMORY") : new Table("#", "SCORE", "ID", "MEMORY");
            var rank = 0;
            foreach (var hit in hits)
            {
                var score = hit.Score.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);
                if (explain)
                    table.Add($"{++rank}", hit.Fused.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture), score, Rank(hit.VectorRank), Rank(hit.KeywordRank),
                        hit.Coverage.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), hit.Memory.Id, hit.Memory.Memory);
                else
                    table.Add($"{++rank}", score, hit.Memory.Id, hit.Memory.Memory);
            }
            if (table.Count == 0) await cli.Err.WriteLineAsync("no memories found");
            else table.Write(cli.Out);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string Rank(int? rank) => rank is { } r ? $"#{r}" : "-";

    public static Command List()
    {
        var command = new Command("list", "List memories, newest first, a page at a time") { CliOptions.Filters, CliOptions.Page, CliOptions.PageSize, CliOptions.AllProjects };
        CliOptions.AddScope(command);
        command.SetAction(CliContext.Action(async (cli, service, ct) =>
        {
            var page = await service.ListAsync(new ListRequest
            {
                Scope = cli.Scope,
                Filter = cli.Filter,
                Page = cli.Parse.GetValue(CliOptions.Page),
                PageSize = cli.Parse.GetValue(CliOptions.PageSize),
                AllProjects = cli.Parse.GetValue(CliOptions.AllProjects),
            }, cli.Call, ct);
            if (cli.Json) return await cli.WriteJson(page);
            var table = new Table("ID", "CREATED", "APP", "SCOPE", "MEMORY");
            foreach (var m in page.Results) table.Add(m.Id, m.CreatedAt[..16].Replace('T', ' '), m.AppId ?? "", Render.ProjectLabel(m.Project), m.Memory);
            table.Write(cli.Out);
            var pages = Math.Max(1, (page.Total + page.PageSize - 1) / page.PageSize);
            await cli.Err.WriteLineAsync($"page {page.PageNumber} of {pages} ({page.Total} memories)");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static readonly Argument<string> Id = new("id") { Description = "The memory's id" };

    public static Command Get()
    {
        var command = new Command("get", "Show one memory") { Id, CliOptions.User };
        command.SetAction(CliContext.Action(async (cli, service, ct) =>
        {
            var memory = await service.GetAsync(cli.Parse.GetValue(Id)!, cli.Scope.UserId, ct);
            if (cli.Json) return await cli.WriteJson(memory);
            await cli.Out.WriteAsync(Render.Details(memory));
            return ExitCodes.Success;
        }));
        return command;
    }
}
