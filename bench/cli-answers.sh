#!/bin/sh
# bench/cli-answers.sh VIND DB QUERIES OUT - one `vind search --format json` process per line of
# QUERIES (the way a script loops), every answer (and its exit status) appended to OUT. Run it
# with the build before and after a change to the command line's start-up and `cmp` the two
# files: a change that only moves cost must leave every answer byte-identical.
set -euf
vind=$1 db=$2 queries=$3 out=$4
: > "$out"
while IFS= read -r query; do
    [ -n "$query" ] || continue
    printf '# %s\n' "$query" >> "$out"
    status=0
    # shellcheck disable=SC2086 # a query's words are the command's arguments, as a user types them
    "$vind" search --db "$db" --format json -- $query >> "$out" 2>/dev/null || status=$?
    printf '# exit %s\n' "$status" >> "$out"
done < "$queries"
