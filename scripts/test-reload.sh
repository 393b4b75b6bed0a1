#!/bin/bash
# scripts/test-reload.sh: wrk sends valid tokens (Authorization header)
# for DURATION seconds (default 27) to two protected locations ending in
# empty_gif, one with key files and one with a key_request location (the
# JWKS served by the same nginx), while nginx (2 workers) is reloaded
# RELOADS times (default 12, 2 s apart), the config changing a little each
# time.  Not closer: a reload frees the key records of the configuration
# before it, and a worker of that configuration that had not got its keys
# yet (its fetch in flight) answers 503 to the requests still on its
# keep-alive connections while it shuts down (a known limit, README
# "Keys, outages and rotation"); 1 s apart made that happen now and then.
# Passes with zero non-2xx responses and no worker crash ("exited on
# signal") or [alert]/[emerg] in error.log.
#   NGINX_BIN, WORKOS_JWT_MODULE, DURATION, RELOADS, CONNECTIONS (20)
# Logs: build/reload/.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

DURATION=${DURATION:-27}
RELOADS=${RELOADS:-12}
CONNECTIONS=${CONNECTIONS:-20}
out=$top/build/reload
. "$top/scripts/check-lib.sh"

"$top/scripts/deps.sh" reload || true
command -v wrk >/dev/null || give_up "no wrk"
need_built "make all" "$MODULE" "$CLI"

rm -rf "$out"
pfx=$out/nginx
nginx_prefix "$pfx" 0755
chmod 0755 "$out"
port=$(free_port)
jport=$(free_port)

"$CLI" keygen --alg RS256 --kid file1 --out "$pfx/k1" >/dev/null
"$CLI" keygen --alg RS256 --kid remote1 --out "$pfx/k2" >/dev/null
cp "$pfx/k1/jwks.json" "$pfx/conf/keys.json"
cp "$pfx/k2/jwks.json" "$pfx/html/jwks.json"
chmod 0644 "$pfx/conf/keys.json" "$pfx/html/jwks.json"

claims='{"sub":"user_1","sid":"session_1","iss":"https://api.workos.com","org_id":"org_1","role":"admin","roles":["admin"],"permissions":["posts:read"]}'
tk1=$(echo "$claims" | "$CLI" sign --key "$pfx/k1/private.pem" --kid file1 --ttl 1h -)
tk2=$(echo "$claims" | "$CLI" sign --key "$pfx/k2/private.pem" --kid remote1 --ttl 1h -)

write_conf() {                   # write_conf N: a slightly different config
    cat > "$pfx/conf/nginx.conf" <<EOF
$(conf_head "$pfx" "$pfx/module.so" 2 1024 notice)

    workos_jwt_issuer https://api.workos.com;
    workos_jwt_lint_ignore missing_aud wildcard_permission;
    workos_jwt_leeway $(( $1 % 5 ))s;
    workos_jwt_zone reload:1m;

    server {
        listen 127.0.0.1:$port;
        keepalive_requests 1000;

        location /file/ {
            workos_jwt on;
            workos_jwt_key_file $pfx/conf/keys.json;
            workos_jwt_require_permission posts:read;
            workos_jwt_realm "r$1";
            empty_gif;
        }

        location /remote/ {
            workos_jwt on;
            workos_jwt_key_request /_jwks;
            workos_jwt_key_cache valid=$(( 2 + $1 % 3 ))s stale=1h refetch=1s;
            empty_gif;
        }

        location = /_jwks {
            internal;
            proxy_pass http://127.0.0.1:$jport/jwks.json;
        }
    }

    server {
        listen 127.0.0.1:$jport;
        root $pfx/html;
    }
}
EOF
}

write_conf 0
check_conf "$pfx" config test-reload

"$NGINX_BIN" -p "$pfx/" -c "$pfx/conf/nginx.conf" -g 'daemon off;' \
    >"$out/nginx.out" 2>&1 &
master=$!
wait_workers "$pfx" 2 10

# both locations answer before the load starts
for loc in file remote; do
    tok=$tk1; [ $loc = remote ] && tok=$tk2
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok" \
           "http://127.0.0.1:$port/$loc/x.gif")
    bad=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/$loc/x.gif")
    if [ "$code" = 200 ] && [ "$bad" = 401 ]; then
        result ok "warmup-$loc" "valid token 200, no token 401"
    else
        result fail "warmup-$loc" "valid token $code, no token $bad"
    fi
done

say "wrk: ${DURATION}s, $CONNECTIONS connections per location, $RELOADS reloads"
wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency \
    -H "Authorization: Bearer $tk1" "http://127.0.0.1:$port/file/a.gif" \
    >"$out/wrk-file.txt" 2>&1 &
w1=$!
wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency \
    -H "Authorization: Bearer $tk2" "http://127.0.0.1:$port/remote/a.gif" \
    >"$out/wrk-remote.txt" 2>&1 &
w2=$!

sleep 1
gap=$(awk -v d="$DURATION" -v n="$RELOADS" 'BEGIN { printf "%.2f", (d - 3) / n }')
done_reloads=0
for i in $(seq 1 "$RELOADS"); do
    write_conf "$i"
    if kill -HUP "$master" 2>/dev/null; then
        done_reloads=$((done_reloads + 1))
    fi
    sleep "$gap"
done
wait "$w1" "$w2"

starts=$(grep -c 'start worker process [0-9]' "$pfx/logs/error.log")
kill -QUIT "$master" 2>/dev/null
wait "$master" 2>/dev/null

for loc in file remote; do
    f=$out/wrk-$loc.txt
    total=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$f")
    non2xx=$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$f")
    sockerr=$(grep -E '^ *Socket errors' "$f" | sed 's/^ *//')
    rps=$(sed -n 's/^Requests\/sec: *//p' "$f")
    txt="${total:-0} requests (${rps:-?}/s), ${non2xx:-0} non-2xx${sockerr:+, $sockerr}"
    if [ -n "$total" ] && [ "$total" -gt 0 ] && [ "${non2xx:-0}" = 0 ]; then
        result ok "wrk-$loc" "$txt"
    else
        result fail "wrk-$loc" "$txt, see $f"
    fi
done

if [ "$done_reloads" -ge 10 ] && [ "$starts" -ge $(( 2 * (done_reloads + 1) )) ]; then
    result ok reloads "$done_reloads reloads, $starts workers started"
else
    result fail reloads "$done_reloads reloads, $starts workers started"
fi

crashes=$(grep -c 'exited on signal' "$pfx/logs/error.log")
alerts=$(grep -cE '\[(alert|emerg|crit)\]' "$pfx/logs/error.log")
if [ "$crashes" = 0 ] && [ "$alerts" = 0 ]; then
    result ok error-log "no worker crash, no [alert]/[crit]/[emerg]"
else
    grep -m5 -E 'exited on signal|\[(alert|emerg|crit)\]' "$pfx/logs/error.log"
    result fail error-log "$crashes crashes, $alerts alert/crit/emerg lines"
fi

finish test-reload
