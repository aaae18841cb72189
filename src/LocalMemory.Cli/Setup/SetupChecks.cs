using LocalMemory.Core;
using LocalMemory.Core.Diagnostics;

namespace LocalMemory.Cli.Setup;

/// <summary>For doctor: which clients launch localmem, and for Codex and Claude Code whether automatic memory is on
/// (hooks that run an existing localmem, trusted by Codex) and the skill is the current text.</summary>
internal static class SetupChecks
{
    public static IEnumerable<Check> All(string userHome)
    {
        foreach (var client in ClientConfig.All)
        {
            var path = client.DefaultPath(userHome);
            yield return Guard($"client {client.Name}", path, () =>
            {
                var command = File.Exists(path) ? client.ConfiguredCommand(File.ReadAllText(path)) : null;
                return command is null ? new Check($"client {client.Name}", true, $"not set up (localmem setup {client.Name})")
                    : File.Exists(command) ? new Check($"client {client.Name}", true, $"set up in {path}")
                    : new Check($"client {client.Name}", false, $"{path} launches {command}, which does not exist", $"run localmem setup {client.Name}");
            });
            if (client.Name == "cursor") continue;
            var hooksPath = HookSetup.HooksFile(client.Name, path, userHome);
            yield return Guard($"hooks {client.Name}", hooksPath, () => Hooks(client.Name, path, hooksPath));
            var skill = Skill.PathFor(client.Name, userHome);
            yield return !File.Exists(skill) ? new Check($"skill {client.Name}", true, $"not installed (localmem setup {client.Name} --hooks)")
                : File.ReadAllText(skill) == Skill.Text + "\n" ? new Check($"skill {client.Name}", true, $"installed in {skill}")
                : new Check($"skill {client.Name}", false, $"{skill} is not this localmem's text", $"run localmem setup {client.Name} --hooks");
        }
    }

    private static Check Hooks(string client, string configPath, string hooksPath)
    {
        var name = $"hooks {client}";
        var ours = File.Exists(hooksPath) ? HookConfig.Ours(HookConfig.Parse(File.ReadAllText(hooksPath), hooksPath)).ToList() : [];
        if (ours.Count == 0) return new Check(name, true, $"off (localmem setup {client} --hooks turns on automatic memory)");
        var missing = HookConfig.Events.Where(e => !ours.Any(o => o.Event == e.Client)).Select(e => e.Client).ToList();
        if (missing.Count > 0) return new Check(name, false, $"{hooksPath} lacks {string.Join(", ", missing)}", $"run localmem setup {client} --hooks");
        if (ours.Select(o => Program(o.Entry["command"]!.GetValue<string>())).FirstOrDefault(p => !File.Exists(p)) is { } gone)
            return new Check(name, false, $"{hooksPath} runs {gone}, which does not exist", $"run localmem setup {client} --hooks");
        if (client != "codex") return new Check(name, true, $"on in {hooksPath}");
        var trusted = File.Exists(configPath) ? CodexTrust.TrustedHashes(File.ReadAllText(configPath)) : new Dictionary<string, string>();
        var untrusted = ours.Count(o => trusted.GetValueOrDefault(CodexTrust.Key(hooksPath, o.Event, o.Group, o.Handler))
            != CodexTrust.Hash(CodexTrust.Snake(o.Event), o.Entry["command"]!.GetValue<string>(), o.Entry["timeout"]?.GetValue<int>() ?? 600));
        return untrusted == 0 ? new Check(name, true, $"on in {hooksPath}, trusted")
            : new Check(name, false, $"{untrusted} of {ours.Count} hooks in {hooksPath} are not trusted, so Codex skips them",
                "start codex and trust them in /hooks, or run localmem setup codex --hooks --trust");
    }

    /// <summary>The program a hook command runs: its first word, unquoted (see HookConfig.Command).</summary>
    private static string Program(string command)
    {
        if (command.Length == 0 || command[0] is not ('\'' or '"')) return command.Split(' ')[0];
        var end = command.IndexOf(command[0], 1);
        return end < 0 ? command[1..] : command[1..end];
    }

    private static Check Guard(string name, string path, Func<Check> check)
    {
        try { return check(); }
        catch (LocalMemoryException e) { return new Check(name, false, $"{path}: {e.Message}", "fix the file by hand"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or FormatException)
        {
            return new Check(name, false, $"{path}: {e.Message}", "fix the file by hand");
        }
    }
}
