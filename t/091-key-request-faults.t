# workos_jwt_key_request fetch failures against a real HTTPS JWKS server:
# no keys at cold start (503), retry only after refetch=, recovery, every
# kind of failure (status, bad JSON, empty and unusable key sets, oversize
# and slow bodies, connection refused, untrusted certificate) counted,
# logged with its reason, old keys kept; stale= running out (503) and
# recovery when the server comes back.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Time::HiRes qw(time sleep);
use WorkosJwtTest;
use WorkosJwtJwks;

require_module();

my $t = WorkosJwtTest->new;
my $jw = WorkosJwtJwks->new($t);
my $k1 = new_key(kid => 'k1');
my $small = new_key(kid => 'small1', bits => 1024);
my $tok = make_token(key => $k1);
my $GOOD = jwks_json($k1);

my $BASE = <<"EOF";
        workos_jwt_issuer https://api.workos.com;
        workos_jwt_lint_ignore missing_aud;
        location = /status { workos_jwt_status; }
EOF

my $FAIL = qr/\[error\].*workos jwt JWKS fetch from "\/_jwks" failed: /;

# ---- A: failures with keys in hand (valid=1s stale=60s refetch=1s) -------

$jw->set_jwks($GOOD);
$jw->mode('500');
$jw->start or BAIL_OUT('JWKS server did not start');
$t->start(config => $BASE . <<"EOF") or BAIL_OUT('start');
        location /api/ {
            workos_jwt on;
            workos_jwt_key_request /_jwks;
            workos_jwt_key_cache valid=1s stale=60s refetch=1s;
            proxy_pass http://%%UPSTREAM%%;
        }
        location /rogue/ {
            workos_jwt on;
            workos_jwt_key_request /_jwks_rogue;
            proxy_pass http://%%UPSTREAM%%;
        }
@{[ $jw->location(read_timeout => '1s', buffer => '16k') ]}
@{[ $jw->location(uri => '/_jwks_rogue', rogue => 1) ]}
EOF

# no keys at all at cold start: 503 and error lines.  nginx's clock counts
# whole seconds, so a refetch=1s window that opens late in a second ends
# at the next one: the failing request is sent as a second starts, and the
# check inside the window is made (or skipped) before that second ends
my $off = $t->log_size;
my $failed = int(time) + 1;
sleep_until($failed + 0.02);
my $r = $t->request('GET /api/a', token => $tok);
my $answered = time;
is($r->{status}, 503, 'cold start, JWKS answers 500: 503');
my $log = $t->log_since($off);
like($log, qr/${FAIL}status 500(?!,)/, 'cold start failure logged with its '
     . 'reason') or diag($log);
like($log, qr/\[error\].*workos jwt no usable keys to verify the token/,
     'cold start: "no usable keys" error line');
my $st = status_json($t);
is($st->{keys}{count}, 0, 'status: keys.count 0');
is($st->{keys}{fetch_failures}, 1, 'status: fetch_failures 1');
is($st->{keys}{fetches}, 1, 'status: fetches 1');
is($st->{keys}{last_error}, 'status 500', 'status: last_error "status 500"');
is($st->{requests}{keys_unavailable}, 1,
   'status: requests.keys_unavailable 1');

# the next attempt waits refetch=
$jw->mode();
$r = $t->request('GET /api/a', token => $tok);
SKIP: {
    skip 'too slow to test inside the refetch window', 2
        if time > $failed + 0.95;
    is($r->{status}, 503, 'inside refetch after a failure: still 503');
    is($jw->hits, 1, 'inside refetch after a failure: no new fetch');
}

# recovery within refetch
sleep_until($answered + 1.2);
$off = $t->log_size;
$r = $t->request('GET /api/a', token => $tok);
is($r->{status}, 200, 'server back, after refetch=: 200') or diag($r->{raw});
$log = $t->log_since($off);
like($log, qr/workos jwt fetched 1 keys from "\/_jwks", fresh for 1s/,
     'recovery fetch logged');
$st = status_json($t);
is($st->{keys}{count}, 1, 'status after recovery: keys.count 1');
is($st->{keys}{fetch_failures}, 1, 'status after recovery: failures 1');
is($st->{keys}{fetches}, 2, 'status after recovery: fetches 2');

# every kind of failure, while the keys are stale: old keys keep serving
my $pad = '{"keys":[' . json_enc($k1->{jwk}) . '],"pad":"' . ('x' x 20000)
        . '"}';
