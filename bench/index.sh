#!/bin/sh
# bench/index.sh BUILD CORPUS - indexing speed on the shared corpus: files/s,
# MB/s and PDF pages/s of a full run of vind-index, against pdftotext on the
# same PDFs (the same poppler underneath: our floor). Timing only, never
# pass/fail.
set -eu
build=${1:-build}
corpus=${2:-../shared/corpus}
[ -d "$corpus/pdf" ] || { echo "bench/index.sh: no corpus at $corpus"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }

files=$(find "$corpus/site" "$corpus/pdf" -type f \( -name '*.html' -o -name '*.pdf' \) | wc -l)
bytes=$(find "$corpus/site" "$corpus/pdf" -type f \( -name '*.html' -o -name '*.pdf' \) -printf '%s\n' | awk '{s+=$1} END {print s}')
pages=$(for f in "$corpus"/pdf/*.pdf; do pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}'; done | awk '{s+=$1} END {print s}')

start=$(now)
"$build/bin/vind-index" --quiet --db "$tmp/db" --base-url / "$corpus/site" "$corpus/pdf" >/dev/null 2>&1 || true
end=$(now)
full=$(echo "$end - $start" | bc -l)

start=$(now)
"$build/bin/vind-index" --quiet --db "$tmp/db" --base-url / "$corpus/site" "$corpus/pdf" >/dev/null 2>&1 || true
end=$(now)
again=$(echo "$end - $start" | bc -l)

start=$(now)
"$build/bin/vind-index" --quiet --db "$tmp/pdf.db" --base-url / "$corpus/pdf" >/dev/null 2>&1 || true
end=$(now)
pdf_only=$(echo "$end - $start" | bc -l)

start=$(now)
for f in "$corpus"/pdf/*.pdf; do pdftotext -enc UTF-8 "$f" - >/dev/null 2>&1 || true; done
end=$(now)
pdftotext_time=$(echo "$end - $start" | bc -l)

printf 'vind-index, full run of the corpus: %d files, %.1f MB, %d PDF pages in %.2f s\n' \
    "$files" "$(echo "$bytes / 1048576" | bc -l)" "$pages" "$full"
printf '  %.0f files/s, %.2f MB/s\n' "$(echo "$files / $full" | bc -l)" \
    "$(echo "$bytes / 1048576 / $full" | bc -l)"
printf 'vind-index, second run (nothing changed): %.2f s\n' "$again"
printf 'vind-index, PDFs only: %.2f s = %.0f pages/s\n' "$pdf_only" "$(echo "$pages / $pdf_only" | bc -l)"
printf 'pdftotext, same PDFs, one after another: %.2f s = %.0f pages/s\n' "$pdftotext_time" \
    "$(echo "$pages / $pdftotext_time" | bc -l)"
printf 'ratio vind-index (PDFs, extract + analyse + index, %s jobs) / pdftotext: %.2f\n' \
    "$(nproc)" "$(echo "$pdf_only / $pdftotext_time" | bc -l)"
