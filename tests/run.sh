#!/bin/sh
# run.sh BUILD_DIR [BUILD_DIR...] - runs every unit test binary and every
# end-to-end test against each build, and ends with one line
# "N passed, N failed, N skipped" (CI reads it). Tests speak TAP.
#
# Environment: CORPUS (the shared corpus; tests that need it skip when it is
# absent, except under CI=true where its absence is a failure), PYTHON.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-python3}
log=$(mktemp)
timings=$(mktemp)
trap 'rm -f "$log" "$timings"' EXIT
status=0

run_one() { # label command...
    label=$1; shift
    started=$(date +%s)
    out=$("$@" 2>&1); rc=$?
    echo "$(( $(date +%s) - started )) $label" >>"$timings"
    printf '%s\n' "$out" | sed "s|^|[$label] |"
    printf '%s\n' "$out" | grep -E '^(not )?ok ' | sed "s|^|[$label] |" >>"$log"
    if [ $rc -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^not ok '; then
        # A crash or an exit without a failed assertion still counts as a failure.
        echo "not ok - $label exited with status $rc"
        echo "[$label] not ok - exited with status $rc" >>"$log"
    fi
}

# Tests that load libvind into Python (ctypes) use the first, unsanitized
# build: an ASan library cannot be loaded into an uninstrumented interpreter.
plain=$1
case "$plain" in /*) ;; *) plain="$top/$plain" ;; esac
export VIND_PLAIN_BUILD="$plain"
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# Tesseract's OpenMP threads would compete with the extraction workers on 2
# cores; and the corpus is indexed by several tests: its scan is OCR'd once
# into one cache for the whole run (test_ocr.py makes caches of its own).
export OMP_THREAD_LIMIT=1
VIND_OCR_CACHE=$(mktemp -d)
export VIND_OCR_CACHE
trap 'rm -rf "$log" "$timings" "$VIND_OCR_CACHE"' EXIT

# Long process-level tests (kill -9 loops, a full disk, hostile files, the
# browser, live re-indexing, the corpus checks) run once, on the first build;
# a second, sanitized build runs the unit tests and the end-to-end tests of
# every program. `make check-asan` runs everything under ASan.
once_only="test_crash test_full_disk test_hostile_files test_extract_corpus test_cli_corpus
test_related_corpus test_related_judged test_fuzz_regressions test_searchd_browser test_searchd_reindex
test_searchd_attack test_eval test_install"

first=1
for build in "$@"; do
    case "$build" in /*) ;; *) build="$top/$build" ;; esac
    tag=$(basename "$build")
    # One index of the shared corpus per build, for the tests that only read
    # it (test_indexer builds its own: indexing is what it tests).
    unset VIND_CORPUS_DB VIND_CLI_TEST_DB
    corpus=${CORPUS:-$top/../shared/corpus}
    if [ $first -eq 1 ] && [ -d "$corpus/site" ] && [ -x "$build/bin/vind-index" ]; then
        rm -rf "$build/corpus-test.db"
        "$build/bin/vind-index" --quiet --db "$build/corpus-test.db" --base-url / \
            "$corpus/site" "$corpus/pdf" >/dev/null 2>&1
        export VIND_CORPUS_DB="$build/corpus-test.db" VIND_CLI_TEST_DB="$build/corpus-test.db"
    fi
    for t in "$build"/tests/test_*; do
        [ -x "$t" ] || continue
        run_one "$tag/$(basename "$t")" "$t"
    done
    for t in "$top"/tests/e2e/test_*.py "$top"/tests/relevance/test_*.py; do
        [ -f "$t" ] || continue
        if [ $first -eq 0 ] && echo " $once_only " | tr '\n' ' ' | grep -q " $(basename "$t" .py) "; then
            continue
        fi
        run_one "$tag/$(basename "$t" .py)" env VIND_BUILD="$build" "$PYTHON" "$t"
    done
    first=0
done

echo "slowest tests (seconds):"
sort -rn "$timings" | head -8 | sed 's/^/  /'
passed=$(grep -E '^\[[^]]*\] ok ' "$log" | grep -vc '# SKIP')
skipped=$(grep -E '^\[[^]]*\] ok ' "$log" | grep -c '# SKIP')
failed=$(grep -c '^\[[^]]*\] not ok' "$log")
# CI shows only the tail of a long run: name the failures again here, next
# to the count, so a failure is never cut out of what CI keeps.
if [ "$failed" -gt 0 ]; then
    echo "failed tests:"
    grep '^\[[^]]*\] not ok' "$log" | head -20 | sed 's/^/  /'
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] || status=1
exit $status
