using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace LocalMemory.Cli.Daemon;

/// <summary>One JSON line each way at the start of a daemon connection (see <see cref="Hello"/>).</summary>
internal static class LineChannel
{
    /// <summary>A hello carries a hook's stdin at most; anything longer is not a hello.</summary>
    public const int MaxLine = 4 * 1024 * 1024;

    public static async Task WriteAsync<T>(Stream stream, T value, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, type);
        await stream.WriteAsync(bytes, cancellationToken);
        await stream.WriteAsync("\n"u8.ToArray(), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    /// <summary>Reads one line and parses it; null when the stream ends first. Reads byte by byte up to the newline,
    /// so that nothing after it is taken from the stream (the MCP messages that follow belong to the transport); a
    /// line that ends the connection (a verb's output) is read with <see cref="ReadLastAsync"/> instead.</summary>
    public static async Task<T?> ReadAsync<T>(Stream stream, JsonTypeInfo<T> type, CancellationToken cancellationToken) where T : class
    {
        var line = new MemoryStream();
        var buffer = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(buffer, cancellationToken) == 0) return null;
            if (buffer[0] == (byte)'\n') break;
            if (line.Length >= MaxLine) throw new InvalidDataException("the first line is too long");
            line.WriteByte(buffer[0]);
        }
        return Parse(line.GetBuffer().AsSpan(0, (int)line.Length), type);
    }

    /// <summary>Reads the last line of a connection, buffered.</summary>
    public static async Task<T?> ReadLastAsync<T>(Stream stream, JsonTypeInfo<T> type, CancellationToken cancellationToken) where T : class
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
        return await reader.ReadLineAsync(cancellationToken) is { } line ? Parse(Encoding.UTF8.GetBytes(line), type) : null;
    }

    private static T? Parse<T>(ReadOnlySpan<byte> line, JsonTypeInfo<T> type)
    {
        try { return JsonSerializer.Deserialize(line, type); }
        catch (JsonException e) { throw new InvalidDataException($"not a localmem daemon message: {Encoding.UTF8.GetString(line[..Math.Min(80, line.Length)])} ({e.Message})"); }
    }
}
