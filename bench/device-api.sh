#!/usr/bin/env bash
# device-api config path vs nginx serving the same bytes as a static file, same machine, same run,
# interleaved. Closed loop (wrk, CONNS connections): throughput. Open loop (h2load --h1 --rps, CONNS
# connections): latency at a fixed offered rate. Both for 200 and 304.
#   bench/device-api.sh     # DEVICES=200 DURATION=15 RATE=25000 CONNS=1000 WARMUP=30 ROUNDS=2
#                           # ARRIVALS=spread|burst TARGET=own-jvm|suite GCS="zgc" MEM=1 BUILD=1
#   CONNS=18000 GCS="g1 zgc" bench/device-api.sh    # issue 21: many connections, G1 vs ZGC
# The suite (./ems up: all five services in one JVM) enrolls the fleet. The device-api measured is,
# by default (TARGET=own-jvm), a second device-api in its own JVM on the suite's PostgreSQL and
# Kafka, started from its own jar with the JVM options of its container (docker-compose.yml), as it
# runs in production. TARGET=suite measures the suite's in-process device-api instead: it shares
# its heap, and so its GC pauses, with the four other services and the embedded Kafka client load.
# GCS names the own-JVM device-apis to measure, each in its own JVM, interleaved with nginx in
# every window: zgc (the container's options since issue 21, DEVICE_API_JAVA_OPTS or -XX:+UseZGC:
# generational ZGC, JDK 25's only mode), g1 (-XX:MaxGCPauseMillis=5, the container's before; ADR
# 0007); any other NAME takes its options from OPTS_NAME. Each JVM logs -Xlog:gc,gc+phases; a window's GC pauses are the log's "Pause" lines
# (G1: Young/Remark/Cleanup/Full; ZGC: Mark Start, Mark End, Relocate Start) and ZGC's allocation
# stalls (a thread waits for memory), counted apart.
# MEM=1 (own-jvm) also prints what device-api holds in memory: per idle keep-alive connection (CONNS
# connections that each fetched once, held idle by IdleConnections: live heap after a full GC and
# RSS, before and after; native memory by NMT in one more G1 JVM), per cached config and per device
# besides (ReadModelFootprint: device-api's structures with 100,000 devices, in a JVM of its own
# with each GC's options, since in a running device-api the first events' one-time allocations
# outweigh the few hundred devices provisioned), and extrapolates to 100,000 connections per
# replica and to a fleet of FLEET_SIZE devices (1,000,000) polling every POLL seconds (60).
# Every process here holds CONNS sockets: CONNS must stay 1,000 under the open-files limit (ulimit
# -Hn; 20,000 on this machine), and nginx gets worker_connections and worker_rlimit_nofile to
# match, and the listen backlog device-api's Netty takes (net.core.somaxconn), so the comparison is
# fair.
# Needs wrk, h2load (nghttp2-client) and nginx (apt-get install -y wrk nghttp2-client nginx).
# The per-device rate limit stays on the path but is raised so that it does not limit the load.
# PIN=1 (2+ CPUs): every server measured (nginx's worker, each device-api JVM) is bound to the last
# CPU and everything else (wrk, h2load, the suite) to the others (taskset), so that the load
# generators do not take the server's CPU: the server's latency at RATE, not the client's queue.
# COMPARE=tracing (issue 15): the reference is not nginx but a second own-JVM device-api with
# tracing off (EMS_TRACING_ENABLED=false), measured interleaved with the first, which traces with
# EMS_TRACING_SAMPLING=${SAMPLING:-0.1} (the default); the ratio is tracing's cost on the fetch path.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
DEVICES="${DEVICES:-200}"; DURATION="${DURATION:-15}"; RATE="${RATE:-25000}"; CONNS="${CONNS:-1000}"
WARMUP="${WARMUP:-30}"; ROUNDS="${ROUNDS:-2}"; TARGET="${TARGET:-own-jvm}"; COMPARE="${COMPARE:-nginx}"
GCS="${GCS:-zgc}"; MEM="${MEM:-1}"; FLEET_SIZE="${FLEET_SIZE:-1000000}"; POLL="${POLL:-60}"
[ "$TARGET" = own-jvm ] && [ "$COMPARE" = nginx ] || MEM=0
OUT="$(pwd)/bench/out/device-api"; rm -rf "$OUT"; mkdir -p "$OUT"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
# wrk, h2load, nginx's worker and device-api each hold CONNS sockets, besides their own files
NOFILE=$(ulimit -n); PORTS=$(awk '{print $2 - $1 + 1}' /proc/sys/net/ipv4/ip_local_port_range)
BACKLOG=$(cat /proc/sys/net/core/somaxconn)
if [ $((CONNS + 1000)) -gt "$NOFILE" ] || [ "$CONNS" -gt "$PORTS" ]; then
  echo "CONNS=$CONNS needs $((CONNS + 1000)) open files per process (limit $NOFILE) and $CONNS local ports ($PORTS)" >&2; exit 1
