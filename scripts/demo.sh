#!/bin/bash
# `make demo`: runs nginx with the module on 127.0.0.1:8080 in the
# foreground, on a demo RSA key, and prints tokens and curl lines to try.
# Everything lives in build/demo/: the key is made once; the JWKS, the
# tokens (with a fresh exp) and nginx.conf are rewritten on every run.
# Only the openssl CLI and perl are used to make keys and tokens. The
# browser route also takes an AuthKit session cookie: the one sealed by
# @workos-inc/node in t/session/fixtures.json, with its password and key
# (no node needed here).
#   DEMO_PORT, DEMO_ECHO_PORT  listen ports (default 8080, 8081)
#   DEMO_DIR                   where to put it all (default build/demo)
#   WORKOS_JWT_MODULE          the module (default build/ngx_http_workos_jwt_module.so)
#   NGINX_BIN                  the nginx binary (default /usr/sbin/nginx)
#   DEMO_NO_EXEC=1             prepare everything but do not start nginx
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
demo=${DEMO_DIR:-$top/build/demo}
module=${WORKOS_JWT_MODULE:-$top/build/ngx_http_workos_jwt_module.so}
# NGINX_BIN names the binary; NGINX itself means inherited sockets to nginx
nginx=${NGINX_BIN:-${NGINX:-/usr/sbin/nginx}}
unset NGINX
port=${DEMO_PORT:-8080}
echo_port=${DEMO_ECHO_PORT:-8081}
kid=demo-key-1
issuer=https://api.workos.com

die() { echo "demo: $*" >&2; exit 1; }

[ -f "$module" ] || die "$module is missing; run \`make demo\` (or \`make\`)"
[ -x "$nginx" ] || die "$nginx is missing (apt-get install nginx-core)"
command -v openssl >/dev/null || die "openssl is missing (apt-get install openssl)"

if [ -z "${DEMO_NO_EXEC:-}" ]; then
    busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
    for p in "$port" "$echo_port"; do
        if busy "$p"; then
            die "port $p on 127.0.0.1 is busy (a demo still running? see" \
                "\`ss -ltnp 'sport = :$p'\`); stop it, or set DEMO_PORT and" \
                "DEMO_ECHO_PORT"
        fi
    done
fi

mkdir -p "$demo/tmp"
demo=$(cd "$demo" && pwd)
cd "$demo"


# the key, once

if [ ! -s demo-key.pem ]; then
    (umask 077 && openssl genpkey -algorithm RSA \
        -pkeyopt rsa_keygen_bits:2048 -out demo-key.pem 2>/dev/null)
fi
openssl pkey -in demo-key.pem -pubout -out demo-key.pub.pem


b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '=\n'; }

# the JWKS: n from the modulus in hex, e from the exponent in decimal

n=$(openssl rsa -pubin -in demo-key.pub.pem -noout -modulus \
    | perl -ne 'if (/^Modulus=([0-9A-Fa-f]+)/) {
                    my $h = $1; $h = "0$h" if length($h) % 2;
                    print pack("H*", $h) }' | b64url)
e=$(openssl rsa -pubin -in demo-key.pub.pem -noout -text \
    | perl -ne 'if (/^Exponent:\s*(\d+)/) {
                    my ($v, $b) = ($1, "");
                    while ($v) { $b = chr($v & 255) . $b; $v >>= 8 }
                    print $b }' | b64url)
