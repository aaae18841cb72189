using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace LocalMemory.Core.Storage;

/// <summary>The one owner of localmem's SQL. Every change is one transaction: memory row, keyword row (trigger),
/// vector row, history and event together.</summary>
public sealed partial class MemoryStore : IDisposable
{
    private readonly Database _db;
    private readonly Func<(string Model, int Dimension)>? _vectorModel;

    private MemoryStore(Database db, Func<(string Model, int Dimension)>? vectorModel)
    {
        _db = db;
        _vectorModel = vectorModel;
    }

    public string Path => _db.Path;

    /// <summary>Opens (creating or migrating) the database at <paramref name="path"/>.</summary>
    /// <param name="vectorModel">The model the vectors this store writes are made with (read when first needed). Every
    /// transaction that writes a vector checks it against the database's own record of its model, because another
    /// process may have re-embedded everything with another model meanwhile.</param>
    public static MemoryStore Open(string path, string sqliteVecPath, Func<(string Model, int Dimension)>? vectorModel = null)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        CreatePrivateDirectory(directory);
        var fresh = !File.Exists(path);
        var db = new Database(path, sqliteVecPath);
        try
        {
            Migrate(db);
            if (fresh && !OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            return new MemoryStore(db, vectorModel);
        }
        catch (SqliteException e)
        {
            db.Dispose();
            throw Translate(e, path);
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    private static void CreatePrivateDirectory(string directory)
    {
        if (Directory.Exists(directory)) return;
        try
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
            else Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw LocalMemoryException.System($"cannot create the data directory {directory}: {e.Message}", e);
        }
    }

    /// <summary>Creates or migrates the schema. A database already at this version is only read: opening never
    /// takes the write lock unless there is something to write.</summary>
    private static void Migrate(Database db)
    {
        var current = db.Read(c =>
            Scalar<long>(c, null, "select count(*) from sqlite_master where type = 'table' and name = 'meta'") > 0
            && GetMeta(c, null, "schema_version") == Constants.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!current) MigrateLocked(db);
    }

    private static void MigrateLocked(Database db) => db.Write((c, tx) =>
    {
        var tables = Scalar<long>(c, tx, "select count(*) from sqlite_master where type = 'table'");
        if (tables == 0)
        {
            Execute(c, tx, Schema.Create);
            SetMeta(c, tx, "schema_version", "1");
        }
        var version = Scalar<long>(c, tx, "select count(*) from sqlite_master where type = 'table' and name = 'meta'") == 0
            ? throw LocalMemoryException.System($"{db.Path} is a SQLite database but not a localmem one; point --home or LOCALMEM_HOME at another folder")
            : long.Parse(GetMeta(c, tx, "schema_version") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        if (version > Constants.SchemaVersion)
            throw LocalMemoryException.System(
                $"{db.Path} has schema version {version}, newer than this localmem understands ({Constants.SchemaVersion}); install a newer localmem");
        for (var v = (int)version; v < Constants.SchemaVersion; v++)
        {
            if (v + 1 == Schema.ShardedVectorsVersion) ShardVectors(c, tx);
            else Execute(c, tx, Schema.Migrations[v - 1]);
            SetMeta(c, tx, "schema_version", (v + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return 0;
    });

    /// <summary>Migration 4: moves the vectors into the sharded vector table (no re-embedding).</summary>
    private static void ShardVectors(SqliteConnection c, SqliteTransaction tx)
    {
        if (Scalar<long>(c, tx, "select count(*) from sqlite_master where name = 'memories_vec'") == 0) return; // no vectors yet
        var dimension = int.Parse(GetMeta(c, tx, "embedding_dimension")
            ?? throw LocalMemoryException.System("the vector table has no recorded dimension; run localmem reindex"), System.Globalization.CultureInfo.InvariantCulture);
        Execute(c, tx, "create temp table vectors_v3 as select rowid as seq, user_id, project, embedding from memories_vec");
        Execute(c, tx, "drop table memories_vec");
        Execute(c, tx, Schema.CreateVectors(dimension));
        Execute(c, tx, $"insert into memories_vec(rowid, user_id, shard, project, embedding) select seq, user_id, seq % {Constants.VectorShards}, project, embedding from temp.vectors_v3");
        Execute(c, tx, "drop table temp.vectors_v3");
    }

    internal static LocalMemoryException Translate(SqliteException e, string path) => e.SqliteErrorCode switch
    {
        26 => LocalMemoryException.System($"{path} is not a SQLite database (SQLITE_NOTADB); move it away or use another --home", e),
        11 => LocalMemoryException.System($"{path} is corrupt (SQLITE_CORRUPT): {e.Message}; run localmem doctor", e),
        13 => LocalMemoryException.System($"the disk holding {path} is full (SQLITE_FULL); free some space and retry", e),
        8 => LocalMemoryException.System($"{path} is read-only (SQLITE_READONLY); check the permissions of the data directory", e),
        14 => LocalMemoryException.System($"cannot open {path} (SQLITE_CANTOPEN); check that the data directory exists and is writable", e),
        _ => LocalMemoryException.System($"the database {path} failed: {e.Message}", e),
    };

    /// <summary>Runs a read with store errors turned into messages that say what to do.</summary>
    private T Read<T>(Func<SqliteConnection, T> read)
    {
        try { return _db.Read(read); }
        catch (SqliteException e) { throw Translate(e, Path); }
    }

    private T Write<T>(Func<SqliteConnection, SqliteTransaction, T> write)
    {
        try { return _db.Write(write); }
        catch (SqliteException e) { throw Translate(e, Path); }
    }

    // ---- meta ----

    public string? GetMeta(string key) => Read(c => GetMeta(c, null, key));

    private static string? GetMeta(SqliteConnection c, SqliteTransaction? tx, string key)
    {
        using var command = Command(c, tx, "select value from meta where key = @k", ("@k", key));
        return command.ExecuteScalar() as string;
    }

    private static void SetMeta(SqliteConnection c, SqliteTransaction tx, string key, string value) =>
        Execute(c, tx, "insert into meta(key, value) values (@k, @v) on conflict(key) do update set value = excluded.value", ("@k", key), ("@v", value));

    /// <summary>The model and dimension the vectors were made with, or null before the first vector.</summary>
    public (string Model, int Dimension)? EmbeddingModel => Read(c =>
    {
        var model = GetMeta(c, null, "embedding_model");
        var dimension = GetMeta(c, null, "embedding_dimension");
        return model is null || dimension is null ? ((string, int)?)null : (model, int.Parse(dimension, System.Globalization.CultureInfo.InvariantCulture));
    });

    /// <summary>Creates the vector index for a model on first use.</summary>
    public void InitializeVectors(string model, int dimension) => Write((c, tx) =>
    {
        if (GetMeta(c, tx, "embedding_model") is null) CreateVectors(c, tx, model, dimension);
        return 0;
    });

    private static void CreateVectors(SqliteConnection c, SqliteTransaction tx, string model, int dimension)
    {
        Execute(c, tx, Schema.CreateVectors(dimension));
        SetMeta(c, tx, "embedding_model", model);
        SetMeta(c, tx, "embedding_dimension", dimension.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Inside a transaction that writes vectors: they are this store's model's, and the database's vectors are
    /// that model's too (creating the vector index on first use). Otherwise nothing is written.</summary>
    private void RequireVectorModel(SqliteConnection c, SqliteTransaction tx)
    {
        var stored = GetMeta(c, tx, "embedding_model");
        if (_vectorModel is null)
        {
            if (stored is null) throw new InvalidOperationException("the store was opened without a model and has no vector index yet");
            return;
        }
        var (model, dimension) = _vectorModel();
        if (stored is null)
        {
            CreateVectors(c, tx, model, dimension);
            return;
        }
        var storedDimension = int.Parse(GetMeta(c, tx, "embedding_dimension") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        if (stored != model || storedDimension != dimension) throw ModelMismatch(stored, storedDimension, model, dimension);
    }

    /// <summary>Before a search: the vectors are this store's model's. Null when there are no vectors yet.</summary>
    public (string Model, int Dimension)? RequireSearchableModel()
    {
        var stored = EmbeddingModel;
        if (stored is { } s && _vectorModel?.Invoke() is var (model, dimension) && (s.Model != model || s.Dimension != dimension))
            throw ModelMismatch(s.Model, s.Dimension, model, dimension);
        return stored;
    }

    private LocalMemoryException ModelMismatch(string stored, int storedDimension, string model, int dimension) => LocalMemoryException.System(
        $"the memories in {Path} are embedded with model '{stored}' ({storedDimension} dimensions), but this process uses '{model}' ({dimension}); " +
        $"if the model was just changed (localmem reindex --model), restart this process to follow it; otherwise run 'localmem reindex' to re-embed them with '{model}', " +
        $"or set the model back to '{stored}'");

    // ---- helpers ----

    private static SqliteCommand Command(SqliteConnection c, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = c.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private static int Execute(SqliteConnection c, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(c, tx, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static T Scalar<T>(SqliteConnection c, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(c, tx, sql, parameters);
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    internal static byte[] Blob(float[] vector) => MemoryMarshal.AsBytes(vector.AsSpan()).ToArray();

    public void Dispose() => _db.Dispose();
}
