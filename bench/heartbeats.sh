#!/usr/bin/env bash
# Heartbeats through the front door (issue 21 item 4): real devices POST /device/v1/heartbeat to
# device-api, which puts a HeartbeatReceived on ems.device.telemetry.v1 and answers 200 once Kafka
# has it; diagnostic-service consumes the topic and stores each device's state. Offers heartbeats at
# fixed rates in steps and, per step, prints what was acknowledged, what diagnostics stored, the
# consumer lag, latency and the CPU seconds per heartbeat of each process (and of the busiest
# thread groups, to split the hops of the one JVM); then silences a few devices and measures the
# time to OFFLINE.
#   bench/heartbeats.sh   # DEVICES=1000 RATES="1000 2000 4000 8000" DURATION=30 TARGET=suite|own-jvm
#                         # INTERVAL=30 GRACE=5 SILENT=20 BUILD=1
# TARGET=suite (default) is how ./ems up runs: all five services, the Kafka broker and the
# PostgreSQL client pools in one JVM (PostgreSQL is its own processes). TARGET=own-jvm sends the
# heartbeats to a second device-api in its own JVM (as bench/device-api.sh does), so that the CPU
# of the HTTP hop is that JVM's and the suite's is Kafka + diagnostics.
# The suite runs on moved ports (another suite may hold the defaults on a shared machine).
# Load: wrk, 2 threads, a Lua script (bench/heartbeats.lua) that paces requests on a wall-clock
# schedule (delay(): each thread sends its share of RATE at fixed slots; a slot missed is sent at
# once, so a slow server faces the backlog, as with devices that do not wait) and rotates the
# devices, so each device heartbeats every DEVICES/RATE s, evenly spread.
# Counting (lost must be 0): acknowledged = device-api's own count of heartbeat requests answered
# 200 (http_server_requests_seconds_count, uri=/device/v1/heartbeat, status=200; it includes
# requests in flight when wrk stopped, which wrk does not count), stored = diagnostic-service's
# diag_heartbeats_accepted_total (counted in the ingest transaction), both deltas over the step.
# lost = acknowledged - stored once diagnostics has drained (waits up to DRAIN s for it); stored
# beyond acknowledged (clients gone before their answer) are shown apart, and could hide as many
# losses (a gap: no per-heartbeat identity is compared).
# Needs wrk and psql.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
DEVICES="${DEVICES:-1000}"; DURATION="${DURATION:-30}"; RATES="${RATES:-1000 2000 4000 8000}"
TARGET="${TARGET:-suite}"; INTERVAL="${INTERVAL:-30}"; GRACE="${GRACE:-5}"; SILENT="${SILENT:-20}"
DRAIN="${DRAIN:-30}"; WARMUP="${WARMUP:-20}"
PG=25432; KAFKA=29092; API=18080; DIAG=18083; SC=18081
TOKEN="bench-scrape-$RANDOM$RANDOM"
OUT="$(pwd)/bench/out/heartbeats"; rm -rf "$OUT"; mkdir -p "$OUT"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

if [ "${BUILD:-1}" = 1 ]; then
  ./mvnw -B -q -o -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true package -pl launcher,device-api,bench -am
fi
CP="bench/target/classes:$(./mvnw -B -q -o -pl bench dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=runtime)"

LIMITS=(DEVICE_API_RATE_LIMIT_PER_MINUTE=1000000000 DEVICE_API_RATE_LIMIT_BURST=1000000 EMS_METRICS_SCRAPE_TOKEN=$TOKEN)
echo "== starting the suite (one JVM, as ./ems up; EMS_HOME=$OUT/ems; offline after ${INTERVAL}s + ${GRACE}s)"
env "${LIMITS[@]}" EMS_HOME="$OUT/ems" EMS_PG_PORT=$PG EMS_KAFKA_PORT=$KAFKA \
  SC_SERVICE_PORT=$SC TW_SERVICE_PORT=18082 DIAGNOSTIC_SERVICE_PORT=$DIAG PKI_SERVICE_PORT=18084 \
  DEVICE_API_PORT=$API DIAG_HEARTBEAT_INTERVAL="${INTERVAL}s" DIAG_MISSED_HEARTBEATS=1 \
  DIAG_OFFLINE_GRACE="${GRACE}s" DIAG_SWEEP_INTERVAL=1s \
  "$JAVA_HOME/bin/java" -jar launcher/target/launcher-*-exec.jar > "$OUT/suite.log" 2>&1 &
