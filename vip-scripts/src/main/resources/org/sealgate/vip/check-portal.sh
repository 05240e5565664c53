#!/bin/sh
# Sealgate VIP health check, run by keepalived (vrrp_script, as root: keepalived drops scripts silently without
# script_user root when enable_script_security is on). Exit 0 when the local GINA portal answers 200 on /healthz
# within a second, else 1; with "weight 0" in the rendered config a failing check puts this node in FAULT and
# hands the VIP over. -k: the probe goes to this host's own portal over loopback and carries no secret; the
# portal's certificate names the VIP host, not 127.0.0.1.
# Usage: check-portal.sh https://127.0.0.1:8443/healthz
case "${1:-}" in
  https://127.0.0.1:*/healthz|https://\[::1\]:*/healthz) ;;
  *) echo "check-portal.sh: refusing URL '${1:-}' (only the local portal's /healthz)" >&2; exit 2 ;;
esac
exec /usr/bin/curl --fail --silent --insecure --noproxy '*' --max-time 1 --output /dev/null "$1"
