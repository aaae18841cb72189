using System.Globalization;
using System.Text.RegularExpressions;
using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Search;

/// <summary>The time a query is about, read from its words: a window ("in May 2024", "last week", "3 days ago",
/// "yesterday"), or which end of the time line it wants ("originally", "used to" / "now", "currently", "latest").</summary>
/// <remarks>Relative phrases count from <c>now</c>; a month without a year is its latest occurrence up to now. A memory
/// is placed by its timestamp (when the fact was stated or held), not by when it was stored.</remarks>
public sealed partial record TimeQuery(DateTimeOffset? From, DateTimeOffset? To, int Direction)
{
    public static readonly TimeQuery None = new(null, null, 0);

    /// <summary>How each candidate fits, 0..1: 1 inside the window; with a direction, how near the wanted end of the
    /// candidates' time span (computed once per search).</summary>
    public Func<MemoryRecord, double> Scorer(IReadOnlyList<Candidate> candidates)
    {
        if (this == None) return _ => 0;
        if (From is { } from && To is { } to) return m => When(m) is { } at && at >= from && at < to ? 1 : 0;
        var times = candidates.Select(c => When(c.Record)).OfType<DateTimeOffset>().ToList();
        if (times.Count == 0) return _ => 0;
        var (min, max) = (times.Min(), times.Max());
        if (max <= min) return _ => 0;
        return m => When(m) is { } at ? Direction < 0 ? 1 - (at - min) / (max - min) : (at - min) / (max - min) : 0;
    }

    private static DateTimeOffset? When(MemoryRecord m) =>
        DateTimeOffset.TryParse(m.Timestamp ?? m.CreatedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    public static TimeQuery Parse(string query, DateTimeOffset now)
    {
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        if (MonthYear().Match(query) is { Success: true } my)
        {
            var month = Month(my.Groups["month"].Value);
            var year = my.Groups["year"].Success ? int.Parse(my.Groups["year"].Value, CultureInfo.InvariantCulture)
                : month <= now.Month ? now.Year : now.Year - 1;
            var start = new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero);
            return new(start, start.AddMonths(1), 0);
        }
        if (Year().Match(query) is { Success: true } y)
        {
            var start = new DateTimeOffset(int.Parse(y.Groups[1].Value, CultureInfo.InvariantCulture), 1, 1, 0, 0, 0, TimeSpan.Zero);
            return new(start, start.AddYears(1), 0);
        }
        if (Ago().Match(query) is { Success: true } ago)
        {
            var n = Number(ago.Groups["n"].Value);
            var (start, end) = Unit(ago.Groups["unit"].Value) switch
            {
                "day" => (today.AddDays(-n), today.AddDays(-n + 1)),
                "week" => (today.AddDays(-7 * n - 3), today.AddDays(-7 * n + 4)),
                "month" => (today.AddMonths(-n).AddDays(-15), today.AddMonths(-n).AddDays(16)),
                _ => (today.AddYears(-n).AddMonths(-6), today.AddYears(-n).AddMonths(6)),
            };
            return new(start, end, 0);
        }
        if (Relative().Match(query) is { Success: true } r)
        {
            var past = r.Groups["which"].Value.Equals("last", StringComparison.OrdinalIgnoreCase) ? -1 : 0;
            var weekStart = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
            var monthStart = new DateTimeOffset(today.Year, today.Month, 1, 0, 0, 0, TimeSpan.Zero);
            var yearStart = new DateTimeOffset(today.Year, 1, 1, 0, 0, 0, TimeSpan.Zero);
            return Unit(r.Groups["unit"].Value) switch
            {
                "week" => new(weekStart.AddDays(7 * past), weekStart.AddDays(7 * (past + 1)), 0),
                "month" => new(monthStart.AddMonths(past), monthStart.AddMonths(past + 1), 0),
                _ => new(yearStart.AddYears(past), yearStart.AddYears(past + 1), 0),
            };
        }
        if (Yesterday().IsMatch(query)) return new(today.AddDays(-1), today, 0);
        if (Earlier().IsMatch(query)) return new(null, null, -1);
        if (Later().IsMatch(query)) return new(null, null, 1);
        return None;
    }

    private static readonly string[] Months = CultureInfo.InvariantCulture.DateTimeFormat.MonthNames;

    private static int Month(string name) =>
        Array.FindIndex(Months, m => m.Length > 0 && m.StartsWith(name[..3], StringComparison.OrdinalIgnoreCase)) + 1;

    private static string Unit(string word) => word.ToLowerInvariant().TrimEnd('s');

    private static readonly string[] Numbers = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];

    private static int Number(string word) => int.TryParse(word, CultureInfo.InvariantCulture, out var n) ? n
        : Math.Max(1, Array.IndexOf(Numbers, word.ToLowerInvariant())); // "a week ago", "an hour ago": one

    // "May" only capitalised: lower-case "may" is the verb.
    [GeneratedRegex(@"\b(?<month>January|February|March|April|May|June|July|August|September|October|November|December|(?i:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?)(?:\s+(?<year>(?:19|20)\d\d))?\b")]
    private static partial Regex MonthYear();

    [GeneratedRegex(@"\b(?:in|during|of|since|from)\s+((?:19|20)\d\d)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Year();

    [GeneratedRegex(@"\b(?<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?<unit>days?|weeks?|months?|years?)\s+ago\b", RegexOptions.IgnoreCase)]
    private static partial Regex Ago();

    [GeneratedRegex(@"\b(?<which>last|this)\s+(?<unit>week|month|year)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Relative();

    [GeneratedRegex(@"\byesterday\b", RegexOptions.IgnoreCase)]
    private static partial Regex Yesterday();

    [GeneratedRegex(@"\b(?:originally|initially|at first|used to|previously|formerly|before|earlier|back then|at the start)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Earlier();

    [GeneratedRegex(@"\b(?:now|currently|current|latest|these days|nowadays|anymore|today)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Later();
}
