#!/bin/bash
# `make bench` (issues 4, 16): the module's worker CPU per request against
# plain nginx and against the RSA limit.
#
# One nginx worker pinned to core 0, wrk (1 thread, keep-alive) pinned to
# core 1, every case ends in empty_gif (a content handler, so the access
# phase runs):
#   (a) no auth
#   (a2) no auth, the same Authorization header as (b) (nginx's own
#       parsing of a ~1 KB header is not module cost)
#   (b) workos_jwt on, the same RS256-2048 token on every request
#       (the caches answer after the first one)
#   (c) workos_jwt on, BENCH_TOKENS distinct valid tokens cycled by a wrk
#       Lua script, workos_jwt_cache BENCH_CACHE (< BENCH_TOKENS): every
#       request misses and verifies
#   (d) as (c) with workos_jwt_cache off
#   (e0) no auth, the same Cookie header as (e)
#   (e) workos_jwt_session_cookie, the same AuthKit session cookie (an
#       iron seal of ~2 KB) on every request
#   (f) BENCH_TOKENS distinct session cookies, workos_jwt_cache off: every
#       request opens a cookie and verifies its token
#   (g) as (b) with workos_jwt_revocation_request and BENCH_TOKENS
#       revoked sessions in the zone (pages of events served by this
#       nginx from files, through a second server)
#   (h) BENCH_TOKENS distinct tokens with a bad signature under the known
#       kid (every answer a 401)
# Before timing, every module case must refuse a tampered token (or
# cookie) and accept a valid one; a timed round with an unexpected status
# fails the run.  The speed of this VM drifts by 10-20 % within seconds,
# so each case runs in BENCH_PAIRS pairs of short rounds, its baseline
# then itself (and, for the limits, `openssl speed` and open_bench right
# after), and a ratio is the median of the pairs' ratios.  Reported:
# median req/s, p99 latency, worker CPU per request and its user part,
# and the ratios the targets are stated in:
#   (b) CPU(a2)/CPU(b) >= 0.95;  (c), (d), (h) limit/CPU >= 0.85 with
#   limit = CPU(a2) + one RSA-2048 verify (`openssl speed rsa2048`);
#   (e) CPU(e0)/CPU(e) >= 0.90;  (f) limit/CPU >= 0.80 with limit =
#   CPU(e0) + one verify + one open (open_bench);  (g) CPU(b)/CPU(g)
#   >= 0.98 (within 2 %).
# Also: instructions per parse+verify and per cookie open under callgrind,
# and wall time per parse+verify and per open (bench/verify_bench.c,
# bench/open_bench.c).  The table goes to stdout and to BENCH_OUT
# (build/bench/RESULTS.md; the tracked bench/RESULTS.md is a copy made by
# hand when the figures are worth keeping).
#
# Knobs (environment):
#   BENCH_PAIRS=5 BENCH_SECONDS=3 BENCH_WARMUP=1 BENCH_CONNS=16
#   BENCH_TOKENS=10000 BENCH_CACHE=100 BENCH_PORT=18480 (and the next one)
#   BENCH_CASES="a a2 b c d e0 e f g h" (a subset for quick looks; the
#       ratios of a case need the cases it is measured against)
#   BENCH_CALLGRIND_N=200 (0 skips callgrind)
#   BENCH_OUT=build/bench/RESULTS.md ("" writes no file)
#   WORKOS_JWT_MODULE, NGINX_BIN
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
work=$top/build/bench
module=${WORKOS_JWT_MODULE:-$top/build/ngx_http_workos_jwt_module.so}
nginx=${NGINX_BIN:-/usr/sbin/nginx}
cli=$top/build/workos-jwt
pairs=${BENCH_PAIRS:-5}
secs=${BENCH_SECONDS:-3}
warmup=${BENCH_WARMUP:-1}
conns=${BENCH_CONNS:-16}
ntokens=${BENCH_TOKENS:-10000}
cache=${BENCH_CACHE:-100}
port=${BENCH_PORT:-18480}
cg_n=${BENCH_CALLGRIND_N:-200}
cases=${BENCH_CASES:-a a2 b c d e0 e f g h}
port2=$(( port + 1 ))
password=bench-cookie-password-0123456789abcdef
out=${BENCH_OUT-$work/RESULTS.md}
ncpu=$(nproc)
cc=${CC:-cc}

