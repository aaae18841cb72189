using System.Text.Json.Nodes;
using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Hooks;

/// <summary>Context shown to the model at the start of a session, and the memories in it.</summary>
public sealed record HookContext(string Text, IReadOnlyList<string> Shown);

/// <summary>What a session starts with: the project's most useful memories (decisions, then constraints, then
/// preferences, then the rest; the most recent first within each), as many as fit in about 1,500 tokens, and a line
/// that points to the skill. No model is needed, so it answers at once even while the model is still loading.</summary>
public static class SessionBrief
{
    public const int BudgetTokens = 1_500;

    private static readonly string[] Ranked = ["decision", "constraint", "preference"];

    public static async Task<HookContext> BuildAsync(MemoryService service, CallContext context, CancellationToken cancellationToken)
    {
        var budget = new ContextBudget(BudgetTokens);
        var what = context.Project is { } project ? $"memories of project {project} and your global ones" : "your global memories (no project here)";
        budget.TryAdd($"localmem: {what}, most useful first. Ids are for update_memory and delete_memory. " +
            "Use search_memories before a decision, and add_memory for new decisions, constraints, preferences and fixes; the localmem skill says how.");
        var shown = new List<string>();
        var others = new JsonObject { ["NOT"] = new JsonArray(new JsonObject { ["categories"] = new JsonObject { ["in"] = new JsonArray([.. Ranked.Select(c => (JsonNode)c)]) } }) };
        var sections = Ranked.Select(c => (Title: char.ToUpperInvariant(c[0]) + c[1..] + "s:", Filter: new JsonObject { ["categories"] = c }.ToJsonString()))
            .Append((Title: "Other memories:", Filter: others.ToJsonString()));
        foreach (var (title, filter) in sections)
        {
            var page = await service.ListAsync(new ListRequest { Filter = MemoryFilter.Parse(filter), PageSize = 100 }, context, cancellationToken);
            var fresh = page.Results.Where(m => !shown.Contains(m.Id)).ToList();
            for (var i = 0; i < fresh.Count; i++)
            {
                var line = ContextBudget.Line(fresh[i]);
                if (!budget.TryAdd(i == 0 ? title + "\n" + line : line)) return new HookContext(budget.Text, shown);
                shown.Add(fresh[i].Id);
            }
        }
        if (shown.Count == 0) budget.TryAdd("Nothing is stored for this project yet.");
        return new HookContext(budget.Text, shown);
    }
}
