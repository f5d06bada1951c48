#!/usr/bin/env bash
# Issue 18's mass-enrollment figure: DEVICES devices (each with its own P-256 key) enroll through
# EST simpleenroll at once against the whole suite in this JVM (embedded PostgreSQL and Kafka),
# then pki-service issues the same number of CSRs alone; prints enrollments/s and p50/p99 of both
# (dev.ems.bench.EstEnrollmentBenchmark).
#   bench/est.sh                 # 10,000 devices
#   DEVICES=1000 bench/est.sh    # quicker
# Settings: DEVICES PROVISION_CONCURRENCY RETRY (on: devices retry 503, 429 and unanswered requests
# after Retry-After or 2 s plus jitter, as devices do; off: one attempt each). Builds this checkout's modules (package, no install).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
OUT="$(pwd)/bench/out/est"; mkdir -p "$OUT"
./mvnw -B -q -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true -Dmaven.javadoc.skip=true \
  package dependency:build-classpath -Dmdep.outputFile="$OUT/classpath.txt" -Dmdep.includeScope=runtime \
  -pl bench -am
CP="bench/target/classes:$(cat "$OUT/classpath.txt")"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec "$JAVA_HOME/bin/java" ${JAVA_OPTS:--Xmx4g} -cp "$CP" dev.ems.bench.EstEnrollmentBenchmark