fi
echo "== CONNS=$CONNS: open files per process $NOFILE, local ports $PORTS, listen backlog $BACKLOG; $(uptime)"

if [ "${BUILD:-1}" = 1 ]; then
  ./mvnw -B -q -o -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true -Dmaven.javadoc.skip=true \
    package -pl launcher,device-api,bench -am
fi
CP="bench/target/classes:$(./mvnw -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=runtime)"

PIDS=()
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; nginx -c "$OUT/nginx.conf" -s stop 2>/dev/null || true; }
trap cleanup EXIT
echo "== starting the suite (EMS_HOME=$OUT/ems)"
EMS_HOME="$OUT/ems" DEVICE_API_RATE_LIMIT_PER_MINUTE=1000000000 DEVICE_API_RATE_LIMIT_BURST=1000000 \
  "$JAVA_HOME/bin/java" -jar launcher/target/launcher-*-exec.jar > "$OUT/suite.log" 2>&1 &
SUITE=$!; PIDS+=($SUITE)
until grep -qs '^EMS ready' "$OUT/suite.log"; do sleep 2; kill -0 $SUITE || { tail -50 "$OUT/suite.log"; exit 1; }; done
grep '^EMS ready' "$OUT/suite.log"

# own_api PORT NAME "JVM OPTIONS" ENV... [-- ARGS...]: a device-api in its own JVM, in the
# background ($! is its PID; not in a $(...) subshell, whose exit would run this script's EXIT trap
# and stop the suite)
own_api() { local port=$1 name=$2 opts=$3; shift 3
  # IdleConnections holds CONNS connections idle on purpose, longer than device-api's idle timeout
  env DEVICE_API_IDLE_TIMEOUT=PT1H "$@" DEVICE_API_PORT=$port DEVICE_API_RATE_LIMIT_PER_MINUTE=1000000000 DEVICE_API_RATE_LIMIT_BURST=1000000 \
    SPRING_DATASOURCE_URL="jdbc:postgresql://localhost:${EMS_PG_PORT:-15432}/ems" SPRING_DATASOURCE_USERNAME=postgres \
    SPRING_KAFKA_BOOTSTRAP_SERVERS="localhost:${EMS_KAFKA_PORT:-19092}" DEVICE_API_INSTANCE_ID=$name \
    EMS_INTERNAL_API_KEY="$(cat "$OUT/ems/internal-api-key")" \
    "$JAVA_HOME/bin/java" $opts -Xlog:gc,gc+phases:file="$OUT/$name-gc.log" \
    -jar device-api/target/device-api-*-exec.jar > "$OUT/$name.log" 2>&1 & }
await_api() { until curl -sf -o /dev/null "http://127.0.0.1:$1/actuator/health"; do sleep 1; kill -0 $2 || { tail -50 "$OUT/$3.log"; exit 1; }; done; }
# live PID NAME: bytes of live objects (GC.class_histogram runs a full GC first; the histogram is
# kept); the smaller of two, so that what was in flight at one of them counts less
live() { "$JAVA_HOME/bin/jcmd" "$1" GC.class_histogram > "$OUT/histogram-$2.txt"
  "$JAVA_HOME/bin/jcmd" "$1" GC.class_histogram > "$OUT/histogram-$2-b.txt"
  local a b; a=$(awk '$1 == "Total" {print $3}' "$OUT/histogram-$2.txt"); b=$(awk '$1 == "Total" {print $3}' "$OUT/histogram-$2-b.txt")
  if [ "$b" -lt "$a" ]; then mv "$OUT/histogram-$2-b.txt" "$OUT/histogram-$2.txt"; echo "$b"; else echo "$a"; fi; }
