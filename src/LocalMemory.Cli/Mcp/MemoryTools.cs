using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using LocalMemory.Cli.Output;
using LocalMemory.Core;
using LocalMemory.Core.Memories;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace LocalMemory.Cli.Mcp;

/// <summary>A conversation message passed to add_memory.</summary>
public sealed record ChatMessage([property: Description("user, assistant or system")] string Role, string Content);

/// <summary>The MCP tools, named as in Mem0's MCP server. Thin: arguments in, one MemoryService call, JSON text out.</summary>
/// <remarks>Descriptions are short on purpose: every agent session pays for them in context.</remarks>
#pragma warning disable CA1707 // parameter names are the wire protocol (Mem0's snake_case names)
[McpServerToolType]
internal sealed class MemoryTools(Sessions sessions)
{
    [McpServerTool(Name = "add_memory", Destructive = false, OpenWorld = false)]
    [Description("Remember a decision, constraint, preference or fix. Use infer=false to keep a rule word for word.")]
    public Task<CallToolResult> AddMemory(McpServer server,
        [Description("The fact to remember")] string? text = null,
        [Description("Or a conversation to remember")] ChatMessage[]? messages = null,
        string? user_id = null, string? agent_id = null, string? app_id = null, string? run_id = null,
        [Description("JSON object of extra fields")] JsonElement? metadata = null,
        [Description("Extract facts (default true); false stores the text verbatim")] bool infer = true,
        [Description("project (default inside a repository) or global")] string? scope = null,
        CancellationToken cancellationToken = default) => Run(server, async context =>
        {
            var global = scope switch
            {
                null or "project" => false,
                "global" => true,
                _ => throw LocalMemoryException.Invalid($"scope is 'project' or 'global', got '{scope}'"),
            };
            var result = await (await sessions.For(server).ServiceAsync(cancellationToken)).AddAsync(new AddRequest
            {
                Text = text,
                Messages = messages?.Select(m => new Message(m.Role, m.Content)).ToList(),
                Scope = new Scope(user_id, agent_id, app_id, run_id),
                Metadata = Object(metadata, "metadata"),
                Global = global,
                Infer = infer,
                Background = true,
            }, context, cancellationToken);
            return CliJson.Serialize(result);
        }, cancellationToken);

    [McpServerTool(Name = "search_memories", ReadOnly = true, OpenWorld = false)]
    [Description("Search memories by meaning and keyword, best first. Do it at the start of a task and before decisions.")]
    public Task<CallToolResult> SearchMemories(McpServer server,
        [Description("What to look for, in plain words")] string query,
        [Description("""e.g. {"AND":[{"categories":"decision"},{"created_at":{"gte":"2026-11-01"}}]}""")] JsonElement? filters = null,
        int limit = Constants.DefaultSearchLimit,
        [Description("Minimum similarity 0..1")] double? threshold = null,
        string? user_id = null, string? agent_id = null, string? app_id = null, string? run_id = null,
        CancellationToken cancellationToken = default) => Run(server, async context =>
        {
            var hits = await (await sessions.For(server).ServiceAsync(cancellationToken)).SearchAsync(new SearchRequest
            {
                Query = query,
                Filter = Filter(filters),
                Limit = limit,
                Threshold = threshold,
                Scope = new Scope(user_id, agent_id, app_id, run_id),
            }, context, cancellationToken);
            return CliJson.Serialize(Render.Hits(hits));
        }, cancellationToken);

    [McpServerTool(Name = "get_memories", ReadOnly = true, OpenWorld = false)]
    [Description("List memories, newest first, a page at a time.")]
    public Task<CallToolResult> GetMemories(McpServer server, JsonElement? filters = null, int page = 1, int page_size = Constants.DefaultPageSize,
        CancellationToken cancellationToken = default) => Run(server, async context =>
            CliJson.Serialize(await (await sessions.For(server).ServiceAsync(cancellationToken)).ListAsync(new ListRequest { Filter = Filter(filters), Page = page, PageSize = page_size }, context, cancellationToken)),
        cancellationToken);

    [McpServerTool(Name = "get_memory", ReadOnly = true, OpenWorld = false)]
    [Description("Get one memory by id.")]
    public Task<CallToolResult> GetMemory(McpServer server, string memory_id, CancellationToken cancellationToken = default) =>
        Run(server, async _ => CliJson.Serialize(await (await sessions.For(server).ServiceAsync(cancellationToken)).GetAsync(memory_id, null, cancellationToken)), cancellationToken);

    [McpServerTool(Name = "update_memory", Destructive = true, Idempotent = true, OpenWorld = false)]
    [Description("Correct a memory's text or replace its metadata; the old text stays in history.")]
    public Task<CallToolResult> UpdateMemory(McpServer server, string memory_id, string? text = null, JsonElement? metadata = null,
        CancellationToken cancellationToken = default) => Run(server, async context =>
            CliJson.Serialize(await (await sessions.For(server).ServiceAsync(cancellationToken)).UpdateAsync(new UpdateRequest(memory_id, text, Object(metadata, "metadata")), context, cancellationToken)),
        cancellationToken);

