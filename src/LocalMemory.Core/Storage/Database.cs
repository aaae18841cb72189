using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace LocalMemory.Core.Storage;

/// <summary>Opens connections to the one database file, each with sqlite-vec loaded and the pragmas set.</summary>
/// <remarks>
/// One connection per thread at a time (sqlite-vec is not safe with two threads on one connection): callers rent a
/// connection, use it and give it back. Writes take the lock up front (BEGIN IMMEDIATE) and stay short.
/// </remarks>
internal sealed class Database : IDisposable
{
    private readonly string _connectionString;
    private readonly string _sqliteVecPath;
    private readonly ConcurrentBag<SqliteConnection> _idle = [];

    public Database(string path, string sqliteVecPath)
    {
        Path = path;
        _sqliteVecPath = sqliteVecPath;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public T Read<T>(Func<SqliteConnection, T> read)
    {
        var connection = Rent();
        try { return read(connection); }
        finally { Return(connection); }
    }

    public T Write<T>(Func<SqliteConnection, SqliteTransaction, T> write)
    {
        var connection = Rent();
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE
            var result = write(connection, transaction);
            transaction.Commit();
            return result;
        }
        finally { Return(connection); }
    }

    private SqliteConnection Rent()
    {
        if (_idle.TryTake(out var connection)) return connection;
        connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            connection.LoadExtension(_sqliteVecPath, "sqlite3_vec_init");
            using var pragmas = connection.CreateCommand();
            // synchronous=FULL: an acknowledged write survives power loss, not only a killed process.
            pragmas.CommandText = "pragma journal_mode=WAL; pragma synchronous=FULL; pragma busy_timeout=10000; pragma foreign_keys=ON;";
            pragmas.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Return(SqliteConnection connection)
    {
        if (connection.State == System.Data.ConnectionState.Open) _idle.Add(connection);
        else connection.Dispose();
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var connection)) connection.Dispose();
    }
}
