# Sourced by the check scripts (fuzz, test-asan, test-leaks, test-reload):
# `free_port` prints a free loopback port, `result ok|fail NAME TEXT`
# records a check, `finish NAME` prints one PASS/FAIL line a check, the
# verdict and "N passed, N failed", and exits 0 only when nothing failed.

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
