#!/bin/bash
# scripts/build-nginx.sh VERSION|SRC_DIR
# Builds an nginx from source and the module against that same tree, all
# under build/nginx-<version>/; never touches the system nginx:
#   build/nginx-<version>/sbin/nginx                           the binary
#   build/nginx-<version>/ngx_http_workos_jwt_module.so        the module
#   build/nginx-<version>/tree/                                configured copy
# The last line on stdout is build/nginx-<version> (absolute), for
# `make test NGINX_VERSION=1.30.4` or `make test NGINX_SRC=/path`.
#
#   VERSION   1.30.4: the tag release-1.30.4 of a git clone of
#             github.com/nginx/nginx (NGINX_GIT, see below), exported to
#             build/src/nginx-1.30.4/; or a release tarball
#             build/src/nginx-1.30.4.tar.gz (from nginx.org) if present
#   SRC_DIR   an nginx source tree (a release tarball's or a git checkout,
#             whose configure is auto/configure); it is copied, not changed
#   NGINX_GIT a clone of https://github.com/nginx/nginx (default
#             build/src/nginx.git; a symbolic link to a clone will do)
# Configure flags: --with-compat, threads, ssl, http_v2, auth_request,
# realip, and http_v3 where the version has it; no --with-debug. The
# module is built by scripts/build-module.sh with these flags, so its
# signature matches this binary (and only this binary).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
die() { echo "build-nginx: $*" >&2; exit 1; }
say() { echo "build-nginx: $*" >&2; }

[ $# -eq 1 ] || die "usage: $0 VERSION|SRC_DIR"
arg=$1

if [ -d "$arg" ]; then
    src=$(cd "$arg" && pwd)
else
    ver=$arg
    [[ $ver =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "not a version: $ver"
    src=$top/build/src/nginx-$ver
    if [ ! -f "$src/src/core/nginx.h" ]; then
        rm -rf "$src"
        mkdir -p "$src"
        tarball=$top/build/src/nginx-$ver.tar.gz
        git=${NGINX_GIT:-$top/build/src/nginx.git}
        if [ -f "$tarball" ]; then
            say "extracting $tarball"
            tar -xzf "$tarball" -C "$src" --strip-components=1
        elif [ -d "$git" ] && git -C "$git" rev-parse -q --verify \
                "refs/tags/release-$ver" >/dev/null; then
            say "exporting release-$ver from $git"
            git -C "$git" archive "release-$ver" | tar -x -C "$src"
        else
            rmdir "$src"
            die "no source for $ver: put nginx-$ver.tar.gz in build/src/," \
                "or set NGINX_GIT to a clone of github.com/nginx/nginx" \
                "that has the tag release-$ver"
        fi
    fi
fi

[ -f "$src/src/core/nginx.h" ] || die "$src is not an nginx source tree"
ver=$(sed -n 's/^#define NGINX_VERSION *"\(.*\)"/\1/p' "$src/src/core/nginx.h")
[ -n "$ver" ] || die "no NGINX_VERSION in $src/src/core/nginx.h"
out=$top/build/nginx-$ver
mkdir -p "$out"

flags=(--prefix="$out" --with-compat --with-threads --with-http_ssl_module
       --with-http_v2_module --with-http_auth_request_module
       --with-http_realip_module)
if [ -d "$src/src/http/v3" ]; then
    flags+=(--with-http_v3_module)
fi
{
    echo "# written by scripts/build-nginx.sh for nginx $ver"
    printf 'NGX_CONF_FLAGS=('
    printf ' %q' "${flags[@]}"
    printf ' )\n'
} > "$out/conf_flags.new"
if cmp -s "$out/conf_flags.new" "$out/conf_flags"; then
    rm "$out/conf_flags.new"
else
    mv "$out/conf_flags.new" "$out/conf_flags"
fi

say "nginx $ver from $src: configure and build the module"
NGX_SRC=$src NGX_BUILD=$out/tree NGX_CONF_FLAGS_FILE=$out/conf_flags \
    MODULE_SO=$out/ngx_http_workos_jwt_module.so "$top/scripts/build-module.sh"

say "nginx $ver: build the binary"
cd "$out/tree"
make -s -f objs/Makefile binary >"$out/binary.log" 2>&1 \
    || { tail -40 "$out/binary.log" >&2; die "nginx $ver did not build"; }
mkdir -p "$out/sbin" "$out/conf" "$out/logs"
cp conf/* "$out/conf/"
# a running nginx maps the old file: replace it, never overwrite in place
cp objs/nginx "$out/sbin/nginx.tmp.$$"
mv -f "$out/sbin/nginx.tmp.$$" "$out/sbin/nginx"
say "$("$out/sbin/nginx" -v 2>&1), $out/sbin/nginx"
echo "$out"
