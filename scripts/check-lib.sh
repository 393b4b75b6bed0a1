# Sourced by the check scripts (fuzz, test-asan, test-leaks, test-reload)
# once they have set $top: `free_port` prints a free loopback port,
# `result ok|fail NAME TEXT` records a check, `finish NAME` prints one
# PASS/FAIL line a check, the verdict and "N passed, N failed", and exits
# 0 only when nothing failed; `give_up TEXT` fails before any check. The
# nginx checks share NGINX_BIN, MODULE, CLI and the helpers below them.

pass=0
fail=0
summary=()

say() { printf '%s\n' "$*"; }

# a free loopback TCP port
free_port() {
    perl -MIO::Socket::INET -e 'print IO::Socket::INET->new(Listen => 1,
        LocalAddr => "127.0.0.1", LocalPort => 0)->sockport'
}

result() {
    if [ "$1" = ok ]; then pass=$((pass + 1)); summary+=("PASS $2: $3")
    else fail=$((fail + 1)); summary+=("FAIL $2: $3"); fi
}

finish() {
    [ "${#summary[@]}" -gt 0 ] && printf '%s\n' "${summary[@]}"
    if [ "$fail" -eq 0 ]; then say "PASS: $1"; else say "FAIL: $1"; fi
    say "$pass passed, $fail failed"
    [ "$fail" -eq 0 ]
    exit $?
}

give_up() {
    say "FAIL: $1"
    say "0 passed, 1 failed"
    exit 1
}

NGINX_BIN=${NGINX_BIN:-/usr/sbin/nginx}
MODULE=${WORKOS_JWT_MODULE:-$top/build/ngx_http_workos_jwt_module.so}
CLI=${WORKOS_JWT:-$top/build/workos-jwt}

# need_built HINT FILE...: give up unless every FILE is there
need_built() {
    local hint=$1 f
    shift
    for f in "$@"; do
        [ -f "$f" ] || give_up "$f missing ($hint)"
    done
}

# nginx_prefix DIR MODE: DIR/{conf,logs,html,tmp} (chmod -R MODE) with the
# module copied to DIR/module.so
nginx_prefix() {
    mkdir -p "$1/conf" "$1/logs" "$1/html" "$1/tmp"
    chmod -R "$2" "$1"
    cp "$MODULE" "$1/module.so"
}

# conf_head DIR MODULE_SO WORKERS CONNECTIONS LEVEL: the start of an
# nginx.conf for the prefix DIR, ending inside http { }
conf_head() {
    cat <<EOF
load_module $2;
worker_processes $3;
error_log $1/logs/error.log $5;
pid $1/logs/nginx.pid;
events { worker_connections $4; }
http {
    access_log off;
    client_body_temp_path $1/tmp/body;
    proxy_temp_path $1/tmp/proxy;
    fastcgi_temp_path $1/tmp/fastcgi;
    uwsgi_temp_path $1/tmp/uwsgi;
    scgi_temp_path $1/tmp/scgi;
EOF
}

# check_conf DIR CHECK SCRIPT: nginx -t on DIR/conf/nginx.conf (output in
# DIR/../nginx-t.txt), else a failed CHECK and SCRIPT's verdict
check_conf() {
    local log
    log=$(dirname "$1")/nginx-t.txt
    if ! "$NGINX_BIN" -t -p "$1/" -c "$1/conf/nginx.conf" >"$log" 2>&1; then
        cat "$log"
        result fail "$2" "nginx -t failed"
        finish "$3"
    fi
}

# wait_workers DIR N [SECONDS]: until DIR/logs/error.log has N "start
# worker process" lines (default 120 seconds)
wait_workers() {
    local i
    for i in $(seq 1 $(( ${3:-120} * 10 ))); do
        [ "$(grep -c 'start worker process [0-9]' "$1/logs/error.log" \
             2>/dev/null)" -ge "$2" ] && return 0
        sleep 0.1
    done
    return 1
}