[ ${#n} -eq 342 ] && [ -n "$e" ] || die "could not read the demo key's n/e"

cat > jwks.json <<EOF
{"keys": [{"kty": "RSA", "alg": "RS256", "use": "sig", "kid": "$kid",
           "n": "$n",
           "e": "$e"}]}
EOF


# tokens, RS256, signed with openssl dgst

header=$(printf '{"alg":"RS256","typ":"JWT","kid":"%s"}' "$kid" | b64url)

sign() {
    local payload sig
    payload=$(printf '%s' "$1" | b64url)
    sig=$(printf '%s.%s' "$header" "$payload" \
          | openssl dgst -sha256 -binary -sign demo-key.pem | b64url)
    printf '%s.%s.%s\n' "$header" "$payload" "$sig"
}

claims() {
    # claims SUB ORG ROLE PERMISSIONS-JSON IAT EXP
    printf '{"iss":"%s","sub":"%s","sid":"session_01DEMO%s",' \
        "$issuer" "$1" "$(openssl rand -hex 4 | tr a-f A-F)"
    printf '"jti":"01DEMO%s","org_id":"%s","role":"%s","roles":["%s"],' \
        "$(openssl rand -hex 6 | tr a-f A-F)" "$2" "$3" "$3"
    printf '"permissions":%s,"iat":%d,"exp":%d}' "$4" "$5" "$6"
}

now=$(date +%s)
sign "$(claims user_01DEMOADMIN org_01ACME admin \
        '["widgets:read","widgets:delete"]' "$now" $((now + 3600)))" \
    > admin.jwt
sign "$(claims user_01DEMOMEMBER org_01GLOBEX member \
        '["widgets:read"]' "$now" $((now + 3600)))" \
    > member.jwt
sign "$(claims user_01DEMOEXPIRED org_01ACME admin \
        '["widgets:read","widgets:delete"]' $((now - 7200)) $((now - 3600)))" \
    > expired.jwt
sign "$(claims user_01DEMOWILD org_01INITECH member \
        '["widgets:*"]' "$now" $((now + 3600)))" \
    > wildcard.jwt


# the session cookie: sealed by @workos-inc/node for the tests (see
# t/session/README.md), its password, and the key that signed the access
# token inside (kid session-fixtures-rs256, iss https://api.workos.com/)

fixtures=$top/t/session/fixtures.json
[ -s "$fixtures" ] || die "$fixtures is missing"
perl -MJSON::PP -e '
    my ($file, $dir) = @ARGV;
    open my $fh, "<", $file or die "$file: $!\n";
    my $fx = JSON::PP->new->decode(do { local $/; <$fh> });
    my %case = map { $_->{name} => $_ } @{ $fx->{cases} };
    my $ada = $case{"\@workos-inc/node sealed session"}
        or die "$file: no \@workos-inc/node session\n";
    my $old = $case{"\@workos-inc/node sealed session, expired access token"}
        or die "$file: no session with an expired access token\n";
    sub put { my ($n, $t) = @_; open my $o, ">", "$dir/$n" or die "$n: $!\n";
              print $o $t; close $o or die "$n: $!\n" }
    umask 077;
    put("cookie-password", "$fx->{passwords}{p1}\n");
    umask 022;
    put("session.cookie", "$ada->{cookie}\n");
    put("session-expired.cookie", "$old->{cookie}\n");
    put("session-jwks.json", JSON::PP->new->canonical->encode($fx->{jwks}));
' "$fixtures" "$demo" || die "could not read $fixtures"
chmod 0600 cookie-password


# nginx.conf

sed -e "s|@MODULE@|$module|g" -e "s|@JWKS@|$demo/jwks.json|g" \
    -e "s|@SESSION_JWKS@|$demo/session-jwks.json|g" \
    -e "s|@PASSWORD@|$demo/cookie-password|g" \
    -e "s|@ISSUER@|$issuer|g" -e "s|@PORT@|$port|g" \
    -e "s|@ECHO_PORT@|$echo_port|g" > nginx.conf <<'EOF'
# Generated by scripts/demo.sh on every run; edits are lost.

load_module @MODULE@;

daemon off;
master_process on;
worker_processes 1;
pid nginx.pid;
error_log stderr info;

events {
    worker_connections 64;
}

http {
    default_type text/plain;
    client_body_temp_path tmp/client_body;
    proxy_temp_path tmp/proxy;
    fastcgi_temp_path tmp/fastcgi;
    uwsgi_temp_path tmp/uwsgi;
    scgi_temp_path tmp/scgi;

    workos_jwt_key_file    @JWKS@;
    workos_jwt_issuer      @ISSUER@;
    workos_jwt_lint_ignore missing_aud;

    log_format workos '$remote_addr "$request" $status '
                      'jwt=$workos_jwt_status sub=$workos_sub '
                      'org=$workos_org_id lint=$workos_jwt_lint';

    # route (here: label) requests by the organization in the token
    map $workos_org_id $org_backend {
        org_01ACME    acme-pool;
        org_01GLOBEX  globex-pool;
        default       shared-pool;
    }

    upstream echo {
        server 127.0.0.1:@ECHO_PORT@;
    }

    # the "backend": shows the X-WorkOS-* headers it received
    server {
        listen 127.0.0.1:@ECHO_PORT@;
        access_log off;

        location / {
            return 200 "user=$http_x_workos_user_id\nemail=$http_x_workos_user_email\norg=$http_x_workos_org_id\nrole=$http_x_workos_role\nroles=$http_x_workos_roles\npermissions=$http_x_workos_permissions\nsession=$http_x_workos_session_id\n";
        }
    }

    server {
        listen 127.0.0.1:@PORT@;
        access_log /dev/stdout workos;

        location /api/ {
            workos_jwt                    on;
            workos_jwt_realm              "demo";
            workos_jwt_inject_headers     on;
            workos_jwt_require_permission widgets:read;

            add_header X-Org-Backend $org_backend;
            proxy_pass http://echo;

            location /api/admin/ {
                # require lines here replace those of /api/
                workos_jwt_require_permission widgets:read widgets:delete;
                workos_jwt_require_role       admin;

                proxy_pass http://echo;
            }
        }

        # a browser app: the token is sealed in the AuthKit session cookie
        # (wos-session) or, without one, is the bare JWT of a cookie of its
        # own; no token means login
        location /app/ {
            workos_jwt                  on;
            workos_jwt_session_cookie   wos-session;
            workos_jwt_session_password @PASSWORD@;
            workos_jwt_token            $cookie_workos_access_token;
            workos_jwt_inject_headers   on;
            error_page 401 = @login;

            # the demo key, and the key of the session fixtures, whose
            # tokens say iss "https://api.workos.com/" and iat 2099
            workos_jwt_key_file    @JWKS@;
            workos_jwt_key_file    @SESSION_JWKS@;
            workos_jwt_issuer      @ISSUER@ @ISSUER@/;
            workos_jwt_lint_ignore missing_aud iat_in_future;

            proxy_pass http://echo;
        }

        location @login {
            return 302 https://auth.example.com/login?return_to=$request_uri;
        }

        location / {
            return 200 "workos_jwt demo: try the curl lines printed by make demo\n";
        }
    }
}
EOF

"$nginx" -t -q -e stderr -p "$demo" -c nginx.conf \
    || die "nginx -t failed on $demo/nginx.conf"


# what to try

url=http://127.0.0.1:$port
tok() { printf '"Authorization: Bearer $(cat %s/%s.jwt)"' "$demo" "$1"; }

cat <<EOF

Demo key $demo/demo-key.pem, JWKS $demo/jwks.json (kid $kid).
Tokens (also in $demo/*.jwt, valid for an hour):

  admin     $(cat admin.jwt)

  member    $(cat member.jwt)

  expired   $(cat expired.jwt)

  wildcard  $(cat wildcard.jwt)

AuthKit session cookie (wos-session) for /app/: $demo/session.cookie,
sealed by @workos-inc/node with the password in $demo/cookie-password;
its access token is signed by the key of $demo/session-jwks.json.

Try, from another terminal:

# admin (widgets:read widgets:delete, role admin): 200, the backend sees X-WorkOS-*
curl -i -H $(tok admin) $url/api/admin/widgets

# no token: 401, WWW-Authenticate: Bearer realm="demo"
curl -i $url/api/widgets

# member (widgets:read, role member): 200 on /api/, 403 insufficient_scope on /api/admin/
curl -i -H $(tok member) $url/api/widgets
curl -i -H $(tok member) $url/api/admin/widgets

# expired: 401, error="invalid_token", error_description="expired"
curl -i -H $(tok expired) $url/api/widgets

# wildcard permission "widgets:*" in the cookie: 200, and the log shows
# "workos_jwt lint wildcard_permission: ..."
curl -i --cookie "workos_access_token=\$(cat $demo/wildcard.jwt)" $url/app/

# the browser app with an AuthKit session cookie, sealed by @workos-inc/node:
# 200, and the backend also sees X-WorkOS-User-Email
curl -i -b "wos-session=\$(cat $demo/session.cookie)" $url/app/

# a session whose access token has expired: 302 to the (fake) login page
# (a real app's middleware would refresh it, see examples/06-nextjs-app.conf)
curl -i -b "wos-session=\$(cat $demo/session-expired.cookie)" $url/app/

# the browser app without its cookie: 302 to the (fake) login page
curl -i $url/app/

Starting nginx on $url (config $demo/nginx.conf); Ctrl-C stops it.

EOF

[ -z "${DEMO_NO_EXEC:-}" ] || exit 0

exec "$nginx" -e stderr -p "$demo" -c nginx.conf
