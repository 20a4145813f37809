#!/usr/bin/env bash
# The whole benchmark in one command: builds the service, starts it on a fresh embedded PostgreSQL, runs every part
# (or the comma-separated parts given), prints the tables and appends the figures to bench/results.jsonl.
#   bench/run.sh                       # everything, about 15 minutes on 2 cores
#   bench/run.sh throughput,database   # some parts: capacity throughput database race growth reads search streams
#                                      #   crosspod footprint
#   bench/run.sh race --warmup-seconds 2  # and options of bench/Bench.java (see its --… names)
set -euo pipefail
cd "$(dirname "$0")/.."

PARTS=${1:-capacity,throughput,database,race,growth,reads,search,streams,crosspod,footprint}
shift || true   # anything after the parts goes to Bench.java, e.g. --throughput-seconds 5
PORT=${PORT:-18080}
DB_PORT=${DB_PORT:-15432}
DATA=$(mktemp -d /tmp/recordings-bench-pg-XXXXXX)
LOG=${LOG:-/tmp/recordings-bench-service.log}
export MALLOC_ARENA_MAX=2   # as in the container image
# every simulated meeting uses the one bench key: the per-key rate limit would measure itself, not the service
export RECORDINGS_RATE_LIMIT_PER_KEY=1000000
# capacity --viewers true opens a stream per meeting, beyond the default limit of 1,000 per pod
export RECORDINGS_MAX_STREAMS=${RECORDINGS_MAX_STREAMS:-10000}
# cpu --webhook-subscriber true registers a receiver on this machine, over http
export RECORDINGS_WEBHOOKS_ALLOW_HTTP=true RECORDINGS_WEBHOOKS_ALLOW_PRIVATE=true
export RECORDINGS_EMBEDDED_DB_ENABLED=true RECORDINGS_EMBEDDED_DB_DIR=$DATA RECORDINGS_EMBEDDED_DB_PORT=$DB_PORT QUARKUS_HTTP_PORT=$PORT \
  RECORDINGS_ADMIN_TOKEN=bench-admin-token QUARKUS_LOG_CONSOLE_JSON_ENABLED=true

# CITUS=N: on a throw-away Citus cluster of a coordinator and N workers (src/test/resources/citus/cluster.sh, on
# DB_PORT and the ports after it) instead of the embedded PostgreSQL; cpu then reports each node's CPU apart
CITUS=${CITUS:-}
DB_ARGS=(--jdbc "jdbc:postgresql://localhost:$DB_PORT/postgres")
CLUSTER=
if [ -n "$CITUS" ]; then
  CLUSTER=$(mktemp -d /tmp/recordings-bench-citus-XXXXXX)
  bash src/test/resources/citus/cluster.sh start "$CLUSTER" "$DB_PORT" "$CITUS"
  export RECORDINGS_EMBEDDED_DB_ENABLED=false RECORDINGS_UPLOADS_ENABLED=false \
    QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:$DB_PORT/recordings" \
    QUARKUS_DATASOURCE_USERNAME=rec QUARKUS_DATASOURCE_PASSWORD=rec
  DB_ARGS=(--jdbc "jdbc:postgresql://127.0.0.1:$DB_PORT/recordings" --db-user rec --db-password rec
    --worker-pids "$(for i in $(seq 1 "$CITUS"); do head -1 "$CLUSTER/node$i/postmaster.pid"; done | paste -sd,)")
fi
DB_PID_FILE=${CLUSTER:+$CLUSTER/node0}
DB_PID_FILE=${DB_PID_FILE:-$DATA}/postmaster.pid

# APP: another build's packaged application (target/quarkus-app of a checkout), to measure it with this Bench.java
APP=${APP:-target/quarkus-app}
if [ "$APP" = target/quarkus-app ]; then ./mvnw -B -q package -DskipTests; fi
BUILD=${BUILD:-$(git -C "$APP/../.." rev-parse --short HEAD 2>/dev/null || echo unknown)}

service=
second=
stop_service() {
  if [ -n "$service" ]; then kill "$service" 2>/dev/null || true; wait "$service" 2>/dev/null || true; fi
  service=
}
stop_second() {
  if [ -n "$second" ]; then kill "$second" 2>/dev/null || true; wait "$second" 2>/dev/null || true; fi
  second=
}
stop_database() {
  rm -rf "$DATA"
  if [ -n "$CLUSTER" ]; then bash src/test/resources/citus/cluster.sh stop "$CLUSTER"; fi
}
trap 'stop_second; stop_service; stop_database' EXIT

# JAVA: the service's JVM (the bench itself runs on the default one)
JAVA=${JAVA:-java}
SERVICE_JVM=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.vm.name = //p;s/^ *java.runtime.version = //p' | tr '\n' ' ')
# The JVM settings of the container image (quarkus.jib.jvm-arguments), so the figures are a pod's.
JVM_OPTS=${JVM_OPTS:-$(sed -n 's/^quarkus.jib.jvm-arguments=//p' src/main/resources/application.properties | tr ',' ' ')}

# waits until the URL answers, or stops the run if the process died
await_up() {
  until curl -fs -o /dev/null "$1"; do
    kill -0 "$2" 2>/dev/null || { echo "the service died, see $3"; exit 1; }
    sleep 0.02
  done
}

start_service() {
  # shellcheck disable=SC2086
  "$JAVA" $JVM_OPTS -jar "$APP/quarkus-run.jar" >>"$LOG" 2>&1 &
  service=$!
  await_up "http://localhost:$PORT/q/health/live" "$service" "$LOG"
}

# The first start initialises the database (initdb, migrations); start-up is measured on the second, as a pod
# restart against an existing database.
start_service
stop_service
started=$(date +%s.%N)
start_service
startup=$(echo "$(date +%s.%N) - $started" | bc)
echo "Start-up to first answered request: ${startup} s (service log: $LOG)"

# crosspod: a second process on the same database, as a second pod
SECOND=()
if [[ ",$PARTS," == *",crosspod,"* ]]; then
  PORT2=$((PORT + 1))
  # shellcheck disable=SC2086
  QUARKUS_HTTP_PORT=$PORT2 QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://localhost:$DB_PORT/postgres" \
    QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD= RECORDINGS_UPLOADS_ENABLED=false \
    "$JAVA" $JVM_OPTS -jar "$APP/quarkus-run.jar" >>"$LOG.second" 2>&1 &
  second=$!
  await_up "http://localhost:$PORT2/q/health/ready" "$second" "$LOG.second"
  SECOND=(--url2 "http://localhost:$PORT2")
fi

java -cp "target/quarkus-app/app/*:target/quarkus-app/lib/main/*" bench/Bench.java \
  --url "http://localhost:$PORT" --admin-token "$RECORDINGS_ADMIN_TOKEN" \
  "${DB_ARGS[@]}" --pid "$service" --startup-seconds "$startup" \
  --db-pid "$(head -1 "$DB_PID_FILE")" --build "$BUILD" --jvm "$SERVICE_JVM" --jvm-flags "$JVM_OPTS" \
  --parts "$PARTS" "${SECOND[@]}" "$@"
