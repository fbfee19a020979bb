#!/bin/sh
# bench/search-cost.sh BUILD CORPUS - the CPU cost of one search (thread CPU time of a vind_search
# call, facets and snippets on, as vind-searchd runs it) over the 1,000 real requests of
# bench/searchd.sh (bench/searchd-queries.py), a fifth of them with a filter. No result cache:
# every request is a fresh search. Timing only, never pass/fail. SEARCH_COST_NO_COLLAPSE=1 measures
# with near-duplicates listed one by one (what collapsing costs: docs/ranking.md).
set -eu
build=${1:-build}
corpus=${2:-../shared/corpus}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/build-dir"
PYTHON=${PYTHON:-python3}
[ -x "$build/bench/search-cost" ] || { echo "bench/search-cost.sh: no $build/bench/search-cost"; exit 0; }

tmp=$(mktemp -d)
. "$here/common"
index_site "search-cost" || exit 0
# The daemon only answers searchd-queries.py's probes (it keeps the requests that answer 200).
start_daemon
"$PYTHON" "$here/searchd-queries.py" "http://127.0.0.1:$port" "$site" "$tmp/queries.txt" 1000 2>/dev/null
stop_daemon
"$build/bench/search-cost" "$tmp/db" "$tmp/queries.txt" 3
