#!/bin/bash
# scripts/fuzz.sh [SECONDS] [TARGET ...]
# Builds the libFuzzer targets of fuzz/ (clang, -fsanitize=fuzzer,address,
# undefined) into build/fuzz/, replays fuzz/regressions/ and the seeds,
# then fuzzes each target for SECONDS (default 300) in turn.
#   targets: token (parse + verify + claims), jwks, claims, events,
#            session
#   FUZZ_JOBS=N     run N targets at once (default 1)
#   FUZZ_ARGS=...   extra libFuzzer flags
#   CLANG=clang     compiler
#   FUZZ_OUT=DIR    build, corpus and logs (default build/fuzz)
# Seeds are extracted from t/vectors (VECTORS=...) and from
# tokens signed by fuzz/keys into build/fuzz/corpus-*; new inputs stay
# there between runs.  Crashes land in build/fuzz/artifacts/: copy each
# into fuzz/regressions/TARGET/ once fixed.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

SECONDS_PER=${1:-300}
shift || true
TARGETS=${*:-token jwks claims events session}
CLANG=${CLANG:-clang}
FUZZ_JOBS=${FUZZ_JOBS:-1}
VECTORS=${VECTORS:-$top/t/vectors}
out=${FUZZ_OUT:-$top/build/fuzz}
. "$top/scripts/check-lib.sh"

# clang and its libFuzzer/sanitizer runtimes, from Debian
if [ "$CLANG" = clang ]; then
    "$top/scripts/deps.sh" fuzz || exit 1
fi
command -v "$CLANG" >/dev/null || { say "FAIL: $CLANG not found"; exit 1; }
mkdir -p "$out/artifacts" "$out/logs"

# ---- build -------------------------------------------------------------

cflags=(-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined
        -fno-sanitize-recover=undefined -D_GNU_SOURCE -Isrc/core -Ifuzz
        "-DWJWT_FUZZ_JWKS=\"$top/fuzz/keys/jwks.json\"")
for t in token jwks claims events session; do
    bin=$out/fuzz_$t
    if [ ! -x "$bin" ] || [ -n "$(find src/core fuzz/*.[ch] -newer "$bin" 2>/dev/null)" ]; then
        say "build $bin"
        "$CLANG" "${cflags[@]}" -o "$bin" fuzz/fuzz_$t.c src/core/wjwt_*.c \
            -ljansson -lcrypto 2>"$out/logs/build-$t.log" \
            || { cat "$out/logs/build-$t.log"; say "FAIL: build fuzz_$t";
                 say "0 passed, 1 failed"; exit 1; }
    fi
done

# ---- seeds -------------------------------------------------------------

cli=$top/build/workos-jwt
if [ ! -x "$cli" ]; then
    make -s cli >/dev/null 2>&1 || true
fi

toks=$out/signed-tokens.txt
: > "$toks"
if [ -x "$cli" ]; then
    claims='{"sub":"user_01","sid":"session_01","iss":"https://api.workos.com","org_id":"org_01","role":"admin","roles":["admin"],"permissions":["posts:read","posts:*"],"iat":1735689500,"exp":1735693100}'
    while read -r pem alg kid; do
        for a in $alg; do
            if [ "$kid" = - ]; then
                echo "$claims" | "$cli" sign --key "fuzz/keys/$pem" --alg "$a" - >> "$toks" 2>/dev/null
            else
                echo "$claims" | "$cli" sign --key "fuzz/keys/$pem" --alg "$a" --kid "$kid" - >> "$toks" 2>/dev/null
            fi
        done
    done <<'EOF'
rs256.pem RS256 fz-RS256
rsa.pem RS384 fz-RSA
rsa.pem PS256 fz-RSA
rsa.pem PS512 fz-RSA
rsa-nokid.pem RS512 -
rsa-nokid.pem PS384 -
es256.pem ES256 fz-ES256
es384.pem ES384 fz-ES384
es512.pem ES512 fz-ES512
es512.pem ES512 -
ed25519.pem EdDSA fz-EdDSA
ed25519.pem EdDSA -
EOF
fi
perl fuzz/make-corpus.pl "$out" "$VECTORS" "$toks" || say "warning: no vector seeds"
mkdir -p "$out/corpus-token" "$out/corpus-jwks" "$out/corpus-claims" \
    "$out/corpus-events" "$out/corpus-session"
cp fuzz/keys/jwks.json "$out/corpus-jwks/fuzz-keys.json"

dict_token=fuzz/token.dict
dict_jwks=fuzz/json.dict
dict_claims=fuzz/json.dict
dict_events=fuzz/events.dict
dict_session=fuzz/session.dict

# ---- replay: regressions and seeds must not crash ----------------------

for t in $TARGETS; do
    inputs=()
    for d in "fuzz/regressions/$t" "fuzz/seeds/$t"; do
        [ -d "$d" ] && [ -n "$(ls -A "$d")" ] && inputs+=("$d"/*)
    done
    if [ ${#inputs[@]} -eq 0 ]; then
        continue
    fi
    if "$out/fuzz_$t" -runs=1 "${inputs[@]}" >"$out/logs/replay-$t.log" 2>&1; then
        result ok "replay-$t" "${#inputs[@]} regression and seed inputs"
    else
        result fail "replay-$t" "see $out/logs/replay-$t.log"
        grep -m5 -E 'ERROR|runtime error|Running:' "$out/logs/replay-$t.log"
    fi
done

# ---- fuzz --------------------------------------------------------------

run_one() {
    local t=$1 dict
    eval "dict=\$dict_$t"
    local log=$out/logs/fuzz-$t.log
    local seeds=()
    [ -d "fuzz/seeds/$t" ] && seeds+=("fuzz/seeds/$t")
    "$out/fuzz_$t" -max_total_time="$SECONDS_PER" -timeout=10 \
        -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
        -dict="$dict" -artifact_prefix="$out/artifacts/$t-" \
        ${FUZZ_ARGS:-} "$out/corpus-$t" "${seeds[@]}" >"$log" 2>&1
    echo $? > "$out/logs/fuzz-$t.rc"
}

say "fuzzing ${SECONDS_PER}s per target: $TARGETS"
running=0
for t in $TARGETS; do
    run_one "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$FUZZ_JOBS" ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait

for t in $TARGETS; do
    log=$out/logs/fuzz-$t.log
    rc=$(cat "$out/logs/fuzz-$t.rc" 2>/dev/null || echo 1)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1)
    corpus=$(ls "$out/corpus-$t" | wc -l)
    if [ "$rc" = 0 ]; then
        result ok "fuzz-$t" "${execs:-?} execs in ${SECONDS_PER}s (${speed:-?}/s), ${cov:-cov: ?}, corpus $corpus"
    else
        result fail "fuzz-$t" "exit $rc after ${execs:-?} execs, see $log"
        grep -m10 -E 'ERROR: |runtime error|SUMMARY|artifact_prefix|Test unit written' "$log"
    fi
done

finish fuzz
