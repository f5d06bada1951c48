#!/bin/sh
# Sends `swanctl --list-sas --raw` to diagnostics (PUT /api/v1/mgmt-headend/sas) with the tenant's
# ADMIN key, so that diagnostics sees the tunnels as the headend holds them, and terminates the IKE
# SAs diagnostics names in its answer (devices whose certificate PKI revoked). The key is read from
# the environment and never printed. Each turn first drops the cached OCSP answers.
set -u
URL="${EMS_DIAGNOSTICS_URL:-http://diagnostic-service:8083}/api/v1/mgmt-headend/sas"
ANSWER=$(mktemp)
while true; do
  # a cached OCSP answer counts until its nextUpdate (an hour): drop it so that the next IKE_AUTH
  # asks EMS again and a revocation is refused within one interval (first: a device whose SA is
  # terminated below reconnects at once and must meet the fresh answer)
  swanctl --flush-certs --type ocsp_response >/dev/null 2>&1 || true
  : >"$ANSWER"
  swanctl --list-sas --raw 2>/dev/null | jq -Rs '{listSas: .}' \
    | curl -sS -o "$ANSWER" -w "headend report: %{http_code}\n" -X PUT "$URL" \
        -H "Authorization: Bearer ${EMS_HEADEND_REPORT_KEY}" -H 'Content-Type: application/json' \
        --data-binary @- || true
  for id in $(jq -r '.terminate[]?.ikeId' "$ANSWER" 2>/dev/null); do
    case "$id" in
      *[!0-9]* | '') continue ;;
    esac
    echo "headend: terminating IKE SA $id (certificate revoked)"
    swanctl --terminate --ike-id "$id" --force >/dev/null 2>&1 || true
  done
  sleep "${EMS_HEADEND_REPORT_INTERVAL:-30}"
done
