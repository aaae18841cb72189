using System.Globalization;

namespace LocalMemory.Core.Sync;

/// <summary>A hybrid logical clock reading: wall time in ms, a counter for changes within one ms (or from a clock
/// that ran ahead elsewhere), and the machine. As text it sorts in time order, ties broken by machine id.</summary>
public readonly record struct Hlc(long Millis, int Counter, string Machine)
{
    public override string ToString() => $"{Millis:D15}-{Counter:D6}-{Machine}";

    public static Hlc Parse(string text)
    {
        var parts = text.Split('-', 3);
        return parts.Length == 3
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var counter)
            ? new Hlc(ms, counter, parts[2])
            : throw LocalMemoryException.Invalid($"'{text}' is not a version (expected MILLIS-COUNTER-MACHINE)");
    }

    /// <summary>The next reading on this machine after <paramref name="last"/> (the largest seen, local or remote).</summary>
    public static Hlc Next(Hlc? last, string machine, long nowMillis) =>
        last is { } l && l.Millis >= nowMillis ? new Hlc(l.Millis, l.Counter + 1, machine) : new Hlc(nowMillis, 0, machine);
}
