#!/usr/bin/env bash
# Issue 21 item 2, TLS at the edge: device-api terminating TLS with client certificates itself vs
# nginx doing the same, on this host, in the same run, interleaved round by round. For each server:
#   full handshakes/s     openssl s_time -new (PAR in parallel, DURATION s), ECDSA P-256 client cert
#   resumed handshakes/s  openssl s_time -reuse (TLS 1.3 session tickets / nginx's session cache)
#   reconnect storm       STORM devices, each with its own P-256 certificate, connect at once, each
#                         completes a full handshake and makes one request: time until all answered,
#                         p50/p99, errors (dev.ems.bench.TlsEdgeBenchmark storm, its own JVM)
# device-api runs twice, in its own JVMs (the jar as it ships): with JDK TLS (SunJSSE, and Netty told
# not to use OpenSSL: -Dio.netty.handler.ssl.noOpenSsl=true) and with Netty's BoringSSL binding
# (netty-tcnative-boringssl-static on the class path: Netty then picks its OpenSSL engine itself;
# device-api's jar carries it since issue 21, the script still adds it, so jars from before compare).
# Each request is GET /actuator/info ({} from device-api, the same 2 bytes from nginx's `return`):
# the handshake is what is measured, not the config path (bench/device-api.sh measures that).
#   bench/tls.sh      # DURATION=10 PAR=2 STORM=10000 ROUNDS=2 WARMUP=20 HANDSHAKE_TIMEOUT=60
#                     # SERVERS="nginx jdk boringssl"
# Certificates: a P-256 test hierarchy shaped like EMS's (root → issuing → device, clientAuth, verify
# depth 2) that both servers trust (dev.ems.bench.TlsEdgeBenchmark pki). Enrolling 10,000 devices
# through the suite takes minutes (bench/est.sh: 47 enrollments/s), and TLS does not care who issued.
# The suite (./ems up in one JVM) runs only for device-api's PostgreSQL and Kafka.
# Needs nginx and openssl (apt-get install -y nginx openssl).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
DURATION="${DURATION:-10}"; PAR="${PAR:-2}"; STORM="${STORM:-10000}"; ROUNDS="${ROUNDS:-2}"
WARMUP="${WARMUP:-20}"; SERVERS="${SERVERS:-nginx jdk boringssl}"
# how long a server waits for a client's handshake: Reactor Netty's default is 10 s
# (reactor.netty.tcp.sslHandshakeTimeout), nginx 1.22's is client_header_timeout, 60 s. In a storm
# that decides whether a queued device is served late or cut off; the same for both here.
HANDSHAKE_TIMEOUT="${HANDSHAKE_TIMEOUT:-60}"
OUT="$(pwd)/bench/out/tls"; rm -rf "$OUT"; mkdir -p "$OUT"; PKI="$OUT/pki"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
TCNATIVE_VERSION="${TCNATIVE_VERSION:-2.0.84.Final}" # what netty-bom 4.2.18 names
M2="${HOME}/.m2/repository/io/netty"
TCNATIVE="$M2/netty-tcnative-classes/$TCNATIVE_VERSION/netty-tcnative-classes-$TCNATIVE_VERSION.jar:$M2/netty-tcnative-boringssl-static/$TCNATIVE_VERSION/netty-tcnative-boringssl-static-$TCNATIVE_VERSION-linux-x86_64.jar"
if [[ " $SERVERS " == *" boringssl "* ]] && ! ls ${TCNATIVE//:/ } > /dev/null 2>&1; then
  ./mvnw -B -q dependency:get -Dartifact="io.netty:netty-tcnative-classes:$TCNATIVE_VERSION"
  ./mvnw -B -q dependency:get -Dartifact="io.netty:netty-tcnative-boringssl-static:$TCNATIVE_VERSION:jar:linux-x86_64"
fi

./mvnw -B -q -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true -Dmaven.javadoc.skip=true \
  package dependency:build-classpath -Dmdep.outputFile="$OUT/classpath.txt" -Dmdep.includeScope=runtime \
  -pl bench -am
CP="bench/target/classes:$(cat "$OUT/classpath.txt")"
"$JAVA_HOME/bin/java" -cp "$CP" dev.ems.bench.TlsEdgeBenchmark pki "$PKI"

echo "== starting the suite (EMS_HOME=$OUT/ems) for PostgreSQL and Kafka"
EMS_HOME="$OUT/ems" "$JAVA_HOME/bin/java" -jar launcher/target/launcher-*-exec.jar > "$OUT/suite.log" 2>&1 &
SUITE=$!
PIDS="$SUITE"
trap 'kill $PIDS 2>/dev/null; nginx -c "$OUT/nginx.conf" -s stop 2>/dev/null || true' EXIT
until grep -q '^EMS ready' "$OUT/suite.log"; do sleep 2; kill -0 $SUITE || { tail -50 "$OUT/suite.log"; exit 1; }; done

# device-api as docker-compose.yml runs it (its JVM options), TLS from PEM files, client-auth want
# (as in production: enrollment comes before a certificate), no forwarded-certificate proxy
DEVICE_API_JAVA_OPTS="${DEVICE_API_JAVA_OPTS:--XX:+UseZGC} -Dreactor.netty.tcp.sslHandshakeTimeout=$((HANDSHAKE_TIMEOUT * 1000))"
declare -A PORT=([nginx]=9443 [jdk]=8443 [boringssl]=8444) PID=()
own_api() { local port=$1 name=$2; shift 2
  env DEVICE_API_PORT=$port DEVICE_API_INSTANCE_ID=$name DEVICE_API_TRUSTED_PROXIES= \
    SERVER_SSL_BUNDLE=devices SERVER_SSL_CLIENT_AUTH=want \
    SPRING_SSL_BUNDLE_PEM_DEVICES_KEYSTORE_CERTIFICATE="file:$PKI/server.crt" \
    SPRING_SSL_BUNDLE_PEM_DEVICES_KEYSTORE_PRIVATEKEY="file:$PKI/server.key" \
    SPRING_SSL_BUNDLE_PEM_DEVICES_TRUSTSTORE_CERTIFICATE="file:$PKI/device-ca.pem" \
    SPRING_DATASOURCE_URL="jdbc:postgresql://localhost:${EMS_PG_PORT:-15432}/ems" SPRING_DATASOURCE_USERNAME=postgres \
    SPRING_KAFKA_BOOTSTRAP_SERVERS="localhost:${EMS_KAFKA_PORT:-19092}" \
    EMS_INTERNAL_API_KEY="$(cat "$OUT/ems/internal-api-key")" \
    "$JAVA_HOME/bin/java" $DEVICE_API_JAVA_OPTS -Xlog:gc:file="$OUT/$name-gc.log" "$@" > "$OUT/$name.log" 2>&1 & }
JAR=$(ls device-api/target/device-api-*-exec.jar)
for s in $SERVERS; do case $s in
  jdk) own_api ${PORT[jdk]} device-api-jdk -Dio.netty.handler.ssl.noOpenSsl=true -jar "$JAR"; PID[jdk]=$! ;;
  boringssl) own_api ${PORT[boringssl]} device-api-boringssl -cp "$JAR:$TCNATIVE" \
      org.springframework.boot.loader.launch.JarLauncher; PID[boringssl]=$! ;;