die() { echo "bench: $*" >&2; exit 1; }
say() { echo "bench: $*" >&2; }

# ---- tools ---------------------------------------------------------------

# the "bench" group of scripts/packages.txt
"$top/scripts/deps.sh" bench || true
command -v wrk >/dev/null || die "wrk is missing (scripts/deps.sh bench)"
command -v taskset >/dev/null || die "taskset is missing"
command -v curl >/dev/null || die "curl is missing"
command -v openssl >/dev/null || die "openssl is missing"
have_valgrind=1
if [ "$cg_n" != 0 ]; then
    command -v valgrind >/dev/null || { say "no valgrind: callgrind skipped"
                                        have_valgrind=0; }
fi
[ -f "$module" ] || die "$module is missing (make module)"
[ -x "$cli" ] || die "$cli is missing (make cli)"
[ -f "$top/build/libwjwt.a" ] || die "build/libwjwt.a is missing (make)"
[ "$ncpu" -ge 2 ] || say "only $ncpu CPU: nginx and wrk share core 0"
core_nginx=0
core_wrk=$(( ncpu >= 2 ? 1 : 0 ))

mkdir -p "$work"/{conf,logs,tmp}
load0=$(cut -d' ' -f1-3 /proc/loadavg)
cd "$work"

# ---- helpers built against the core --------------------------------------

for b in gen_tokens verify_bench gen_cookies open_bench; do
    if [ ! -x "$b" ] || [ "$top/bench/$b.c" -nt "$b" ] \
       || [ "$top/build/libwjwt.a" -nt "$b" ]; then
        $cc -O2 -g -D_GNU_SOURCE -I"$top/src/core" -I"$top/t/unit" \
            -o "$b" "$top/bench/$b.c" "$top/build/libwjwt.a" \
            -ljansson -lcrypto \
            || die "cannot build bench/$b.c"
    fi
done

# ---- key and tokens ------------------------------------------------------

# tampered: one character of the signature changed
tamper() {
    local t=$1 c=${1: -5:1} r=A
    [ "$c" = A ] && r=B
    printf '%s%s%s' "${t:0:${#t}-5}" "$r" "${t: -4}"
}


rm -rf key && "$cli" keygen --alg RS256 --kid bench-rs256 --out key >/dev/null
cat > claims.json <<'EOF'
{"sub":"user_01BENCH0000000000000000000","sid":"session_01BENCH000000000000000",
 "jti":"jti_bench_single","iss":"https://api.workos.com",
 "org_id":"org_01BENCH00000000000000000","role":"member","roles":["member"],
 "permissions":["posts:read","posts:write"]}
EOF
"$cli" sign --key key/private.pem --kid bench-rs256 --alg RS256 --ttl 2h \
    claims.json > token.txt
token=$(cat token.txt)
say "signing $ntokens tokens"
half=$(( ntokens / 2 ))
./gen_tokens key/private.pem bench-rs256 "$half" 7200 0 > tokens.1 &
gp=$!
./gen_tokens key/private.pem bench-rs256 $(( ntokens - half )) 7200 "$half" \
    > tokens.2 || die "gen_tokens failed"
wait "$gp" || die "gen_tokens failed"
cat tokens.1 tokens.2 > tokens.txt
rm -f tokens.1 tokens.2
[ "$(sort -u tokens.txt | wc -l)" -eq "$ntokens" ] \
    || die "the token set has duplicates"
"$cli" verify --jwks key/jwks.json --issuer https://api.workos.com \
    "$(tail -n 1 tokens.txt)" >/dev/null \
    || die "workos-jwt verify rejects a generated token"

# (h): every token of the set with one character of its signature changed
while IFS= read -r t; do tamper "$t"; echo; done < tokens.txt > forged.txt
[ "$(sort -u forged.txt | wc -l)" -eq "$ntokens" ] \
    || die "the forged token set has duplicates"

