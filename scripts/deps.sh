#!/bin/sh
# Installs the Debian packages listed in scripts/debian-packages.txt that are
# missing. Quiet and quick when everything is present; uses sudo when not root.
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
echo "deps: installing$missing"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
