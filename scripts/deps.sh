#!/bin/sh
# Installs the Debian packages of the given groups of scripts/packages.txt
# (build, test, nginx-src, deb, fuzz, leaks, reload, bench; "all" for all)
# that are missing. Other arguments are package names.
# Usage: scripts/deps.sh [--list] GROUP|PACKAGE ...
#   --list   print the packages instead of installing them
set -e
list=$(dirname "$0")/packages.txt
only_list=
if [ "${1:-}" = --list ]; then
    only_list=1
    shift
fi
[ $# -gt 0 ] || { echo "usage: $0 [--list] GROUP|PACKAGE ..." >&2; exit 2; }

pkgs=""
for a in "$@"; do
    if [ "$a" = all ]; then
        pkgs="$pkgs $(sed -e 's/#.*//' "$list" | awk 'NF { $1 = ""; print }')"
    elif grep -q "^$a[[:space:]]" "$list"; then
        pkgs="$pkgs $(awk -v g="$a" '$1 == g { $1 = ""; print }' "$list")"
    else
        pkgs="$pkgs $a"
    fi
done
pkgs=$(echo $pkgs | tr ' ' '\n' | awk 'NF && !seen[$0]++' | tr '\n' ' ')

if [ -n "$only_list" ]; then
    echo $pkgs
    exit 0
fi

missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" \
        || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "missing Debian packages:$missing (run as root, or apt-get install them)" >&2
    exit 1
fi
echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
# Debian starts the packaged nginx on port 80; the tests run their own.
# Stop it by its pid file, nothing broader.
if [ -n "$(echo "$missing" | grep -w nginx-core)" ] && [ -s /run/nginx.pid ]; then
    systemctl stop nginx >/dev/null 2>&1 \
        || service nginx stop >/dev/null 2>&1 \
        || /usr/sbin/nginx -s quit >/dev/null 2>&1 \
        || true
fi
exit 0