lua() {     # lua FILE HEADER PREFIX: cycles through FILE, one line a request
    cat <<EOF
local lines = {}
for line in io.lines("$work/$1") do lines[#lines + 1] = line end
local i = 0
local n = #lines
request = function()
    i = i + 1
    if i > n then i = 1 end
    return wrk.format("GET", nil, { ["$2"] = "$3" .. lines[i] })
end
EOF
}
lua tokens.txt Authorization "Bearer " > tokens.lua
lua forged.txt Authorization "Bearer " > forged.lua

# (e), (f): AuthKit session cookies of the same tokens
say "sealing $(( ntokens + 1 )) session cookies"
printf '%s\n' "$password" > password.txt
chmod 600 password.txt
./gen_cookies "$password" token.txt 0 user_01BENCH0000000000000000000 \
    > cookie.txt || die "gen_cookies failed"
cookie=$(cat cookie.txt)
./gen_cookies "$password" tokens.txt 0 > cookies.txt \
    || die "gen_cookies failed"
[ "$(sort -u cookies.txt | wc -l)" -eq "$ntokens" ] \
    || die "the cookie set has duplicates"
lua cookies.txt Cookie "wos-session=" > cookies.lua

# (g): BENCH_TOKENS session.revoked events, the sessions of the token set
# (their tokens were issued 10 s before now, the events 5 s before now),
# in pages of 1000 served as files; a page is named after the cursor
# that asks for it
rm -rf events && mkdir events
at=$(date -u -d "@$(( $(date +%s) - 5 ))" '+%Y-%m-%dT%H:%M:%S.000Z')
awk -v n="$ntokens" -v at="$at" -v dir=events 'BEGIN {
    page = 1000
    file = dir "/first.json"
    for (i = 0; i < n; i++) {
        if (i % page == 0) printf "{\"data\":[" > file
        else printf "," > file
        id = sprintf("event_%08d", i)
        printf "{\"object\":\"event\",\"id\":\"%s\",\"event\":\"session.revoked\",\"data\":{\"id\":\"session_bench%06d\",\"user_id\":\"user_bench%06d\"},\"created_at\":\"%s\",\"context\":{}}", id, i, i, at > file
        if (i % page == page - 1 || i == n - 1) {
            after = (i == n - 1) ? "null" : "\"" id "\""
            printf "],\"list_metadata\":{\"after\":%s}}", after > file
            close(file)
            file = dir "/p" id ".json"
        }
    }
}'

# ---- nginx ---------------------------------------------------------------

cp "$module" "$work/module.so"     # a rebuild must not touch the running one

# worker_cpu_affinity mask: "1" then one "0" per lower core
affinity=1
for ((i = 0; i < core_nginx; i++)); do affinity+=0; done

cat > conf/nginx.conf <<EOF
load_module $work/module.so;
daemon on;
master_process on;
worker_processes 1;
worker_cpu_affinity $affinity;
error_log $work/logs/error.log warn;
pid $work/logs/nginx.pid;
events { worker_connections 1024; }

