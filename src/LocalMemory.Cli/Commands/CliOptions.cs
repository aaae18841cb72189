using System.CommandLine;

namespace LocalMemory.Cli.Commands;

/// <summary>Options shared by several verbs.</summary>
internal static class CliOptions
{
    public static readonly Option<string?> Home = new("--home") { Description = "Data directory (default: $LOCALMEM_HOME, else ~/.localmem)", Recursive = true };
    public static readonly Option<bool> Json = new("--json") { Description = "Print JSON for scripts instead of tables", Recursive = true };
    public static readonly Option<bool> NoDaemon = new("--no-daemon") { Description = "Do the work in this process, not in the localmem daemon", Recursive = true };

    public static readonly Option<string?> User = new("--user", "-u") { Description = "user_id (default: $LOCALMEM_USER_ID, config.json, else the OS user)" };
    public static readonly Option<string?> Agent = new("--agent") { Description = "agent_id" };
    public static readonly Option<string?> App = new("--app") { Description = "app_id (default for new memories: cli)" };
    public static readonly Option<string?> Run = new("--run") { Description = "run_id" };
    public static readonly Option<string?> Project = new("--project") { Description = "Project (default: the git repository of the current directory)" };
    public static readonly Option<bool> AllProjects = new("--all-projects") { Description = "See every project's memories, not only global + current project" };
    public static readonly Option<string?> Filters = new("--filters", "-f") { Description = """Filter JSON, e.g. '{"AND":[{"categories":"decision"},{"created_at":{"gte":"2026-11-01"}}]}'""" };
    public static readonly Option<int> Page = new("--page") { Description = "Page number, from 1", DefaultValueFactory = _ => 1 };
    public static readonly Option<int> PageSize = new("--page-size") { Description = "Results per page", DefaultValueFactory = _ => LocalMemory.Core.Constants.DefaultPageSize };
    public static readonly Option<string?> Metadata = new("--metadata", "-m") { Description = """Metadata JSON object, e.g. '{"source":"review"}'""" };

    public static void AddScope(Command command)
    {
        command.Options.Add(User);
        command.Options.Add(Agent);
        command.Options.Add(App);
        command.Options.Add(Run);
        command.Options.Add(Project);
    }
}
