#!/bin/bash
# `make deb`: builds build/libnginx-mod-http-workos-jwt_<version>_<arch>.deb
# with Debian's own tools (dpkg-buildpackage, debhelper and nginx-dev's
# dh_nginx), from the artefacts `make` built:
#   /usr/lib/nginx/modules/ngx_http_workos_jwt_module.so
#   /usr/share/nginx/modules-available/mod-http-workos-jwt.conf  (dh_nginx)
#   /usr/bin/workos-jwt, /usr/share/man/man1/workos-jwt.1.gz
#   /usr/share/doc/libnginx-mod-http-workos-jwt/ (README, changelog, examples)
# and the postinst/prerm/postrm of dh_nginx, which manage the link
# /etc/nginx/modules-enabled/50-mod-http-workos-jwt.conf the Debian way.
# Depends: nginx-abi-<abi> (from nginx-dev's libnginx-mod.abisubstvars, as
# dh_nginx computes it) and the shared libraries found by dpkg-shlibdeps.
#
# The packaging files live in packaging/debian/; the staging tree is
# build/deb/. Environment: DEBFULLNAME and DEBEMAIL set the Maintainer.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

# make's own variables must not leak into debian/rules' make
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES DESTDIR PREFIX

pkg=libnginx-mod-http-workos-jwt
so=build/ngx_http_workos_jwt_module.so
cli=build/workos-jwt

for tool in dpkg-buildpackage dh dh_nginx; do
    command -v "$tool" >/dev/null || {
        echo "deb: $tool not found (apt-get install dpkg-dev debhelper nginx-dev)" >&2
        exit 1
    }
done
for f in "$so" "$cli" workos-jwt.1 src/core/wjwt.h; do
    [ -f "$f" ] || { echo "deb: missing $f (run make first)" >&2; exit 1; }
done

version=$(sed -n 's/^#define[[:space:]]*WJWT_VERSION[[:space:]]*"\([^"]*\)".*/\1/p' src/core/wjwt.h)
[ -n "$version" ] || { echo "deb: no WJWT_VERSION in src/core/wjwt.h" >&2; exit 1; }
cli_version=$("$cli" --version | awk '{print $NF}')
if [ "$cli_version" != "$version" ]; then
    echo "deb: $cli reports $cli_version, src/core/wjwt.h says $version (run make)" >&2
    exit 1
fi
arch=$(dpkg --print-architecture)

# the changelog date: the release date in CHANGELOG.md, else now
date_iso=
if [ -f CHANGELOG.md ]; then
    date_iso=$(sed -n "s/^## \[$version\] - \([0-9-]*\).*/\1/p" CHANGELOG.md | head -n 1)
fi
if [ -n "$date_iso" ]; then
    date_rfc=$(date -u -R -d "$date_iso 12:00:00")
else
    date_rfc=$(date -u -R)
fi
maintainer="${DEBFULLNAME:-ngx_http_workos_jwt_module maintainers} <${DEBEMAIL:-workos-jwt@localhost}>"

stage_root=build/deb
stage=$stage_root/$pkg-$version
rm -rf "$stage_root"
mkdir -p "$stage/dist"
cp -a packaging/debian "$stage/debian"
sed -i "s|@MAINTAINER@|$maintainer|" "$stage/debian/control"
cat > "$stage/debian/changelog" <<EOF
$pkg ($version) unstable; urgency=medium

  * Release $version, built by make deb from the project tree.
    The project's own changes are in changelog.gz beside this file.

 -- $maintainer  $date_rfc
EOF

cp "$so" "$cli" workos-jwt.1 README.md "$stage/dist/"
if [ -f CHANGELOG.md ]; then
    cp CHANGELOG.md "$stage/dist/"
else
    printf '# Changelog\n\n## [%s]\n' "$version" > "$stage/dist/CHANGELOG.md"
fi
mkdir -p "$stage/dist/examples"
if [ -d examples ]; then
    cp -a examples/. "$stage/dist/examples/"
fi
[ -n "$(ls -A "$stage/dist/examples")" ] || rm -f "$stage/debian/$pkg.examples"

echo "deb: building $pkg $version for $arch"
if ! (cd "$stage" && dpkg-buildpackage -b -us -uc) > "$stage_root/build.log" 2>&1; then
    tail -n 40 "$stage_root/build.log" >&2
    echo "deb: dpkg-buildpackage failed, full log in $stage_root/build.log" >&2
    exit 1
fi

deb=${pkg}_${version}_${arch}.deb
mv -f "$stage_root/$deb" "build/$deb"
echo "deb: build/$deb"
dpkg-deb --field "build/$deb" Package Version Architecture Depends
dpkg-deb --contents "build/$deb" | awk '{print "  " $NF}' | grep -v '/$' || true