http {
    access_log off;
    keepalive_requests 10000000;
    keepalive_timeout 60s;
    client_body_temp_path $work/tmp;
    proxy_temp_path $work/tmp;
    fastcgi_temp_path $work/tmp;
    uwsgi_temp_path $work/tmp;
    scgi_temp_path $work/tmp;

    workos_jwt_zone bench:16m;
    workos_jwt_cache $cache;

    server {
        listen 127.0.0.1:$port backlog=1024;

        workos_jwt_key_file $work/key/jwks.json;
        workos_jwt_issuer https://api.workos.com;
        # every default WorkOS token has no aud (SPEC section 3)
        workos_jwt_lint_ignore missing_aud;
        workos_jwt_session_password $work/password.txt;

        location = /a { empty_gif; }

        location = /a2 { empty_gif; }

        location = /e0 { empty_gif; }

        location = /b {
            workos_jwt on;
            add_header X-Cache \$workos_jwt_cache_status;
            empty_gif;
        }

        location = /c {
            workos_jwt on;
            add_header X-Cache \$workos_jwt_cache_status;
            empty_gif;
        }

        location = /d {
            workos_jwt on;
            workos_jwt_cache off;
            add_header X-Cache \$workos_jwt_cache_status;
            empty_gif;
        }

        location = /e {
            workos_jwt on;
            workos_jwt_session_cookie wos-session;
            add_header X-Cache \$workos_jwt_cache_status;
            empty_gif;
        }

        location = /f {
            workos_jwt on;
            workos_jwt_session_cookie wos-session;
            workos_jwt_cache off;
            add_header X-Cache \$workos_jwt_cache_status;
            empty_gif;
        }

        location = /h {
            workos_jwt on;
            add_header X-Cache \$workos_jwt_cache_status always;
            empty_gif;
        }

        location = /status { workos_jwt_status; }
    }

    # (g): revocation is configured per server
    server {
        listen 127.0.0.1:$port2 backlog=1024;

        workos_jwt_key_file $work/key/jwks.json;
        workos_jwt_issuer https://api.workos.com;
        workos_jwt_lint_ignore missing_aud;
        workos_jwt_revocation_request /_events interval=3600s;

        location = /g {
            workos_jwt on;
            add_header X-Cache \$workos_jwt_cache_status;
            empty_gif;
        }

        location = /_events {
            internal;
            subrequest_output_buffer_size 1m;
            proxy_pass http://127.0.0.1:$port2/events;
        }

        # the pages of events, by cursor
        location = /events {
            root $work/events;
            default_type application/json;
            try_files /p\$arg_after.json /first.json =404;
        }
    }
}
EOF

stop_nginx() {
    local pid
    pid=$(cat "$work/logs/nginx.pid" 2>/dev/null) || return 0
    kill -QUIT "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    rm -f "$work/logs/nginx.pid"
}
trap stop_nginx EXIT

stop_nginx
: > logs/error.log
"$nginx" -p "$work/" -c "$work/conf/nginx.conf" -e "$work/logs/error.log" \
    || die "nginx did not start (see $work/logs/error.log)"
for _ in $(seq 50); do [ -s logs/nginx.pid ] && break; sleep 0.1; done
sleep 0.3
worker=$(pgrep -P "$(cat logs/nginx.pid)" | head -n 1)
[ -n "$worker" ] || die "no nginx worker"
say "nginx worker $worker on CPU list $(taskset -pc "$worker" | sed 's/.*: //')"

url=http://127.0.0.1:$port
url2=http://127.0.0.1:$port2

code() {    # code PATH|URL [TOKEN [HEADER]]
    local u=$1
    [[ $u == http* ]] || u=$url$u
    if [ -n "${2:-}" ]; then
        curl -s -o /dev/null -w '%{http_code}' \
            -H "${3:-Authorization: Bearer }$2" "$u"
    else
        curl -s -o /dev/null -w '%{http_code}' "$u"
    fi
}

check() {   # check PATH TOKEN [HEADER]
    local c t
    t=$(tamper "$2")
    c=$(code "$1" "$t" "${3:-}"); [ "$c" = 401 ] \
        || die "$1: tampered token answered $c, not 401"
    c=$(code "$1" "$2" "${3:-}"); [ "$c" = 200 ] \
        || die "$1: valid token answered $c, not 200"
    c=$(code "$1"); [ "$c" = 401 ] || die "$1: no token answered $c, not 401"
}

status_field() {    # status_field NAME: the first "NAME":<number>
    curl -s "$url/status" | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p" | head -n 1
}

[ "$(code /a)" = 200 ] || die "/a does not answer 200"
[ "$(code /a2 "$token")" = 200 ] || die "/a2 does not answer 200"
[ "$(code /e0 "$cookie" "Cookie: wos-session=")" = 200 ] \
    || die "/e0 does not answer 200"
check /b "$token"
for p in /c /d /h; do
    check "$p" "$(head -n 1 tokens.txt)"
    check "$p" "$(sed -n "$(( ntokens / 2 + 1 ))p" tokens.txt)"
    check "$p" "$(tail -n 1 tokens.txt)"
done
for p in /e /f; do
    check "$p" "$cookie" "Cookie: wos-session="
    check "$p" "$(sed -n "$(( ntokens / 2 + 1 ))p" cookies.txt)" \
        "Cookie: wos-session="
