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

    /// <summary>Runs one write transaction, taking the write lock up front (BEGIN IMMEDIATE). When another process
    /// holds the lock past SQLite's own busy wait, it retries a few times after a random pause, so that writers
    /// that collided do not collide again in step.</summary>
    public T Write<T>(Func<SqliteConnection, SqliteTransaction, T> write)
    {
        for (var attempt = 1; ; attempt++)
        {
            var connection = Rent();
            try
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                var result = write(connection, transaction);
                transaction.Commit();
                return result;
            }
            catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6 && attempt < MaxWriteAttempts) // SQLITE_BUSY, SQLITE_LOCKED
            {
                Thread.Sleep(Random.Shared.Next(20, 120) * attempt);
            }
            finally { Return(connection); }
        }
    }

    private const int MaxWriteAttempts = 6;

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
            // journal_size_limit: after a checkpoint the WAL file is cut back to 4 MiB, so it stays bounded under
            // continuous use (SQLite checkpoints on its own every 1000 pages).
            // mmap_size: reads map the file instead of copying pages through a 2 MiB cache; sqlite-vec reads every
            // vector chunk on each search, and this halves a search at 100,000 memories.
            pragmas.CommandText = "pragma journal_mode=WAL; pragma synchronous=FULL; pragma busy_timeout=5000; pragma journal_size_limit=4194304; pragma foreign_keys=ON; pragma mmap_size=1073741824;";
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
        if (_idle.TryTake(out var last))
        {
            try
            {
                using var checkpoint = last.CreateCommand();
                checkpoint.CommandText = "pragma wal_checkpoint(PASSIVE)"; // never waits for other processes
                checkpoint.ExecuteNonQuery();
            }
            catch (SqliteException) { } // another process may hold the lock; its checkpoints will do
            last.Dispose();
        }
        while (_idle.TryTake(out var connection)) connection.Dispose();
    }
}
