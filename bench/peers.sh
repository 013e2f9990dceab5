#!/usr/bin/env bash
# peers.sh: measures `supervise run` (cmd/supervise) against a bare
# fork/exec/wait loop, supervisord and s6 on the same process children.
# Run it by hand as root (it may apt-get install supervisor and s6); CI
# never runs it.
#
#   bash bench/peers.sh [SECONDS] [CHILDREN] [RUNS]
#
# 1. Restart latency: one child that appends the monotonic clock to a file
#    and exits 1 at once (bench/cmd/stamp crash), each supervisor told not to
#    back off; for SECONDS (default 5) the differences between consecutive
#    stamps are its restart latencies: count, mean, p50, p99. The bare loop
#    (bench/cmd/bareloop: fork, exec, wait, again) is the floor every
#    supervisor is compared with: "× bare" is mean / the bare loop's mean.
# 2. Start and stop: CHILDREN (default 200) idle children (stamp idle, which
#    traps SIGTERM and exits on it); start = from launching the supervisor
#    to the last child's stamp, stop = from SIGTERM (s6: s6-svscanctl -t) to
#    the supervisor's exit.
# 3. Memory per idle child: the proportional resident set (Pss) of the
#    supervisor's own processes (supervise; supervisord; s6-svscan and its
#    s6-supervise processes), children excluded, with CHILDREN idle children minus with
#    one, divided by CHILDREN-1, in KiB.
#
# Every figure is the median of RUNS (default 1) runs, the supervisors taking
# turns within a run; the load average is printed before and after, and a
# table from a busy machine is not one to publish. Each supervisor runs with
# its own defaults otherwise: supervisord restarts through its event loop;
# s6-supervise waits at least one second between two launches of a service
# that dies at once, by design, so its restart figure is that floor. The
# table goes to stdout as markdown.
#
# Environment: SUPERVISE_BASE=BINARY adds a row "supervise-base" for another
# build of cmd/supervise, measured in the same run (a before/after
# comparison); PEERS="supervise supervise-base" limits the rows (the bare
# loop is always measured).
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-5}
N=${2:-200}
RUNS=${3:-1}
W=$(mktemp -d /tmp/peers.XXXXXX)
trap 'rm -rf "$W"' EXIT

need() { command -v "$1" >/dev/null 2>&1; }
if ! need supervisord || ! need s6-svscan; then
  if [ "$(id -u)" = 0 ] && need apt-get; then
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq supervisor s6 >/dev/null || true
  fi
fi

go build -o "$W/stamp" ./bench/cmd/stamp
go build -o "$W/bareloop" ./bench/cmd/bareloop
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
    supervise|supervise-base)
      supervise_conf "$W/tree.yaml" "$mode" "$n" "$f"
      "$W/$sup" run --log-format json "$W/tree.yaml" >"$W/supervise.log" 2>&1 &
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

# rss_kib PID: proportional resident KiB (Pss, so that the shared libraries
# of s6's many processes count once) of PID and its descendants, stamp
# children excluded.
rss_kib() {
  python3 - "$1" <<'PY'
import os, sys
root = int(sys.argv[1])
kids, comm = {}, {}
for d in os.listdir("/proc"):
    if not d.isdigit():
        continue
    try:
        with open(f"/proc/{d}/stat") as f:
            st = f.read()
    except OSError:
        continue
    name = st[st.index("(") + 1:st.rindex(")")]
    ppid = int(st[st.rindex(")") + 2:].split()[1])
    comm[int(d)] = name
    kids.setdefault(ppid, []).append(int(d))
total, todo = 0, [root]
while todo:
    p = todo.pop()
    todo += kids.get(p, [])
    if comm.get(p) == "stamp":
        continue
    try:
        for l in open(f"/proc/{p}/smaps_rollup"):
            if l.startswith("Pss:"):
                total += int(l.split()[1])
    except OSError:
        pass
print(total)
PY
}