done
[ "$(code /h "$(head -n 1 forged.txt)")" = 401 ] \
    || die "/h: a forged token is not refused"

# (g): the first request starts the poll; the pages follow at once
check "$url2/g" "$token"
n=0
for _ in $(seq 100); do
    n=$(curl -s "$url/status" \
        | sed -n 's/.*"revocations":{"entries":\([0-9]*\).*/\1/p')
    [ "$n" = "$ntokens" ] && break
    sleep 0.1
done
[ "$n" = "$ntokens" ] \
    || die "(g): $n revocations in the zone, not $ntokens (see $work/logs)"
c=$(code "$url2/g" "$(sed -n "$(( ntokens / 2 + 1 ))p" tokens.txt)")
[ "$c" = 401 ] || die "/g: a token of a revoked session answered $c"
[ "$(code /b "$(sed -n "$(( ntokens / 2 + 1 ))p" tokens.txt)")" = 200 ] \
    || die "/b: a token of a revoked session is refused without revocation"
say "tampered tokens and cookies 401, valid ones 200; $n revoked sessions"

# ---- wrk -----------------------------------------------------------------

run_wrk() {     # run_wrk SECONDS PATH|URL ARGS... -> wrk output on stdout
    local s=$1 u=$2
    shift 2
    [[ $u == http* ]] || u=$url$u
    taskset -c "$core_wrk" wrk -t1 -c"$conns" -d"${s}s" --latency "$@" "$u"
}

to_ms() {       # wrk latency "123.45us" / "1.23ms" / "1.00s" -> ms
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
        else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
        else print v }'
}

fmt2() { awk '{ printf "%.2f\n", $1 }'; }
median() { sort -g | awk '{ a[NR] = $1 } END {
    if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# CPU time of the nginx worker (user + system, in clock ticks): how much
# of core 0 one request costs, whatever the host lets wrk and nginx get
hz=$(getconf CLK_TCK)
wcpu() { awk '{ print $14 + $15 }' "/proc/$worker/stat"; }
wusr() { awk '{ print $14 }' "/proc/$worker/stat"; }

declare -A RPS P99 HITS MISSES CPU USR RATIO URATIO BASECPU
declare -A BASEOF=([b]=a2 [c]=a2 [d]=a2 [h]=a2 [e]=e0 [f]=e0 [g]=b)

args_of() {     # sets ARGS: the wrk arguments of a case
    case $1 in
        a) ARGS=(/a) ;;
        a2) ARGS=(/a2 -H "Authorization: Bearer $token") ;;
        b) ARGS=(/b -H "Authorization: Bearer $token") ;;
        c) ARGS=(/c -s tokens.lua) ;;
        d) ARGS=(/d -s tokens.lua) ;;
        e0) ARGS=(/e0 -H "Cookie: wos-session=$cookie") ;;
        e) ARGS=(/e -H "Cookie: wos-session=$cookie") ;;
        f) ARGS=(/f -s cookies.lua) ;;
        g) ARGS=("$url2/g" -H "Authorization: Bearer $token") ;;
        h) ARGS=(/h -s forged.lua) ;;
        *) die "unknown case $1" ;;
    esac
}

round() {       # round NAME: one timed round; sets RCPU, RUSR
    local name=$1 o c0 c1 u0 u1 nreq bad rps p99 cpu usr h0 m0
    args_of "$name"
    h0=$(status_field hits); m0=$(status_field misses)
    c0=$(wcpu); u0=$(wusr)
    o=$(run_wrk "$secs" "${ARGS[@]}")
    c1=$(wcpu); u1=$(wusr)
    HITS[$name]=$(( ${HITS[$name]:-0} + $(status_field hits) - h0 ))
    MISSES[$name]=$(( ${MISSES[$name]:-0} + $(status_field misses) - m0 ))
    echo "$o" >> "wrk-$name.txt"
    nreq=$(awk '/ requests in / { print $1 }' <<< "$o")
    bad=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' <<< "$o")
    if grep -q 'Socket errors' <<< "$o" \
       || { [ "$name" != h ] && [ -n "$bad" ]; } \
       || { [ "$name" = h ] && [ "${bad:-0}" != "$nreq" ]; }
    then
        echo "$o" >&2
        die "($name): errors or unexpected answers"
    fi
    rps=$(awk '/^Requests\/sec:/ { print $2 }' <<< "$o")
    p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<< "$o")")
    cpu=$(awk -v d=$(( c1 - c0 )) -v hz="$hz" -v n="$nreq" \
          'BEGIN { printf "%.2f", d / hz * 1e6 / n }')
    usr=$(awk -v d=$(( u1 - u0 )) -v hz="$hz" -v n="$nreq" \
          'BEGIN { printf "%.2f", d / hz * 1e6 / n }')
    echo "$rps $p99 $cpu $usr" >> "rounds-$name.txt"
    RCPU=$cpu
    RUSR=$usr
}