# histdiff BEFORE AFTER N TOP: the TOP classes whose live bytes grew most between two histograms, per N
histdiff() { awk -v n="$3" 'FNR == 1 {f++} $1 ~ /^[0-9]+:$/ {b[$4] += (f == 1 ? -$3 : $3); c[$4] += (f == 1 ? -$2 : $2)}
  END {for (k in b) if (b[k] > 0) printf "%d %.2f %s\n", b[k] / n, c[k] / n, k}' "$1" "$2" | sort -rn | head -"$4" |
  awk '{printf "  %6d bytes in %5.2f %s\n", $1, $2, $3}'; }
rss() { awk '/^VmRSS/ {print $2 * 1024}' "/proc/$1/status"; }
# the servers measured: name, base URL, PID (CPU), GC log, kind (nginx: static file; api: device-api)
NAMES=(); URLS=(); SPIDS=(); GCLOGS=(); KINDS=()
server() { NAMES+=("$1"); URLS+=("$2"); SPIDS+=("$3"); GCLOGS+=("$4"); KINDS+=("$5"); }
APIS=()  # name:port:pid of the own-JVM device-apis
if [ "$TARGET" = own-jvm ]; then
  if [ "$COMPARE" = tracing ]; then
    own_api 8091 device-api-untraced "${DEVICE_API_JAVA_OPTS:--XX:+UseZGC}" EMS_TRACING_ENABLED=false; PIDS+=($!)
    APIS+=("untraced:8091:$!")
    own_api 8090 device-api "${DEVICE_API_JAVA_OPTS:--XX:+UseZGC}" EMS_TRACING_SAMPLING="${SAMPLING:-0.1}" EMS_TRACING_ENABLED=true; PIDS+=($!)
    APIS+=("traced:8090:$!")
  else
    port=8090
    for gc in $GCS; do
      case $gc in
        # what docker-compose.yml gives device-api's container (ADR 0007, amendment 4), and before
        zgc) opts="${OPTS_zgc:-${DEVICE_API_JAVA_OPTS:--XX:+UseZGC}}" ;;
        g1) opts="${OPTS_g1:--XX:MaxGCPauseMillis=5}" ;;
        *) var="OPTS_$gc"; opts="${!var:?set $var to the JVM options of $gc}" ;;
      esac
      echo "== starting device-api $gc in its own JVM on :$port ($opts)"
      own_api $port "device-api-$gc" "$opts"; PIDS+=($!); APIS+=("$gc:$port:$!")
      port=$((port + 2))
    done
    if [ "$MEM" = 1 ]; then
      # one more, with native memory tracking, for the native memory per connection (not under load)
      own_api 8099 device-api-nmt "${DEVICE_API_JAVA_OPTS:--XX:+UseZGC} -XX:NativeMemoryTracking=summary"
      NOCACHE=$!; PIDS+=($NOCACHE)
      await_api 8099 $NOCACHE device-api-nmt
    fi
  fi
  for a in "${APIS[@]}"; do IFS=: read -r n p pid <<< "$a"; await_api "$p" "$pid" "device-api-$n"; done
fi

