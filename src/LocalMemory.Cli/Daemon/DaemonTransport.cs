using System.IO.Pipes;
using System.Net.Sockets;

namespace LocalMemory.Cli.Daemon;

/// <summary>The daemon's local channel: a Unix domain socket in the home's run/ folder (0600), or a named pipe for the
/// current user on Windows.</summary>
internal static class DaemonTransport
{
    /// <summary>A connection to the running daemon, or null when none listens.</summary>
    public static async Task<Stream?> ConnectAsync(DaemonPaths paths, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            var pipe = new NamedPipeClientStream(".", paths.PipeName, PipeDirection.InOut, PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);
            try
            {
                await pipe.ConnectAsync(50, cancellationToken);
                return pipe;
            }
            catch (Exception e) when (e is TimeoutException or IOException or UnauthorizedAccessException)
            {
                await pipe.DisposeAsync();
                return null;
            }
        }
        if (!File.Exists(paths.Socket)) return null;
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(paths.Socket), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (SocketException)
        {
            socket.Dispose(); // a socket file left by a daemon that was killed: nobody listens
            return null;
        }
    }

    /// <summary>Accepts connections until cancelled, handing each to <paramref name="handle"/> on its own task.</summary>
    public static async Task ListenAsync(DaemonPaths paths, Func<Stream, Task> handle, Action listening, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            listening();
            while (!cancellationToken.IsCancellationRequested)
            {
                var pipe = new NamedPipeServerStream(paths.PipeName, PipeDirection.InOut, NamedPipeServerStream.MaxAllowedServerInstances,
                    PipeTransmissionMode.Byte, PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);
                try { await pipe.WaitForConnectionAsync(cancellationToken); }
                catch (OperationCanceledException) { await pipe.DisposeAsync(); break; }
                _ = Task.Run(() => handle(pipe), CancellationToken.None);
            }
            return;
        }
        File.Delete(paths.Socket); // left by a daemon that was killed; we hold the lock, so it is nobody's now
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(paths.Socket));
        File.SetUnixFileMode(paths.Socket, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        listener.Listen(64);
        listening();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Socket client;
                try { client = await listener.AcceptAsync(cancellationToken); }
                catch (OperationCanceledException) { break; }
                _ = Task.Run(() => handle(new NetworkStream(client, ownsSocket: true)), CancellationToken.None);
            }
        }
        finally
        {
            try { File.Delete(paths.Socket); }
            catch (IOException) { }
        }
    }
}
