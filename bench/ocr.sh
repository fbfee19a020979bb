#!/bin/sh
# bench/ocr.sh BUILD CORPUS - what OCR costs (issue 15): seconds per scanned
# page of vind-index (Tesseract via lib/ocr.c, a fresh OCR cache), the same
# page again from the cache (--full), and the word accuracy on the generated
# scan of tests/unit/test_ocr.c against the text it was drawn from. The
# machine's load is printed with the figures: OCR is CPU-bound. Timing only,
# never pass/fail.
set -eu
build=${1:-build}
corpus=${2:-../shared/corpus}
[ -x "$build/tests/test_ocr" ] || make --no-print-directory -s BUILD="$build" "$build/tests/test_ocr"
[ -f /usr/share/tesseract-ocr/5/tessdata/nld.traineddata ] || { echo "bench/ocr.sh: no Tesseract nld data"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }

# run NAME SITE [--full]: indexes SITE into $tmp/NAME.db, prints wall seconds
run() {
    name=$1; site=$2; shift 2
    start=$(now)
    "$build/bin/vind-index" --db "$tmp/$name.db" --base-url / "$@" "$site" 2>"$tmp/$name.log" >/dev/null || true
    echo "$(now) - $start" | bc -l
}
# pages of the summary line "ocr N pages in S s (M from the cache)"
ocr_pages() { sed -n 's/^ocr \([0-9]*\) pages.*/\1/p' "$tmp/$1.log"; }

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
mkdir -p "$tmp/gen"
"$build/tests/test_ocr" --write-scan "$tmp/gen/scan.pdf"
first=$(run gen "$tmp/gen")
gen_pages=$(ocr_pages gen)
cached=$(run gen "$tmp/gen" --full)
printf 'generated scan (1 OCR page of 2): %.1f s a run with OCR (%s page OCR), %.1f s from the cache\n' \
    "$first" "$gen_pages" "$cached"

"$build/tests/test_ocr" --print-text >"$tmp/truth.txt"
# accuracy DB LABEL: the share of the drawn words found, in order, in the OCR of page 2
accuracy() {
    "$build/bin/vind" --db "$tmp/$1.db" doc --text /scan.pdf >"$tmp/$1.txt"
    python3 - "$tmp/truth.txt" "$tmp/$1.txt" "$2" <<'PY'
import difflib, re, sys
words = lambda text: re.findall(r"\w+", text)
truth = words(open(sys.argv[1], encoding="utf-8").read())
page = open(sys.argv[2], encoding="utf-8").read().split("--- pagina 2 ---", 1)[-1]
got = words(page)
matched = sum(b.size for b in difflib.SequenceMatcher(None, truth, got, autojunk=False).get_matching_blocks())
wrong = [w for w in truth if w not in got]
print("word accuracy, %s: %d of %d words (%.1f%%)%s" % (
    sys.argv[3], matched, len(truth), 100.0 * matched / len(truth),
    ", misread: " + " ".join(wrong) if wrong else ""))
PY
}
accuracy gen "generated scan (300 dpi, clean)"

mkdir -p "$tmp/rough"
"$build/tests/test_ocr" --write-rough-scan "$tmp/rough/scan.pdf"
rough=$(run rough "$tmp/rough")
printf 'rough scan (200 dpi, tilted 0.8 degrees, grey, 2%% specks): %.1f s a run with OCR\n' "$rough"
accuracy rough "rough scan"

scan="$corpus/pdf/plooi-blg-1007826-nota-lnv-gescand.pdf"
if [ -f "$scan" ]; then
    mkdir -p "$tmp/lnv"
    cp "$scan" "$tmp/lnv/"
    lnv=$(run lnv "$tmp/lnv")
    pages=$(ocr_pages lnv)
    summary=$(grep '^ocr ' "$tmp/lnv.log" || true)
    lnv_cached=$(run lnv "$tmp/lnv" --full)
    printf 'corpus scan (LNV memo, 2 image-only pages): %.1f s, %.1f s per page; %.1f s again from the cache\n' \
        "$lnv" "$(echo "$lnv / ${pages:-1}" | bc -l)" "$lnv_cached"
    echo "  vind-index said: $summary"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
