using Microsoft.Data.Sqlite;

namespace LocalMemory.Core.Storage;

/// <summary>A WHERE clause under construction: clauses joined by AND, every value a parameter.</summary>
internal sealed class SqlWhere
{
    private readonly List<string> _clauses = [];

    public List<SqliteParameter> Parameters { get; } = [];

    /// <summary>True when nothing but the user partition and the project visibility restrict the rows.</summary>
    public bool OnlyScope { get; set; } = true;

    public string Param(object? value)
    {
        var name = "@w" + Parameters.Count;
        Parameters.Add(new SqliteParameter(name, value ?? DBNull.Value));
        return name;
    }

    public void Add(string clause) => _clauses.Add(clause);

    public string Sql => _clauses.Count == 0 ? "1" : string.Join(" and ", _clauses.Select(c => $"({c})"));

    public void Bind(SqliteCommand command)
    {
        foreach (var p in Parameters) command.Parameters.Add(new SqliteParameter(p.ParameterName, p.Value));
    }
}
