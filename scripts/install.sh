#!/bin/sh
# `make install` / `make uninstall`: installs the built module with the
# layout of Debian's libnginx-mod-* packages, plus the CLI and its man page.
#
#   scripts/install.sh install|uninstall
#
# Environment (make passes its command-line variables through):
#   DESTDIR  staging root, prepended to every path (default empty)
#   PREFIX   where the CLI and man page go (default /usr)
#
# Files (the module paths are fixed by Debian's nginx, not by PREFIX):
#   $DESTDIR/usr/lib/nginx/modules/ngx_http_workos_jwt_module.so
#   $DESTDIR/usr/share/nginx/modules-available/mod-http-workos-jwt.conf
#   $DESTDIR/etc/nginx/modules-enabled/50-mod-http-workos-jwt.conf
#       -> /usr/share/nginx/modules-available/mod-http-workos-jwt.conf
#   $DESTDIR$PREFIX/bin/workos-jwt
#   $DESTDIR$PREFIX/share/man/man1/workos-jwt.1.gz
#
# `uninstall` removes exactly these files and nothing else (directories are
# left in place: they belong to nginx-common or to the system).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/usr}

MOD_NAME=ngx_http_workos_jwt_module.so
SNIPPET_NAME=mod-http-workos-jwt.conf
LINK_NAME=50-mod-http-workos-jwt.conf

moddir=/usr/lib/nginx/modules
availdir=/usr/share/nginx/modules-available
enableddir=/etc/nginx/modules-enabled
bindir=$PREFIX/bin
man1dir=$PREFIX/share/man/man1

so="$DESTDIR$moddir/$MOD_NAME"
snippet="$DESTDIR$availdir/$SNIPPET_NAME"
link="$DESTDIR$enableddir/$LINK_NAME"
cli="$DESTDIR$bindir/workos-jwt"
man="$DESTDIR$man1dir/workos-jwt.1.gz"

say() { echo "  $1 $2"; }

warn_if_packaged() {
    # A live install over the Debian package would leave dpkg's files
    # replaced behind its back.
    [ -z "$DESTDIR" ] || return 0
    if dpkg-query -W -f='${Status}' libnginx-mod-http-workos-jwt 2>/dev/null \
            | grep -q 'ok installed'; then
        echo "warning: the package libnginx-mod-http-workos-jwt is installed;" \
             "'apt-get remove libnginx-mod-http-workos-jwt' first, or these" \
             "files are overwritten by the next upgrade" >&2
    fi
}

do_install() {
    for f in build/$MOD_NAME build/workos-jwt workos-jwt.1; do
        [ -f "$top/$f" ] || { echo "missing $f: run make first" >&2; exit 1; }
    done
    warn_if_packaged

    install -d -m 755 "$DESTDIR$moddir" "$DESTDIR$availdir" \
        "$DESTDIR$enableddir" "$DESTDIR$bindir" "$DESTDIR$man1dir"

    install -m 644 "$top/build/$MOD_NAME" "$so"
    say install "$so"

    printf 'load_module modules/%s;\n' "$MOD_NAME" > "$snippet.tmp"
    chmod 644 "$snippet.tmp"
    mv -f "$snippet.tmp" "$snippet"
    say install "$snippet"

    # absolute target without DESTDIR, like Debian's own module links
    ln -sfn "$availdir/$SNIPPET_NAME" "$link"
    say link "$link -> $availdir/$SNIPPET_NAME"

    install -m 755 "$top/build/workos-jwt" "$cli"
    say install "$cli"

    gzip -9n -c "$top/workos-jwt.1" > "$man.tmp"
    chmod 644 "$man.tmp"
    mv -f "$man.tmp" "$man"
    say install "$man"

    if [ -z "$DESTDIR" ]; then
        echo "done: check and reload nginx with" \
             "'nginx -t && systemctl reload nginx'"
    fi
}

do_uninstall() {
    for f in "$link" "$snippet" "$so" "$cli" "$man"; do
        if [ -e "$f" ] || [ -L "$f" ]; then
            rm -f "$f"
            say remove "$f"
        fi
    done
    if [ -z "$DESTDIR" ]; then
        echo "done: reload nginx with 'nginx -t && systemctl reload nginx'"
    fi
}

case "${1:-}" in
    install)   do_install ;;
    uninstall) do_uninstall ;;
    *) echo "usage: $0 install|uninstall  (DESTDIR=... PREFIX=...)" >&2
       exit 2 ;;
esac
