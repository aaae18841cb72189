using System.Runtime.InteropServices;

namespace LocalMemory.Cli.Daemon;

/// <summary>What a daemon started in the background does first on Unix: leave the starter's session (so a closing
/// terminal or agent does not take it along) and write its output to its log instead of the starter's pipes.</summary>
internal static partial class Native
{
    public static void Detach(string log)
    {
        if (OperatingSystem.IsWindows()) return; // started without a console window; nothing to leave
        _ = SetSid(); // fails only if already a group leader, which a child process is not
        using var output = new FileStream(log, new FileStreamOptions
        {
            Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        using var input = new FileStream("/dev/null", FileMode.Open, FileAccess.Read);
        Redirect(input, 0);
        Redirect(output, 1);
        Redirect(output, 2);
    }

    private static void Redirect(FileStream from, int to)
    {
        if (Dup2((int)from.SafeFileHandle.DangerousGetHandle(), to) < 0)
            throw new IOException($"cannot redirect file descriptor {to} (errno {Marshal.GetLastPInvokeError()})");
    }

    [LibraryImport("libc", EntryPoint = "setsid", SetLastError = true)]
    private static partial int SetSid();

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static partial int Dup2(int from, int to);
}