echo "== provisioning $DEVICES devices"
"$JAVA_HOME/bin/java" -cp "$CP" dev.ems.bench.DeviceFleetSetup "$OUT" "$DEVICES" "$(cat "$OUT/ems/admin-key")"
API_ETAG=$(cat "$OUT/etag.txt"); CERT=$(cat "$OUT/cert-header.txt")
declare -A PER_CONFIG PER_DEVICE PER_FETCHING
if [ "$MEM" = 1 ]; then
  SIGNATURE=$(curl -s -D - -o /dev/null -H "X-SSL-Client-Cert: $CERT" http://127.0.0.1:8080/device/v1/config | tr -d '\r' | sed -n 's/^EMS-Config-Signature: //Ip')
  echo "== memory per device (ReadModelFootprint, 100,000 devices; body $(wc -c < "$OUT/config.json") bytes, signature ${#SIGNATURE} characters, certificate header ${#CERT})"
  for a in "${APIS[@]}"; do IFS=: read -r n p pid <<< "$a"
    case $n in zgc*) gcopt=-XX:+UseZGC ;; *) gcopt=-XX:+UseG1GC ;; esac
    "$JAVA_HOME/bin/java" $gcopt -cp "$CP" dev.ems.device.config.ReadModelFootprint "$OUT/config.json" "$OUT/cert-header.txt" \
      "$(( ${#SIGNATURE} > 0 ? ${#SIGNATURE} : 1 ))" 100000 2>/dev/null > "$OUT/footprint-$n.txt" || true
    PER_CONFIG[$n]=$(awk '$1 == "cached-config" {print $2}' "$OUT/footprint-$n.txt")
    PER_DEVICE[$n]=$(awk '$1 == "device" {print $2}' "$OUT/footprint-$n.txt")
    PER_FETCHING[$n]=$(awk '$1 == "fetching-device" {print $2}' "$OUT/footprint-$n.txt")
    echo "device-api $n ($gcopt): ${PER_CONFIG[$n]} bytes per cached config; ${PER_DEVICE[$n]} per device of the fleet (certificate index, directory); ${PER_FETCHING[$n]} per device that fetches from it (fingerprint cache keyed by the header's text, rate-limit bucket)"
  done
fi

