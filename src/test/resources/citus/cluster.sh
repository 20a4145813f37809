#!/usr/bin/env bash
# A throw-away Citus cluster on 127.0.0.1 for the Citus tests and the benchmark: a coordinator and N workers, each a
# PostgreSQL server of its own under DIR, trust authentication, role rec/rec (superuser), database recordings.
# PostgreSQL refuses to run as root, so as root the servers run as the postgres user.
#   cluster.sh available                      exit 0 when PostgreSQL and the Citus extension are installed
#   cluster.sh start DIR PORT WORKERS         coordinator on PORT, workers on PORT+1 …; prints COORDINATOR_URL=…
#   cluster.sh stop DIR                       stops every node of DIR and removes DIR
# PG_BIN chooses the PostgreSQL (default: Debian's 15, for which docs/operations.md says how Citus was installed).
set -euo pipefail
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
lib=$("$bin/pg_config" --pkglibdir 2>/dev/null || echo /nonexistent)
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
sql() { local port=$1 db=$2; shift 2; as_postgres "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d "$db" "$@"; }

case "${1:-}" in
available)
  [ -x "$bin/postgres" ] && [ -f "$lib/citus.so" ] ;;
start)
  dir=${2:?DIR}; port=${3:?PORT}; workers=${4:?WORKERS}
  [ -x "$bin/postgres" ] && [ -f "$lib/citus.so" ] || { echo "Citus is not installed for $bin" >&2; exit 2; }
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; chmod o+x "$(dirname "$dir")" 2>/dev/null || true; fi
  for i in $(seq 0 "$workers"); do
    node="$dir/node$i"; p=$((port + i))
    as_postgres "$bin/initdb" -D "$node" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    # wal_level logical: moving a shard copies it by logical replication while it takes writes
    cat >>"$node/postgresql.conf" <<CONF
port = $p
listen_addresses = '127.0.0.1'
unix_socket_directories = '$node'
shared_preload_libraries = 'citus'
max_connections = 300
wal_level = logical
max_wal_senders = 20
max_replication_slots = 20
fsync = off
CONF
    as_postgres "$bin/pg_ctl" -D "$node" -l "$node/server.log" -w start >/dev/null
    sql "$p" postgres -c "CREATE ROLE rec SUPERUSER LOGIN PASSWORD 'rec'" -c "CREATE DATABASE recordings OWNER rec"
    sql "$p" recordings -c "CREATE EXTENSION citus"
  done
  # the coordinator in the metadata: it then holds a copy of every reference table (V10__distributed_by_recording.sql)
  sql "$port" recordings -c "SELECT citus_set_coordinator_host('127.0.0.1', $port)" >/dev/null
  for i in $(seq 1 "$workers"); do
    sql "$port" recordings -c "SELECT citus_add_node('127.0.0.1', $((port + i)))" >/dev/null
  done
  echo "COORDINATOR_URL=postgresql://127.0.0.1:$port/recordings" ;;
stop)
  dir=${2:?DIR}
  for node in "$dir"/node*; do
    [ -f "$node/postmaster.pid" ] && as_postgres "$bin/pg_ctl" -D "$node" -m immediate -w stop >/dev/null || true
  done
  rm -rf "$dir" ;;
*)
  echo "usage: cluster.sh available | start DIR PORT WORKERS | stop DIR" >&2; exit 2 ;;
esac