verify_once() { # us per RSA-2048 verify, openssl speed for 1 s, pinned
    taskset -c "$core_nginx" openssl speed -seconds 1 rsa2048 2>/dev/null \
        | awk '/^rsa 2048 bits/ { printf "%.2f", 1e6 / $7 }'
}

open_once() {   # us per cookie open, 5000 opens, pinned
    taskset -c "$core_nginx" ./open_bench "$password" cookie.txt 5000 \
        | sed -n 's/.*, \([0-9.]*\) us per open/\1/p'
}

warm() {
    args_of "$1"
    run_wrk "$warmup" "${ARGS[@]}" > /dev/null
}

rm -f rounds-*.txt ratios-*.txt wrk-*.txt verify-us.txt open-us.txt
for n in $cases; do
    base=${BASEOF[$n]:-}
    if [ -z "$base" ]; then
        # a baseline of its own: measured in the pairs of the others too
        say "($n): warm-up ${warmup}s, $pairs x ${secs}s"
        warm "$n"
        for i in $(seq "$pairs"); do
            round "$n"
            say "  $n ${RCPU} us/req (user ${RUSR})"
        done
        continue
    fi
    say "($n) against ($base): warm-up, $pairs pairs of ${secs}s rounds"
    warm "$base"
    warm "$n"
    for i in $(seq "$pairs"); do
        round "$base"
        bc=$RCPU bu=$RUSR
        round "$n"
        xc=$RCPU xu=$RUSR
        extra=0
        case $n in
            c|d|h|f)
                v=$(verify_once)
                echo "$v" >> verify-us.txt
                extra=$v
                if [ "$n" = f ]; then
                    o=$(open_once)
                    echo "$o" >> open-us.txt
                    extra=$(awk -v a="$v" -v b="$o" 'BEGIN { print a + b }')
                fi
                ;;
        esac
        r=$(awk -v b="$bc" -v e="$extra" -v x="$xc" \
            'BEGIN { printf "%.3f", (b + e) / x }')
        ur=$(awk -v b="$bu" -v e="$extra" -v x="$xu" \
             'BEGIN { printf "%.3f", (b + e) / x }')
        echo "$r $ur $bc $extra" >> "ratios-$n.txt"
        say "  pair $i: ($base) $bc, ($n) $xc us/req (+$extra): ${r}x" \
            "(user ${bu}, ${xu}: ${ur}x)"
    done
    RATIO[$n]=$(awk '{ print $1 }' "ratios-$n.txt" | median)
    URATIO[$n]=$(awk '{ print $2 }' "ratios-$n.txt" | median)
    BASECPU[$n]=$(awk '{ print $3 + $4 }' "ratios-$n.txt" | median | fmt2)
done

