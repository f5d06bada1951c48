#!/usr/bin/env bash
# Issue 16's chaos run: ./ems up (the launcher in a child process, with its embedded PostgreSQL and
# Kafka, EMS_FAULT_CONTROL=true) under a simulated fleet (enrolling, fetching, applying, reporting,
# heartbeating, running on-demand checks) and an operator (config requests, feature changes,
# checks) for MINUTES, cycling through the faults: PostgreSQL stopped OUTAGE_SECONDS, Kafka stopped
# OUTAGE_SECONDS, SIGKILL of the whole suite (its JVM and PostgreSQL) and a restart on the same
# data. Prints each fault's recovery time and, once the load stopped and the suite settled, the
# counts: acknowledged vs completed/failed-with-reason, stuck, versions created twice, reports and
# heartbeats not visible, commands lost. Exits non-zero unless 0 lost, 0 duplicated, 0 stuck.
#   bench/chaos.sh                         # 3 minutes (at least one round of each fault), 8 devices
#   MINUTES=10 DEVICES=20 bench/chaos.sh
# Builds this checkout's modules (no install: ~/.m2 stays as it is); the driver is
# dev.ems.faults.ChaosRun in fault-tests' test classes, beside the fault tests it shares code with.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
OUT="$(pwd)/bench/out/chaos"; mkdir -p "$OUT"
./mvnw -B -q ${MVN_OFFLINE:+-o} -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true \
  test-compile dependency:build-classpath -Dmdep.outputFile="$OUT/classpath.txt" \
  -Dmdep.includeScope=test -pl fault-tests -am
CP="fault-tests/target/test-classes:$(cat "$OUT/classpath.txt")"
exec "$JAVA_HOME/bin/java" ${JAVA_OPTS:--Xmx1g} -cp "$CP" dev.ems.faults.ChaosRun
