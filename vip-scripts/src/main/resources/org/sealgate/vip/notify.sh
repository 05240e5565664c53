#!/bin/sh
# Sealgate VIP notify script, run by keepalived (as root) on every VRRP state change as
#   notify.sh STATE_DIR TYPE NAME STATE PRIORITY
# (keepalived appends TYPE NAME STATE PRIORITY to the command in the rendered config). It logs the change
# (syslog, tag sealgate-vip), appends an audit record to STATE_DIR/vip-audit.jsonl and replaces STATE_DIR/state
# ("STATE TIME"), which 'sealgate vip watch' publishes in ZooKeeper for 'sealgate cluster status'.
set -u
dir="${1:?state directory}"
name="${3:-}"
state="${4:-}"
priority="${5:-}"
# Only known words reach the files and the log: keepalived passes these, anything else is refused.
case "$state" in MASTER|BACKUP|FAULT|STOP) ;; *) state=UNKNOWN ;; esac
case "$name" in ''|*[!A-Za-z0-9_.-]*) name=unknown ;; esac
case "$priority" in ''|*[!0-9]*) priority=0 ;; esac
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
umask 077
mkdir -p "$dir" || exit 1
printf '%s %s\n' "$state" "$now" > "$dir/state.tmp" && mv -f "$dir/state.tmp" "$dir/state"
printf '{"time":"%s","event":"vip-state","instance":"%s","state":"%s","priority":%s}\n' \
  "$now" "$name" "$state" "$priority" >> "$dir/vip-audit.jsonl"
logger -t sealgate-vip -p daemon.notice "VRRP instance $name is now $state (priority $priority)" 2>/dev/null || true
exit 0