    [McpServerTool(Name = "delete_memory", Destructive = true, OpenWorld = false)]
    [Description("Delete one memory by id.")]
    public Task<CallToolResult> DeleteMemory(McpServer server, string memory_id, CancellationToken cancellationToken = default) =>
        Run(server, async context => CliJson.Serialize(await (await sessions.For(server).ServiceAsync(cancellationToken)).DeleteAsync(memory_id, null, context, cancellationToken)), cancellationToken);

    [McpServerTool(Name = "delete_all_memories", Destructive = true, OpenWorld = false)]
    [Description("Delete the user's memories visible here (global + current project), narrowed by the ids given.")]
    public Task<CallToolResult> DeleteAllMemories(McpServer server, string? user_id = null, string? agent_id = null, string? app_id = null, string? run_id = null,
        CancellationToken cancellationToken = default) => Run(server, async context =>
            CliJson.Serialize(await (await sessions.For(server).ServiceAsync(cancellationToken)).DeleteAllAsync(new Scope(user_id, agent_id, app_id, run_id), context, allProjects: false, cancellationToken)),
        cancellationToken);

    [McpServerTool(Name = "delete_entities", Destructive = true, OpenWorld = false)]
    [Description("Delete every memory of a user, agent, app or run (give at least one).")]
    public Task<CallToolResult> DeleteEntities(McpServer server, string? user_id = null, string? agent_id = null, string? app_id = null, string? run_id = null,
        CancellationToken cancellationToken = default) => Run(server, async context =>
            CliJson.Serialize(await (await sessions.For(server).ServiceAsync(cancellationToken)).DeleteEntitiesAsync(new Scope(user_id, agent_id, app_id, run_id), context, cancellationToken)),
        cancellationToken);

    [McpServerTool(Name = "list_entities", ReadOnly = true, OpenWorld = false)]
    [Description("Users, agents, apps and runs with memory counts.")]
    public Task<CallToolResult> ListEntities(McpServer server, int page = 1, int page_size = Constants.DefaultPageSize, CancellationToken cancellationToken = default) =>
        Run(server, async _ => CliJson.Serialize(await (await sessions.For(server).ServiceAsync(cancellationToken)).ListEntitiesAsync(null, page, page_size, cancellationToken)), cancellationToken);

    [McpServerTool(Name = "list_events", ReadOnly = true, OpenWorld = false)]
    [Description("Calls that changed memories, newest first.")]
    public Task<CallToolResult> ListEvents(McpServer server,
        [Description("ADD, UPDATE, DELETE, DELETE_ALL, DELETE_ENTITIES")] string? event_type = null,
        [Description("PENDING, RUNNING, SUCCEEDED, FAILED")] string? status = null,
        string? memory_id = null, [Description("ISO 8601 date or time")] string? since = null,
        int page = 1, int page_size = Constants.DefaultPageSize, CancellationToken cancellationToken = default) => Run(server, async _ =>
        {
            EventStatus? parsed = status is null ? null
                : Enum.TryParse<EventStatus>(status, ignoreCase: true, out var s) ? s
                : throw LocalMemoryException.Invalid($"status is PENDING, RUNNING, SUCCEEDED or FAILED, got '{status}'");
            return CliJson.Serialize(await (await sessions.For(server).ServiceAsync(cancellationToken)).ListEventsAsync(new EventQuery(event_type, parsed, memory_id, since, page, page_size), cancellationToken));
        }, cancellationToken);

    [McpServerTool(Name = "get_event_status", ReadOnly = true, OpenWorld = false)]
    [Description("One event: its status, results and error.")]
    public Task<CallToolResult> GetEventStatus(McpServer server, string event_id, CancellationToken cancellationToken = default) =>
        Run(server, async _ => CliJson.Serialize(await (await sessions.For(server).ServiceAsync(cancellationToken)).GetEventAsync(event_id, cancellationToken)), cancellationToken);

    /// <summary>Runs a tool body: its JSON becomes the result; a LocalMemoryException (or the store failing to open)
    /// becomes a tool error with its plain message, which the model reads. The server keeps serving either way.</summary>
    private async Task<CallToolResult> Run(McpServer server, Func<CallContext, Task<string>> body, CancellationToken cancellationToken)
    {
        try
        {
            return Result.Text(await body(await sessions.For(server).ContextAsync(server, cancellationToken)));
        }
        catch (LocalMemoryException e)
        {
            return Result.Error(e.Message);
        }
        catch (McpException e)
        {
            return Result.Error(e.Message);
        }
    }

    private static MemoryFilter? Filter(JsonElement? filters) => filters is { ValueKind: JsonValueKind.String } text
        ? MemoryFilter.Parse(text.GetString()) // some models send the filter as a JSON string
        : MemoryFilter.Parse(filters);

    private static JsonObject? Object(JsonElement? value, string name)
    {
        if (value is not { } element || element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return null;
        if (element.ValueKind == JsonValueKind.String)
        {
            try { element = JsonDocument.Parse(element.GetString()!).RootElement; }
            catch (JsonException) { throw LocalMemoryException.Invalid($"{name} must be a JSON object"); }
        }
        return element.ValueKind == JsonValueKind.Object
            ? JsonObject.Create(element)
            : throw LocalMemoryException.Invalid($"{name} must be a JSON object, got {element.ValueKind.ToString().ToLowerInvariant()}");
    }
}
