#!/bin/bash
# `make bench` (issue 4): throughput of the module against plain nginx.
#
# One nginx worker pinned to core 0, wrk (1 thread, keep-alive) pinned to
# core 1, every case ends in empty_gif (a content handler, so the access
# phase runs):
#   (a) no auth
#   (a2) no auth, the same Authorization header as (b) (nginx's own
#       parsing of a ~1 KB header is not module cost)
#   (b) workos_jwt on, the same RS256-2048 token on every request
#       (the verified-token cache answers after the first one)
#   (c) workos_jwt on, BENCH_TOKENS distinct valid tokens cycled by a wrk
#       Lua script, workos_jwt_cache BENCH_CACHE (< BENCH_TOKENS): every
#       request misses and verifies
#   (d) as (c) with workos_jwt_cache off
# Before timing, every module case must answer 401 to a tampered token and
# 200 to a valid one; a timed round with any non-2xx answer fails the run.
# Reported: median req/s of BENCH_ROUNDS rounds (after a warm-up), median
# p99 latency, worker CPU per request, ratios to (a) and (a2); `openssl
# speed rsa2048` verify/s and the ceiling 1/(1/a + 1/verify) that (c)/(d)
# are measured against; instructions per parse+verify of the core under
# callgrind and wall time per parse+verify (bench/verify_bench.c), with
# the keys' prepared verification contexts and without.  The table goes
# to stdout and to BENCH_OUT (build/bench/RESULTS.md; the tracked
# bench/RESULTS.md is a copy made by hand when the figures are worth
# keeping).
#
# Knobs (environment):
#   BENCH_ROUNDS=3 BENCH_SECONDS=5 BENCH_WARMUP=2 BENCH_CONNS=16
#   BENCH_TOKENS=10000 BENCH_CACHE=100 BENCH_PORT=18480
#   BENCH_CALLGRIND_N=200 (0 skips callgrind)
#   BENCH_OUT=build/bench/RESULTS.md ("" writes no file)
#   WORKOS_JWT_MODULE, NGINX_BIN
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
work=$top/build/bench
module=${WORKOS_JWT_MODULE:-$top/build/ngx_http_workos_jwt_module.so}
nginx=${NGINX_BIN:-/usr/sbin/nginx}
cli=$top/build/workos-jwt
rounds=${BENCH_ROUNDS:-3}
secs=${BENCH_SECONDS:-5}
warmup=${BENCH_WARMUP:-2}
conns=${BENCH_CONNS:-16}
ntokens=${BENCH_TOKENS:-10000}
cache=${BENCH_CACHE:-100}
port=${BENCH_PORT:-18480}
cg_n=${BENCH_CALLGRIND_N:-200}
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
cd "$work"

# ---- helpers built against the core --------------------------------------

for b in gen_tokens verify_bench; do
    if [ ! -x "$b" ] || [ "$top/bench/$b.c" -nt "$b" ] \
       || [ "$top/build/libwjwt.a" -nt "$b" ]; then
        $cc -O2 -g -D_GNU_SOURCE -I"$top/src/core" -o "$b" "$top/bench/$b.c" \
            "$top/build/libwjwt.a" -ljansson -lcrypto \
            || die "cannot build bench/$b.c"
    fi
done

# ---- key and tokens ------------------------------------------------------

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

# tampered: one character of the signature changed
tamper() {
    local t=$1 c=${1: -5:1} r=A
    [ "$c" = A ] && r=B
    printf '%s%s%s' "${t:0:${#t}-5}" "$r" "${t: -4}"
}

