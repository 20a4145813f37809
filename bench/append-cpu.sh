#!/usr/bin/env bash
# The database's CPU per append, with no HTTP and no service: pgbench calls append_transcript_segments over
# CLIENTS connections for SECONDS, and the CPU of every PostgreSQL process (the live ones, and what the postmaster
# collected from backends that ended) is divided by the appends done. For comparing two versions of the append's
# SQL in one run on one machine (see bench/README.md, "The append's SQL").
#   bench/append-cpu.sh                       # the packaged build's schema (./mvnw -B package -DskipTests first)
#   VARIANTS="before=/tmp/old.sql after=src/main/resources/db/migration/R__transcript_functions.sql" \
#     bench/append-cpu.sh                     # function definitions compared, alternating run by run
# KIND: lean (batches without ids, the usual case), ids (every batch also replaces an interim segment by id),
# long (batches without ids onto recordings of 2,000 segments). REPEATS runs of each (alternating ABBA), the median reported.
set -euo pipefail
cd "$(dirname "$0")/.."

DB_PORT=${DB_PORT:-15499}
CLIENTS=${CLIENTS:-16}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-15}
RATE=${RATE:-}   # appends per second in all (pgbench -R), as a pod's meetings send them; unset: as fast as they go
REPEATS=${REPEATS:-3}
KINDS=${KINDS:-lean ids long}
RECORDINGS=${RECORDINGS:-2000}
DATA=$(mktemp -d /tmp/recordings-append-cpu-XXXXXX)
PSQL=(psql -X -q -h localhost -p "$DB_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1)

# The service creates the schema and leaves its embedded database running when it is killed with -9.
RECORDINGS_EMBEDDED_DB_ENABLED=true RECORDINGS_EMBEDDED_DB_DIR=$DATA RECORDINGS_EMBEDDED_DB_PORT=$DB_PORT \
  QUARKUS_HTTP_PORT=0 java -jar target/quarkus-app/quarkus-run.jar >"$DATA.log" 2>&1 &
service=$!
until grep -q 'Installed features' "$DATA.log"; do
  kill -0 "$service" 2>/dev/null || { tail -c 3000 "$DATA.log"; rm -rf "$DATA"; exit 1; }
  sleep 0.2
done
kill -9 "$service"; wait "$service" 2>/dev/null || true
postmaster=$(head -1 "$DATA/postmaster.pid")
trap 'kill -INT $postmaster 2>/dev/null || true; sleep 1; rm -rf "$DATA" "$DATA.log" "$DATA".*.sql' EXIT

"${PSQL[@]}" <<SQL
\o /dev/null
INSERT INTO projects (id, name) VALUES (1, 'bench') ON CONFLICT DO NOTHING;
CREATE TABLE bench_recordings (n integer PRIMARY KEY, id uuid NOT NULL, kind text NOT NULL);
INSERT INTO bench_recordings SELECT n, gen_random_uuid(), 'long' FROM generate_series(1, 100) n;
INSERT INTO desktop_recordings (id, team_id, sdk_upload_id) SELECT id, 1, gen_random_uuid() FROM bench_recordings;
SELECT count(*) FROM (SELECT replace_transcript_segments(b.id, (SELECT jsonb_agg(jsonb_build_object('text',
         'a pre-filled segment of the long transcript, number ' || i, 'timestamp', i * 1000, 'speaker', 'Ann',
         'is_final', true, 'confidence', 0.9) ORDER BY i) FROM generate_series(1, 2000) i))
FROM bench_recordings b WHERE b.kind = 'long') filled;
VACUUM ANALYZE;
CHECKPOINT;
SQL
# Comparing two versions of the SQL: autovacuum's workers, counted with the server's CPU, start at moments of their
# own and can land in one variant's run and not the other's (AUTOVACUUM=off).
if [ "${AUTOVACUUM:-on}" = off ]; then
  "${PSQL[@]}" -c 'ALTER SYSTEM SET autovacuum = off' -c 'SELECT pg_reload_conf()'
fi

# Ten segments of ~150 characters, numbered timestamps (so the retry rule looks each one up), as the SDK sends them.
segments='jsonb_build_array('
for i in $(seq 0 9); do
  segments+="jsonb_build_object('text', 'segment $i of a batch, about one hundred and fifty characters of what was "
  segments+="said in the meeting, as a transcription provider would give it back ' || :t, 'timestamp', :t * 10 + $i, "
  segments+="'speaker', 'Ann', 'is_final', true, 'confidence', 0.9)"
  [ "$i" -lt 9 ] && segments+=", "
done
segments+=')'
# lean and ids append to recordings made fresh for each run (-D lo, hi); long to the 100 long ones
cat >"$DATA.lean.sql" <<SQL
\set r random(:lo, :hi)
\set t random(1, 100000000)
SELECT * FROM append_transcript_segments((SELECT id FROM bench_recordings WHERE n = :r), 1, $segments);
SQL
cat >"$DATA.ids.sql" <<SQL
\set r random(:lo, :hi)
\set t random(1, 100000000)
SELECT * FROM append_transcript_segments((SELECT id FROM bench_recordings WHERE n = :r), 1,
  $segments || jsonb_build_array(jsonb_build_object('id', 'interim-' || :r, 'text', 'interim ' || :t,
  'is_final', false)));
SQL
cat >"$DATA.long.sql" <<SQL
\set r random(1, 100)
\set t random(1, 100000000)
SELECT * FROM append_transcript_segments((SELECT id FROM bench_recordings WHERE n = :r), 1, $segments);
SQL

# clock ticks of every PostgreSQL process of this server, ended backends included
cpu_ticks() {
  local total=0 pid
  for pid in $postmaster $(pgrep -P "$postmaster"); do
    # utime stime cutime cstime (fields 14-17; the command name in field 2 has no spaces here)
    total=$((total + $(awk '{print $14 + $15 + $16 + $17}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
hz=$(getconf CLK_TCK)

VARIANTS=${VARIANTS:-current=}
echo "commit $(git rev-parse --short HEAD), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(date -u +%FT%TZ), $CLIENTS clients, ${SECONDS_PER_RUN} s per run${RATE:+, $RATE appends/s}"
declare -A results
for kind in $KINDS; do
  for run in $(seq "$REPEATS"); do
    # ABBA: every other run takes the variants in reverse order, so a drift over the runs favours none of them
    order=$VARIANTS
    if [ $((run % 2)) -eq 0 ]; then order=$(printf '%s\n' $VARIANTS | tac | xargs); fi
    for variant in $order; do
      name=${variant%%=*} sql=${variant#*=}
      if [ -n "$sql" ]; then "${PSQL[@]}" -f "$sql"; fi
      lo=$(( $("${PSQL[@]}" -At -c 'SELECT coalesce(max(n), 0) FROM bench_recordings') + 1 )) hi=$((lo + RECORDINGS - 1))
      "${PSQL[@]}" <<SQL
INSERT INTO bench_recordings SELECT n, gen_random_uuid(), 'fresh' FROM generate_series($lo, $hi) n;
INSERT INTO desktop_recordings (id, team_id, sdk_upload_id)
SELECT id, 1, gen_random_uuid() FROM bench_recordings WHERE n BETWEEN $lo AND $hi;
CHECKPOINT;
SQL
      before=$(cpu_ticks)
      out=$(pgbench -n -h localhost -p "$DB_PORT" -U postgres -c "$CLIENTS" -j 2 -T "$SECONDS_PER_RUN" \
        -M prepared ${RATE:+-R "$RATE"} -D lo=$lo -D hi=$hi -f "$DATA.$kind.sql" postgres 2>&1) || { echo "$out"; exit 1; }
      after=$(cpu_ticks)
      appends=$(echo "$out" | sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p')
      tps=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
      ms=$(echo "scale=3; ($after - $before) * 1000 / $hz / $appends" | bc)
      echo "$kind $name run $run: $appends appends, $tps/s, database CPU ${ms} ms per append"
      results[$kind.$name]+="$ms "
    done
  done
  for variant in $VARIANTS; do
    name=${variant%%=*}
    # shellcheck disable=SC2086
    median=$(printf '%s\n' ${results[$kind.$name]} | sort -n | sed -n "$(( (REPEATS + 1) / 2 ))p")
    echo "$kind $name: median database CPU per append ${median} ms (runs: ${results[$kind.$name]% })"
  done
done
