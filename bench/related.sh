#!/bin/sh
# bench/related.sh BUILD CORPUS - related documents on the shared corpus: the
# time of `vind related --all` (the site generator's data file, every
# article at once; best of three runs), and of single --url look-ups (one
# process each, so it includes opening the index and the lexicon). Timing
# only, never pass/fail.
set -eu
build=${1:-build}
corpus=${2:-../shared/corpus}
[ -d "$corpus/site" ] || { echo "bench/related.sh: no corpus at $corpus"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export VIND_DATADIR="${VIND_DATADIR:-$build/share/vind}"

now() { date +%s.%N; }

"$build/bin/vind-index" --quiet --db "$tmp/db" --base-url / "$corpus/site" "$corpus/pdf" \
    >/dev/null 2>&1 || true

best=
for run in 1 2 3; do
    start=$(now)
    "$build/bin/vind" related --db "$tmp/db" --all --format json --output "$tmp/related-$run.json"
    end=$(now)
    t=$(echo "$end - $start" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" -eq 1 ]; then best=$t; fi
done
articles=$(grep -c '^  "/' "$tmp/related-1.json" || true)
same=no
cmp -s "$tmp/related-1.json" "$tmp/related-2.json" && cmp -s "$tmp/related-1.json" "$tmp/related-3.json" && same=yes

urls=$(grep '^  "/' "$tmp/related-1.json" | head -50 | sed 's/^  "\([^"]*\)".*/\1/')
count=0
start=$(now)
for url in $urls; do
    "$build/bin/vind" related --db "$tmp/db" --url "$url" --format json >/dev/null || true
    count=$((count + 1))
done
end=$(now)
single=$(echo "$end - $start" | bc -l)

printf 'vind related --all: %d articles in %.2f s (best of 3) = %.1f ms per article; identical runs: %s\n' \
    "$articles" "$best" "$(echo "$best * 1000 / $articles" | bc -l)" "$same"
printf 'vind related --url: %d look-ups in %.2f s = %.1f ms each (a process each)\n' \
    "$count" "$single" "$(echo "$single * 1000 / $count" | bc -l)"