# [name, setup, reason in the log line, exact last_error]
my @faults = (
    ['500', sub { $jw->mode('500') }, qr/status 500/, 'status 500'],
    ['404', sub { $jw->mode('404') }, qr/status 404/, 'status 404'],
    ['garbage body', sub { $jw->set_jwks("this is not json\n") },
     qr/not a JWKS: .+/],
    ['truncated JSON', sub { $jw->set_jwks(substr $GOOD, 0, 60) },
     qr/not a JWKS: .+/],
    ['empty key set', sub { $jw->set_jwks('{"keys":[]}') },
     qr/no usable key/, 'no usable key'],
    ['only an RSA-1024 key', sub { $jw->set_jwks(jwks_json($small)) },
     qr/no usable key/, 'no usable key'],
    ['empty body', sub { $jw->set_jwks('') }, qr/empty response/,
     'empty response'],
    ['body over subrequest_output_buffer_size (16k)',
     sub { $jw->set_jwks($pad) },
     qr/too big for subrequest_output_buffer_size/, undef],
    ['headers slower than proxy_read_timeout', sub { $jw->mode('slow') },
     qr/status 504|timed out/, undef],
    ['body slower than proxy_read_timeout', sub { $jw->mode('slowbody') },
     qr/status 504|timed out|response not complete/, undef],
    ['connection refused', sub { $jw->stop }, qr/status 502/, 'status 502'],
);

for my $f (@faults) {
    my ($name, $setup, $reason, $exact) = @$f;
    my $before = status_json($t)->{keys};
    $setup->();
    my $hits = $jw->hits;
    sleep 1.1;                         # past valid= and refetch=
    $off = $t->log_size;
    $r = $t->request('GET /api/a', token => $tok);
    is($r->{status}, 200, "$name: stale keys still serve, 200")
        or diag($r->{raw});
    my $line = wait_until(sub {
        ($t->log_since($off) =~ /(${FAIL}.*)/)[0] }, 4);
    ok($line, "$name: fetch failure logged at error level")
        or diag($t->log_since($off));
    like($line // '', qr/failed: .*, serving the previous keys/,
         "$name: the line says the previous keys serve");
    sleep 0.3;
    $log = $t->log_since($off);
    unlike($log, qr/no usable keys/, "$name: keys were not unavailable");
    $st = status_json($t);
    my $k = $st->{keys};
    like($line // '', qr/failed: $reason, serving/,
         "$name: reason in the log line");
    if (defined $exact) {
        is($k->{last_error}, $exact, "$name: last_error");
    } else {
        like($k->{last_error}, $reason, "$name: last_error");
    }
    ok($k->{fetch_failures} > $before->{fetch_failures},
       "$name: fetch_failures counted");
    my @lines = $log =~ /$FAIL/g;
    is(scalar @lines, 1, "$name: one failure line for one fetch");
    is($k->{fetch_failures}, $before->{fetch_failures} + 1,
       "$name: fetch_failures + 1");
    is($k->{fetches}, $before->{fetches} + 1, "$name: fetches + 1");
    is($k->{count}, 1, "$name: status still has the old key");
    is(count_kids($st), 'k1', "$name: kids still [k1]");
    is($k->{fresh_until}, $before->{fresh_until},
       "$name: fresh_until unchanged");
    if ($name ne 'connection refused') {
        wait_until(sub { $jw->hits > $hits }, 2);
        is($jw->hits, $hits + 1, "$name: one JWKS request");
    }
    # restore
    $jw->mode();
    $jw->set_jwks($GOOD);
    $jw->start;
}

# back to normal: the next refresh succeeds
my $before = status_json($t)->{keys};
sleep 1.1;
$r = $t->request('GET /api/a', token => $tok);
is($r->{status}, 200, 'after the faults: 200');
wait_until(sub { status_json($t)->{keys}{fetches} > $before->{fetches} }, 3);
$st = status_json($t);
is($st->{keys}{fetches}, $before->{fetches} + 1,
   'after the faults: one more fetch');
is($st->{keys}{fetch_failures}, $before->{fetch_failures},
   'after the faults: it succeeded');
ok($st->{keys}{fresh_until} >= int(time), 'after the faults: fresh again')
    or diag(json_enc($st->{keys}));

# the JWKS server's certificate must verify: a self-signed one fails
$off = $t->log_size;
$r = $t->request('GET /rogue/a', token => $tok);
is($r->{status}, 503, 'untrusted certificate: no keys, 503');
$log = $t->log_since($off);
like($log, qr/upstream SSL certificate verify error/,
     'untrusted certificate: nginx refused it');
like($log, qr/workos jwt JWKS fetch from "\/_jwks_rogue" failed: status 502/,
     'untrusted certificate: fetch failure logged');
$t->stop;

# ---- B: stale= runs out while the server is down; 2 workers -------------

my $t2 = WorkosJwtTest->new;
$jw->set_jwks($GOOD);
$jw->mode();
my $p2 = WorkosJwtTest::free_port();
my $LOC = $BASE . <<"EOF";
        location /api/ {
            workos_jwt on;
            workos_jwt_key_request /_jwks;
            workos_jwt_key_cache valid=1s stale=2s refetch=1s;
            proxy_pass http://%%UPSTREAM%%;
        }