esac; done
PIDS="$SUITE ${PID[*]:-}"

cat > "$OUT/nginx.conf" <<NGINX
worker_processes auto;
worker_rlimit_nofile 20000;
pid $OUT/nginx.pid;
error_log $OUT/nginx-error.log;
events { worker_connections 20000; }
http {
  access_log off;
  client_header_timeout ${HANDSHAKE_TIMEOUT}s;
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_session_cache shared:device_tls:20m;
  ssl_session_timeout 1h;
  ssl_session_tickets on;
  server {
    listen 127.0.0.1:${PORT[nginx]} ssl backlog=4096;
    ssl_certificate $PKI/server.crt;
    ssl_certificate_key $PKI/server.key;
    ssl_verify_client on;
    ssl_client_certificate $PKI/device-ca.pem;
    ssl_verify_depth 2;
    location = /actuator/info { default_type application/json; return 200 '{}'; }
  }
}
NGINX
if [[ " $SERVERS " == *" nginx "* ]]; then nginx -c "$OUT/nginx.conf"; fi

CURL=(curl -sf -o /dev/null --cacert "$PKI/root.pem" --cert "$PKI/client.crt" --key "$PKI/client.key")
for s in $SERVERS; do
  until "${CURL[@]}" "https://127.0.0.1:${PORT[$s]}/actuator/info"; do
    sleep 1; [ "$s" = nginx ] || kill -0 "${PID[$s]}" || { tail -50 "$OUT/device-api-$s.log"; exit 1; }
  done
