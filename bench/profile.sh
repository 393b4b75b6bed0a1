#!/bin/bash
# bench/profile.sh: instructions per request of each `make bench` case,
# nginx under callgrind (one process, no master), for bench/PROFILE.md.
# Run scripts/bench.sh first: this reuses its build/bench/ (config, key,
# tokens, cookies, pages of events).  For each case: nginx starts under
# valgrind --tool=callgrind, PROFILE_WARM requests are sent, the counters
# are zeroed, wrk (1 connection) runs PROFILE_SECONDS, the counters are
# dumped; Ir per request = the dump's total / the requests wrk made.
# Writes build/bench/profile/callgrind.out.<case> and prints a table of
# the inclusive Ir per request of the functions named in PROFILE_FUNCS.
#
#   bench/profile.sh [CASE...]          (default: a a2 b c d e0 e f g h)
#   PROFILE_SECONDS=4 PROFILE_WARM=200 NGINX_BIN
#   PROFILE_TABLE_ONLY=1: the per-stage table of the last runs only
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
work=$top/build/bench
out=$work/profile
nginx=${NGINX_BIN:-/usr/sbin/nginx}
secs=${PROFILE_SECONDS:-4}
warm=${PROFILE_WARM:-200}
cases=${*:-a a2 b c d e0 e f g h}

[ -f "$work/conf/nginx.conf" ] || { echo "run scripts/bench.sh first" >&2
                                    exit 1; }
command -v valgrind >/dev/null || { echo "no valgrind" >&2; exit 1; }
mkdir -p "$out"
cd "$work"

port=$(sed -n 's/.*listen 127.0.0.1:\([0-9]*\) backlog.*/\1/p' \
       conf/nginx.conf | head -n 1)
port2=$(( port + 1 ))
sed -e 's/^daemon on;/daemon off;/' -e 's/^master_process on;/master_process off;/' \
    -e 's/^worker_cpu_affinity.*//' -e "s|logs/nginx.pid|profile/nginx.pid|" \
    conf/nginx.conf > profile/nginx.conf

token=$(cat token.txt)
cookie=$(cat cookie.txt)

args_of() {     # the wrk arguments of a case
    case $1 in
        a) echo "/a" ;;
        a2|b) echo "/$1 -H Authorization:Bearer_$token" ;;
        c|d) echo "/$1 -s tokens.lua" ;;
        e0|e) echo "/$1 -H Cookie:wos-session=$cookie" ;;
        f) echo "/f -s cookies.lua" ;;
        g) echo "g -H Authorization:Bearer_$token" ;;
        h) echo "/h -s forged.lua" ;;
    esac
}

for c in $cases; do
    [ -n "${PROFILE_TABLE_ONLY:-}" ] && break
    rm -f "$out/callgrind.out.$c"
    valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out.$c" \
        "$nginx" -p "$work/" -c "$out/nginx.conf" -e "$out/error.log" \
        > "$out/valgrind-$c.log" 2>&1 &
    vg=$!
    for _ in $(seq 100); do
        curl -s -o /dev/null "http://127.0.0.1:$port/a" && break
        sleep 0.2
    done
    set -- $(args_of "$c")
    p=$1
    shift
    u=http://127.0.0.1:$port$p
    [ "$p" = g ] && u=http://127.0.0.1:$port2/g
    hdr=()
    if [ "${1:-}" = -H ]; then
        hdr=(-H "$(sed -e 's/:/: /' -e 's/Bearer_/Bearer /' <<< "$2")")
        shift 2
    fi
    # warm-up outside the counted part (the (g) list fills here)
    wrk -t1 -c1 -d"$(( warm / 100 + 1 ))s" "${hdr[@]}" "$@" "$u" >/dev/null
    callgrind_control -z "$vg" >/dev/null
    o=$(wrk -t1 -c1 -d"${secs}s" "${hdr[@]}" "$@" "$u")
    callgrind_control -d "$vg" >/dev/null
    n=$(awk '/ requests in / { print $1 }' <<< "$o")
    kill -QUIT "$vg"
    wait "$vg" || true
    f=$(ls "$out/callgrind.out.$c".* | sort -t. -k4 -n | head -n 1)
    ir=$(awk '/^(summary|totals):/ { print $2; exit }' "$f")
    echo "$c $n $ir" | awk '{ printf "%s: %d requests, %.0f Ir/request\n", $1, $2, $3 / $2 }'
    echo "$c $n $ir $f" >> "$out/summary.txt"
done

# ---- per stage: inclusive Ir per request of the module's steps ----------

stages="access_handler:module_total wjwt_b64url_decode:base64url \
wjwt_json_parse:JSON ngx_http_workos_jwt_digest:digest \
ngx_http_workos_jwt_cache_lookup:zone_lookup \
ngx_http_workos_jwt_cache_store:zone_store \
ngx_http_workos_jwt_parsed_lookup:parsed_lookup \
ngx_http_workos_jwt_parsed_store:parsed_store \
wjwt_token_verify:verify wjwt_token_facts:claim_types \
wjwt_judge:judge_total ngx_http_workos_jwt_revoked:revocation \
wjwt_session_open:session_open ngx_http_workos_jwt_opened_lookup:session_cache \
ngx_http_workos_jwt_verdict_variable:variable \
ngx_http_workos_jwt_cleanup:free"

printf '\n| stage (Ir/request) |'
for c in $cases; do printf ' %s |' "$c"; done
printf '\n|---|'
for c in $cases; do printf -- '---:|'; done
echo
for s in $stages; do
    fn=${s%%:*}
    printf '| %s |' "${s#*:}"
    for c in $cases; do
        f=$(awk -v c="$c" '$1 == c { f = $4 } END { print f }' "$out/summary.txt")
        n=$(awk -v c="$c" '$1 == c { n = $2 } END { print n }' "$out/summary.txt")
        v=$(callgrind_annotate --inclusive=yes --threshold=100 "$f" 2>/dev/null \
            | sed -n 's/^ *\([0-9,]*\) ([ 0-9.]*%) *\(.*\)$/\1 \2/p' \
            | grep -v '=>' | awk -v fn="$fn" -v n="$n" '
                { c = $1; gsub(",", "", c); c = c + 0
                  if ($2 ~ (":" fn "$") || $2 ~ (":ngx_http_workos_jwt_" fn "$"))
                      { if (c > m) m = c } }
                END { printf "%.0f", m / n }')
        printf ' %s |' "$v"
    done
    echo
done
