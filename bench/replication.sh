#!/bin/sh
# bench/replication.sh BUILD CORPUS - a replica kept by stock xapian-replicate, timing only
# (never pass/fail; docs/scaling.md, "Replication"):
#
#   1. the first full copy of the corpus site's index (1,177 HTML pages; the sample site without
#      a corpus): seconds and bytes;
#   2. a 1,000-document change on the master (a word added to 1,000 pages, re-indexed with
#      changesets): vind-index's time, the changeset's bytes, and the lag from the end of
#      vind-index until the replica's vind-searchd finds all 1,000 (xapian-replicate asks every
#      second: -i 1; the lag is polled every 50 ms);
#   3. vind-searchd on the replica under wrk (64 connections, the cache off, the request mix of
#      bench/searchd-queries.py): requests/s and p50/p99; then two daemons on the same replica,
#      each under its own wrk with 32 connections: what two replicas sharing these 2 cores give;
#   4. wrk against the replica's daemon while the master changes twice (a changeset of 1,000
#      documents, then a full copy: the master re-indexed without changesets, so the replica
#      switches sub-folders): errors and non-2xx answers, and the daemon's 5xx log lines.
#
# BENCH_SECONDS (default 20) is the length of each wrk run. Needs xapian-tools and wrk
# (scripts/debian-packages.txt). Everything on 127.0.0.1.
set -eu
build=${1:-build}
corpus=${2:-../shared/corpus}
seconds=${BENCH_SECONDS:-20}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/build-dir"
PYTHON=${PYTHON:-python3}

for tool in wrk xapian-replicate xapian-replicate-server; do
    command -v $tool >/dev/null || { echo "bench/replication.sh: $tool not installed"; exit 0; }
done
[ -x "$build/bin/vind-searchd" ] || { echo "bench/replication.sh: no $build/bin/vind-searchd"; exit 0; }

tmp=$(mktemp -d)
pids=
cleanup() {
    for pid in $pids; do kill "$pid" 2>/dev/null || true; done
    for pid in $pids; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc -l; }

if [ -d "$corpus/site" ]; then
    echo "replication bench: the corpus site ($corpus/site), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
    cp -r "$corpus/site" "$tmp/site"
elif [ -f "$build/sample-site/index.html" ]; then
    echo "replication bench: the sample site (no corpus at $corpus), $(nproc) CPUs"
    cp -r "$build/sample-site" "$tmp/site"
else
    echo "replication bench: neither a corpus at $corpus nor $build/sample-site"
    exit 0
fi
site="$tmp/site"
mkdir -p "$tmp/master"
db="$tmp/master/site"
replica="$tmp/replica"

# index [N] - vind-index over the site into the master; XAPIAN_MAX_CHANGESETS=N (default 10)
# makes each commit leave a changeset for the replicas; N=0 writes none (replicas get a full copy).
index() {
    if [ "${1:-10}" -gt 0 ]; then
        set -- env XAPIAN_MAX_CHANGESETS="${1:-10}"
    else
        set -- env -u XAPIAN_MAX_CHANGESETS
    fi
    "$@" "$build/bin/vind-index" --quiet --db "$db" --base-url / "$site" >/dev/null 2>&1 || true
}
index

# A session of its own for the server: it passes SIGTERM on to its whole process group.
port=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
setsid xapian-replicate-server -I 127.0.0.1 -p "$port" "$tmp/master" >"$tmp/server.log" 2>&1 &
pids="$pids $!"
sleep 0.5

# --- 1: the first copy --------------------------------------------------------------------------
t0=$(now)
setsid xapian-replicate -h 127.0.0.1 -p "$port" -m site -i 1 -r 1 -t 30 -v "$replica" >"$tmp/replicate.log" 2>&1 &
pids="$pids $!"
while [ ! -f "$replica/XAPIANDB" ]; do sleep 0.05; done
printf '  first full copy: %.2f s, %s kB (the master: %s kB)\n' "$(since "$t0")" \
    "$(du -sk "$replica" | cut -f1)" "$(du -sk "$db" | cut -f1)"

# start_daemon LABEL ARGS... - vind-searchd on the replica, a free port; sets $port_sd, $pid_sd.
start_daemon() {
    log="$tmp/searchd-$1.log"; shift
    "$build/bin/vind-searchd" --db "$replica" --listen 127.0.0.1:0 "$@" 2>"$log" &
    pid_sd=$!
    pids="$pids $pid_sd"
    port_sd=
    for _ in $(seq 100); do
        port_sd=$(sed -n 's|.*listening on http://[^:]*:\([0-9]*\)/.*|\1|p' "$log")
        [ -n "$port_sd" ] && break
        sleep 0.1
    done
    [ -n "$port_sd" ] || { echo "bench: vind-searchd did not start"; cat "$log"; exit 1; }
}
total() { # WORD - the number of documents the daemon on $port_sd finds for WORD
    "$PYTHON" -c 'import json, sys, urllib.request
print(json.load(urllib.request.urlopen(sys.argv[1]))["total"])' \
        "http://127.0.0.1:$port_sd/api/search?q=$1&limit=1" 2>/dev/null || echo 0
}
revision() { # the revision the daemon on $port_sd serves (0 when it does not answer)
    "$PYTHON" -c 'import json, sys, urllib.request
print(json.load(urllib.request.urlopen(sys.argv[1])).get("revision", 0))' \
        "http://127.0.0.1:$port_sd/health" 2>/dev/null || echo 0
}
# wait_served - waits (at most 120 s) until the daemon on $port_sd serves the master's
# revision; sets $lag (seconds, or "over 120").
wait_served() {
    target=$(xapian-delve "$db" | sed -n 's/^revision = //p')
    t1=$(now)
    lag=
    while [ "$(revision)" != "$target" ]; do
        [ "$(echo "$(since "$t1") > 120" | bc)" = 1 ] && { lag="over 120"; return; }
        sleep 0.05
    done
    lag=$(printf '%.2f' "$(since "$t1")")
}
start_daemon one --max-connections 1024 --max-connections-per-ip 1024 --max-searches-per-ip 64 --cache-size 0
one_port=$port_sd

