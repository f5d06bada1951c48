#!/usr/bin/env bash
# sc-service figures: config request -> ConfigPublished latency at a fixed offered rate (open loop),
# and template rendering throughput per core (JMH).
#   bench/sc.sh                 # 200 req/s for 60 s over 200 devices, then JMH
#   RATE=300 SECONDS=30 bench/sc.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -B -q -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true install -pl bench -am
CP="$(./mvnw -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=runtime):bench/target/classes"
"$JAVA_HOME/bin/java" -cp "$CP" dev.ems.bench.ConfigPipelineBenchmark
"$JAVA_HOME/bin/java" -cp "$CP" org.openjdk.jmh.Main RenderBenchmark -f 1 -wi 3 -w 5s -i 5 -r 5s