cat > tokens.lua <<EOF
-- cycles through the token set, one per request
local tokens = {}
for line in io.lines("$work/tokens.txt") do tokens[#tokens + 1] = line end
local i = 0
local n = #tokens
request = function()
    i = i + 1
    if i > n then i = 1 end
    return wrk.format("GET", nil, { Authorization = "Bearer " .. tokens[i] })
end
EOF

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

    workos_jwt_zone bench:4m;

    server {
        listen 127.0.0.1:$port backlog=1024;

        workos_jwt_key_file $work/key/jwks.json;
        workos_jwt_issuer https://api.workos.com;
        # every default WorkOS token has no aud (SPEC section 3)
        workos_jwt_lint_ignore missing_aud;

        location = /a { empty_gif; }

        location = /a2 { empty_gif; }

        location = /b {
            workos_jwt on;
            add_header X-Cache \$workos_jwt_cache_status;
            empty_gif;
        }

        location = /c {
            workos_jwt on;
            workos_jwt_cache $cache;
            add_header X-Cache \$workos_jwt_cache_status;
            empty_gif;
        }

        location = /d {
            workos_jwt on;
            workos_jwt_cache off;
            add_header X-Cache \$workos_jwt_cache_status;
            empty_gif;
        }

        location = /status { workos_jwt_status; }
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

code() {    # code PATH [TOKEN]
    if [ -n "${2:-}" ]; then
        curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $2" \
            "$url$1"
    else
        curl -s -o /dev/null -w '%{http_code}' "$url$1"
    fi
}

check() {   # check PATH TOKEN
    local c t
    t=$(tamper "$2")
    c=$(code "$1" "$t"); [ "$c" = 401 ] \
        || die "$1: tampered token answered $c, not 401"
    c=$(code "$1" "$2"); [ "$c" = 200 ] \
        || die "$1: valid token answered $c, not 200"
    c=$(code "$1"); [ "$c" = 401 ] || die "$1: no token answered $c, not 401"
}

[ "$(code /a)" = 200 ] || die "/a does not answer 200"
[ "$(code /a2 "$token")" = 200 ] || die "/a2 does not answer 200"
check /b "$token"
for p in /c /d; do
    check "$p" "$(head -n 1 tokens.txt)"
    check "$p" "$(sed -n "$(( ntokens / 2 + 1 ))p" tokens.txt)"
    check "$p" "$(tail -n 1 tokens.txt)"
done
say "tampered tokens 401, valid ones 200 in (b), (c), (d)"

status_field() {    # status_field hits|misses
    curl -s "$url/status" | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"
}

# ---- wrk -----------------------------------------------------------------

run_wrk() {     # run_wrk SECONDS PATH ARGS... -> wrk output on stdout
    local s=$1 p=$2
    shift 2
    taskset -c "$core_wrk" wrk -t1 -c"$conns" -d"${s}s" --latency "$@" \
        "$url$p"
}

to_ms() {       # wrk latency "123.45us" / "1.23ms" / "1.00s" -> ms
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
        else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
        else print v }'
}

median() { sort -g | awk '{ a[NR] = $1 } END {
    if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# CPU time of the nginx worker (user + system, in clock ticks): how much
# of core 0 one request costs, whatever the host lets wrk and nginx get
hz=$(getconf CLK_TCK)
wcpu() { awk '{ print $14 + $15 }' "/proc/$worker/stat"; }

declare -A RPS P99 HITS MISSES CPU
case_run() {    # case_run NAME PATH ARGS...
    local name=$1 p=$2 o rps p99 h0 m0 i c0 c1 nreq
    shift 2
    say "($name) $p: warm-up ${warmup}s, $rounds x ${secs}s"
    run_wrk "$warmup" "$p" "$@" > /dev/null
    h0=$(status_field hits); m0=$(status_field misses)
    : > "wrk-$name.txt"
    for i in $(seq "$rounds"); do
        c0=$(wcpu)
        o=$(run_wrk "$secs" "$p" "$@")
        c1=$(wcpu)
        echo "$o" >> "wrk-$name.txt"
        if grep -q 'Non-2xx' <<< "$o" || grep -q 'Socket errors' <<< "$o"; then
            echo "$o" >&2
            die "($name) round $i: errors or non-2xx answers"
        fi
        rps=$(awk '/^Requests\/sec:/ { print $2 }' <<< "$o")
        p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<< "$o")")
        nreq=$(awk '/ requests in / { print $1 }' <<< "$o")
        cpu=$(awk -v d=$(( c1 - c0 )) -v hz="$hz" -v n="$nreq" \
              'BEGIN { printf "%.2f", d / hz * 1e6 / n }')
        say "  round $i: $rps req/s, p99 ${p99} ms, worker CPU ${cpu} us/req" \
            "($(( (c1 - c0) * 100 / hz / secs ))% of a core)"
        echo "$rps $p99 $cpu" >> "rounds-$name.txt.new"
    done
    mv "rounds-$name.txt.new" "rounds-$name.txt"
    HITS[$name]=$(( $(status_field hits) - h0 ))
    MISSES[$name]=$(( $(status_field misses) - m0 ))
    RPS[$name]=$(awk '{ print $1 }' "rounds-$name.txt" | median)
    P99[$name]=$(awk '{ print $2 }' "rounds-$name.txt" | median)
    CPU[$name]=$(awk '{ print $3 }' "rounds-$name.txt" | median)
}

rm -f rounds-*.txt*
case_run a /a
case_run a2 /a2 -H "Authorization: Bearer $token"
case_run b /b -H "Authorization: Bearer $token"
case_run c /c -s tokens.lua
case_run d /d -s tokens.lua

grep -E '\[(alert|emerg|crit)\]|exited on signal' logs/error.log \
    && die "nginx logged alerts (see $work/logs/error.log)"
stop_nginx

# ---- RSA ceiling ---------------------------------------------------------

say "openssl speed -seconds 3 rsa2048 (core $core_nginx)"
speed=$(taskset -c "$core_nginx" openssl speed -seconds 3 rsa2048 2>/dev/null)
verify_s=$(awk '/^rsa 2048 bits/ { print $7 }' <<< "$speed")
[ -n "$verify_s" ] || die "cannot read openssl speed output"
ceiling=$(awk -v a="${RPS[a]}" -v v="$verify_s" \
          'BEGIN { printf "%.0f", 1 / (1 / a + 1 / v) }')
# the same ceiling in worker CPU per request: cpu(a) + one RSA verify;
# and with nginx's own cost of the Authorization header: cpu(a2) + verify
cpu_ceiling=$(awk -v a="${CPU[a]}" -v v="$verify_s" \
              'BEGIN { printf "%.2f", a + 1e6 / v }')
cpu_ceiling2=$(awk -v a="${CPU[a2]}" -v v="$verify_s" \
               'BEGIN { printf "%.2f", a + 1e6 / v }')

# ---- callgrind: instructions per parse+verify ---------------------------

ipv=n/a
ipv_u=n/a
if [ "$have_valgrind" = 1 ] && [ "$cg_n" != 0 ]; then
    say "callgrind: $cg_n parse+verify rounds, prepared and unprepared keys"
    rm -f callgrind.out.*
    for m in verify unprepared; do
        valgrind --tool=callgrind --toggle-collect=bench_loop \
            --callgrind-out-file=callgrind.out.$m \
            ./verify_bench key/jwks.json token.txt "$cg_n" \
            $([ "$m" = unprepared ] && echo unprepared) \
            > callgrind-$m.log 2>&1 \
            || die "callgrind run failed (see $work/callgrind-$m.log)"
        ir=$(awk '/^(summary|totals):/ { print $2; exit }' \
             callgrind.out.$m)
        n=$(awk -v i="$ir" -v n="$cg_n" 'BEGIN { printf "%.0f", i / n }')
        if [ "$m" = verify ]; then ipv=$n; else ipv_u=$n; fi
    done
    callgrind_annotate --inclusive=yes callgrind.out.verify 2>/dev/null \
        | grep -E 'wjwt_|EVP_|BN_|RSA|json' | head -n 12 \
        > callgrind-top.txt || true
fi

# ---- wall time per parse+verify (core, pinned like the worker) ----------

say "verify_bench: wall time per parse+verify (core $core_nginx)"
vb_us() {       # vb_us [unprepared] -> median us per token of 3 runs
    for _ in 1 2 3; do
        taskset -c "$core_nginx" ./verify_bench key/jwks.json token.txt \
            20000 "$@" | sed -n 's/.*, \([0-9.]*\) us per token/\1/p'
    done | median
}
wall=$(vb_us)
wall_u=$(vb_us unprepared)

# ---- table ---------------------------------------------------------------

ratio() { awk -v x="$1" -v y="$2" 'BEGIN { printf "%.2f", x / y }'; }
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)

