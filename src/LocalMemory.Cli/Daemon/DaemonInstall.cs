using System.CommandLine;
using System.Security;
using LocalMemory.Cli.Commands;
using LocalMemory.Core;

namespace LocalMemory.Cli.Daemon;

/// <summary>`localmem daemon install`: a systemd user unit (Linux) or a launchd agent (macOS) that keeps the daemon
/// always on, for people who want it warm from login. Without it the daemon starts on demand and exits when idle.</summary>
internal static class DaemonInstall
{
    private static readonly Option<bool> DryRun = new("--dry-run") { Description = "Print the file and where it would go; change nothing" };
    private static readonly Option<bool> Remove = new("--remove") { Description = "Remove the unit or agent written by install" };

    public static Command Create()
    {
        var command = new Command("install", "Keep the daemon always on: a systemd user unit (Linux) or a launchd agent (macOS)") { DryRun, Remove };
        command.SetAction(CliContext.Action(async (cli, _) =>
        {
            var (path, content, enable, disable) = Service(cli.Options.Home);
            if (cli.Parse.GetValue(Remove))
            {
                if (!File.Exists(path)) await cli.Out.WriteLineAsync($"{path} does not exist; nothing to remove");
                else if (cli.Parse.GetValue(DryRun)) await cli.Out.WriteLineAsync($"would remove {path} (first: {disable})");
                else
                {
                    File.Delete(path);
                    await cli.Out.WriteLineAsync($"removed {path}; if it was running: {disable}");
                }
                return ExitCodes.Success;
            }
            if (cli.Parse.GetValue(DryRun))
            {
                await cli.Err.WriteLineAsync($"would write {path}:");
                await cli.Out.WriteAsync(content);
                return ExitCodes.Success;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, content, CancellationToken.None);
            await cli.Out.WriteLineAsync($"wrote {path}\nstart it now and at every login with:\n  {enable}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static (string Path, string Content, string Enable, string Disable) Service(string home)
    {
        var (file, prefix) = DaemonClient.Self();
        string[] args = [.. prefix, "daemon", "--idle-exit", "0", "--home", home];
        var user = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsLinux())
        {
            var config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } x ? x : Path.Combine(user, ".config");
            var unit = $"""
                [Unit]
                Description=localmem daemon: memory for coding agents ({home})

                [Service]
                ExecStart={Quote(file)} {string.Join(' ', args.Select(Quote))}
                Restart=on-failure

                [Install]
                WantedBy=default.target

                """;
            return (Path.Combine(config, "systemd", "user", "localmem.service"), unit,
                "systemctl --user daemon-reload && systemctl --user enable --now localmem", "systemctl --user disable --now localmem");
        }
        if (OperatingSystem.IsMacOS())
        {
            var arguments = string.Concat(new[] { file }.Concat(args).Select(a => $"\n    <string>{SecurityElement.Escape(a)}</string>"));
            var plist = $"""
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
                <plist version="1.0">
                <dict>
                  <key>Label</key><string>dev.localmem.daemon</string>
                  <key>ProgramArguments</key>
                  <array>{arguments}
                  </array>
                  <key>RunAtLoad</key><true/>
                  <key>KeepAlive</key><true/>
                  <key>StandardErrorPath</key><string>{SecurityElement.Escape(new DaemonPaths(home).Log)}</string>
                </dict>
                </plist>

                """;
            var path = Path.Combine(user, "Library", "LaunchAgents", "dev.localmem.daemon.plist");
            return (path, plist, $"launchctl load -w {path}", $"launchctl unload -w {path}");
        }
        throw LocalMemoryException.Invalid("daemon install knows systemd (Linux) and launchd (macOS); on Windows, add `localmem daemon --idle-exit 0` to Task Scheduler at logon");
    }

    private static string Quote(string value) => value.Any(c => char.IsWhiteSpace(c) || c is '"' or '\\') ? $"\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"" : value;
}
