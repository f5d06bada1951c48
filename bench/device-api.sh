#!/usr/bin/env bash
# device-api config path vs nginx serving the same bytes as a static file, same machine, same run,
# interleaved. Closed loop (wrk, 1,000 connections): throughput. Open loop (h2load --h1 --rps,
# 1,000 connections): latency at a fixed offered rate. Both for 200 and 304.
#   bench/device-api.sh     # DEVICES=200 DURATION=15 RATE=25000 WARMUP=30 ROUNDS=2 ARRIVALS=spread|burst TARGET=own-jvm|suite
# The suite (./ems up: all five services in one JVM) enrolls the fleet. The device-api measured is,
# by default (TARGET=own-jvm), a second device-api in its own JVM on the suite's PostgreSQL and
# Kafka, started from its own jar with the JVM options of its container (docker-compose.yml), as it
# runs in production. TARGET=suite measures the suite's in-process device-api instead: it shares
# its heap, and so its GC pauses, with the four other services and the embedded Kafka client load.
# Needs wrk, h2load (nghttp2-client) and nginx (apt-get install -y wrk nghttp2-client nginx).
# The per-device rate limit stays on the path but is raised so that it does not limit the load.
# COMPARE=tracing (issue 15): the reference is not nginx but a second own-JVM device-api with
# tracing off (EMS_TRACING_ENABLED=false), measured interleaved with the first, which traces with
# EMS_TRACING_SAMPLING=${SAMPLING:-0.1} (the default); the ratio is tracing's cost on the fetch path.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
DEVICES="${DEVICES:-200}"; DURATION="${DURATION:-15}"; RATE="${RATE:-25000}"; CONNS="${CONNS:-1000}"
WARMUP="${WARMUP:-30}"
OUT="$(pwd)/bench/out/device-api"; rm -rf "$OUT"; mkdir -p "$OUT"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

./mvnw -B -q -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true install -pl bench -am
CP="bench/target/classes:$(./mvnw -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=runtime)"

echo "== starting the suite (EMS_HOME=$OUT/ems)"
EMS_HOME="$OUT/ems" DEVICE_API_RATE_LIMIT_PER_MINUTE=1000000000 DEVICE_API_RATE_LIMIT_BURST=1000000 \
  "$JAVA_HOME/bin/java" -jar launcher/target/launcher-*-exec.jar > "$OUT/suite.log" 2>&1 &
SUITE=$!
trap 'kill $SUITE 2>/dev/null; nginx -c "$OUT/nginx.conf" -s stop 2>/dev/null || true' EXIT
until grep -q '^EMS ready' "$OUT/suite.log"; do sleep 2; kill -0 $SUITE || { tail -50 "$OUT/suite.log"; exit 1; }; done
grep '^EMS ready' "$OUT/suite.log"
"$JAVA_HOME/bin/java" -cp "$CP" dev.ems.bench.DeviceFleetSetup "$OUT" "$DEVICES" "$(cat "$OUT/ems/admin-key")"

# what docker-compose.yml gives device-api's container: short G1 pauses (see ADR 0007)
DEVICE_API_JAVA_OPTS="${DEVICE_API_JAVA_OPTS:--XX:MaxGCPauseMillis=5}"
API=8080
if [ "${TARGET:-own-jvm}" = own-jvm ]; then
  API=8090
  echo "== starting device-api in its own JVM on :$API ($DEVICE_API_JAVA_OPTS)"
  # own_api PORT NAME ENV...: a device-api in its own JVM, in the background ($! is its PID; not
  # in a $(...) subshell, whose exit would run this script's EXIT trap and stop the suite)
  own_api() { local port=$1 name=$2; shift 2
    env "$@" DEVICE_API_PORT=$port DEVICE_API_RATE_LIMIT_PER_MINUTE=1000000000 DEVICE_API_RATE_LIMIT_BURST=1000000 \
    SPRING_DATASOURCE_URL="jdbc:postgresql://localhost:${EMS_PG_PORT:-15432}/ems" SPRING_DATASOURCE_USERNAME=postgres \
    SPRING_KAFKA_BOOTSTRAP_SERVERS="localhost:${EMS_KAFKA_PORT:-19092}" DEVICE_API_INSTANCE_ID=$name \
    EMS_INTERNAL_API_KEY="$(cat "$OUT/ems/internal-api-key")" \
      "$JAVA_HOME/bin/java" $DEVICE_API_JAVA_OPTS -Xlog:gc:file="$OUT/$name-gc.log" \
      -jar device-api/target/device-api-*-exec.jar > "$OUT/$name.log" 2>&1 & }
  await_api() { until curl -sf -o /dev/null "http://127.0.0.1:$1/actuator/health"; do sleep 1; kill -0 $2 || { tail -50 "$OUT/$3.log"; exit 1; }; done; }
  if [ "${COMPARE:-nginx}" = tracing ]; then
    own_api $API device-api EMS_TRACING_SAMPLING="${SAMPLING:-0.1}" EMS_TRACING_ENABLED=true; OWN=$!
    own_api 8091 device-api-untraced EMS_TRACING_ENABLED=false; REF_PID=$!
    trap 'kill $SUITE $OWN $REF_PID 2>/dev/null; nginx -c "$OUT/nginx.conf" -s stop 2>/dev/null || true' EXIT
    await_api 8091 $REF_PID device-api-untraced
  else
    own_api $API device-api; OWN=$!
    trap 'kill $SUITE $OWN 2>/dev/null; nginx -c "$OUT/nginx.conf" -s stop 2>/dev/null || true' EXIT
  fi
  await_api $API $OWN device-api
