using System.CommandLine;
using LocalMemory.Cli.Commands;
using LocalMemory.Cli.Mcp;

namespace LocalMemory.Cli.Daemon;

internal sealed partial class DaemonHost
{
    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(10);

    /// <summary>One connection: its hello, then what the mode asks for.</summary>
    private async Task HandleAsync(Stream stream)
    {
        var counted = false; // asking for status or stop is not use: it keeps no daemon alive
        try
        {
            Hello? hello;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
            {
                timeout.CancelAfter(HelloTimeout);
                hello = await LineChannel.ReadAsync(stream, DaemonJson.Default.Hello, timeout.Token);
            }
            if (hello is null) return;
            if (hello.Mode is not ("status" or "stop"))
            {
                Interlocked.Increment(ref _connections);
                counted = true;
                Touch();
            }
            var reply = Answer(hello);
            if (reply is not null)
            {
                await Reply(stream, reply);
                return;
            }
            switch (hello.Mode)
            {
                case "cli":
                    await Reply(stream, await RunVerbAsync(hello));
                    break;
                case "mcp":
                    await Reply(stream, Ok());
                    await _mcp!.RunAsync(stream, stream, new McpOrigin(hello.Cwd, Variables(hello)), _stop.Token);
                    break;
                case "http":
                    await Reply(stream, Ok() with { Stdout = await StartHttpAsync(settings.Http ?? DaemonSettings.DefaultHttp, settings.HttpFromConfig) });
                    break;
                case "ui": // the page's address with a one-time sign-in token
                    var url = await StartHttpAsync(settings.Http ?? DaemonSettings.DefaultHttp, settings.HttpFromConfig);
                    await Reply(stream, Ok() with { Stdout = $"{url}/ui/login?token={_ui.NewLink()}" });
                    break;
                default:
                    await Reply(stream, new HelloReply { Error = $"unknown mode '{hello.Mode}'" });
                    break;
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or OperationCanceledException or ObjectDisposedException)
        {
            // the client went away, or spoke something else: its connection ends, the daemon goes on
        }
        catch (Core.LocalMemoryException e)
        {
            await log.WriteLineAsync($"{Now} a connection failed: {e.Message}");
        }
        finally
        {
            await stream.DisposeAsync();
            if (counted)
            {
                Interlocked.Decrement(ref _connections);
                Touch();
            }
        }
    }

    /// <summary>The reply for hellos that need no more work (status, stop, a newer client, a broken store); null otherwise.</summary>
    private HelloReply? Answer(Hello hello)
    {
        if (hello.Protocol != DaemonProtocol.Version)
            return new HelloReply { Error = $"this daemon speaks protocol {DaemonProtocol.Version}, the client {hello.Protocol}" };
        if (hello.Mode is not ("status" or "stop") && hello.Build.IsNewerThan(BuildIdentity.Current))
        {
            Stop($"a newer localmem ({hello.Build.Version}) connected");
            return new HelloReply { Retiring = true, Build = BuildIdentity.Current, Pid = Environment.ProcessId };
        }
        switch (hello.Mode)
        {
            case "status":
                return Ok() with { Status = Status };
            case "stop":
                Stop("asked to stop");
                return Ok();
        }
        return _engineError is not null ? new HelloReply { Error = _engineError, Pid = Environment.ProcessId } : null;
    }

    /// <summary>Runs one CLI verb as the client's own process would, with the warm engine; answers its output.</summary>
    private async Task<HelloReply> RunVerbAsync(Hello hello)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new CliEnvironment(hello.Cwd ?? options.Home, Variables(hello), hello.Stdin is null ? null : new StringReader(hello.Stdin), _engine);
        var exit = await CliEnvironment.RunAs(environment, () =>
            LocalmemCommand.Create().Parse(hello.Args ?? []).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, _stop.Token));
        return Ok() with { Exit = exit, Stdout = output.ToString(), Stderr = error.ToString() };
    }

    private static Func<string, string?> Variables(Hello hello) => name => hello.Environment?.GetValueOrDefault(name);

    private static HelloReply Ok() => new() { Ok = true, Build = BuildIdentity.Current, Pid = Environment.ProcessId };

    private static Task Reply(Stream stream, HelloReply reply) => LineChannel.WriteAsync(stream, reply, DaemonJson.Default.HelloReply, CancellationToken.None);
}
