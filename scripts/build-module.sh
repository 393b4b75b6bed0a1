#!/bin/bash
# Builds build/ngx_http_workos_jwt_module.so against Debian's nginx-dev tree
# (or NGX_SRC, an nginx source tree), with the configure flags of the
# installed nginx so that the module's signature matches.
#   MODULE_SO  output path (default build/ngx_http_workos_jwt_module.so)
#   NGX_BUILD  configured tree (default build/nginx)
#   NGX_CONF_FLAGS_FILE  sourced for NGX_CONF_FLAGS=(configure flags)
#              (default: conf_flags in the tree, as Debian's nginx-dev has)
#   EXTRA_CC_OPT / EXTRA_LD_OPT  added to --with-cc-opt / --with-ld-opt
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
NGX_SRC=${NGX_SRC:-/usr/share/nginx/src}
NGX_BUILD=${NGX_BUILD:-$top/build/nginx}
MODULE_SO=${MODULE_SO:-$top/build/ngx_http_workos_jwt_module.so}
cc_opt="-g -O2 -Wall -Wextra -Wno-unused-parameter -Werror ${EXTRA_CC_OPT:-}"
ld_opt="${EXTRA_LD_OPT:-}"
flags_file=${NGX_CONF_FLAGS_FILE:-}
if [ ! -d "$NGX_SRC" ]; then
    echo "build-module: no nginx source tree at $NGX_SRC" \
         "(make deps installs Debian's nginx-dev)" >&2
    exit 1
fi
stamp="$cc_opt|$ld_opt|$(md5sum "$top/config" | cut -c1-32)|$NGX_SRC"
[ -n "$flags_file" ] && stamp="$stamp|$(md5sum "$flags_file" | cut -c1-32)"

if [ ! -f "$NGX_BUILD/objs/Makefile" ] || [ "$(cat "$NGX_BUILD/.stamp" 2>/dev/null)" != "$stamp" ]; then
    rm -rf "$NGX_BUILD"
    mkdir -p "$(dirname "$NGX_BUILD")"
    cp -a "$NGX_SRC" "$NGX_BUILD"
    cd "$NGX_BUILD"
    NGX_CONF_FLAGS=()
    if [ -n "$flags_file" ]; then
        . "$flags_file"
    elif [ -f conf_flags ]; then
        . ./conf_flags
    fi
    # a release tarball has ./configure, a git checkout auto/configure
    configure=./configure
    [ -f configure ] || configure=auto/configure
    "$configure" "${NGX_CONF_FLAGS[@]}" --with-compat \
        --with-cc-opt="$cc_opt" ${ld_opt:+--with-ld-opt="$ld_opt"} \
        --add-dynamic-module="$top" >configure.log 2>&1 \
        || { tail -30 configure.log >&2; exit 1; }
    echo "$stamp" > .stamp
fi
cd "$NGX_BUILD"
make -s -f objs/Makefile modules >make.log 2>&1 || { cat make.log >&2; exit 1; }
# a running nginx maps the old file: replace it, never overwrite it in place
cp objs/ngx_http_workos_jwt_module.so "$MODULE_SO.tmp.$$"
mv -f "$MODULE_SO.tmp.$$" "$MODULE_SO"
