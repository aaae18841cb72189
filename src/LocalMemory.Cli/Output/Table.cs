using System.Text;

namespace LocalMemory.Cli.Output;

/// <summary>A plain-text table for people: columns padded, the last column wrapped to the terminal width.</summary>
internal sealed class Table(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public Table Add(params string?[] cells)
    {
        _rows.Add([.. cells.Select(c => (c ?? "").ReplaceLineEndings(" "))]);
        return this;
    }

    public int Count => _rows.Count;

    public void Write(TextWriter writer)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        var fixedWidth = widths[..^1].Sum() + 2 * (widths.Length - 1);
        var lastWidth = Math.Max(24, TerminalWidth() - fixedWidth);
        var builder = new StringBuilder();
        void Line(string[] cells)
        {
            var prefix = string.Concat(cells[..^1].Select((c, i) => c.PadRight(widths[i]) + "  "));
            var lines = Wrap(cells[^1], lastWidth);
            builder.Append(prefix).AppendLine(lines[0]);
            foreach (var more in lines.Skip(1)) builder.Append(' ', prefix.Length).AppendLine(more);
        }
        Line(headers);
        foreach (var row in _rows) Line(row);
        writer.Write(builder.ToString());
    }

    private static int TerminalWidth()
    {
        try { return Console.IsOutputRedirected ? 120 : Math.Max(60, Console.WindowWidth); }
        catch (IOException) { return 120; }
    }

    private static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        lines.Add(line.ToString());
        return lines;
    }
}
