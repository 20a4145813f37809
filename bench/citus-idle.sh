#!/usr/bin/env bash
# The CPU each Citus node spends with the service started and idle (its background work: the dispatcher's claims,
# the key cache's check, Citus's own maintenance), over 30 s: what a per-append figure of bench/run.sh with CITUS includes.
set -euo pipefail
cd "$(dirname "$0")/.."
D=$(mktemp -d /tmp/idle-citus-XXXXXX)
bash src/test/resources/citus/cluster.sh start "$D" 25432 2 >/dev/null
QUARKUS_HTTP_PORT=18090 QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://127.0.0.1:25432/recordings QUARKUS_DATASOURCE_USERNAME=rec \
  QUARKUS_DATASOURCE_PASSWORD=rec RECORDINGS_UPLOADS_ENABLED=false java -jar target/quarkus-app/quarkus-run.jar >/tmp/idle-svc.log 2>&1 &
svc=$!
until curl -fs -o /dev/null http://localhost:18090/q/health/ready; do sleep 0.5; done
sleep 20
ticks() { local pid=$1 t; t=$(awk '{print $14+$15+$16+$17}' /proc/$pid/stat); for c in $(pgrep -P $pid); do t=$((t + $(awk '{print $14+$15}' /proc/$c/stat 2>/dev/null || echo 0))); done; echo $t; }
pids=(); for i in 0 1 2; do pids+=($(head -1 $D/node$i/postmaster.pid)); done
b=(); for p in "${pids[@]}"; do b+=($(ticks $p)); done
sleep 30
for i in 0 1 2; do echo "node$i idle: $(( ($(ticks ${pids[$i]}) - ${b[$i]}) * 10 / 30 )) ms CPU per second"; done
kill $svc; wait $svc 2>/dev/null || true
bash src/test/resources/citus/cluster.sh stop "$D"
