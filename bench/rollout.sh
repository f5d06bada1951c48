#!/usr/bin/env bash
# Issue 14's figures: a qos rollout to DEVICES simulated devices (creation -> last device APPLIED,
# per wave), the same change as an approved change set when sc-service has them (approve -> last
# device APPLIED), and rollback latency (health drop -> ROLLED_BACK, bad version applied ->
# previous bundle running again at the device). The whole suite runs in this one JVM on an embedded
# PostgreSQL and Kafka broker (dev.ems.bench.RolloutBenchmark).
#   bench/rollout.sh                      # 1000 devices, waves of 250, 20 rolled back
#   DEVICES=100 bench/rollout.sh          # quick run
# Settings: DEVICES POLL HEARTBEAT WAVE_SIZE WATCH ROLLBACK_DEVICES PROVISION_CONCURRENCY
# CONTENT_CHECK=auto|on|off. Builds this checkout's modules (package, no install: ~/.m2 stays as
# it is) and runs with their jars. Exits non-zero when a check fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
OUT="$(pwd)/bench/out/rollout"; mkdir -p "$OUT"
./mvnw -B -q -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true -Dmaven.javadoc.skip=true \
  package dependency:build-classpath -Dmdep.outputFile="$OUT/classpath.txt" -Dmdep.includeScope=runtime \
  -pl bench -am
CP="bench/target/classes:$(cat "$OUT/classpath.txt")"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec "$JAVA_HOME/bin/java" ${JAVA_OPTS:--Xmx6g} -cp "$CP" dev.ems.bench.RolloutBenchmark