done
# which engine Netty took: BoringSSL is a native library in the process (netty-tcnative)
for s in ${!PID[@]}; do
  if grep -q netty_tcnative "/proc/${PID[$s]}/maps"; then echo "device-api ($s): Netty's OpenSSL engine on BoringSSL (netty-tcnative-boringssl-static $TCNATIVE_VERSION)"
  else echo "device-api ($s): JDK TLS (SunJSSE, $("$JAVA_HOME/bin/java" -version 2>&1 | head -1))"; fi
done

# CPU seconds a server used so far (nginx: master + workers)
cpu_of() { local pids
  if [ "$1" = nginx ]; then pids="$(cat "$OUT/nginx.pid") $(pgrep -P "$(cat "$OUT/nginx.pid")" | tr '\n' ' ')"; else pids=${PID[$1]}; fi
  for p in $pids; do awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$p/stat"; done | awk '{s+=$1} END {printf "%.1f", s}'; }
steal() { awk -v hz="$(getconf CLK_TCK)" '/^cpu / {printf "%d", $9 * 1000 / hz}' /proc/stat; }
# stime SERVER -new|-reuse: handshakes/s summed over PAR s_time processes, the share of resumed
# connections, and the server's CPU seconds per 1,000 handshakes
stime() { local s=$1 mode=$2 c0 c1 clients=()
  c0=$(cpu_of "$s")
  for p in $(seq "$PAR"); do
    openssl s_time -connect "127.0.0.1:${PORT[$s]}" -CAfile "$PKI/root.pem" -cert "$PKI/client.crt" \
      -key "$PKI/client.key" "$mode" -time "$DURATION" -www /actuator/info > "$OUT/stime-$s$mode-$p.out" 2>&1 &
    clients+=($!)
  done
  wait "${clients[@]}" || true
  c1=$(cpu_of "$s")
  cat "$OUT"/stime-"$s$mode"-*.out >> "$OUT/stime.log"
  # s_time: "N connections in T real seconds"; with -reuse one char per connection, r = resumed
  cat "$OUT"/stime-"$s$mode"-*.out | awk -v cpu="$(echo "$c1 - $c0" | bc)" '
    /connections in [0-9.]+ real seconds/ {n += $1; t = $4}
    /^[*r]+$/ {x = $0; r += gsub(/r/, "", x); a += length($0)}
    END {if (t == 0) {print "n/a"; exit} printf "%.0f/s (%s resumed, %.2f CPU s per 1k)", n / t,
      (a ? sprintf("%.0f%%", 100 * r / a) : "-"), n ? cpu * 1000 / n : 0}'; }
storm() { local s=$1 c0 line
  c0=$(cpu_of "$s")
  line=$("$JAVA_HOME/bin/java" ${STORM_JAVA_OPTS:--Xmx3g} -cp "$CP" dev.ems.bench.TlsEdgeBenchmark storm "$PKI" \
    "${PORT[$s]}" /actuator/info "$STORM" "$s" 2>&1 | tee -a "$OUT/storm.log" | tail -1)
  echo "$line [server CPU s $(echo "$(cpu_of "$s") - $c0" | bc)]"; }

if [ "$WARMUP" -gt 0 ]; then
  echo "== warm-up: ${WARMUP}s of full and of resumed handshakes on each device-api (not measured)"
  for s in ${!PID[@]}; do DURATION=$WARMUP stime "$s" -new > /dev/null; DURATION=$WARMUP stime "$s" -reuse > /dev/null; done
fi

declare -A FULL RESUMED STORMS
order=($SERVERS)
for round in $(seq "$ROUNDS"); do
  echo "== round $round: ${order[*]} (openssl s_time x$PAR, ${DURATION}s; storm of $STORM devices)"
  steal0=$(steal)
  for s in "${order[@]}"; do FULL[$s]=$(stime "$s" -new); done
  for s in "${order[@]}"; do RESUMED[$s]=$(stime "$s" -reuse); done
  for s in "${order[@]}"; do STORMS[$s]=$(storm "$s"); sleep 5; done
  printf '\n| round %s | full handshakes | resumed handshakes |\n|---|---|---|\n' "$round"
  for s in $SERVERS; do printf '| %s | %s | %s |\n' "$s" "${FULL[$s]}" "${RESUMED[$s]}"; done
  echo; for s in $SERVERS; do echo "storm ${STORMS[$s]}"; done
  echo "host steal this round: $(($(steal) - steal0)) ms; $(uptime)"; echo
  order=($(printf '%s\n' "${order[@]}" | tac)) # the next round the other way round
done
