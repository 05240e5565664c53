#!/bin/sh
# Sealgate VIP notify script, run by keepalived (as root). Two ways:
#   notify.sh STATE_DIR FIFO                       keepalived's vrrp_notify_fifo_script (what the rendered
#                                                  config uses): reads "INSTANCE "NAME" STATE PRIORITY" lines
#                                                  from FIFO, one after the other, until keepalived closes it
#   notify.sh STATE_DIR TYPE NAME STATE PRIORITY   one change (a plain notify script, or by hand)
# Each change is logged (syslog, tag sealgate-vip), appended as an audit record to STATE_DIR/vip-audit.jsonl and
# replaces STATE_DIR/state ("STATE TIME"), which 'sealgate vip watch' publishes in ZooKeeper for
# 'sealgate cluster status'. Why the FIFO: keepalived starts a plain notify script per change without waiting, so
# two quick changes (BACKUP, then MASTER 0.6 s later) can finish in the wrong order on a busy host and leave the
# older state recorded; one reader of keepalived's FIFO records them in the order they happened.
set -u
dir="${1:?state directory}"
# Group-readable: the unprivileged 'vip watch' reads the state (the appliance's directory is root:sealgate, setgid).
umask 027
mkdir -p "$dir" || exit 1

record() { # NAME STATE PRIORITY
  name="$1"
  state="$2"
  priority="$3"
  # Only known words reach the files and the log: keepalived passes these, anything else is refused.
  case "$state" in MASTER|BACKUP|FAULT|STOP) ;; *) state=UNKNOWN ;; esac
  case "$name" in ''|*[!A-Za-z0-9_.-]*) name=unknown ;; esac
  case "$priority" in ''|*[!0-9]*) priority=0 ;; esac
  now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  printf '%s %s\n' "$state" "$now" > "$dir/state.tmp" && mv -f "$dir/state.tmp" "$dir/state"
  printf '{"time":"%s","event":"vip-state","instance":"%s","state":"%s","priority":%s}\n' \
    "$now" "$name" "$state" "$priority" >> "$dir/vip-audit.jsonl"
  logger -t sealgate-vip -p daemon.notice "VRRP instance $name is now $state (priority $priority)" 2>/dev/null || true
}

if [ $# -ne 2 ]; then
  record "${3:-}" "${4:-}" "${5:-}"
  exit 0
fi

fifo="$2"
# keepalived sends TERM before it reloads or stops, then writes its last lines (STOP) and closes the FIFO:
# reading on to the end keeps those.
trap '' TERM
last=unknown
while IFS= read -r line; do
  set -f
  # shellcheck disable=SC2086 # split into words on purpose; no globbing (set -f)
  set -- $line
  set +f
  [ $# -eq 4 ] && [ "$1" = INSTANCE ] || continue
  # Events that are not states (MASTER_RX_LOWER_PRI, priority changes) change nothing here; DELETED: the
  # instance is gone from the configuration, as good as stopped.
  case "$3" in
    MASTER|BACKUP|FAULT|STOP) ;;
    DELETED) set -- "$1" "$2" STOP "$4" ;;
    *) continue ;;
  esac
  # keepalived quotes the name; record refuses any quote left inside it.
  name="${2#\"}"
  name="${name%\"}"
  record "$name" "$3" "$4"
  last="$name"
done < "$fifo"
# The FIFO closed. After a reload keepalived still runs, its state unchanged (a change goes to the next reader);
# keepalived gone without a STOP (killed) has left this script to a new parent: record STOP.
parent=$(sed 's/.*) //' "/proc/$$/stat" 2>/dev/null | cut -d' ' -f2)
if [ "$parent" != "$PPID" ] || ! kill -0 "$PPID" 2>/dev/null; then
  record "$last" STOP 0
fi
exit 0