table=$(
    printf '| case | req/s (median of %s x %ss) | p99 ms | vs (a) | vs (a2) | vs RSA ceiling | worker CPU us/req | CPU: (a)/x | CPU: (a2)/x | CPU: ceiling/x, ceiling(a2)/x | cache hits/misses |\n' "$rounds" "$secs"
    printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
    for n in a a2 b c d; do
        case $n in
            a) d='(a) no auth' ;;
            a2) d='(a2) no auth, same Authorization header' ;;
            b) d='(b) module, same token' ;;
            c) d="(c) module, $ntokens tokens, cache $cache" ;;
            d) d="(d) module, $ntokens tokens, cache off" ;;
        esac
        vc='-'
        va2='-'
        ca2='-'
        cc='-'
        if [ "$n" != a ] && [ "$n" != a2 ]; then
            va2="$(ratio "${RPS[$n]}" "${RPS[a2]}")x"
            ca2="$(ratio "${CPU[a2]}" "${CPU[$n]}")x"
        fi
        if [ "$n" = c ] || [ "$n" = d ]; then
            vc="$(ratio "${RPS[$n]}" "$ceiling")x"
            cc="$(ratio "$cpu_ceiling" "${CPU[$n]}")x, $(ratio "$cpu_ceiling2" "${CPU[$n]}")x"
        fi
        printf '| %s | %.0f | %s | %sx | %s | %s | %s | %sx | %s | %s | %s/%s |\n' \
            "$d" "${RPS[$n]}" "${P99[$n]}" \
            "$(ratio "${RPS[$n]}" "${RPS[a]}")" "$va2" "$vc" "${CPU[$n]}" \
            "$(ratio "${CPU[a]}" "${CPU[$n]}")" "$ca2" "$cc" \
            "${HITS[$n]:-0}" "${MISSES[$n]:-0}"
    done
    echo
    printf '| figure | value |\n|---|---:|\n'
    printf '| openssl speed rsa2048 verify/s (1 core) | %s |\n' "$verify_s"
    printf '| RSA ceiling 1/(1/a + 1/verify) req/s | %s |\n' "$ceiling"
    printf '| RSA ceiling in worker CPU: cpu(a) + 1/verify, us/req | %s |\n' "$cpu_ceiling"
    printf '| the same with the header: cpu(a2) + 1/verify, us/req | %s |\n' "$cpu_ceiling2"
    printf '| callgrind instructions per parse+verify (core, prepared keys) | %s |\n' "$ipv"
    printf '| callgrind instructions per parse+verify (core, unprepared keys) | %s |\n' "$ipv_u"
    printf '| wall us per parse+verify (core, prepared keys; median of 3 x 20000) | %s |\n' "$wall"
    printf '| wall us per parse+verify (core, unprepared keys) | %s |\n' "$wall_u"
    printf '| 1/verify from openssl speed, us | %s |\n' "$(awk -v v="$verify_s" 'BEGIN { printf "%.2f", 1e6 / v }')"
    echo
    printf 'targets: (b) >= 0.90x (a): %s ((b) >= 0.90x (a2): %s); (c) >= 0.85x ceiling: %s; (d) >= 0.85x ceiling: %s\n' \
        "$(awk -v x="${RPS[b]}" -v a="${RPS[a]}" 'BEGIN { print (x >= 0.9 * a) ? "met" : "NOT met" }')" \
        "$(awk -v x="${RPS[b]}" -v a="${RPS[a2]}" 'BEGIN { print (x >= 0.9 * a) ? "met" : "NOT met" }')" \
        "$(awk -v x="${RPS[c]}" -v a="$ceiling" 'BEGIN { print (x >= 0.85 * a) ? "met" : "NOT met" }')" \
        "$(awk -v x="${RPS[d]}" -v a="$ceiling" 'BEGIN { print (x >= 0.85 * a) ? "met" : "NOT met" }')"
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
             "then $rounds rounds x ${secs}s"
        echo "- req/s on a small VM is noisy (nginx and wrk share the" \
             "host's loopback TCP and wake-ups; see bench/PROFILE.md):" \
             "worker CPU per request and the instruction counts are the" \
             "stable figures"
        echo
        echo "$table"
    } > "$out"
    say "written to $out"
fi