SUITE=$!; OWN=""
trap 'kill $SUITE $OWN 2>/dev/null || true' EXIT
until grep -q '^EMS ready' "$OUT/suite.log"; do sleep 2; kill -0 $SUITE || { tail -50 "$OUT/suite.log"; exit 1; }; done
grep '^EMS ready' "$OUT/suite.log"
EMS_SC_URL=http://127.0.0.1:$SC EMS_DEVICE_API_URL=http://127.0.0.1:$API \
  "$JAVA_HOME/bin/java" -cp "$CP" dev.ems.bench.DeviceFleetSetup "$OUT" "$DEVICES" "$(cat "$OUT/ems/admin-key")"

TARGET_PORT=$API
if [ "$TARGET" = own-jvm ]; then
  TARGET_PORT=18090
  echo "== starting device-api in its own JVM on :$TARGET_PORT (generational ZGC, as its container; README figures were taken on G1)"
  env "${LIMITS[@]}" DEVICE_API_PORT=$TARGET_PORT DEVICE_API_INSTANCE_ID=device-api-bench \
    SPRING_DATASOURCE_URL="jdbc:postgresql://localhost:$PG/ems" SPRING_DATASOURCE_USERNAME=postgres \
    SPRING_KAFKA_BOOTSTRAP_SERVERS="localhost:$KAFKA" DEVICE_API_PKI_URL=http://127.0.0.1:18084 \
    EMS_INTERNAL_API_KEY="$(cat "$OUT/ems/internal-api-key")" \
    "$JAVA_HOME/bin/java" -XX:+UseZGC -jar device-api/target/device-api-*-exec.jar > "$OUT/device-api.log" 2>&1 &
  OWN=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$TARGET_PORT/actuator/health"; do sleep 1; kill -0 $OWN || { tail -50 "$OUT/device-api.log"; exit 1; }; done
fi
API_PID=${OWN:-$SUITE}
PGPID=$(head -1 "$(find "$OUT/ems" -name postmaster.pid | head -1)")

