#!/bin/sh
# Installs the Debian packages the build, tests and demo need, when missing.
# Usage: scripts/deps.sh [extra-package ...]
set -e
pkgs="nginx-core nginx-dev libssl-dev libjansson-dev libcurl4-openssl-dev openssl perl make gcc $*"
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
if [ -n "$(echo "$missing" | grep -w nginx-core)" ]; then
    (systemctl stop nginx || service nginx stop || pkill -x nginx) >/dev/null 2>&1 || true
fi
exit 0
