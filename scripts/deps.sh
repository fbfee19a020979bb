#!/bin/sh
# Installs the Debian packages listed in scripts/debian-packages.txt that are
# missing. Quiet and quick when everything is present; uses sudo when not root.
# apt's own output (progress, debconf notes) is shown only when it fails, so
# `make demo` on a fresh machine prints one line for this step.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
list="$here/debian-packages.txt"
[ $# -gt 0 ] && list="$*"
missing=""
for pkg in $(sed -e 's/#.*//' $list); do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $pkg"
    fi
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing (apt-get, this can take minutes)"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends $missing; } \
        >"$log" 2>&1; then
    cat "$log" >&2
    echo "deps: apt-get failed (output above)" >&2
    exit 1
fi
