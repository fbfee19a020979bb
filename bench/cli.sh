#!/bin/sh
# bench/cli.sh BUILD CORPUS - what one `vind` process costs, start to exit, as a shell user
# waits for it: `vind --version` (process start and dynamic linking alone), `vind search zorg`,
# a search of four words and `vind count zorg` on the corpus index (else the sample site's), and
# /bin/true as the machine's floor for starting any process. Median and p90 of the wall-clock time and the median
# CPU time (user + system) of 200 runs each (bench/spawn-time.c, hyperfine's measure without a
# dependency). Timing only, never pass/fail; the figures go into docs/cli.md.
# BENCH_CLI_BEFORE=DIR also times DIR/bin/vind (another build, e.g. of main) after each command,
# on the same index, for a before/after on the same (possibly busy) machine.
set -eu
build=${1:-build}
corpus=${2:-../shared/corpus}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/build-dir"
runs=${BENCH_CLI_RUNS:-200}
spawn="$build/bench/spawn-time"
[ -x "$spawn" ] || { echo "bench/cli.sh: no $spawn"; exit 0; }
[ -x "$build/bin/vind" ] || { echo "bench/cli.sh: no $build/bin/vind"; exit 0; }

tmp=$(mktemp -d)
. "$here/common"
index_site "vind, one process per call" || exit 0
export VIND_DB="$tmp/db"
before=${BENCH_CLI_BEFORE:-}
before_data=$VIND_DATADIR
[ -z "$before" ] || [ ! -d "$before/share/vind" ] || before_data="$before/share/vind"
"$spawn" "/bin/true (the floor)" "$runs" /bin/true
# A query of four words as well: each word is analysed (lexicon look-ups, translations), and
# its snippets are longer (page faults in nl.lex grew with the words before its fences).
for command in "--version" "search zorg" "search toegankelijke formulieren javascript framework" \
    "count zorg"; do
    # shellcheck disable=SC2086 # the command's words are meant to split
    "$spawn" "vind $command" "$runs" "$build/bin/vind" $command
    # The other build reads its own data directory when it has one (nl.lex changes format).
    # shellcheck disable=SC2086
    [ -z "$before" ] || VIND_DATADIR="$before_data" \
        "$spawn" "  before: vind $command" "$runs" "$before/bin/vind" $command
done