for f in rounds-*.txt; do
    n=${f#rounds-}
    n=${n%.txt}
    RPS[$n]=$(awk '{ print $1 }' "$f" | median)
    P99[$n]=$(awk '{ print $2 }' "$f" | median)
    CPU[$n]=$(awk '{ print $3 }' "$f" | median | fmt2)
    USR[$n]=$(awk '{ print $4 }' "$f" | median | fmt2)
done

grep -E '\[(alert|emerg|crit)\]|exited on signal' logs/error.log \
    && die "nginx logged alerts (see $work/logs/error.log)"
stop_nginx

# ---- RSA limit -----------------------------------------------------------

# the medians of the verifies measured in the pairs, or one of 3 s
if [ -s verify-us.txt ]; then
    verify_us=$(median < verify-us.txt | fmt2)
else
    say "openssl speed -seconds 3 rsa2048 (core $core_nginx)"
    verify_us=$(taskset -c "$core_nginx" openssl speed -seconds 3 rsa2048 \
                2>/dev/null | awk '/^rsa 2048 bits/ { printf "%.2f", 1e6 / $7 }')
fi
[ -n "$verify_us" ] || die "cannot read openssl speed output"
verify_s=$(awk -v v="$verify_us" 'BEGIN { printf "%.0f", 1e6 / v }')

# ---- callgrind: instructions per parse+verify and per open --------------

ipv=n/a
ipv_u=n/a
ipo=n/a
if [ "$have_valgrind" = 1 ] && [ "$cg_n" != 0 ]; then
    say "callgrind: $cg_n parse+verify rounds (prepared and unprepared" \
        "keys), $cg_n cookie opens"
    rm -f callgrind.out.*
    for m in verify unprepared open; do
        if [ "$m" = open ]; then
            set -- ./open_bench "$password" cookie.txt "$cg_n"
        else
            set -- ./verify_bench key/jwks.json token.txt "$cg_n" \
                $([ "$m" = unprepared ] && echo unprepared)
        fi
        valgrind --tool=callgrind --toggle-collect=bench_loop \
            --callgrind-out-file=callgrind.out.$m "$@" \
            > callgrind-$m.log 2>&1 \
            || die "callgrind run failed (see $work/callgrind-$m.log)"
        ir=$(awk '/^(summary|totals):/ { print $2; exit }' \
             callgrind.out.$m)
        n=$(awk -v i="$ir" -v n="$cg_n" 'BEGIN { printf "%.0f", i / n }')
        case $m in
            verify) ipv=$n ;;
            unprepared) ipv_u=$n ;;
            open) ipo=$n ;;
        esac
    done
    callgrind_annotate --inclusive=yes callgrind.out.verify 2>/dev/null \
        | grep -E 'wjwt_|EVP_|BN_|RSA|json' | head -n 12 \
        > callgrind-top.txt || true
fi

# ---- wall time per parse+verify and per open (pinned like the worker) ---

say "verify_bench, open_bench: wall time (core $core_nginx)"
vb_us() {       # vb_us [unprepared] -> median us per token of 3 runs
    for _ in 1 2 3; do
        taskset -c "$core_nginx" ./verify_bench key/jwks.json token.txt \
            20000 "$@" | sed -n 's/.*, \([0-9.]*\) us per token/\1/p'
    done | median
}
wall=$(vb_us)
wall_u=$(vb_us unprepared)
open_us=$(for _ in 1 2 3; do
              taskset -c "$core_nginx" ./open_bench "$password" cookie.txt \
                  20000 | sed -n 's/.*, \([0-9.]*\) us per open/\1/p'
          done | median)

# ---- table ---------------------------------------------------------------

ratio() {   # ratio X Y -> X/Y, or - when either is missing
    if [ -z "$1" ] || [ -z "$2" ]; then echo -; return; fi
    awk -v x="$1" -v y="$2" 'BEGIN { printf "%.2f", x / y }'
}
sum() { awk -v x="${1:-0}" -v y="${2:-0}" -v z="${3:-0}" \
            'BEGIN { printf "%.2f", x + y + z }'; }
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)

declare -A TARGET BASENAME
TARGET=([b]=0.95 [c]=0.85 [d]=0.85 [h]=0.85 [e]=0.90 [f]=0.80 [g]=0.98)
BASENAME=([b]="(a2)" [c]="(a2) + verify" [d]="(a2) + verify"
          [h]="(a2) + verify" [e]="(e0)" [f]="(e0) + verify + open"
          [g]="(b)")

