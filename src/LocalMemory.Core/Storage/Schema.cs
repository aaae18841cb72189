namespace LocalMemory.Core.Storage;

/// <summary>The database's tables. Version 1; later versions append a migration to <see cref="Migrations"/>.</summary>
internal static class Schema
{
    public const string Create = """
        create table meta(key text primary key, value text not null);

        create table memories(
            seq integer primary key,
            id text not null unique,
            memory text not null,
            hash text not null,
            user_id text not null,
            agent_id text,
            app_id text,
            run_id text,
            project text,
            metadata text not null default '{}',
            categories text not null default '[]',
            source text not null default '{"type":"verbatim"}',
            created_at text not null,
            updated_at text not null,
            expiration_date text);
        create index memories_scope on memories(user_id, project, created_at);
        create index memories_hash on memories(user_id, hash);

        -- Keyword index over memories.memory, kept in step by triggers inside the writing transaction.
        create virtual table memories_fts using fts5(
            memory, content='memories', content_rowid='seq',
            tokenize="porter unicode61 remove_diacritics 2 tokenchars '_'");
        create trigger memories_fts_insert after insert on memories begin
            insert into memories_fts(rowid, memory) values (new.seq, new.memory);
        end;
        create trigger memories_fts_delete after delete on memories begin
            insert into memories_fts(memories_fts, rowid, memory) values ('delete', old.seq, old.memory);
        end;
        create trigger memories_fts_update after update of memory on memories begin
            insert into memories_fts(memories_fts, rowid, memory) values ('delete', old.seq, old.memory);
            insert into memories_fts(rowid, memory) values (new.seq, new.memory);
        end;

        create table history(
            id integer primary key,
            memory_id text not null,
            event text not null,
            old_memory text,
            new_memory text,
            app_id text,
            event_id text,
            created_at text not null);
        create index history_memory on history(memory_id, id);

        create table events(
            seq integer primary key,
            id text not null unique,
            type text not null,
            status text not null,
            user_id text,
            app_id text,
            input text,
            results text,
            error text,
            created_at text not null,
            finished_at text,
            duration_ms real);
        create index events_created on events(created_at);
        """;

    /// <summary>The vector index: one row per memory (rowid = memories.seq). Global memories have project ''.</summary>
    /// <remarks>Each user's vectors are split into <see cref="Constants.VectorShards"/> partitions by rowid, so that a
    /// search scans them on as many cores at once (sqlite-vec's KNN is a scan on one thread).</remarks>
    public static string CreateVectors(int dimension) =>
        $"create virtual table memories_vec using vec0(user_id text partition key, shard integer partition key, project text, embedding float[{dimension}] distance_metric=cosine)";

    /// <summary>Version 4 (sharded vectors) rebuilds the vector table with its recorded dimension, so it is code:
    /// MemoryStore.ShardVectors. Its entry in <see cref="Migrations"/> is empty.</summary>
    public const int ShardedVectorsVersion = 4;

    /// <summary>Migrations from version N to N+1, at index N - 1, run in the opening transaction. A new database gets
    /// <see cref="Create"/> and then every migration.</summary>
    public static readonly IReadOnlyList<string> Migrations =
    [
        // 2: background inference. A PENDING event keeps its input; a RUNNING one names the process working on it
        // and until when, so that the next process can finish the work of one that died.
        """
        alter table events add column owner_pid integer;
        alter table events add column lease_until text;
        create index events_status on events(status);
        """,
        // 3: sync between machines. Every change carries a hybrid-logical-clock version (newest wins, ties broken by
        // machine id); a delete leaves a tombstone so that an older update cannot bring the memory back; history
        // rows say which machine a change came from (null: this one).
        """
        alter table memories add column version text;
        create table tombstones(id text primary key, version text not null, user_id text, deleted_at text not null);
        alter table history add column origin text;
        update memories set version = '000000000000000-000000-legacy';
        """,
        // 4: sharded vectors (see ShardedVectorsVersion).
        "",
        // 5: background work counts its attempts, so that an event that keeps failing (or keeps killing the process
        // working on it) ends FAILED instead of being handed out forever; expiring memories are indexed, so a search
        // can count those that would take its candidates' places.
        """
        alter table events add column attempts integer not null default 0;
        create index memories_expiring on memories(user_id, expiration_date) where expiration_date is not null;
        """,
    ];
}
