#!/bin/bash
# scripts/test-asan.sh: the module, the core, the CLI and the unit tests
# built with AddressSanitizer + UndefinedBehaviorSanitizer (gcc) into
# build/asan/, then
#   1. the unit tests (LeakSanitizer on),
#   2. the fuzz seeds and fuzz/regressions replayed through the targets,
#   3. the whole t/ suite against Debian's nginx with libasan preloaded
#      (detect_leaks=0: nginx frees its cycle pools only at exit),
# and a FAIL if any test fails or any sanitizer report shows up.
#   NGINX_BIN     nginx binary (default /usr/sbin/nginx)
#   PROVE_ARGS    extra prove flags; T="t/010-keys.t ..." to run a subset
# Gotchas handled here: libasan must come first in the process, so nginx
# runs through a wrapper that sets LD_PRELOAD (the workers are forks of
# the master and inherit the runtime, although nginx clears their
# environment); daemon on closes stderr, so reports go to log_path files
# under build/asan/logs/; the Debian nginx and nginx-dev headers are not
# instrumented, which is fine: the module and core are.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

CC=${CC:-gcc}
asan=$top/build/asan
logs=$asan/logs
san="-fsanitize=address,undefined -fno-omit-frame-pointer"
. "$top/scripts/check-lib.sh"

libasan=$($CC -print-file-name=libasan.so)
libubsan=$($CC -print-file-name=libubsan.so)
libasan=$(readlink -f "$libasan")
libubsan=$(readlink -f "$libubsan")
if [ ! -f "$libasan" ] || [ ! -f "$libubsan" ]; then
    give_up "no libasan/libubsan for $CC (apt-get install libgcc-12-dev)"
fi

rm -rf "$logs"
mkdir -p "$logs" "$asan/core" "$asan/unit"
# workers run as nobody: they must be able to create their report files
chmod 1777 "$logs"

# ---- build -------------------------------------------------------------

say "build: module (build/asan/ngx_http_workos_jwt_module.so)"
if NGX_BUILD=$asan/nginx MODULE_SO=$asan/ngx_http_workos_jwt_module.so \
   EXTRA_CC_OPT="$san" EXTRA_LD_OPT="-fsanitize=address,undefined" \
   scripts/build-module.sh >"$logs/build-module.txt" 2>&1
then
    result ok build-module "$(ldd "$asan/ngx_http_workos_jwt_module.so" | grep -c 'libasan\|libubsan') sanitizer runtimes linked"
else
    tail -20 "$logs/build-module.txt"
    result fail build-module "see $logs/build-module.txt"
    finish test-asan
fi

say "build: core, CLI, unit tests, fuzz replay drivers"
cflags="-g -O1 $san -D_GNU_SOURCE -Isrc/core -Wall -Wextra -Werror"
build_ok=1
objs=()
for f in src/core/wjwt_*.c; do
    o=$asan/core/$(basename "${f%.c}").o
    $CC $cflags -fPIC -c -o "$o" "$f" 2>>"$logs/build.txt" || build_ok=0
    objs+=("$o")
done
$CC $cflags -Icli -o "$asan/workos-jwt" cli/*.c "${objs[@]}" \
    -ljansson -lcrypto -lcurl 2>>"$logs/build.txt" || build_ok=0
units=()
for f in t/unit/test_*.c; do
    b=$asan/unit/$(basename "${f%.c}")
    $CC $cflags -It/unit -o "$b" "$f" "${objs[@]}" -ljansson -lcrypto \
        2>>"$logs/build.txt" || build_ok=0
    units+=("$b")
done
for t in token jwks claims events session; do
    $CC $cflags -Wno-unused-parameter -Ifuzz \
        "-DWJWT_FUZZ_JWKS=\"$top/fuzz/keys/jwks.json\"" \
        -o "$asan/replay_$t" fuzz/fuzz_$t.c fuzz/replay_main.c "${objs[@]}" \
        -ljansson -lcrypto 2>>"$logs/build.txt" || build_ok=0
done
if [ "$build_ok" = 1 ]; then
    result ok build-core "core, CLI, ${#units[@]} unit tests, 5 replay drivers"
else
    cat "$logs/build.txt"
    result fail build-core "see $logs/build.txt"
    finish test-asan
fi

# sanitizer reports of every process go to files named <prefix>.<pid>
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:detect_leaks=1:log_path=$logs/asan:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=0:log_path=$logs/ubsan"

reports() {                      # reports FILE... -> count of reports
    cat "$@" 2>/dev/null | grep -cE 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: (Address|Undefined|Leak)'
}

# ---- 1. unit tests -----------------------------------------------------

say "unit tests under ASan+UBSan+LSan"
if prove "${units[@]}" >"$logs/unit.txt" 2>&1; then
    result ok unit "$(grep -E '^Files=' "$logs/unit.txt")"
else
    tail -15 "$logs/unit.txt"
    result fail unit "see $logs/unit.txt"
fi
n=$(reports "$logs"/asan.* "$logs"/ubsan.*)
if [ "$n" -eq 0 ]; then
    result ok unit-sanitizers "no sanitizer report"
else
    result fail unit-sanitizers "$n report lines in $logs"
fi
mkdir -p "$logs/unit" && mv "$logs"/asan.* "$logs"/ubsan.* "$logs/unit/" 2>/dev/null

# ---- 2. fuzz seeds and regressions --------------------------------------

say "fuzz seeds and regressions"
fz_ok=1
fz_n=0
for t in token jwks claims events session; do
    dirs=()
    for d in fuzz/seeds/$t fuzz/regressions/$t build/fuzz/corpus-$t; do
        [ -d "$d" ] && dirs+=("$d")
    done
    [ ${#dirs[@]} -eq 0 ] && continue
    out=$("$asan/replay_$t" "${dirs[@]}" 2>&1) || fz_ok=0
    fz_n=$((fz_n + $(echo "$out" | sed -n 's/^replayed \([0-9]*\).*/\1/p')))
