#!/bin/sh
# bench/searchd-split.sh BUILD DB PATHS [SECONDS] [THREADS] [HTTP_THREADS] - where a request's CPU goes in vind-searchd,
# by kind of thread, timing only (never pass/fail; docs/searchd.md "The cost outside vind_search").
#
# Starts BUILD's vind-searchd over DB (--threads THREADS search threads, default 4, and
# --http-threads HTTP_THREADS workers, default the daemon's; result cache off, the bench's
# limits and bench/searchd.sh's --heavy-search-ms, which says why), warms it with 2 s of wrk, then runs wrk (2 threads, 64 connections, SECONDS, default 8)
# over PATHS (one request path a line, as bench/searchd.lua takes them) and reads every thread's
# utime/stime (/proc/PID/task/*/stat) and context switches (/proc/PID/task/*/status) before and
# after. Prints, per request wrk counted:
#   worker: user and system CPU ms and context switches of libmicrohttpd's threads (HTTP, the
#           hand-over's wake-ups, the access log);
#   search: the same of the search threads (and the main thread, which is idle): vind_search, the
#           answer's JSON, the resume;
# then wrk's RESULT line and the load average (the machine is shared: say it with the figures).
# A clock tick is 10 ms: the figures are the sums over the run divided by the requests.
set -eu
build=$1 db=$2 paths=$3 seconds=${4:-8} threads=${5:-4} http_threads=${6:-}
here=$(cd "$(dirname "$0")" && pwd)
port=${PORT:-$((20000 + $$ % 20000))}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
VIND_DATADIR="${VIND_DATADIR:-$build/share/vind}" "$build/bin/vind-searchd" --db "$db" \
    --listen "127.0.0.1:$port" --threads "$threads" ${http_threads:+--http-threads "$http_threads"} \
    --max-connections 1024 \
    --max-connections-per-ip 1024 --max-searches-per-ip 64 --heavy-search-ms 100000 \
    --cache-size 0 2>"$tmp/log" &
daemon=$!
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.1; done
run_wrk() {
    wrk -t2 -c64 -d"$1"s --timeout 30s -s "$here/searchd.lua" "http://127.0.0.1:$port" -- "$paths"
}
# snapshot - one line a thread: name, utime, stime (ticks), voluntary, involuntary switches
snapshot() {
    for task in /proc/$daemon/task/*; do
        echo "$(cat "$task/comm") $(awk '{ sub(/.*\) /, ""); print $12, $13 }' "$task/stat")" \
            "$(awk '/^voluntary_ctxt/ { v = $2 } /^nonvoluntary_ctxt/ { n = $2 } END { print v, n }' \
                "$task/status")"
    done
}
run_wrk 2 >/dev/null 2>&1
snapshot >"$tmp/before"
run_wrk "$seconds" >"$tmp/wrk" 2>&1
snapshot >"$tmp/after"
kill "$daemon"
wait "$daemon" 2>/dev/null || true
requests=$(sed -n 's/^RESULT requests=\([0-9]*\).*/\1/p' "$tmp/wrk")
paste -d' ' "$tmp/before" "$tmp/after" | awk -v requests="${requests:-0}" -v tick="$(getconf CLK_TCK)" '
    { kind = ($1 ~ /^MHD/) ? "worker" : "search"
      user[kind] += $7 - $2; sys[kind] += $8 - $3; vol[kind] += $9 - $4; invol[kind] += $10 - $5 }
    END { if (requests == 0) { print "no requests"; exit 1 }
          for (kind in user)
              printf "%s: user %.4f sys %.4f ms a request, switches %.2f voluntary %.2f involuntary\n",
                     kind, user[kind] * 1000 / tick / requests, sys[kind] * 1000 / tick / requests,
                     vol[kind] / requests, invol[kind] / requests }'
grep '^RESULT' "$tmp/wrk"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
