#!/bin/bash
# scripts/test-leaks.sh: leak checks with valgrind (memcheck).
#   1. every unit test binary (build/unit/*): no "definitely lost", no
#      memory error;
#   2. the CLI (build/workos-jwt): keygen, sign, verify, decode, lint, with
#      good and bad input: same;
#   3. nginx + build/ngx_http_workos_jwt_module.so under valgrind
#      (master_process on, daemon off, 1 worker), RELOADS (default 22)
#      reloads through HUP with two key files and a key_request location
#      (the JWKS served by the same nginx), requests between reloads;
#      then QUIT: no "definitely lost" record whose stack holds module code
#      (ngx_http_workos_jwt_* or wjwt_*), no invalid read/write in it;
#   4. the same nginx without valgrind, RSS_RELOADS (default 40) reloads:
#      neither the master's nor a fresh worker's RSS keeps growing.
#   NGINX_BIN, WORKOS_JWT_MODULE, RELOADS, RSS_RELOADS, RSS_SLACK_KB (2048)
# Logs: build/leaks/.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

RELOADS=${RELOADS:-22}
RSS_RELOADS=${RSS_RELOADS:-40}
RSS_SLACK_KB=${RSS_SLACK_KB:-2048}
out=$top/build/leaks
. "$top/scripts/check-lib.sh"

"$top/scripts/deps.sh" leaks || true
command -v valgrind >/dev/null || give_up "no valgrind"
need_built "make all unit" "$MODULE" "$CLI"

rm -rf "$out"
mkdir -p "$out/vg"
chmod 0777 "$out/vg"

VG=(valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite
    --errors-for-leak-kinds=definite --error-exitcode=99 --num-callers=30
    --keep-debuginfo=yes)

# valgrind log -> "definite=N ours=N errors=N" (ours: module code in stack)
vg_summary() {
    perl -e '
        my ($def, $ours, $err, $ourerr) = (0, 0, 0, 0);
        for my $f (@ARGV) {
            open my $fh, "<", $f or next;
            my @blocks = split /\n==\d+== \n/, do { local $/; <$fh> };
            for (@blocks) {
                my $mine = /ngx_http_workos_jwt_|wjwt_/;
                if (/are definitely lost in loss record/) {
                    $def++; $ours++ if $mine;
                    print STDERR "$f:\n$_\n" if $mine && $ENV{VERBOSE};
                } elsif (/^==\d+== (Invalid (read|write|free)|Conditional jump|Use of uninit|Mismatched free|Syscall param)/m) {
                    $err++; $ourerr++ if $mine;
                    print STDERR "$f:\n$_\n" if $mine;
                }
            }
        }
        print "definite=$def ours=$ours errors=$err ourerrors=$ourerr\n";
    ' "$@"
}

# ---- 1. unit tests -------------------------------------------------------

say "valgrind: unit tests"
for b in build/unit/test_*; do
    [ -x "$b" ] || continue
    n=$(basename "$b")
    "${VG[@]}" --log-file="$out/vg/unit-$n.log" "$b" >"$out/unit-$n.out" 2>&1
    rc=$?
    s=$(vg_summary "$out/vg/unit-$n.log")
    if [ "$rc" = 0 ] && [[ "$s" == "definite=0 "*"errors=0 "* ]]; then
        result ok "unit-$n" "$(grep -c '^ok' "$out/unit-$n.out") ok, $s"
    else
        result fail "unit-$n" "exit $rc, $s, see $out/vg/unit-$n.log"
    fi
done

# ---- 2. CLI --------------------------------------------------------------

say "valgrind: CLI"
cli=$out/cli
mkdir -p "$cli"
"$CLI" keygen --alg ES256 --kid ck --out "$cli/es" >/dev/null
tok=$(echo '{"sub":"u","sid":"s","iss":"https://api.workos.com","permissions":["a:*"],"act":{"sub":"x"}}' \
      | "$CLI" sign --key "$cli/es/private.pem" --kid ck --alg ES256 -)