mkdir -p "$OUT/www/device/v1"; cp "$OUT/config.json" "$OUT/www/device/v1/config"
cat > "$OUT/nginx.conf" <<NGINX
worker_processes 1;
worker_rlimit_nofile $NOFILE;
pid $OUT/nginx.pid;
error_log $OUT/nginx-error.log;
events { worker_connections $NOFILE; }
http {
  access_log off;
  keepalive_requests 1000000;
  etag on;
  default_type application/json;
  server { listen 127.0.0.1:18080 backlog=$BACKLOG; root $OUT/www; }
}
NGINX
nginx -c "$OUT/nginx.conf"
NGINX_ETAG=$(curl -s -D - -o /dev/null http://127.0.0.1:18080/device/v1/config | tr -d '\r' | sed -n 's/^ETag: //Ip')
NGINX_WORKER=$(pgrep -P "$(cat "$OUT/nginx.pid")" | head -1)
echo "body: $(wc -c < "$OUT/config.json") bytes; nginx ETag $NGINX_ETAG; device-api ETag $API_ETAG"

if [ "$TARGET" = suite ]; then
  server nginx http://127.0.0.1:18080 "$NGINX_WORKER" "" nginx
  server device-api-suite http://127.0.0.1:8080 "$SUITE" "" api
elif [ "$COMPARE" = tracing ]; then
  for a in "${APIS[@]}"; do IFS=: read -r n p pid <<< "$a"; server "$n" "http://127.0.0.1:$p" "$pid" "$OUT/device-api-$n-gc.log" api; done
  echo "== comparing device-api traced (EMS_TRACING_SAMPLING=${SAMPLING:-0.1}) on :8090 with untraced on :8091"
else
  server nginx http://127.0.0.1:18080 "$NGINX_WORKER" "" nginx
  for a in "${APIS[@]}"; do IFS=: read -r n p pid <<< "$a"; server "$n" "http://127.0.0.1:$p" "$pid" "$OUT/device-api-$n-gc.log" api; done
fi

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

# memory per idle keep-alive connection: CONNS connections that each fetched once (304), held idle
# by IdleConnections; live heap after a full GC and RSS before and after, per connection
declare -A CONN_HEAP CONN_RSS BASE_LIVE BASE_RSS
if [ "$MEM" = 1 ]; then
  echo "== memory per idle keep-alive connection ($CONNS connections, each after one fetch)"
  for i in "${!NAMES[@]}"; do
    n=${NAMES[$i]}; pid=${SPIDS[$i]}; url=${URLS[$i]}
    if [ "${KINDS[$i]}" = nginx ]; then hdr=("If-None-Match: $NGINX_ETAG"); else hdr=("X-SSL-Client-Cert: $CERT" "If-None-Match: $API_ETAG"); fi
    [ "${KINDS[$i]}" = api ] && BASE_LIVE[$n]=$(live "$pid" "$n-idle0")
    BASE_RSS[$n]=$(rss "$pid")
    rm -f "$OUT/idle.fifo"; mkfifo "$OUT/idle.fifo"; exec 3<>"$OUT/idle.fifo"
    "$JAVA_HOME/bin/java" -cp "$CP" dev.ems.bench.IdleConnections 127.0.0.1 "${url##*:}" "$CONNS" /device/v1/config "${hdr[@]}" \
      < "$OUT/idle.fifo" > "$OUT/idle-$n.out" 2>&1 &
    PROBE=$!
    until grep -qs '^open' "$OUT/idle-$n.out"; do sleep 1; kill -0 $PROBE 2>/dev/null || { cat "$OUT/idle-$n.out"; exit 1; }; done
    opened=$(awk '/^open/ {print $2}' "$OUT/idle-$n.out")
    sleep 2
    r=$(rss "$pid"); CONN_RSS[$n]=$(( (r - BASE_RSS[$n]) / opened ))
    line="$n: $(grep '^open' "$OUT/idle-$n.out") ($(grep -c 'connection failed' "$OUT/idle-$n.out" || true) errors shown in $OUT/idle-$n.out); RSS $((BASE_RSS[$n] >> 20)) -> $((r >> 20)) MB: ${CONN_RSS[$n]} bytes per connection"
    if [ "${KINDS[$i]}" = api ]; then
      l=$(live "$pid" "$n-idle1"); CONN_HEAP[$n]=$(( (l - BASE_LIVE[$n]) / opened ))
      line="$line; live heap $((BASE_LIVE[$n] >> 20)) -> $((l >> 20)) MB: ${CONN_HEAP[$n]} bytes per connection"
    fi
    echo "$line"
    # where a connection's heap goes: the classes that grew most, per connection
    [ "${KINDS[$i]}" = api ] && histdiff "$OUT/histogram-$n-idle0.txt" "$OUT/histogram-$n-idle1.txt" "$opened" 8
    echo >&3; exec 3>&-; wait $PROBE || true
  done
  # native memory per connection: NMT in a JVM of the container's options (not measured under load)
  nmt_committed() { # "Total" or a category; committed KB and its change, from a summary.diff
    awk -v what="$2" 'index($0, what) {if (match($0, /committed=[0-9]+KB( [+-][0-9]+KB)?/)) {v = substr($0, RSTART, RLENGTH); sub(/committed=[0-9]+KB ?/, "", v); gsub(/KB/, "", v); print v + 0; exit}}' "$1"; }
  "$JAVA_HOME/bin/jcmd" $NOCACHE GC.run > /dev/null; "$JAVA_HOME/bin/jcmd" $NOCACHE VM.native_memory baseline > /dev/null
  exec 3<>"$OUT/idle.fifo"
  "$JAVA_HOME/bin/java" -cp "$CP" dev.ems.bench.IdleConnections 127.0.0.1 8099 "$CONNS" /device/v1/config "X-SSL-Client-Cert: $CERT" \
    < "$OUT/idle.fifo" > "$OUT/idle-nmt.out" 2>&1 &
  PROBE=$!
  until grep -qs '^open' "$OUT/idle-nmt.out"; do sleep 1; kill -0 $PROBE 2>/dev/null || { cat "$OUT/idle-nmt.out"; exit 1; }; done
  opened=$(awk '/^open/ {print $2}' "$OUT/idle-nmt.out")
  "$JAVA_HOME/bin/jcmd" $NOCACHE GC.run > /dev/null; "$JAVA_HOME/bin/jcmd" $NOCACHE VM.native_memory summary.diff > "$OUT/nmt-diff.txt"
  echo >&3; exec 3>&-; wait $PROBE || true
  NATIVE=$(( ($(nmt_committed "$OUT/nmt-diff.txt" "Total:") - $(nmt_committed "$OUT/nmt-diff.txt" "Java Heap (")) * 1024 / opened ))
  echo "native memory (NMT, committed outside the Java heap; $(grep '^open' "$OUT/idle-nmt.out")): $NATIVE bytes per connection ($OUT/nmt-diff.txt)"
  kill $NOCACHE
  # the kernel's share, outside every process's RSS: the slab objects of one TCP socket
  KERNEL=$(awk '$1 ~ /^(TCP|sock_inode_cache|filp|dentry|eventpoll_epi)$/ {s += $4; d = d $1 " " $4 " "} END {print s; print d > "/dev/stderr"}' /proc/slabinfo 2>"$OUT/slab.txt")
  echo "kernel, per socket (slab object sizes: $(cat "$OUT/slab.txt")): $KERNEL bytes, and as much again for the client's end"
fi

# PIN=1: the servers on the last CPU, the clients (wrk, h2load: CLIENT) and the suite on the others
CLIENT=()
if [ "${PIN:-0}" = 1 ]; then
  LAST=$(( $(nproc) - 1 )); [ "$LAST" -ge 1 ] || { echo "PIN=1 needs 2 CPUs or more" >&2; exit 1; }
  CLIENT=(taskset -c "0-$((LAST - 1))")
  taskset -a -pc "0-$((LAST - 1))" "$SUITE" > /dev/null
  for i in "${!NAMES[@]}"; do taskset -a -pc "$LAST" "${SPIDS[$i]}" > /dev/null; done
  echo "== pinned: servers (${NAMES[*]}) on CPU $LAST; clients and the suite on CPUs 0-$((LAST - 1))"
fi

# the JIT needs a while: the first seconds under load run at a fraction of the steady rate
echo "== warm-up: ${WARMUP}s on each device-api path (not measured)"
for i in "${!NAMES[@]}"; do
  [ "${KINDS[$i]}" = api ] || continue
  "${CLIENT[@]}" wrk -t2 -c"$CONNS" -d"${WARMUP}s" -s "$OUT/api200.lua" "${URLS[$i]}" > /dev/null 2>&1
  "${CLIENT[@]}" wrk -t2 -c"$CONNS" -d"${WARMUP}s" -s "$OUT/api304.lua" "${URLS[$i]}" > /dev/null 2>&1
done

# CPU seconds a process used so far (utime + stime); the time the hypervisor gave this VM's CPUs
# to others (steal, /proc/stat) and the time both CPUs were busy (everything: clients included), ms
steal() { awk -v hz="$(getconf CLK_TCK)" '/^cpu / {printf "%d", $9 * 1000 / hz}' /proc/stat; }
busy() { awk -v hz="$(getconf CLK_TCK)" '/^cpu / {printf "%d", ($2 + $3 + $4 + $7 + $8) * 1000 / hz}' /proc/stat; }
cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# GC pauses in a log since line MARK: count, max, sum; ZGC's allocation stalls apart
pauses() { [ -n "$1" ] && [ -f "$1" ] || { echo "-"; return; }
  tail -n +$(($2 + 1)) "$1" | awk '
    /Pause/ && /ms$/ {v = $NF; sub(/ms$/, "", v); n++; t += v; if (v + 0 > m) m = v + 0}
    /Allocation Stall/ {v = $NF; sub(/ms$/, "", v); s++; if (v + 0 > sm) sm = v + 0}
    END {printf "%d, max %.2f ms, sum %.0f ms", n, m, t; if (s) printf "; %d allocation stalls, max %.1f ms", s, sm}'; }
# ms of a wrk latency ("850.00us", "1.23ms", "2.00s")
ms() { awk -v v="$1" 'BEGIN {u = v; sub(/[0-9.]+/, "", u); x = v + 0; if (u == "us") x /= 1000; else if (u == "s") x *= 1000; else if (u == "m") x *= 60000; printf "%.1f", x}'; }
pct() { # h2load per-request log: start(us) status duration(us). Prints "p50 / p99 / max" in ms after the
  # first second (h2load opens the CONNS connections then; a server's accept burst is not the
  # steady-state latency asked for), then the p99 with that second counted.
  sort -n -k1 "$1" | awk 'NR==1 {t0=$1} {print ($1 - t0 >= 1000000), $3}' | sort -n -k2 | awk '
    {all[++n]=$2} $1==1 {s[++m]=$2}
    END {if (m==0) {print "n/a | n/a"} else {printf "%.1f / %.1f / %.1f | %.1f", s[int(m*0.5)]/1000, s[int(m*0.99)]/1000, s[m]/1000, all[int(n*0.99)]/1000}}'; }

INTERVAL_MS=$((CONNS * 1000 / RATE)); [ "$INTERVAL_MS" -ge 1 ] || INTERVAL_MS=1
RPS=$(echo "scale=6; $RATE / $CONNS" | bc)
# window I TEST LOG: one measurement of server I; prints a table row
window() { local i=$1 test=$2 log=$3 name=${NAMES[$1]} url=${URLS[$1]} pid=${SPIDS[$1]} gc=${GCLOGS[$1]}
  local mark=0 cpu0 suite0 steal0 busy0 args=() served lat first errors
  [ -n "$gc" ] && [ -f "$gc" ] && mark=$(wc -l < "$gc")
  case "${KINDS[$i]}-$test" in
    nginx-*200) args=() ;;
    nginx-*304) args=(-H "If-None-Match: $NGINX_ETAG") ;;
    api-closed200) args=(-s "$OUT/api200.lua") ;;
    api-closed304) args=(-s "$OUT/api304.lua") ;;
    api-open200) args=(-H "X-SSL-Client-Cert: $CERT") ;;
    api-open304) args=(-H "X-SSL-Client-Cert: $CERT" -H "If-None-Match: $API_ETAG") ;;
  esac
  cpu0=$(cpu "$pid"); suite0=$(cpu "$SUITE"); steal0=$(steal); busy0=$(busy)
  rm -f "$log"
  if [ "${test#closed}" != "$test" ]; then
    "${CLIENT[@]}" wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency "${args[@]}" "$url/device/v1/config" > "$log.out" 2>&1 || true
    served=$(awk '/Requests\/sec/ {print $2}' "$log.out")
    lat="$(ms "$(awk '$1 == "50%" {print $2}' "$log.out")") / $(ms "$(awk '$1 == "99%" {print $2}' "$log.out")") / $(ms "$(awk '$1 == "Latency" {print $4}' "$log.out")") | -"
    errors=$(awk '/Socket errors/ {gsub(/,/, ""); e += $4 + $6 + $8 + $10} /Non-2xx/ {e += $NF} END {print e + 0}' "$log.out")
    [ "$errors" = 0 ] || errors="$errors ($(grep -E 'Socket errors|Non-2xx' "$log.out" | tr -s ' ' | tr '\n' ';'))"
    offered="closed"
  else
    if [ "${ARRIVALS:-spread}" = burst ]; then set -- -D "$DURATION"
    else set -- -r $(((CONNS + INTERVAL_MS - 1) / INTERVAL_MS)) --rate-period 1ms -n $((RATE * DURATION)); fi
    "${CLIENT[@]}" h2load --h1 -t2 -c"$CONNS" -m1 --rps="$RPS" --log-file="$log" "$@" "${args[@]}" "$url/device/v1/config" > "$log.out" 2>&1 || true
    served=$(grep -o '[0-9.]* req/s' "$log.out" | head -1 | cut -d' ' -f1 || true)
    lat=$(pct "$log" 2>/dev/null || echo "n/a | n/a")
    errors=$(awk '$2 >= 400 || $2 == 0 {e++} END {print e + 0}' "$log" 2>/dev/null || echo "no log")
    local failed; failed=$(awk '/^requests:/ {print $10 + $12 + $14}' "$log.out")
    [ "${failed:-0}" = 0 ] || errors="$errors ($(grep '^requests:' "$log.out"))"
    offered=$RATE
  fi
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s / %s / %s, %s |\n' "$round" "$name" "$test" "$offered" "${served:-0}" "$lat" "$errors" \
    "$(pauses "$gc" "$mark")" "$(echo "$(cpu "$pid") - $cpu0" | bc)" "$(echo "$(cpu "$SUITE") - $suite0" | bc)" \
    "$(echo "scale=1; ($(busy) - $busy0) / 1000" | bc)" "$(($(steal) - steal0)) ms"; }

