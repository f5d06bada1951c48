#!/usr/bin/env bash
# Builds the benchmark against the installed modules and runs it; arguments go to the benchmark.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=../..
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
"$ROOT/mvnw" -B -q -f pom.xml compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec "$JAVA_HOME/bin/java" -Xmx3g -cp "target/classes:$(cat target/classpath.txt)" \
  dev.ems.bench.diagnostics.DiagnosticsBenchmark "$@"
