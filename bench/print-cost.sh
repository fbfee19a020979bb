#!/bin/sh
# bench/print-cost.sh BUILD [CORPUS] - the CPU time of one near-duplicate look-up once the index
# holds 1,000, 20,000 and 100,000 fingerprints: by bands (lib/prints.c) and by the walk over
# every fingerprint it replaced (bench/print-cost.c). Timing only, never pass/fail.
# PRINT_COST_SIZES="1000000" measures a million (the walk then takes ~90 s).
set -eu
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
case "$build" in /*) ;; *) build="$top/$build" ;; esac
[ -x "$build/bench/print-cost" ] || { echo "bench/print-cost.sh: no $build/bench/print-cost"; exit 0; }
echo "near-duplicate look-up, CPU per document (fingerprints, bands us, walk us, found)"
for n in ${PRINT_COST_SIZES:-1000 20000 100000}; do
    "$build/bench/print-cost" "$n"
done
