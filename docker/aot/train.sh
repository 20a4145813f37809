#!/bin/bash
# The AOT cache's training run, inside the image being built (docker/aot/Containerfile): the service on its own
# embedded PostgreSQL, started as the image starts it plus -XX:AOTCacheOutput, under docker/aot/Training.java
# for TRAINING_SECONDS; on SIGTERM the JVM writes the cache as it exits. The database is removed afterwards.
#   train.sh CACHE_FILE JAVA_COMMAND...
set -eu
cache=$1
shift
work=$(mktemp -d /tmp/aot-training-XXXXXX)
export RECORDINGS_EMBEDDED_DB_ENABLED=true RECORDINGS_EMBEDDED_DB_DIR="$work/pg" RECORDINGS_EMBEDDED_DB_PORT=25432 \
  RECORDINGS_ADMIN_TOKEN=aot-training RECORDINGS_RATE_LIMIT_PER_KEY=100000 QUARKUS_HTTP_PORT=28080 \
  RECORDINGS_RETENTION_INTERVAL=off
# through JAVA_TOOL_OPTIONS, so the entrypoint runs unchanged (and the image's later JVMs get -XX:AOTCache the same way)
JAVA_TOOL_OPTIONS="-XX:AOTCacheOutput=$cache" "$@" >"$work/service.log" 2>&1 &
service=$!
tries=0
ready() (
  # bash's own TCP, in a subshell: the image has no curl
  exec 3<>/dev/tcp/127.0.0.1/28080 && printf 'GET /q/health/ready HTTP/1.0\r\n\r\n' >&3 && head -n 1 <&3 | grep -q ' 200 '
)
until ready 2>/dev/null; do
  tries=$((tries + 1))
  if [ "$tries" -gt 120 ] || ! kill -0 "$service" 2>/dev/null; then
    cat "$work/service.log"
    exit 1
  fi
  sleep 1
done
# compiled beforehand (docker/build-image.sh): a runtime image has no compiler to run a source file
java -cp "$(dirname "$0")" Training http://127.0.0.1:28080 aot-training "${TRAINING_SECONDS:-90}"
kill -TERM "$service"
wait "$service" || true
tail -n 5 "$work/service.log"
# what the run left in the image's /tmp (the database, the binaries the service unpacked for it) goes with this
# layer, or the image carries it
rm -rf "$work" /tmp/embedded-pg /tmp/vertx-cache /tmp/hsperfdata_* 2>/dev/null || true
test -s "$cache"
ls -l "$cache"
