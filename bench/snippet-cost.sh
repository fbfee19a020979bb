#!/bin/sh
# bench/snippet-cost.sh BUILD - snippet cost against document length: the thread CPU time of a
# search whose one hit is a generated 2,000-page PDF, and of the same search over a 2-page PDF
# (scripts/mkpdf.py, the same words; bench/search-cost measures it). A snippet reads and analyses
# only its windows (docs/schema.md, "Page text"), so the two should cost about the same. Timing
# only, never pass/fail.
set -eu
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/build-dir"
PYTHON=${PYTHON:-python3}
[ -x "$build/bench/search-cost" ] || { echo "bench/snippet-cost.sh: no $build/bench/search-cost"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# write_pdf NAME PARAGRAPHS: paragraphs of four words (about 27 a page), one rare word near the end
write_pdf() {
    mkdir -p "$tmp/$1"
    "$PYTHON" - "$2" > "$tmp/$1.txt" <<'PY'
import random, sys
random.seed(7)
words = "de zorg wonen bewoners gemeente rapport kwaliteit wijk budget personeel".split()
n = int(sys.argv[1])
print("\n\n".join(" ".join("mantelzorgtoeslag" if (i == n * 9 // 10 and w == 2) else random.choice(words)
                           for w in range(4)) + "." for i in range(n)))
PY
    "$PYTHON" "$top/scripts/mkpdf.py" "$tmp/$1/$1.pdf" --title "Rapport $1" "$tmp/$1.txt"
    "$build/bin/vind-index" --quiet --db "$tmp/$1.db" --base-url / "$tmp/$1" >/dev/null 2>&1
}
write_pdf groot 54000
write_pdf klein 40
for q in mantelzorgtoeslag "zorg+bewoners" "kwaliteit+wijk+budget"; do
    i=0
    while [ $i -lt 100 ]; do echo "/api/search?q=$q"; i=$((i + 1)); done
done > "$tmp/queries.txt"
for name in groot klein; do
    echo "snippet-cost: $name.pdf"
    "$build/bench/search-cost" "$tmp/$name.db" "$tmp/queries.txt" 2 | grep vind_search
done
