#!/bin/sh
# bench/search-cost.sh BUILD CORPUS - the CPU cost of one search (thread CPU time of a vind_search
# call, facets and snippets on, as vind-searchd runs it) over the 1,000 real requests of
# bench/searchd.sh (bench/searchd-queries.py), a fifth of them with a filter. No result cache:
# every request is a fresh search. Timing only, never pass/fail.
set -eu
build=${1:-build}
corpus=${2:-../shared/corpus}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
case "$build" in /*) ;; *) build="$top/$build" ;; esac
export VIND_DATADIR="${VIND_DATADIR:-$build/share/vind}"
PYTHON=${PYTHON:-python3}
[ -x "$build/bench/search-cost" ] || { echo "bench/search-cost.sh: no $build/bench/search-cost"; exit 0; }

tmp=$(mktemp -d)
daemon=
cleanup() {
    [ -n "$daemon" ] && kill "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
if [ -d "$corpus/site" ]; then
    site="$corpus/site"
    "$build/bin/vind-index" --quiet --db "$tmp/db" --base-url / "$corpus/site" "$corpus/pdf" >/dev/null 2>&1 || true
else
    site="$build/sample-site"
    "$build/bin/vind-index" --quiet --db "$tmp/db" --base-url / "$site" >/dev/null 2>&1 || true
fi
# The daemon only answers searches-queries.py's probes (it keeps the requests that answer 200).
"$build/bin/vind-searchd" --db "$tmp/db" --listen 127.0.0.1:0 2>"$tmp/searchd.log" &
daemon=$!
port=
for _ in $(seq 100); do
    port=$(sed -n 's|.*listening on http://[^:]*:\([0-9]*\)/.*|\1|p' "$tmp/searchd.log")
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { echo "bench/search-cost.sh: vind-searchd did not start"; exit 1; }
"$PYTHON" "$here/searchd-queries.py" "http://127.0.0.1:$port" "$site" "$tmp/queries.txt" 1000 2>/dev/null
kill "$daemon"; wait "$daemon" 2>/dev/null || true; daemon=
"$build/bench/search-cost" "$tmp/db" "$tmp/queries.txt" 3