fi

mkdir -p "$OUT/www/device/v1"; cp "$OUT/config.json" "$OUT/www/device/v1/config"
cat > "$OUT/nginx.conf" <<NGINX
worker_processes 1;
pid $OUT/nginx.pid;
error_log $OUT/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  etag on;
  default_type application/json;
  server { listen 127.0.0.1:18080; root $OUT/www; }
}
NGINX
nginx -c "$OUT/nginx.conf"
NGINX_ETAG=$(curl -s -D - -o /dev/null http://127.0.0.1:18080/device/v1/config | tr -d '\r' | sed -n 's/^ETag: //Ip')
API_ETAG=$(cat "$OUT/etag.txt"); CERT=$(cat "$OUT/cert-header.txt")
echo "body: $(wc -c < "$OUT/config.json") bytes; nginx ETag $NGINX_ETAG; device-api ETag $API_ETAG"

cat > "$OUT/api200.lua" <<'LUA'
dofile(os.getenv("FLEET"))
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/device/v1/config", { ["X-SSL-Client-Cert"] = certs[(i % #certs) + 1] })
end
LUA
cat > "$OUT/api304.lua" <<'LUA'
dofile(os.getenv("FLEET"))
local i = 0
request = function()
  i = i + 1
  local n = (i % #certs) + 1
  return wrk.format("GET", "/device/v1/config", { ["X-SSL-Client-Cert"] = certs[n], ["If-None-Match"] = etags[n] })
end
LUA
export FLEET="$OUT/fleet.lua"

wrk_rps() { wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency "$@" 2>&1 | tee -a "$OUT/wrk.log" | awk '/Requests\/sec/ {print $2}'; }
pct() { # h2load per-request log: start(us) status duration(us). Prints "p50 / p99" in ms after the
  # first second (h2load opens the CONNS connections then; a server's accept burst is not the
  # steady-state latency asked for), then the p99 with that second counted.
  sort -n -k1 "$1" | awk 'NR==1 {t0=$1} {print ($1 - t0 >= 1000000), $3}' | sort -n -k2 | awk '
    {all[++n]=$2} $1==1 {s[++m]=$2}
    END {if (m==0) {print "n/a"} else {printf "%.1f / %.1f (with 1st s: %.1f)", s[int(m*0.5)]/1000, s[int(m*0.99)]/1000, all[int(n*0.99)]/1000}}'; }
# Arrivals: each of the CONNS connections sends RATE/CONNS requests a second on its own timer, and
# the connections are opened evenly over one such interval (h2load -r), so the offered load is
# RATE/s spread over time, as from CONNS devices polling independently. Opening them all at once
# (ARRIVALS=burst) makes the timers fire together: CONNS requests at the same instant every
# interval, which measures how long a server takes to drain a burst of CONNS, not latency at RATE.
INTERVAL_MS=$((CONNS * 1000 / RATE))
# CPU seconds a process used so far (utime + stime), to show who had the cores during a window,
# and the time the hypervisor gave this VM's CPUs to others (steal, /proc/stat), in ms
steal() { awk -v hz="$(getconf CLK_TCK)" '/^cpu / {printf "%d", $9 * 1000 / hz}' /proc/stat; }
cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$1/stat" 2>/dev/null || echo 0; }
h2() { local log="$1"; shift; rm -f "$log"
  local gc="$OUT/device-api-gc.log" mark=0 api0 suite0 steal0
  [ -f "$gc" ] && mark=$(wc -l < "$gc")
  api0=$(cpu "${OWN:-$SUITE}"); suite0=$(cpu "$SUITE"); steal0=$(steal)
  if [ "${ARRIVALS:-spread}" = burst ]; then set -- -D "$DURATION" "$@"
  else set -- -r $(((CONNS + INTERVAL_MS - 1) / INTERVAL_MS)) --rate-period 1ms -n $((RATE * DURATION)) "$@"; fi
  h2load --h1 -t2 -c"$CONNS" -m1 --rps=$((RATE / CONNS)) --log-file="$log" "$@" > "$log.out" 2>&1 || true
  local gcs=""
  [ -f "$gc" ] && gcs="; device-api GC pauses $(tail -n +$((mark + 1)) "$gc" | grep -o '[0-9.]*ms$' | tr -d ms | sort -n | awk '{n++; m=$1} END {printf "%d, max %.1f ms", n, m}')"
  echo "$(pct "$log") ms, $(awk '$2>=400 || $2==0 {e++} END {print e+0}' "$log") errors, $(grep -o '[0-9.]* req/s' "$log.out" | head -1) [CPU s: device-api $(echo "$(cpu "${OWN:-$SUITE}") - $api0" | bc), suite $(echo "$(cpu "$SUITE") - $suite0" | bc), host steal $(($(steal) - steal0)) ms$gcs]"; }

# the reference: nginx serving the same bytes, or (COMPARE=tracing) the untraced device-api
REF=nginx; REF_URL=http://127.0.0.1:18080; REF200=(); REF304=(-H "If-None-Match: $NGINX_ETAG")
H2_REF200=(); H2_REF304=(-H "If-None-Match: $NGINX_ETAG")
if [ "${COMPARE:-nginx}" = tracing ]; then
  REF="untraced device-api"; REF_URL=http://127.0.0.1:8091
  REF200=(-s "$OUT/api200.lua"); REF304=(-s "$OUT/api304.lua")
  H2_REF200=(-H "X-SSL-Client-Cert: $CERT"); H2_REF304=(-H "X-SSL-Client-Cert: $CERT" -H "If-None-Match: $API_ETAG")
  echo "== comparing device-api traced (EMS_TRACING_SAMPLING=${SAMPLING:-0.1}) on :$API with untraced on :8091"
fi

# the JIT needs a while: the first seconds under load run at a fraction of the steady rate
echo "== warm-up: ${WARMUP}s on each device-api path (not measured)"
for url in http://127.0.0.1:$API $( [ "$REF_URL" = http://127.0.0.1:8091 ] && echo "$REF_URL" ); do
  wrk -t2 -c"$CONNS" -d"${WARMUP}s" -s "$OUT/api200.lua" "$url" > /dev/null 2>&1
  wrk -t2 -c"$CONNS" -d"${WARMUP}s" -s "$OUT/api304.lua" "$url" > /dev/null 2>&1
done

for round in $(seq "${ROUNDS:-2}"); do
  echo "== round $round: closed loop (wrk -t2 -c$CONNS -d${DURATION}s)"
  N200=$(wrk_rps "${REF200[@]}" $REF_URL/device/v1/config)
  A200=$(wrk_rps -s "$OUT/api200.lua" http://127.0.0.1:$API)
  N304=$(wrk_rps "${REF304[@]}" $REF_URL/device/v1/config)
  A304=$(wrk_rps -s "$OUT/api304.lua" http://127.0.0.1:$API)
  echo "== round $round: open loop (h2load --h1 -t2 -c$CONNS, $RATE req/s in all, ${DURATION}s, arrivals ${ARRIVALS:-spread})"
  L_N200=$(h2 "$OUT/h2-n200-r$round.log" "${H2_REF200[@]}" $REF_URL/device/v1/config)
  L_A200=$(h2 "$OUT/h2-a200-r$round.log" -H "X-SSL-Client-Cert: $CERT" http://127.0.0.1:$API/device/v1/config)
  L_N304=$(h2 "$OUT/h2-n304-r$round.log" "${H2_REF304[@]}" $REF_URL/device/v1/config)
  L_A304=$(h2 "$OUT/h2-a304-r$round.log" -H "X-SSL-Client-Cert: $CERT" -H "If-None-Match: $API_ETAG" http://127.0.0.1:$API/device/v1/config)
  printf '\n| round %s | %s req/s | device-api req/s | ratio | open loop %s/s p50 / p99 ms: %s | device-api |\n' "$round" "$REF" "$RATE" "$REF"
  printf '|---|---|---|---|---|---|\n'
  printf '| 200 | %s | %s | %.2f | %s | %s |\n' "$N200" "$A200" "$(echo "$A200 / $N200" | bc -l)" "$L_N200" "$L_A200"
  printf '| 304 | %s | %s | %.2f | %s | %s |\n\n' "$N304" "$A304" "$(echo "$A304 / $N304" | bc -l)" "$L_N304" "$L_A304"
done
uptime