# change WORD - adds WORD to the first paragraph of 1,000 pages of the site (at most every page).
change() {
    find "$site" -name '*.html' | sort | head -1000 >"$tmp/changed.txt"
    xargs sed -i "0,/<p>/s|<p>|<p>$1 |" <"$tmp/changed.txt"
}

# --- 2: a 1,000-document change -----------------------------------------------------------------
word=replicatieproefwoord
change "$word"
ls "$db"/changes* 2>/dev/null | sort >"$tmp/changes-before.txt" || true
t0=$(now)
index
index_s=$(since "$t0")
ls "$db"/changes* | sort | comm -13 "$tmp/changes-before.txt" - >"$tmp/changes-new.txt"
bytes=$(xargs cat <"$tmp/changes-new.txt" | wc -c)
wait_served
printf '  %d pages changed: vind-index %.2f s on the master, new changesets %d kB; the replica serves the new revision %s s after vind-index ended (xapian-replicate -i 1), finding %s documents with the new word\n' \
    "$(wc -l <"$tmp/changed.txt")" "$index_s" $((bytes / 1024)) "$lag" "$(total "$word")"

# --- 3: throughput of one replica, and of two on the same cores ---------------------------------
port_sd=$one_port
"$PYTHON" "$here/searchd-queries.py" "http://127.0.0.1:$port_sd" "$site" "$tmp/queries.txt" 1000
run_wrk() { # LABEL PORT CONNECTIONS [SECONDS] - one wrk run ($seconds s); prints its figures
    wrk -t2 -c"$3" -d"${4:-$seconds}s" --timeout 30s -s "$here/searchd.lua" "http://127.0.0.1:$2" \
        -- "$tmp/queries.txt" 2>&1 | grep '^RESULT' | sed "s|^RESULT|$1|" | tr ' ' '\n' | awk -v label="$1" '
        { split($0, kv, "="); v[kv[1]] = kv[2] }
        END { printf "  %-36s %7.0f req/s  p50 %7.2f ms  p99 %7.2f ms  errors: connect %d, read %d, timeout %d, non-2xx %d\n",
                     label, v["rps"], v["p50_ms"], v["p99_ms"], v["connect"], v["read"], v["timeout"], v["status"] }'
}
run_wrk "one replica, 64 conn." "$port_sd" 64
start_daemon two --max-connections 1024 --max-connections-per-ip 1024 --max-searches-per-ip 64 --cache-size 0
run_wrk "two replicas on 2 cores: first" "$one_port" 32 >"$tmp/wrk-a.txt" &
a=$!
run_wrk "two replicas on 2 cores: second" "$port_sd" 32 >"$tmp/wrk-b.txt"
wait "$a"
cat "$tmp/wrk-a.txt" "$tmp/wrk-b.txt"
kill "$pid_sd"; wait "$pid_sd" 2>/dev/null || true

# --- 4: load during a changeset and a full copy -------------------------------------------------
port_sd=$one_port
# wrk runs until both changes are served, then stops on SIGINT (and reports).
wrk -t2 -c64 -d600s --timeout 30s -s "$here/searchd.lua" "http://127.0.0.1:$port_sd" -- "$tmp/queries.txt" \
    >"$tmp/wrk-c.raw" 2>&1 &
w=$!
sleep 2
stub_before=$(tail -1 "$replica/XAPIANDB")
change replicatieproeftwee
index
wait_served
echo "  under load: a changeset served $lag s after vind-index ended"
change replicatieproefdrie
index 0
wait_served
echo "  under load: a full copy (no changeset) served $lag s after vind-index ended"
sleep 2
kill -INT "$w"
wait "$w" || true
grep '^RESULT' "$tmp/wrk-c.raw" | sed "s|^RESULT|during both|" | tr ' ' '\n' | awk '
    { split($0, kv, "="); v[kv[1]] = kv[2] }
    END { printf "  %-36s %7.0f req/s  p50 %7.2f ms  p99 %7.2f ms  errors: connect %d, read %d, timeout %d, non-2xx %d\n",
                 "during both", v["rps"], v["p50_ms"], v["p99_ms"], v["connect"], v["read"], v["timeout"], v["status"] }'
echo "  the replica's stub: '$stub_before' before, '$(tail -1 "$replica/XAPIANDB")' after;" \
     "$(grep -c ' 5[0-9][0-9] ' "$tmp/searchd-one.log" || true) 5xx in the daemon's log"
grep '^Update complete' "$tmp/replicate.log" | sort | uniq -c | sed 's/^/  xapian-replicate: /'
