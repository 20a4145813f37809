-- Flyway runs this after every migration, also when there was nothing to migrate; it changes nothing on plain
-- PostgreSQL. On a Citus coordinator whose tables are distributed (V10__distributed_by_recording.sql), the functions
-- that change one recording's transcript are distributed by their recording argument, colocated with
-- desktop_recordings: Citus sends each call to the worker that holds the recording's shards, and the whole body runs
-- there as one local transaction. Here rather than in R__transcript_functions.sql, because those functions are
-- (re)created there and the tables distributed by a versioned migration that runs before it on a new database and
-- after it on one being upgraded.
DO $$
DECLARE
    delegated text[] := ARRAY['append_transcript_segments(uuid,bigint,jsonb,boolean)',
                              'rename_transcript_speaker(uuid,bigint,text,text)',
                              'replace_transcript_segments(uuid,jsonb)'];
    fn text;
BEGIN
    -- two statements: PL/pgSQL plans the second, which names a Citus table, only where it is reached
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        RETURN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = 'desktop_recordings'::regclass) THEN
        RETURN;
    END IF;
    FOREACH fn IN ARRAY delegated LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_dist_object o
                       WHERE o.classid = 'pg_proc'::regclass AND o.objid = fn::regprocedure
                         AND o.distribution_argument_index = 0) THEN
            -- the replacement is called inside the transaction that updates the recording, on the same worker
            PERFORM create_distributed_function(fn::regprocedure, 'recording', colocate_with => 'desktop_recordings',
                                                force_delegation => fn LIKE 'replace_transcript_segments%');
        END IF;
    END LOOP;
    -- Citus routes a statement by the values of its parameters, which a generic plan does not have: on Citus the
    -- append is planned for its values on every call (docs/architecture.md, "Past one database", has the cost).
    IF EXISTS (SELECT 1 FROM pg_proc WHERE oid = delegated[1]::regprocedure AND proconfig IS NOT NULL) THEN
        ALTER FUNCTION append_transcript_segments(uuid, bigint, jsonb, boolean) RESET plan_cache_mode;
    END IF;
END
$$;