# a signature with one character changed in its middle
flip() { perl -e '$_ = shift; my $i = length($_) - 10;
    substr($_, $i, 1) = substr($_, $i, 1) eq "A" ? "B" : "A"; print' "$1"; }
bad=$(flip "$tok")
cli_n=0
cli_bad=()
run_cli() {                      # run_cli NAME EXPECTED_EXITS ARGS...
    local name=$1 exits=$2
    shift 2
    cli_n=$((cli_n + 1))
    "${VG[@]}" --log-file="$out/vg/cli-$name.log" "$CLI" "$@" \
        >"$cli/$name.out" 2>&1 </dev/null
    local rc=$?
    local s
    s=$(vg_summary "$out/vg/cli-$name.log")
    if [[ " $exits " != *" $rc "* ]] || [[ "$s" != "definite=0 "*"errors=0 "* ]]; then
        cli_bad+=("$name (exit $rc, $s)")
    fi
}
run_cli keygen-rs256 0 keygen --alg RS256 --kid r1 --out "$cli/rs"
run_cli keygen-eddsa 0 keygen --alg EdDSA --out "$cli/ed"
run_cli keygen-es512 0 keygen --alg ES512 --kid e5 --out "$cli/e5"
echo '{"sub":"u","exp":4102444800}' > "$cli/claims.json"
run_cli sign-ps384 0 sign --key "$cli/rs/private.pem" --alg PS384 --kid r1 "$cli/claims.json"
run_cli sign-eddsa 0 sign --key "$cli/ed/private.pem" --alg EdDSA --ttl 1h "$cli/claims.json"
run_cli verify-ok 0 verify --algorithms ES256 --jwks "$cli/es/jwks.json" --issuer https://api.workos.com "$tok"
run_cli verify-json 0 verify --algorithms RS256,ES256 --json --jwks "$cli/es/jwks.json" "$tok"
run_cli verify-badsig 1 verify --algorithms ES256 --jwks "$cli/es/jwks.json" "$bad"
run_cli verify-wrongkey 1 verify --jwks "$cli/rs/jwks.json" "$tok"
run_cli verify-badjwks "1 2" verify --jwks "$cli/claims.json" "$tok"
run_cli decode 0 decode "$tok"
run_cli decode-json 0 decode --json "$tok"
run_cli decode-garbage "0 1" decode 'eyJ.e30.!!'
run_cli lint 1 lint "$tok"
run_cli lint-json 1 lint --json "$tok"
run_cli usage 2 verify --nope
if [ ${#cli_bad[@]} -eq 0 ]; then
    result ok cli "$cli_n commands, no definitely lost, no memory error"
else
    result fail cli "${cli_bad[*]}"
fi

# ---- nginx fixture ---------------------------------------------------------

pfx=$out/nginx
nginx_prefix "$pfx" 0777
port=$(free_port)
jport=$(free_port)

# key file 1: the signing key plus 20 EC keys (so a leaked key set shows);
# key file 2 and the served JWKS: other keys
"$CLI" keygen --alg RS256 --kid sign1 --out "$pfx/k1" >/dev/null
"$CLI" keygen --alg EdDSA --kid sign2 --out "$pfx/k2" >/dev/null
"$CLI" keygen --alg ES256 --kid remote1 --out "$pfx/k3" >/dev/null
extra=()
for i in $(seq 1 20); do
    "$CLI" keygen --alg ES256 --kid "pad$i" --out "$pfx/pad$i" >/dev/null
    extra+=("$pfx/pad$i/jwks.json")
done
jq -s '{keys: [.[].keys[]]}' "$pfx/k1/jwks.json" "${extra[@]}" > "$pfx/conf/keys1.json"
cp "$pfx/k2/jwks.json" "$pfx/conf/keys2.json"
jq -s '{keys: [.[].keys[]]}' "$pfx/k3/jwks.json" "${extra[@]:0:5}" > "$pfx/html/jwks.json"
chmod 0644 "$pfx"/conf/*.json "$pfx/html/jwks.json"

claims='{"sub":"user_1","sid":"session_1","iss":"https://api.workos.com","org_id":"org_1","role":"admin","roles":["admin"],"permissions":["posts:read","posts:*"]}'
tk1=$(echo "$claims" | "$CLI" sign --key "$pfx/k1/private.pem" --kid sign1 --ttl 2h -)
tk2=$(echo "$claims" | "$CLI" sign --key "$pfx/k2/private.pem" --kid sign2 --alg EdDSA --ttl 2h -)
tk3=$(echo "$claims" | "$CLI" sign --key "$pfx/k3/private.pem" --kid remote1 --alg ES256 --ttl 2h -)
tkx=$(echo '{"sub":"u","exp":1}' | "$CLI" sign --key "$pfx/k1/private.pem" --kid sign1 -)

cat > "$pfx/conf/nginx.conf" <<EOF
user root;
$(conf_head "$pfx" "$pfx/module.so" 1 128 info)
    default_type text/plain;

    workos_jwt_issuer https://api.workos.com;
    workos_jwt_lint_ignore missing_aud;
    workos_jwt_zone leaks:1m;

    server {
        listen 127.0.0.1:$port;

        location /file/ {
            workos_jwt on;
            workos_jwt_key_file $pfx/conf/keys1.json;
            workos_jwt_key_file $pfx/conf/keys2.json;
            workos_jwt_algorithms RS256 EdDSA;
            workos_jwt_require_permission posts:read;
            workos_jwt_inject_headers on;
            add_header X-Sub "\$workos_sub \$workos_permissions \$workos_jwt_lint";
            empty_gif;
        }

        location /remote/ {
            workos_jwt on;
            workos_jwt_key_request /_jwks;
            workos_jwt_key_cache valid=1s stale=1h refetch=1s;
            workos_jwt_algorithms RS256 ES256 EdDSA;
            add_header X-Sub "\$workos_sub \$workos_jwt_cache_status";
            empty_gif;
        }

        location = /_jwks {
            internal;
            proxy_pass http://127.0.0.1:$jport/jwks.json;
        }

        location = /inspect {
            workos_jwt_key_file $pfx/conf/keys1.json;
            workos_jwt_inspect;
        }

        location = /status { workos_jwt_status; }
        location = /metrics { workos_jwt_status prometheus; }
    }

    server {
        listen 127.0.0.1:$jport;
        root $pfx/html;
    }
}
EOF

traffic() {                      # a mix of good and bad requests
    local u="http://127.0.0.1:$port"
    local c=(curl -s -o /dev/null -w '%{http_code} ' --max-time 30)
    "${c[@]}" -H "Authorization: Bearer $tk1" "$u/file/a"
    "${c[@]}" -H "Authorization: Bearer $tk2" "$u/file/b"
    "${c[@]}" -H "Authorization: Bearer $tk3" "$u/remote/c"
    "${c[@]}" -H "Authorization: Bearer $tk3" "$u/remote/c"
    "${c[@]}" -H "Authorization: Bearer $tkx" "$u/file/expired"
    "${c[@]}" -H "Authorization: Bearer $(flip "$tk1")" "$u/file/badsig"
    "${c[@]}" -H "Authorization: Bearer x.y.z" "$u/remote/garbage"
    "${c[@]}" -H "X-WorkOS-User-Id: spoof" "$u/file/none"
    "${c[@]}" -H "Authorization: Bearer $tk1" "$u/inspect"
    "${c[@]}" "$u/status"
    "${c[@]}" "$u/metrics"
    echo
}

check_conf "$pfx" nginx-config test-leaks

# ---- 3. nginx under valgrind, reloads ----------------------------------------

say "valgrind: nginx with $RELOADS reloads (slow)"
: > "$pfx/logs/error.log"
"${VG[@]}" --log-file="$out/vg/nginx.%p.log" --child-silent-after-fork=no \
    "$NGINX_BIN" -p "$pfx/" -c "$pfx/conf/nginx.conf" -g 'daemon off;' \
    >"$out/nginx-vg.out" 2>&1 &
vgpid=$!
codes_bad=0
if wait_workers "$pfx" 1; then
    sleep 1
    for i in $(seq 1 "$RELOADS"); do
        codes=$(traffic)
        echo "reload $i: $codes" >> "$out/traffic.txt"
        [ "$codes" = "200 200 200 200 401 401 401 401 200 200 200 " ] \
            || codes_bad=$((codes_bad + 1))
        kill -HUP "$vgpid"
        if ! wait_workers "$pfx" $((i + 1)); then
            say "reload $i: no new worker"
            break
        fi
        sleep 1
    done
    codes=$(traffic)
    echo "final: $codes" >> "$out/traffic.txt"
else
    say "nginx under valgrind did not start"
fi
kill -QUIT "$vgpid" 2>/dev/null
for i in $(seq 1 600); do
    kill -0 "$vgpid" 2>/dev/null || break
    sleep 0.2
done
kill -0 "$vgpid" 2>/dev/null && kill -KILL "$vgpid"
wait "$vgpid" 2>/dev/null
sleep 2                          # old workers finish their leak check

nlogs=$(ls "$out"/vg/nginx.*.log 2>/dev/null | wc -l)
starts=$(grep -c 'start worker process [0-9]' "$pfx/logs/error.log")
s=$(VERBOSE=1 vg_summary "$out"/vg/nginx.*.log 2>"$out/ours.txt")
crash=$(grep -c 'exited on signal' "$pfx/logs/error.log")
say "nginx/valgrind: $starts workers started, $nlogs valgrind logs, $s"
if [ "$starts" -ge $((RELOADS + 1)) ] && [ "$codes_bad" = 0 ]; then
    result ok nginx-reloads "$RELOADS reloads, $starts workers, expected answers every round"
else
    result fail nginx-reloads "$starts workers for $RELOADS reloads, $codes_bad rounds with unexpected codes (see $out/traffic.txt)"
fi
if [[ "$s" == *"ours=0 "*"ourerrors=0" ]] && [ "$crash" = 0 ] && [ "$nlogs" -gt "$RELOADS" ]; then
    result ok nginx-valgrind "$nlogs processes checked: $s (the definite ones are nginx's own, e.g. ngx_set_environment)"
else
    result fail nginx-valgrind "$s, $crash crashes, see $out/ours.txt and $out/vg/"
fi

# ---- 4. RSS across reloads, no valgrind --------------------------------------

say "RSS: $RSS_RELOADS reloads without valgrind"
: > "$pfx/logs/error.log"
rm -f "$pfx/logs/nginx.pid"
"$NGINX_BIN" -p "$pfx/" -c "$pfx/conf/nginx.conf" -g 'daemon off;' \
    >"$out/nginx-rss.out" 2>&1 &
mpid=$!
: > "$out/rss.txt"
if wait_workers "$pfx" 1; then
    for i in $(seq 0 "$RSS_RELOADS"); do
        if [ "$i" -gt 0 ]; then
            kill -HUP "$mpid"
            wait_workers "$pfx" $((i + 1)) || break
            sleep 0.3
        fi
        for r in 1 2 3; do traffic >/dev/null; done
        w=
        for p in $(pgrep -P "$mpid"); do
            case $(tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null) in
                *"shutting down"*) ;;
                *"worker process"*) w=$p ;;
            esac
        done
        echo "$i $(ps -o rss= -p "$mpid") $(ps -o rss= -p "$w" 2>/dev/null || echo 0)" >> "$out/rss.txt"
    done
fi
kill -QUIT "$mpid" 2>/dev/null
wait "$mpid" 2>/dev/null
# growth from reload 10 to the last, master and worker, in KB
read -r m10 w10 <<<"$(awk '$1 == 10 { print $2, $3 }' "$out/rss.txt")"
read -r ml wl <<<"$(tail -1 "$out/rss.txt" | awk '{ print $2, $3 }')"
read -r m0 w0 <<<"$(head -1 "$out/rss.txt" | awk '{ print $2, $3 }')"
if [ -n "${m10:-}" ] && [ -n "${ml:-}" ]; then
    dm=$((ml - m10))
    dw=$((wl - w10))
    txt="master ${m0}->${m10}->${ml} KB, worker ${w0}->${w10}->${wl} KB (reload 0, 10, $RSS_RELOADS)"
    if [ "$dm" -le "$RSS_SLACK_KB" ] && [ "$dw" -le "$RSS_SLACK_KB" ]; then
        result ok rss "$txt"
    else
        result fail rss "$txt: grew more than ${RSS_SLACK_KB} KB after reload 10"
    fi
else
    result fail rss "no RSS samples, see $out/rss.txt"
fi

finish test-leaks
