#!/bin/sh
# run-one.sh "LABEL<TAB>BUILD<TAB>TEST" - runs one test for tests/run.sh, which
# runs several at once (xargs -P): the test's TAP output is printed whole,
# each line prefixed with [LABEL], and its ok/not ok lines appended to $RUN_LOG,
# its wall time to $RUN_TIMINGS. Both appends and the printing hold the lock
# $RUN_LOCK, so the output of two tests never interleaves.
#
# BUILD's corpus index (made by run.sh before any test) is handed to the test
# when there is one: $VIND_CORPUS_DB, $VIND_CLI_TEST_DB, $VIND_CORPUS_RUN.
# TEST is a unit test's binary, or an end-to-end test's .py file, which runs
# with $PYTHON and $VIND_BUILD=BUILD.
set -u
tab=$(printf '\t')
IFS=$tab read -r label build test <<END
$1
END
if [ -f "$build/corpus-test.run" ]; then
    export VIND_CORPUS_DB="$build/corpus-test.db" VIND_CLI_TEST_DB="$build/corpus-test.db" \
        VIND_CORPUS_RUN="$build/corpus-test.run"
else
    unset VIND_CORPUS_DB VIND_CLI_TEST_DB VIND_CORPUS_RUN
fi
out=$(mktemp)
trap 'rm -f "$out" "$out.tap"' EXIT
started=$(date +%s)
case "$test" in
*.py) VIND_BUILD=$build "${PYTHON:-python3}" "$test" >"$out" 2>&1 ;;
*) "$test" >"$out" 2>&1 ;;
esac
rc=$?
took=$(( $(date +%s) - started ))
sed "s|^|[$label] |" "$out" >"$out.tap"
if [ $rc -ne 0 ] && ! grep -q '^not ok ' "$out"; then
    # A crash or an exit without a failed assertion still counts as a failure.
    echo "[$label] not ok - exited with status $rc" >>"$out.tap"
fi
flock "$RUN_LOCK" sh -c '
    cat "$1"
    grep -E "^\[[^]]*\] (not )?ok " "$1" >>"$RUN_LOG"
    echo "$2 $3" >>"$RUN_TIMINGS"' sh "$out.tap" "$took" "$label"