for round in $(seq "$ROUNDS"); do
  echo "== round $round: closed loop (wrk -t2 -c$CONNS -d${DURATION}s), open loop (h2load --h1 -t2 -c$CONNS, $RATE req/s in all, ${DURATION}s, arrivals ${ARRIVALS:-spread}); $(uptime)"
  echo "| round | server | test | offered req/s | served req/s | p50 / p99 / max ms (open: after the 1st s) | p99 with the 1st s | client errors | GC pauses | CPU s: server / suite / both cores busy, steal |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  for test in closed200 closed304 open200 open304; do
    for i in "${!NAMES[@]}"; do
      window "$i" "$test" "$OUT/$test-${NAMES[$i]}-r$round.log" | tee -a "$OUT/rows.md"
    done
  done
  echo
done

# closed loop: each server's throughput against the first (nginx, or the untraced device-api)
echo "== closed loop, ratio to ${NAMES[0]} (round: test: server ratio...)"
awk -F'|' -v ref="${NAMES[0]}" '{for (f = 2; f <= 6; f++) gsub(/ /, "", $f)} $4 ~ /^closed/ {k = "round " $2 ", " $4 ":"
  if ($3 == ref) r[k] = $6; else if (r[k] > 0) o[k] = o[k] sprintf(" %s %.2f", $3, $6 / r[k])} END {for (k in o) print k o[k]}' "$OUT/rows.md" | sort

