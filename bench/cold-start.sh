#!/usr/bin/env bash
# Cold start (issue 21 item 3): time until `./ems up` is ready, and the config pipeline (config
# request -> ConfigPublished, 200 req/s) from the first second after it is ready, with no warm-up.
# The suite runs exactly as ./ems up runs it (the launcher extracted, JDK 25 AOT cache or none), on
# moved ports, with a fresh EMS_HOME per mode.
#   bench/cold-start.sh            # MODES="none aot" RATE=200 DURATION=60 DEVICES=200 TRAIN=20
# Per mode:
#   1. first start on an empty EMS_HOME (initdb, Flyway from nothing): time to ready; DEVICES
#      devices are created and TRAIN s of the same load run (not measured), then it stops. In the
#      modes that record a cache this run is the training run (-XX:AOTCacheOutput, written at exit,
#      as ./ems up's first run does).
#   2. restart on that data (a deploy): time to ready, then at once RATE req/s for SECONDS s:
#      p50/p99 per 10 s from the first second, overall, and where the CPU went per 10 s.
# Modes: none = no AOT cache; aot = cache recorded over a run with load (./ems up's way: the cache
# is written when the first run stops); aot-start = cache recorded by a run that stops as soon as it
# is ready (TRAIN=0 for that run: classes and start-up profiles only, as an image build records).
# JFR=1: the restart run records JFR (profile settings) and the script prints where its execution
# samples fell: by thread group, by leaf method, and by the first EMS frame on the stack.
# READY_THREADS="2 3 5" (READY_ROUNDS=3): then restarts the last mode's data (and cache) as
# ./ems up does, once per EMS_START_THREADS value and round, interleaved, no load: the time to ready
# alone, by how many services start at once.
# Run under flock /tmp/ems-bench.lock; the machine's load average is printed.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
MODES="${MODES:-none aot}"; RATE="${RATE:-200}"; DURATION="${DURATION:-60}"; DEVICES="${DEVICES:-200}"
TRAIN="${TRAIN:-20}"; export DURATION
PG=26432; KAFKA=26092
OUT="$(pwd)/bench/out/cold-start"; rm -rf "$OUT"; mkdir -p "$OUT"

if [ "${BUILD:-1}" = 1 ]; then
  ./mvnw -B -q -o -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true package -pl launcher,bench -am
fi
JAR="$(ls launcher/target/launcher-*-exec.jar | head -1)"
APP="$OUT/extracted/$(basename "$JAR")"
"$JAVA_HOME/bin/java" -Djarmode=tools -jar "$JAR" extract --destination "$OUT/extracted" > /dev/null
# the driver needs the Kafka client and common-lib's topic names: the launcher's own libraries
CP="bench/target/classes:$OUT/extracted/lib/*"

SUITE=""
trap '[ -n "$SUITE" ] && kill $SUITE 2>/dev/null || true' EXIT
# start <home> <log> <jvm option...>: the launcher as ./ems up runs it; sets SUITE
start() {
  local home=$1 log=$2; shift 2
  env EMS_HOME="$home" EMS_PG_PORT=$PG EMS_KAFKA_PORT=$KAFKA SC_SERVICE_PORT=26081 \
    TW_SERVICE_PORT=26082 DIAGNOSTIC_SERVICE_PORT=26083 PKI_SERVICE_PORT=26084 DEVICE_API_PORT=26080 \
    "$JAVA_HOME/bin/java" "$@" -Xlog:aot*=error,cds*=error ${EMS_JAVA_OPTS:-} -jar "$APP" > "$log" 2>&1 &
  SUITE=$!
  T0=$(date +%s.%N)
}
# waits for "EMS ready"; prints the launcher's own figure and the wall time since exec (these
# functions run in this shell, never in $(...): wait works on this shell's children only)
ready() {
  local log=$1
  until grep -q '^EMS ready' "$log"; do
    sleep 0.05; kill -0 $SUITE 2>/dev/null || { tail -40 "$log"; exit 1; }
  done
  printf '  %s (wall from exec %.1f s)\n' "$(grep -o '^EMS ready in [0-9.]* s' "$log")" \
    "$(echo "$(date +%s.%N) - $T0" | bc)"
}
# stops the suite (SIGTERM, as Ctrl-C) and waits for its exit (a cache being recorded is written then)
stop() {
  local t=$(date +%s.%N)
  kill $SUITE; wait $SUITE || true; SUITE=""
  printf '  stopped in %.1f s' "$(echo "$(date +%s.%N) - $t" | bc)"
  if [ -n "${1:-}" ] && [ -f "$1" ]; then printf ' (cache written: %s)' "$(du -h "$1" | cut -f1)"; fi
  echo
}
drive() { env EMS_HOME="$1" EMS_SC_URL=http://127.0.0.1:26081 EMS_KAFKA=127.0.0.1:$KAFKA EMS_KEY="$(cat "$1/admin-key")" RATE=$RATE DEVICES=$DEVICES \
  "$JAVA_HOME/bin/java" -cp "$CP" dev.ems.bench.ColdPipelineBenchmark "${@:2}"; }