# idle_rss SUP COUNT: RSS in KiB of SUP running COUNT idle children.
idle_rss() {
  local f="$W/rss.$1.$2"; : >"$f"
  start "$1" idle "$2" "$f"
  if wait_lines "$f" "$2" 60; then
    sleep 1
    rss_kib "$PID"
  else
    echo timeout
  fi
  stop "$1"
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# median FILE COLUMN: the median of a column of "name v1 v2 ..." lines.
median() {
  python3 - "$@" <<'PY'
import sys
vals = []
for l in open(sys.argv[1]):
    f = l.split()
    try:
        vals.append(float(f[int(sys.argv[2])]))
    except (ValueError, IndexError):
        pass
vals.sort()
if not vals:
    print("–")
elif len(vals) % 2:
    print("%.0f" % vals[len(vals) // 2])
else:
    print("%.0f" % ((vals[len(vals) // 2 - 1] + vals[len(vals) // 2]) / 2))
PY
}

sups=(bare)
[ $HAVE_SUPERVISE = 1 ] && sups+=(supervise)
need supervisord && sups+=(supervisord)
need s6-svscan && sups+=(s6)
if [ -n "${SUPERVISE_BASE:-}" ]; then
  cp "$SUPERVISE_BASE" "$W/supervise-base"; sups+=(supervise-base)
fi
[ -n "${PEERS:-}" ] && read -ra sups <<<"bare $PEERS"

load0=$(loadavg)
for run in $(seq 1 "$RUNS"); do
  for sup in "${sups[@]}"; do
    f="$W/restart.$sup"; : >"$f"
    if [ "$sup" = bare ]; then
      "$W/bareloop" "$SECS" "$W/stamp" crash "$f"
      echo "$(stats "$f") – – –" >>"$W/rows.$sup"
      continue
    fi
    start "$sup" crash 1 "$f"
    sleep "$SECS"
    stop "$sup"
    read -r cnt mean p50 p99 < <(stats "$f")

    f="$W/idle.$sup"; : >"$f"
    t0=$(now_ns)
    start "$sup" idle "$N" "$f"
    if wait_lines "$f" "$N" 60; then
      st=$(( ($(sort -n "$f" | tail -n 1) - t0) / 1000000 ))
      sleep 1
      big=$(rss_kib "$PID")
      t1=$(now_ns)
      stop "$sup"
      sp=$(( ($(now_ns) - t1) / 1000000 ))
      one=$(idle_rss "$sup" 1)
      echo "pss $sup: $big KiB with $N, $one KiB with 1" >&2
      rss=$(python3 -c "print('%.1f' % (($big - $one) / max(1, $N - 1)))" 2>/dev/null || echo –)
    else
      st="timeout"; stop "$sup"; sp="–"; rss="–"
    fi
    echo "$cnt $mean $p50 $p99 $st $sp $rss" >>"$W/rows.$sup"
  done
done
load1=$(loadavg)

echo "Process supervisors on $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs, $(date -u +%F), median of $RUNS run(s)."
echo "Load average before: $load0; after: $load1."
echo
echo "| supervisor | restarts in ${SECS}s | restart mean µs | × bare | p50 µs | p99 µs | start $N children ms | SIGTERM→exit, $N children ms | PSS per idle child KiB |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
bare=$(median "$W/rows.bare" 1)
for sup in "${sups[@]}"; do
  r="$W/rows.$sup"
  m=$(median "$r" 1)
  x=$(python3 -c "print('%.2f' % ($m / $bare))" 2>/dev/null || echo –)
  rss=$(python3 - "$r" <<'PY'
import sys
v = sorted(float(l.split()[6]) for l in open(sys.argv[1]) if len(l.split()) > 6 and l.split()[6][0].isdigit())
print("%.1f" % v[len(v) // 2] if v else "–")
PY
)
  echo "| $sup | $(median "$r" 0) | $m | $x | $(median "$r" 2) | $(median "$r" 3) | $(median "$r" 4) | $(median "$r" 5) | $rss |"
done