@{[ $jw->location ]}
EOF
$t2->start(config => $LOC . reuseport_listen($p2), workers => 2,
           ) or BAIL_OUT('start');

$r = $t2->request('GET /api/b', token => $tok);
is($r->{status}, 200, 'B: cold fetch, 200');
$st = status_json($t2);
my ($fetched, $fresh) = @{ $st->{keys} }{qw(fetched_at fresh_until)};
is($fresh - $fetched, 1, 'B: fresh_until = fetched_at + 1s');
my $stale_until = $fresh + 2;

# stale keys, slow but working JWKS: one background refresh for all
# workers, and the requests do not wait for it
$jw->mode('delay');
sleep_until($fresh + 0.1);
my $h0 = $jw->hits;
$off = $t2->log_size;
my @res = concurrent_requests($t2, [ map { ['GET /api/b', token => $tok,
                                            port => $p2] } 1 .. 20 ]);
is(scalar(grep { $_->{status} == 200 } @res), 20,
   'B: stale keys, refresh under way: 20 concurrent requests 200')
    or diag(join ' ', map { $_->{status} } @res);
my %w = map { ($_->{headers}{'x-worker'}[0] // '?') => 1 } @res;
is(scalar(keys %w), 2, 'B: both workers served');
my $fast = grep { $_->{elapsed} < 0.7 } @res;
ok($fast >= 19, "B: $fast of 20 did not wait for the slow JWKS (the one "
   . 'that started the background fetch may keep its connection open)')
    or diag(join ' ', map { sprintf '%.2f', $_->{elapsed} } @res);
wait_until(sub { $jw->hits > $h0 }, 4);
sleep 0.3;
is($jw->hits, $h0 + 1, 'B: one background refresh for 20 requests on 2 '
   . 'workers');
$log = $t2->log_since($off);
my @bgf = $log =~ /fetching JWKS from "\/_jwks" in the background/g;
is(scalar @bgf, 1, 'B: one "in the background" line') or diag($log);
$st = status_json($t2);
is($st->{keys}{fetches}, 2, 'B: fetches 2');
($fetched, $fresh) = @{ $st->{keys} }{qw(fetched_at fresh_until)};
$stale_until = $fresh + 2;
$jw->mode();

$jw->stop;                                   # down
sleep_until($fresh + 0.1);
$off = $t2->log_size;
@res = concurrent_requests($t2, [ map { ['GET /api/b', token => $tok,
                                         port => $p2] } 1 .. 6 ]);
is(scalar(grep { $_->{status} == 200 } @res), 6,
   'B: server down, keys stale: 200 on both workers')
    or diag(join ' ', map { $_->{status} } @res);
$log = wait_until(sub { my $l = $t2->log_since($off);
                        $l =~ /$FAIL/ ? $l : '' }, 3);
like($log, qr/${FAIL}status 502, serving the previous keys/,
     'B: the failed background refresh is logged');
my @bg = $log =~ /fetching JWKS from "\/_jwks" in the background/g;
is(scalar @bg, 1, 'B: one background refresh for concurrent requests on '
   . '2 workers') or diag($log);
$st = status_json($t2);
{
    is($st->{keys}{fetch_failures}, 1, 'B: fetch_failures 1');
}
is($st->{keys}{last_error}, 'status 502', 'B: last_error');
is($st->{keys}{count}, 1, 'B: keys.count still 1 while stale');

sleep_until($stale_until + 0.1);
$off = $t2->log_size;
for my $p ($t2->port, $p2) {
    $r = $t2->request('GET /api/b', token => $tok, port => $p);
    is($r->{status}, 503, "B: stale= ran out, server down: 503 (port $p)");
}
$log = $t2->log_since($off);
like($log, qr/\[error\].*workos jwt no usable keys to verify the token/,
     'B: "no usable keys" error line');
unlike($log, qr/serving the previous keys/,
       'B: no longer "serving the previous keys"');
$st = status_json($t2);
is($st->{keys}{count}, 0, 'B: status keys.count 0 past stale=');

$jw->start;                                  # back
sleep 1.1;                                   # past refetch=
$r = $t2->request('GET /api/b', token => $tok, port => $p2);
is($r->{status}, 200, 'B: server back: 200 again');
$r = $t2->request('GET /api/b', token => $tok);
is($r->{status}, 200, 'B: server back: 200 on the other listener');
$st = status_json($t2);
is($st->{keys}{count}, 1, 'B: keys.count 1 again');
ok($st->{keys}{fresh_until} >= int(time), 'B: fresh again');

$t2->done;