# where a recording's execution samples fell (the whole run: start-up and load)
profile() {
  "$JAVA_HOME/bin/jfr" print --events jdk.ExecutionSample --stack-depth 64 "$1" | awk '
    /sampledThread = / { t = $0; sub(/.*sampledThread = "/, "", t); sub(/".*/, "", t); gsub(/[0-9]+/, "N", t); n++; thr[t]++; leaf = ""; ems = ""; next }
    /stackTrace = \[/ { inside = 1; next }
    inside && /^[[:space:]]*\]/ { inside = 0; top[leaf]++; if (ems == "") ems = "(no EMS frame)"; own[ems]++; next }
    inside { f = $1; sub(/\(.*/, "", f); if (leaf == "") leaf = f; if (ems == "" && f ~ /^dev\.ems\./) ems = f; next }
    END {
      printf "  JFR execution samples: %d\n", n
      for (k in thr) printf "T %d %s\n", thr[k], k
      for (k in top) printf "L %d %s\n", top[k], k
      for (k in own) printf "E %d %s\n", own[k], k
    }' > "$1.txt"
  grep -v '^[TLE] ' "$1.txt"
  for kind in T:"by thread group" L:"by leaf method" E:"by first EMS frame (leaf upwards)"; do
    echo "  ${kind#*:}:"
    # (head closes the pipe early: not a failure)
    { grep "^${kind%%:*} " "$1.txt" | sort -k2 -rn | head -12 | awk '{c=$2; $1=""; $2=""; printf "    %6d %s\n", c, $0}'; } || true
  done
}

echo "== cold start, $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for MODE in $MODES; do
  home="$OUT/$MODE/home"; mkdir -p "$home"; aot="$OUT/$MODE/launcher.aot"
  case $MODE in
    none) first=(); second=() ;;
    aot|aot-start) first=("-XX:AOTCacheOutput=$aot"); second=("-XX:AOTCache=$aot") ;;
    *) echo "unknown mode $MODE" >&2; exit 2 ;;
  esac
  echo
  echo "== mode $MODE: first start on an empty EMS_HOME ${first[*]:-}"
  start "$home" "$OUT/$MODE/first.log" "${first[@]}"
  ready "$OUT/$MODE/first.log"
  if [ "$MODE" = aot-start ]; then
    stop "$aot"
    start "$home" "$OUT/$MODE/setup.log"
    ready "$OUT/$MODE/setup.log" > /dev/null
  fi
  drive "$home" setup "$OUT/$MODE/devices" | sed 's/^/  /'
  if [ "$TRAIN" -gt 0 ]; then
    DURATION=$TRAIN TAG=t drive "$home" load "$OUT/$MODE/devices" "$OUT/$MODE/first.log" $SUITE \
      | grep -E '^overall' | sed 's/^/  training load (not measured): /'
  fi
  stop "$aot"
  echo "== mode $MODE: restart on that data ${second[*]:-}; load from the first second after ready"
  uptime | sed 's/^/  /'
  jfr=()
  [ "${JFR:-0}" = 1 ] && jfr=("-XX:StartFlightRecording=filename=$OUT/$MODE/restart.jfr,settings=profile,dumponexit=true")
  start "$home" "$OUT/$MODE/second.log" "${second[@]}" "${jfr[@]}"
  TAG=m drive "$home" load "$OUT/$MODE/devices" "$OUT/$MODE/second.log" $SUITE \
    > "$OUT/$MODE/load.txt" &
  DRIVER=$!
  ready "$OUT/$MODE/second.log"
  wait $DRIVER
  sed 's/^/  /' "$OUT/$MODE/load.txt"
  stop
  echo "  load average $(cut -d' ' -f1-3 /proc/loadavg)"
  if [ "${JFR:-0}" = 1 ]; then profile "$OUT/$MODE/restart.jfr" || echo "  (no profile)"; fi
done

if [ -n "${READY_THREADS:-}" ]; then
  echo
  echo "== ready by EMS_START_THREADS (mode $MODE's data ${second[*]:-}, no load; $(uptime))"
  for round in $(seq "${READY_ROUNDS:-3}"); do
    for threads in $READY_THREADS; do
      printf '  EMS_START_THREADS=%s round %s:' "$threads" "$round"
      EMS_START_THREADS=$threads start "$home" "$OUT/$MODE/ready-$threads-$round.log" "${second[@]}"
      ready "$OUT/$MODE/ready-$threads-$round.log"
      stop > /dev/null
      sleep 5
    done
  done
fi