if [ "$MEM" = 1 ]; then
  CACHE_MAX=$(awk '/cache-max-entries:/ {print $2}' device-api/src/main/resources/device-api.yml)
  echo "== extrapolation (memory measured above; kernel $KERNEL bytes per socket at device-api's end)"
  for a in "${APIS[@]}"; do IFS=: read -r n p pid <<< "$a"
    awk -v n="$n" -v heap="${CONN_HEAP[$n]}" -v rss="${CONN_RSS[$n]}" -v kern="$KERNEL" -v live="${BASE_LIVE[$n]}" -v native="$NATIVE" \
        -v base="${BASE_RSS[$n]}" -v cfg="${PER_CONFIG[$n]}" -v nocache="${PER_DEVICE[$n]}" -v fetching="${PER_FETCHING[$n]}" -v fleet="$FLEET_SIZE" \
        -v poll="$POLL" -v rate="$RATE" -v cachemax="$CACHE_MAX" -v nginx="${CONN_RSS[nginx]}" 'BEGIN {
      mb = 1048576; c = 100000
      printf "device-api %s, 100,000 connections per replica: live heap %.0f MB + %.0f MB for the connections (%d bytes each), native %.0f MB (%d bytes each), kernel %.0f MB (%d bytes each; the RSS grew %d bytes per connection here, nginx%s %d)\n", n, live / mb, c * heap / mb, heap, c * native / mb, native, c * kern / mb, kern, rss, "'"'"'s", nginx
      reps = int((fleet + c - 1) / c); fetch = fleet / poll; byrate = int((fetch + rate - 1) / rate)
      cached = fleet < cachemax ? fleet : cachemax
      L = (live + c * heap + c * fetching + fleet * nocache + cached * cfg) / mb
      printf "device-api %s, %d devices polling every %d s: %.0f fetches/s; %d replicas by connections (100,000 each), %d by rate (%d/s each, if held at p99 < 10 ms above); each replica holds all %d devices'"'"' certificate index and directory entries (%d bytes each: %.0f MB), up to %d cached configs (%d bytes each: %.0f MB) and its 100,000 devices'"'"' fingerprints and buckets (%d bytes each: %.0f MB), so a live heap of about %.0f MB (give it twice that: -Xmx%.0fm), %.0f MB native and %.0f MB kernel memory for the connections, beside the JVM'"'"'s own (RSS %.0f MB before the connections here): %d replicas, %d with one to spare\n", n, fleet, poll, fetch, reps, byrate, rate, fleet, nocache, fleet * nocache / mb, cachemax, cfg, cached * cfg / mb, fetching, c * fetching / mb, L, 2 * L, c * native / mb, c * kern / mb, base / mb, (reps > byrate ? reps : byrate), (reps > byrate ? reps : byrate) + 1 }'
  done
fi
uptime
