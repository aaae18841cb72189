using System.IO.Pipelines;
using System.Text;

namespace LocalMemory.Cli.Mcp;

/// <summary>Where `serve` passes its client's messages: a daemon connection, or an MCP server in this process.</summary>
internal sealed class Upstream(Stream input, Stream output, string description, IAsyncDisposable? owner = null) : IAsyncDisposable
{
    private readonly StreamReader _reader = new(input, new UTF8Encoding(false));

    public string Description { get; } = description;

    public Task<string?> ReadLineAsync(CancellationToken cancellationToken) => _reader.ReadLineAsync(cancellationToken).AsTask();

    public async Task WriteLineAsync(string line, CancellationToken cancellationToken)
    {
        await output.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), cancellationToken);
        await output.FlushAsync(cancellationToken);
    }

    /// <summary>An MCP server in this process, spoken to over a pair of in-memory pipes.</summary>
    public static Upstream InProcess(McpEndpoint endpoint, McpOrigin origin, CancellationToken cancellationToken)
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        _ = endpoint.RunAsync(toServer.Reader.AsStream(), toClient.Writer.AsStream(), origin, cancellationToken);
        return new Upstream(toClient.Reader.AsStream(), toServer.Writer.AsStream(), "in-process");
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await output.DisposeAsync();
        if (owner is not null) await owner.DisposeAsync();
    }
}