hz=$(getconf CLK_TCK)
cpu() { awk -v hz="$hz" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# PostgreSQL: the postmaster with its exited children (cutime, cstime) and its live ones
pgcpu() { local s p; s=$(awk -v hz="$hz" '{printf "%.2f", ($14 + $15 + $16 + $17) / hz}' "/proc/$PGPID/stat")
  for p in $(ps --ppid "$PGPID" -o pid=); do s=$(echo "$s + $(cpu "$p")" | bc); done; echo "$s"; }
# CPU ticks per thread group of a JVM (thread name with its numbers replaced by N)
groups() { for f in /proc/$1/task/*/stat; do cat "$f" 2>/dev/null; echo; done | sed -nE 's/^[0-9]+ \((.*)\) [A-Za-z] (.*)$/\1|\2/p' |
  awk -F'|' '{n=split($2, a, " "); g=$1; gsub(/[0-9]+/, "N", g); t[g] += a[11] + a[12]} END {for (g in t) print g "|" t[g]}' | sort; }
groupdiff() { join -t'|' -a2 -e0 -o 2.1,1.2,2.2 "$1" "$2" | awk -F'|' -v hz="$hz" -v n="$3" '{d=($3-$2)/hz; if (d > 0) printf "%.1f|%s\n", d, $1}' |
  sort -t'|' -k1 -rn | head -"${4:-8}" | awk -F'|' -v n="$3" '{printf "%s %.0f µs/hb (%ss); ", $2, $1 * 1e6 / n, $1}'; }
prom() { curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$1/actuator/prometheus"; }
acked() { prom $TARGET_PORT | awk '/^http_server_requests_seconds_count/ && /uri="\/device\/v1\/heartbeat"/ && /status="200"/ {s += $NF} END {printf "%d", s}'; }
# diagnostics' counters from one scrape: "STORED REJECTED STALE". Stored: heartbeats accepted in the
# ingest transaction. Rejected: telemetry events dropped, of which "stale" are heartbeats older
# (device-api's receipt time) than one of the same device that diagnostics already stored: two
# heartbeats of a device answered by two event loops within microseconds can reach Kafka in the
# other order, and the older is dropped on purpose (it says nothing newer), so it is accounted for,
# not lost. Devices heartbeating every 60 s never meet it.
diag() { prom $DIAG | awk '/^diag_heartbeats_accepted_total/ {s += $NF}
  /^diag_events_rejected_total/ && /telemetry/ {r += $NF; if (/reason="stale"/) x += $NF}
  END {printf "%d %d %d", s, r, x}'; }
lag() { "$JAVA_HOME/bin/java" -cp "$CP" dev.ems.bench.KafkaLag "127.0.0.1:$KAFKA" ems.device.telemetry.v1 2>/dev/null | awk '/diag/ {print $2; f=1} END {if (!f) print "?"}' | head -1; }

# lost = acknowledged - stored - stale; stored beyond acknowledged are heartbeats whose client went
# away before the answer (wrk's stop, a timeout): on Kafka, but not answered 200, so not counted as
# acked. lost ACKED STORED REJECTED STALE
lost() { local d=$(($1 - $2 - $4)); if [ $d -gt 0 ]; then printf '**%d**' $d; else printf '0'; [ $d -lt 0 ] && printf ' (+%d unanswered stored)' $((-d)); fi
  [ "$4" -gt 0 ] && printf ' (%d stale: out of order)' "$4"
  [ "$3" -gt "$4" ] && printf ' (rejected %d)' $(($3 - $4)); return 0; }
cat > "$OUT/heartbeats.lua" <<'LUA'
-- paced heartbeats: each wrk thread sends RATE/threads a second at fixed wall-clock slots
dofile(os.getenv("FLEET"))
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_usec; } hb_timeval;
  int gettimeofday(hb_timeval *tv, void *tz);
]]
local tv = ffi.new("hb_timeval")
local function now_ms() ffi.C.gettimeofday(tv, nil); return tonumber(tv.tv_sec) * 1000 + tonumber(tv.tv_usec) / 1000 end
local rate = tonumber(os.getenv("HB_RATE")); local threads = tonumber(os.getenv("HB_THREADS"))
local silent = tonumber(os.getenv("HB_SILENT") or "0"); local t0 = tonumber(os.getenv("HB_T0"))
local step = threads * 1000 / rate
local counter = 0
function setup(thread) thread:set("tid", counter); counter = counter + 1 end
local nextAt, i
function init(args) i = tid end
function delay()
  local t = now_ms()
  if nextAt == nil then nextAt = t + tid * step / threads end
  nextAt = nextAt + step
  local d = nextAt - t
  if d <= 0 then return 0 end
  return math.floor(d)
end
function request()
  local n = silent + (i % (#certs - silent)) + 1
  i = i + threads
  local body = string.format('{"sentAt":"%s","uptimeSeconds":%d,"firmware":"bench-1","tunnels":[]}',
    os.date("!%Y-%m-%dT%H:%M:%SZ"), os.time() - t0)
  return wrk.format("POST", "/device/v1/heartbeat",
    { ["X-SSL-Client-Cert"] = certs[n], ["Content-Type"] = "application/json" }, body)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %.1f %.1f %.1f\n", summary.requests, e.status,
    e.connect + e.read + e.write, e.timeout, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000))
end
LUA
export FLEET="$OUT/fleet.lua" HB_THREADS=2 HB_T0=$(($(date +%s) - 100))
# wrk: enough connections (256, or one per 10/s) that a slow answer does not hold the schedule back
offer() { HB_RATE=$1 HB_SILENT=${3:-0} wrk -t2 -c"$(( $1 / 10 > 256 ? $1 / 10 : 256 ))" -d"$2s" --timeout 10s \
  -s "$OUT/heartbeats.lua" "http://127.0.0.1:$TARGET_PORT" 2>&1; }

echo "== warm-up: ${WARMUP}s at 1000/s (not measured)"
offer 1000 "$WARMUP" > /dev/null
sleep 5

printf '\n| offered/s | acked (200)/s | non-2xx / errors / timeouts | p50 / p99 ms | acked | stored in diag | lost | lag at end | drained after | CPU µs/hb: device-api JVM / suite JVM / PostgreSQL | busiest thread groups |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
BEST=""
for RATE in $RATES; do
  a0=$(acked); read -r s0 r0 x0 <<< "$(diag)"; groups $SUITE > "$OUT/g0"
  c_api0=$(cpu $API_PID); c_suite0=$(cpu $SUITE); c_pg0=$(pgcpu)
  res=$(offer "$RATE" "$DURATION" | tee "$OUT/wrk-$RATE.log" | grep '^RESULT' || echo "RESULT 0 0 0 0 1 0 0")
  read -r _ reqs st errs tmo secs p50 p99 <<< "$res"
  end=$(date +%s.%N); lag > "$OUT/lag" & LAGPID=$! # the lag at the step's end, read meanwhile
  waited=0 # (acknowledged re-read each time: requests in flight at wrk's stop complete meanwhile)
  while a1=$(acked); read -r sn rn xn <<< "$(diag)"; [ "$(( sn - s0 + xn - x0 ))" -lt "$(( a1 - a0 ))" ] && [ $waited -lt $((DRAIN * 2)) ]; do sleep 0.5; waited=$((waited + 1)); done
  drained=$(echo "$(date +%s.%N) - $end" | bc | xargs printf '%.1f')
  wait $LAGPID || true; l=$(cat "$OUT/lag")
  read -r s1 r1 x1 <<< "$(diag)"; a1=$(acked); groups $SUITE > "$OUT/g1"
  n=$((a1 - a0)); [ $n -gt 0 ] || n=1
  per() { echo "($2 - $1) * 1000000 / $n" | bc; }
  api_us=$(per "$c_api0" "$(cpu $API_PID)"); suite_us=$(per "$c_suite0" "$(cpu $SUITE)"); pg_us=$(per "$c_pg0" "$(pgcpu)")
  # sustained: ≥ 98 % of the offered rate acknowledged, no non-2xx, errors or timeouts, none lost,
  # and diagnostics caught up within 5 s of the step's end (one poll wait of 0.5 s plus ingest)
  ok=$(echo "$reqs / $secs >= 0.98 * $RATE && $st + $errs + $tmo == 0 && $n <= $s1 - $s0 + $x1 - $x0 && $drained <= 5" | bc)
  [ "$ok" = 1 ] && { BEST=$RATE; BEST_API=$api_us; BEST_SUITE=$suite_us; BEST_PG=$pg_us; }
  [ "$TARGET" = own-jvm ] || api_us="(in suite)"
  printf '| %s | %.0f | %s / %s / %s | %s / %s | %s | %s | %s | %s | %s s | %s / %s / %s | %s |\n' \
    "$RATE" "$(echo "$reqs / $secs" | bc -l)" "$st" "$errs" "$tmo" "$p50" "$p99" "$n" "$((s1 - s0))" \
    "$(lost $n $((s1 - s0)) $((r1 - r0)) $((x1 - x0)))" "$l" "$drained" \
    "$api_us" "$suite_us" "$pg_us" "$(groupdiff "$OUT/g0" "$OUT/g1" "$n" 10)"
done

echo
if [ -n "$BEST" ]; then
  cores() { echo "$1 * 16700 / 1000000" | bc -l | xargs printf '%.1f'; }
  echo "sustained: $BEST heartbeats/s (the highest step with ≥ 98 % acknowledged, 0 errors, 0 lost, diagnostics caught up within 5 s)"
  if [ "$TARGET" = own-jvm ]; then
    echo "1,000,000 devices / 60 s = 16,700/s at this step's CPU per heartbeat: device-api $(cores "$BEST_API") cores, suite (Kafka broker + diagnostics + idle services) $(cores "$BEST_SUITE") cores, PostgreSQL $(cores "$BEST_PG") cores; $(echo "16700 / $BEST" | bc -l | xargs printf '%.0f') × this machine's sustained rate"
  else
    echo "1,000,000 devices / 60 s = 16,700/s at this step's CPU per heartbeat: suite JVM (device-api + Kafka broker + diagnostics) $(cores "$BEST_SUITE") cores, PostgreSQL $(cores "$BEST_PG") cores; $(echo "16700 / $BEST" | bc -l | xargs printf '%.0f') × this machine's sustained rate"
  fi
else
  echo "no step sustained (see the table)"
fi

# offline detection: every device but the first SILENT heartbeats twice per interval; the silent
# ones stop. For each, the time from its last heartbeat (last_seen, device-api's receipt time) to
# the first 0.5 s poll that finds it OFFLINE; checked against two intervals.
echo
echo "== offline detection: $SILENT of $DEVICES devices fall silent; interval ${INTERVAL}s, missed-heartbeats 1, grace ${GRACE}s, sweep 1s"
q() { psql -h 127.0.0.1 -p $PG -U postgres -d ems -At -F' ' -c "$1" 2>> "$OUT/psql.log" || true; }
offer "$DEVICES" 2 > /dev/null # every device heartbeats (twice) now: all ONLINE, last_seen fresh
keep=$(( (DEVICES - SILENT) * 2 / INTERVAL )); [ $keep -ge 1 ] || keep=1
offer "$keep" $((INTERVAL * 3)) "$SILENT" > "$OUT/wrk-offline.log" &
WRK=$!
declare -A seen=(); t_start=$(date +%s.%N)
while [ "${#seen[@]}" -lt "$SILENT" ] && [ "$(echo "$(date +%s.%N) - $t_start < $INTERVAL * 3" | bc)" = 1 ]; do
  now=$(date +%s.%N)
  while read -r idx conn last; do
    [ -n "$idx" ] && [ "$conn" = OFFLINE ] && [ -z "${seen[$idx]:-}" ] && seen[$idx]=$(echo "$now - $last" | bc)
  done < <(q "select substring(serial from '-([0-9]+)\$')::int, connectivity, extract(epoch from last_seen)
              from diag.device_health where serial like 'BENCH-%' and substring(serial from '-([0-9]+)\$')::int < $SILENT")
  sleep 0.5
done
wait $WRK || true
false_offline=$(q "select count(*) from diag.device_health where serial like 'BENCH-%' and substring(serial from '-([0-9]+)\$')::int >= $SILENT and connectivity = 'OFFLINE'")
printf '%s\n' "${seen[@]}" | sort -n | awk -v n="$SILENT" -v b="$((2 * INTERVAL))" -v x="$((INTERVAL + GRACE))" -v f="$false_offline" '
  {v[++k]=$1} END {if (k == 0) {print "no device went OFFLINE"; exit}
  printf "OFFLINE: %d of %d silent devices; time from last heartbeat to OFFLINE min %.1f s, max %.1f s (configured %d s + sweep 1 s; bound: two intervals = %d s: %s); devices still heartbeating found OFFLINE at the end: %d\n",
    k, n, v[1], v[k], x, b, (k == n && v[k] <= b) ? "within" : "NOT within", f}'

uptime
