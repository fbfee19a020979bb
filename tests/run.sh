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

# Indexes the shared corpus with BUILD's vind-index into BUILD/corpus-test.db,
# once per build and run, for the tests that only read a corpus index
# ($VIND_CORPUS_DB, $VIND_CLI_TEST_DB; read-only afterwards) and for
# test_indexer's checks of a corpus run: BUILD/corpus-test.run holds the exit
# status, the command (tab-separated) and the stderr of this run
# ($VIND_CORPUS_RUN). Under ASan this index takes a minute or more; each
# build made it twice before (test_indexer, and a test reading it).
corpus_index() { # build tag
    db="$1/corpus-test.db" run="$1/corpus-test.run" label="$2/(corpus index)"
    rm -rf "$db" "$run"
    set -- "$1/bin/vind-index" --db "$db" --base-url / --quiet "$CORPUS/site" "$CORPUS/pdf"
    started=$(date +%s)
    "$@" >/dev/null 2>"$run.err"
    rc=$?
    echo "$(( $(date +%s) - started )) $label" >>"$timings"
    { echo "$rc"; (IFS=$(printf '\t'); echo "$*"); cat "$run.err"; } >"$run"
    rm -f "$run.err"
    echo "[$label] # exit $rc: $(tail -n 2 "$run" | tr '\n' ' ')"
    if [ $rc -gt 1 ]; then # 1: some files failed (the corpus has an invalid PDF)
        echo "[$label] not ok - vind-index exited with status $rc"
        echo "[$label] not ok - vind-index exited with status $rc" >>"$log"
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
# The tests default to the same folder; one spelling of it, so that paths in
# the corpus index's report are the ones a test expects.
CORPUS=${CORPUS:-$(cd "$top/.." && pwd)/shared/corpus}
export CORPUS
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

# The corpus indexes first (the builds' at once), then every test of every
# build from one list, $VIND_TEST_JOBS at a time (default: one per core).
# Why: run one after the other, the tests took 18 of make check's 24 minutes
# on 2 cores (session 18), most of it one test waiting for its programs.
# A test never shares its folders, ports or databases with another (each
# makes its own, and daemons listen on port 0), so they can run together.
# (nproc without the OpenMP limit exported above: GNU nproc obeys
# OMP_THREAD_LIMIT, which made the first version of this run one at a time.)
jobs=${VIND_TEST_JOBS:-$(env -u OMP_THREAD_LIMIT -u OMP_NUM_THREADS nproc 2>/dev/null || echo 2)}
list=$(mktemp)
# After the others, one at a time: test_install relinks the build's
# programs with another PREFIX and back; test_fuzz_regressions fuzzes for a
# few seconds, and its searchd target counts a reply slower than 8 s as a
# finding (it failed once, not reproduced in 50,485 runs alone, when it ran
# beside another test: session 19).
alone="test_install test_fuzz_regressions"
alone_list=$(mktemp)
RUN_LOG=$log RUN_TIMINGS=$timings RUN_LOCK=$(mktemp)
export RUN_LOG RUN_TIMINGS RUN_LOCK
trap 'rm -rf "$log" "$timings" "$list" "$alone_list" "$RUN_LOCK" "$VIND_OCR_CACHE"' EXIT
first=1
for build in "$@"; do
    case "$build" in /*) ;; *) build="$top/$build" ;; esac
    tag=$(basename "$build")
    rm -f "$build/corpus-test.run"
    if [ -d "$CORPUS/site" ] && [ -x "$build/bin/vind-index" ]; then
        corpus_index "$build" "$tag" &
    fi
    for t in "$build"/tests/test_*; do
        [ -x "$t" ] || continue
        printf '%s\t%s\t%s\n' "$tag/$(basename "$t")" "$build" "$t" >>"$list"
    done
    for t in "$top"/tests/e2e/test_*.py "$top"/tests/relevance/test_*.py; do
        [ -f "$t" ] || continue
        if [ $first -eq 0 ] && echo " $once_only " | tr '\n' ' ' | grep -q " $(basename "$t" .py) "; then
            continue
        fi
        case " $alone " in
        *" $(basename "$t" .py) "*) to=$alone_list ;;
        *) to=$list ;;
        esac
        printf '%s\t%s\t%s\n' "$tag/$(basename "$t" .py)" "$build" "$t" >>"$to"
    done
    first=0
done
wait
# Each line: LABEL, BUILD and TEST, tab-separated (run-one.sh).
export PYTHON
xargs -P "$jobs" -d '\n' -n 1 sh "$top/tests/run-one.sh" <"$list"
xargs -d '\n' -n 1 sh "$top/tests/run-one.sh" <"$alone_list"

# Every test's wall time, slowest first (in the log, to find what to speed up);
# then the slowest again next to the summary, which CI keeps.
echo "wall time of every test (seconds):"
sort -rn "$timings" | sed 's/^/  /'
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
