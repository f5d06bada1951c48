#!/bin/sh
# Starts charon, loads /etc/swanctl (the installed headend bundle), adds the headend's inner
# address (EMS_HEADEND_INNER_ADDRESS) and, when EMS_HEADEND_REPORT_KEY is set, reports the SAs to
# diagnostics every EMS_HEADEND_REPORT_INTERVAL seconds.
set -eu
if [ -n "${EMS_HEADEND_INNER_ADDRESS:-}" ]; then
  ip addr replace "${EMS_HEADEND_INNER_ADDRESS}/32" dev lo
fi
/usr/sbin/charon-systemd &
CHARON=$!
trap 'kill -TERM "$CHARON"; wait "$CHARON"' TERM INT
for _ in $(seq 1 100); do
  [ -S /var/run/charon.vici ] && break
  sleep 0.1
done
swanctl --load-all --noprompt
if [ -n "${EMS_HEADEND_REPORT_KEY:-}" ]; then
  /usr/local/bin/report-sas.sh &
else
  echo "EMS_HEADEND_REPORT_KEY not set: diagnostics gets no headend view of the tunnels"
fi
wait "$CHARON"
