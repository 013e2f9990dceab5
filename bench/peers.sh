#!/usr/bin/env bash
# peers.sh: measures `supervise run` (cmd/supervise) against supervisord and
# s6 on the same process children. Run it by hand as root (it may
# apt-get install supervisor and s6); CI never runs it.
#
#   bash bench/peers.sh [SECONDS] [CHILDREN]
#
# 1. Restart latency: one child that appends the monotonic clock to a file
#    and exits 1 at once (bench/cmd/stamp crash), each supervisor told not to
#    back off; for SECONDS (default 5) the differences between consecutive
#    stamps are its restart latencies: count, mean, p50, p99.
# 2. Start and stop: CHILDREN (default 100) idle children (stamp idle);
#    start = from launching the supervisor to the last child's stamp, stop =
#    from SIGTERM (s6: s6-svscanctl -t) to the supervisor's exit.
#
# Each supervisor runs with its own defaults otherwise: supervisord restarts
# through its event loop; s6-supervise waits at least one second between two
# launches of a service that dies at once, by design, so its restart figure
# is that floor. The table goes to stdout as markdown.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-5}
N=${2:-100}
W=$(mktemp -d /tmp/peers.XXXXXX)
trap 'rm -rf "$W"' EXIT

need() { command -v "$1" >/dev/null 2>&1; }
if ! need supervisord || ! need s6-svscan; then
  if [ "$(id -u)" = 0 ] && need apt-get; then
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq supervisor s6 >/dev/null || true
  fi
fi

go build -o "$W/stamp" ./bench/cmd/stamp
HAVE_SUPERVISE=0
if go build -o "$W/supervise" ./cmd/supervise 2>"$W/build.err"; then HAVE_SUPERVISE=1; else
  echo "peers.sh: cmd/supervise does not build; skipping it:" >&2; cat "$W/build.err" >&2
fi

now_ns() { python3 -c 'import time; print(time.monotonic_ns())'; }

# stats FILE: count mean p50 p99 of consecutive differences, in µs.
stats() {
  python3 - "$1" <<'PY'
import sys
t = [int(l) for l in open(sys.argv[1]) if l.strip()]
d = sorted(b - a for a, b in zip(t, t[1:]))
if not d:
    print("0 – – –"); sys.exit()
q = lambda p: d[min(len(d) - 1, max(0, -(-len(d) * p // 100) - 1))]
print(len(d), "%.0f" % (sum(d) / len(d) / 1e3), "%.0f" % (q(50) / 1e3), "%.0f" % (q(99) / 1e3))
PY
}

# wait_lines FILE COUNT TIMEOUT_S: waits until FILE has COUNT lines.
wait_lines() {
  local end=$((SECONDS + $3))
  while [ "$(wc -l <"$1" 2>/dev/null || echo 0)" -lt "$2" ]; do
    [ $SECONDS -ge $end ] && return 1
    sleep 0.01
  done
}

last_line() { tail -n 1 "$1"; }

# ---- configurations ------------------------------------------------------
supervise_conf() { # FILE MODE COUNT STAMPFILE
  {
    echo "name: peers"
    echo "intensity: 100000000"
    echo "period: 1h"
    echo "backoff: {initial: 0s}"
    echo "children:"
    for i in $(seq 1 "$3"); do
      echo "  - name: c$i"
      echo "    command: [\"$W/stamp\", \"$2\", \"$4\"]"
      echo "    restart: permanent"
      echo "    shutdown: 5s"
    done
  } >"$1"
}

supervisord_conf() { # FILE MODE COUNT STAMPFILE
  {
    echo "[supervisord]"
    echo "nodaemon=true"
    echo "logfile=$W/supervisord.log"
    echo "pidfile=$W/supervisord.pid"
    echo "childlogdir=$W"
    echo "[unix_http_server]"
    echo "file=$W/supervisord.sock"
    for i in $(seq 1 "$3"); do
      echo "[program:c$i]"
      echo "command=$W/stamp $2 $4"
      echo "autorestart=true"
      echo "startsecs=0"
      echo "startretries=100000000"
      echo "stopwaitsecs=5"
      echo "stdout_logfile=NONE"
      echo "stderr_logfile=NONE"
    done
  } >"$1"
}

s6_dir() { # DIR MODE COUNT STAMPFILE
  mkdir -p "$1"
  for i in $(seq 1 "$3"); do
    mkdir -p "$1/c$i"
    printf '#!/bin/sh\nexec %s %s %s\n' "$W/stamp" "$2" "$4" >"$1/c$i/run"
    chmod +x "$1/c$i/run"
  done
}

# start SUP MODE COUNT STAMPFILE: launches SUP in the background, sets PID.
start() {
  local sup=$1 mode=$2 n=$3 f=$4
  case $sup in
    supervise)
      supervise_conf "$W/tree.yaml" "$mode" "$n" "$f"
      "$W/supervise" run --log-format json "$W/tree.yaml" >"$W/supervise.log" 2>&1 &
      PID=$! ;;
    supervisord)
      supervisord_conf "$W/supervisord.conf" "$mode" "$n" "$f"
      supervisord -c "$W/supervisord.conf" >/dev/null 2>&1 &
      PID=$! ;;
    s6)
      rm -rf "$W/scan"; s6_dir "$W/scan" "$mode" "$n" "$f"
      s6-svscan "$W/scan" >/dev/null 2>&1 &
      PID=$! ;;
  esac
}

stop() { # SUP
  case $1 in
    s6) s6-svscanctl -t "$W/scan" ;;
    *) kill -TERM "$PID" ;;
  esac
  wait "$PID" 2>/dev/null || true
}

sups=()
[ $HAVE_SUPERVISE = 1 ] && sups+=(supervise)
need supervisord && sups+=(supervisord)
need s6-svscan && sups+=(s6)

echo "Process supervisors on $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs, $(date -u +%F)."
echo
echo "| supervisor | restarts in ${SECS}s | restart mean µs | p50 µs | p99 µs | start $N children ms | stop $N children ms |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for sup in "${sups[@]}"; do
  f="$W/restart.$sup"; : >"$f"
  start "$sup" crash 1 "$f"
  sleep "$SECS"
  stop "$sup"
  read -r cnt mean p50 p99 < <(stats "$f")

  f="$W/idle.$sup"; : >"$f"
  t0=$(now_ns)
  start "$sup" idle "$N" "$f"
  if wait_lines "$f" "$N" 60; then
    st=$(( ($(sort -n "$f" | tail -n 1) - t0) / 1000000 ))
    t1=$(now_ns)
    stop "$sup"
    sp=$(( ($(now_ns) - t1) / 1000000 ))
  else
    st="timeout"; stop "$sup"; sp="–"
  fi
  echo "| $sup | $cnt | $mean | $p50 | $p99 | $st | $sp |"
done