done
n=$(reports "$logs"/asan.* "$logs"/ubsan.*)
if [ "$fz_ok" = 1 ] && [ "$n" -eq 0 ]; then
    result ok fuzz-replay "$fz_n inputs, no sanitizer report"
else
    result fail fuzz-replay "exit or $n report lines in $logs/fuzz"
fi
mkdir -p "$logs/fuzz" && mv "$logs"/asan.* "$logs"/ubsan.* "$logs/fuzz/" 2>/dev/null

# ---- 3. integration suite against nginx ----------------------------------

wrapper=$asan/nginx-asan
cat > "$wrapper" <<EOF
#!/bin/sh
# nginx with the sanitizer runtimes first in the process
LD_PRELOAD="$libasan $libubsan\${LD_PRELOAD:+ \$LD_PRELOAD}" \\
ASAN_OPTIONS="\${ASAN_OPTIONS}:detect_leaks=0" \\
exec "$NGINX_BIN" "\$@"
EOF
chmod +x "$wrapper"

if ! "$wrapper" -V >/dev/null 2>&1; then
    result fail nginx-wrapper "$wrapper -V failed"
    finish test-asan
fi

# the runtime must really be in the workers: check one worker's maps
pfx=$asan/selfcheck
rm -rf "$pfx" && mkdir -p "$pfx/logs" "$pfx/conf" "$pfx/tmp"
port=$(free_port)
cat > "$pfx/conf/nginx.conf" <<EOF
$(conf_head "$pfx" "$asan/ngx_http_workos_jwt_module.so" 1 64 info)
    server {
        listen 127.0.0.1:$port;
        location / { workos_jwt on; workos_jwt_key_file $top/fuzz/keys/jwks.json; empty_gif; }
    }
}
EOF
if "$wrapper" -p "$pfx/" -c "$pfx/conf/nginx.conf" >"$logs/selfcheck.txt" 2>&1; then
    sleep 1
    master=$(cat "$pfx/logs/nginx.pid" 2>/dev/null)
    worker=$(pgrep -P "$master" | head -1)
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/" || true)
    if [ -n "$worker" ] && grep -q libasan "/proc/$worker/maps" \
       && grep -q workos_jwt "/proc/$worker/maps" && [ "$code" = 401 ]
    then
        result ok worker-runtime "worker $worker maps libasan and the module, answers 401"
    else
        result fail worker-runtime "worker '$worker' lacks libasan or module (HTTP $code)"
    fi
    # a worker's report must reach the log files: SEGV one on purpose
    if [ -n "$worker" ]; then
        kill -SEGV "$worker"
        sleep 1
        if grep -qs 'AddressSanitizer: SEGV' "$logs/asan.$worker"; then
            result ok worker-reports "a worker's ASan report reaches $logs/asan.<pid>"
        else
            result fail worker-reports "no report from the SEGV'd worker $worker in $logs"
        fi
        rm -f "$logs/asan.$worker"
    fi
    kill -QUIT "$master" 2>/dev/null
    sleep 0.5
else
    cat "$logs/selfcheck.txt"
    result fail worker-runtime "nginx did not start under the wrapper"
fi

say "t/ suite: nginx + ASan module (this takes a while)"
tests=${T:-$(ls t/*.t)}
if WORKOS_JWT_MODULE=$asan/ngx_http_workos_jwt_module.so \
   NGINX_BIN=$wrapper WORKOS_JWT=$asan/workos-jwt \
   prove ${PROVE_ARGS:-} $tests >"$logs/prove.txt" 2>&1
then
    result ok t-suite "$(grep -E '^Files=' "$logs/prove.txt")"
else
    grep -E '^t/.*(Failed|Dubious)|^Failed|Wstat|^Files=' "$logs/prove.txt" | head -20
    result fail t-suite "$(grep -E '^Result:' "$logs/prove.txt"), see $logs/prove.txt"
fi

# the CLI tests run the ASan CLI with leak detection on
n=$(reports "$logs"/asan.* "$logs"/ubsan.*)
if [ "$n" -eq 0 ]; then
    result ok t-sanitizers "no sanitizer report from nginx, module or CLI"
else
    for f in "$logs"/asan.* "$logs"/ubsan.*; do
        [ -f "$f" ] || continue
        say "--- $f"
        grep -m8 -E 'ERROR|runtime error|SUMMARY|#[0-9] ' "$f"
    done
    result fail t-sanitizers "$n report lines in $logs"
fi

finish test-asan