table=$(
    printf '| case | req/s (median) | p99 ms | worker CPU us/req (median) | of which user | measured against (median of its pairs, us/req) | ratio (median of %s pairs) | target | user-space ratio | cache hits/misses |\n' "$pairs"
    printf '|---|---:|---:|---:|---:|---|---:|---:|---:|---:|\n'
    for n in $cases; do
        case $n in
            a) d='(a) no auth' ;;
            a2) d='(a2) no auth, same Authorization header' ;;
            b) d='(b) module, same token' ;;
            c) d="(c) module, $ntokens tokens, cache $cache" ;;
            d) d="(d) module, $ntokens tokens, cache off" ;;
            e0) d='(e0) no auth, same Cookie header as (e)' ;;
            e) d='(e) session cookie, the same one' ;;
            f) d="(f) session cookie, $ntokens cookies, cache off" ;;
            g) d="(g) as (b), revocation with $ntokens entries" ;;
            h) d="(h) $ntokens tokens, bad signature, known kid" ;;
        esac
        r='-'; t='-'; against='-'; ur='-'
        if [ -n "${TARGET[$n]:-}" ] && [ -n "${RATIO[$n]:-}" ]; then
            against="${BASENAME[$n]}: ${BASECPU[$n]}"
            r=$(awk -v r="${RATIO[$n]}" 'BEGIN { printf "%.2fx", r }')
            ur=$(awk -v r="${URATIO[$n]}" 'BEGIN { printf "%.2fx", r }')
            m=$(awk -v r="${RATIO[$n]}" -v t="${TARGET[$n]}" \
                'BEGIN { print (r >= t) ? "met" : "NOT met" }')
            t=">= ${TARGET[$n]}, $m"
        fi
        printf '| %s | %.0f | %s | %s | %s | %s | %s | %s | %s | %s/%s |\n' \
            "$d" "${RPS[$n]}" "${P99[$n]}" "${CPU[$n]}" "${USR[$n]}" \
            "$against" "$r" "$t" "$ur" "${HITS[$n]:-0}" "${MISSES[$n]:-0}"
    done
    echo
    printf '| figure | value |\n|---|---:|\n'
    printf '| openssl speed rsa2048 verify/s (1 core; median of the pairs) | %s |\n' "$verify_s"
    printf '| 1/verify from openssl speed, us | %s |\n' "$verify_us"
    printf '| one cookie open in the pairs of (f), us (open_bench, median) | %s |\n' "$( [ -s open-us.txt ] && median < open-us.txt | fmt2 || echo -)"
    printf '| callgrind instructions per parse+verify (core, prepared keys) | %s |\n' "$ipv"
    printf '| callgrind instructions per parse+verify (core, unprepared keys) | %s |\n' "$ipv_u"
    printf '| callgrind instructions per cookie open (core) | %s |\n' "$ipo"
    printf '| wall us per parse+verify (core, prepared keys; median of 3 x 20000) | %s |\n' "$wall"
    printf '| wall us per parse+verify (core, unprepared keys) | %s |\n' "$wall_u"
    printf '| wall us per cookie open (core; median of 3 x 20000) | %s |\n' "$open_us"
)

echo
echo "$table"

if [ -n "$out" ]; then
    {
        echo "# make bench results"
        echo
        echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
        echo "- machine: nproc $ncpu, $cpu$(grep -q '^flags.* hypervisor' /proc/cpuinfo && echo ' (virtual machine)')"
        echo "- nginx $("$nginx" -v 2>&1 | sed 's/.*nginx\///'), $(openssl version)," \
             "wrk $(wrk -v 2>&1 | awk 'NR == 1 { print $2 }')"
        echo "- nginx: 1 worker on core $core_nginx; wrk: 1 thread, $conns" \
             "keep-alive connections, core $core_wrk; warm-up ${warmup}s," \
             "then $pairs pairs of ${secs}s rounds; load average before:" \
             "$load0"
        echo "- req/s on a small VM is noisy (nginx and wrk share the" \
             "host's loopback TCP and wake-ups; see bench/PROFILE.md):" \
             "worker CPU per request and the instruction counts are the" \
             "stable figures; the ratios are of worker CPU, each the" \
             "median of the ratios of pairs of rounds (a case, and its" \
             "baseline just before it)"
        echo
        echo "$table"
    } > "$out"
    say "written to $out"
fi
