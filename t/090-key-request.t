# workos_jwt_key_request against a real HTTPS JWKS server (a second nginx,
# see t/lib/WorkosJwtJwks.pm), 2 workers: nginx -t without the location,
# status before the first fetch, cold start with concurrent first requests
# (one fetch for all workers), the status keys block, a burst of unknown
# kids (at most one refetch per refetch= window), keys rotated in and out.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Time::HiRes qw(time sleep);
use WorkosJwtTest;
use WorkosJwtJwks;

require_module();

my $REFETCH = 3;
my $t = WorkosJwtTest->new;
my $jw = WorkosJwtJwks->new($t);
my ($k1, $k2) = map { new_key(kid => $_) } qw(k1 k2);
my $tok1 = make_token(key => $k1);
my $tok2 = make_token(key => $k2);

my $LOC = <<"EOF";
        workos_jwt_issuer https://api.workos.com;
        workos_jwt_lint_ignore missing_aud;

        location /api/ {
            workos_jwt on;
            workos_jwt_key_request /_jwks;
            workos_jwt_key_cache valid=60s stale=60s refetch=${REFETCH}s;
            proxy_pass http://%%UPSTREAM%%;
        }

        location = /status { workos_jwt_status; }

@{[ $jw->location ]}
EOF

# ---- nginx -t -------------------------------------------------------------

my ($ok, $out) = $t->nginx_t(config => <<"EOF");
        workos_jwt_issuer https://api.workos.com;
        location /api/ {
            workos_jwt on;
            workos_jwt_key_request /_nowhere;
            proxy_pass http://%%UPSTREAM%%;
        }
@{[ $jw->location ]}
EOF
ok(!$ok, 'nginx -t fails: workos_jwt_key_request names no location');
like($out, qr/\[emerg\].*workos_jwt_key_request.*\/_nowhere/,
     'the [emerg] line names the directive and the URI') or diag($out);

($ok, $out) = $t->nginx_t(config => $LOC, workers => 2);
ok($ok, 'nginx -t accepts key_request with its internal location')
    or diag($out);

# ---- start: 2 workers, a reuseport listener to spread connections ---------

my $p2 = WorkosJwtTest::free_port();
$jw->set_jwks(jwks_json($k1));
$jw->mode('delay');                 # the JWKS takes about a second
$jw->start or BAIL_OUT('JWKS server did not start');
$t->start(config => $LOC . reuseport_listen($p2), workers => 2,
          ) or BAIL_OUT('start');

my $st = status_json($t);
is($st->{keys}{count}, 0, 'status before any request: keys.count 0');
is($st->{keys}{fetches}, 0, 'status before any request: fetches 0');
is($st->{keys}{fetch_failures}, 0, 'status before any request: no failure');
is($jw->hits, 0, 'no JWKS request before the first protected request');

# ---- cold start: 20 concurrent first requests, 2 workers, 1 fetch ---------

my $off = $t->log_size;
my $before = int time;
my @res = concurrent_requests($t, [ map { ['GET /api/cold', token => $tok1,
                                           port => $p2] } 1 .. 20 ]);
my $after = time;
my @ok = grep { $_->{status} == 200 } @res;
is(scalar @ok, 20, 'cold start: all 20 concurrent first requests 200')
    or diag(join ' ', map { $_->{status} } @res);
like($ok[0]{body} // '', qr{^uri=/api/cold$}m, 'cold start: proxied upstream');
my %workers = map { ($_->{headers}{'x-worker'}[0] // '?') => 1 } @res;
is(scalar(keys %workers), 2, 'cold start: both workers served requests')
    or diag(join ' ', keys %workers);
ok($after - $before >= 0.8, 'cold start: the requests waited for the slow '
   . 'JWKS') or diag("took " . ($after - $before));
wait_until(sub { $jw->hits >= 1 }, 3);
sleep 0.3;
is($jw->hits, 1, 'cold start: exactly one JWKS request for 20 requests on '
   . '2 workers') or diag($jw->access_log);
my $log = $t->log_since($off);
my @fetching = $log =~ /workos jwt fetching JWKS from "\/_jwks"/g;
is(scalar @fetching, 1, 'cold start: one "fetching JWKS" line')
    or diag($log);
like($log, qr/workos jwt fetched 1 keys from "\/_jwks", fresh for 60s/,
     'cold start: fetched line with the key count and freshness');
unlike($log, qr/\[error\]/, 'cold start: no [error] line');

# ---- status keys block ------------------------------------------------------

$st = status_json($t);
my $k = $st->{keys};
is($k->{count}, 1, 'status: keys.count 1');
is_deeply($k->{kids}, ['k1'], 'status: kids [k1]');
is($k->{fetches}, 1, 'status: fetches 1');
is($k->{fetch_failures}, 0, 'status: fetch_failures 0');
is($k->{last_error}, '', 'status: last_error empty');
ok($k->{fetched_at} >= $before && $k->{fetched_at} <= $after + 1,
   'status: fetched_at is the fetch time')
    or diag("fetched_at $k->{fetched_at}, window $before..$after");
is($k->{fresh_until} - $k->{fetched_at}, 60,
   'status: fresh_until = fetched_at + valid');
is($st->{requests}{valid}, 20, 'status: requests.valid 20');

$jw->mode();

# ---- 100 unknown kids: at most one refetch per refetch= window -------------

my $h0 = $jw->hits;
my $start = time;
my @unknown;
for my $wave (1 .. 5) {
    push @unknown, concurrent_requests($t, [ map {
        my $p = $_ % 2 ? $p2 : $t->port;
        ['GET /api/unknown', token => fake_token('rnd' . int(rand 1e9)),
         port => $p] } 1 .. 20 ]);
}
my $elapsed = time - $start;
wait_until(sub { $jw->hits > $h0 }, 3);
sleep 0.3;
my $fetched = $jw->hits - $h0;
my $allowed = 1 + int($elapsed / $REFETCH);
my $e401 = grep {
    $_->{status} == 401
    && ($_->{headers}{'www-authenticate'}[0] // '')
       =~ /error_description="unknown_kid"/ } @unknown;
is($e401, 100, '100 unknown kids: all 401 unknown_kid')
    or diag(join ' ', map { $_->{status} } @unknown);
ok($fetched >= 1, '100 unknown kids: a refetch happened');
ok($fetched <= $allowed, "100 unknown kids in ${\ sprintf '%.1f', $elapsed}s:"
   . " at most $allowed JWKS requests") or diag("got $fetched");
my $window_from = time;     # the window opened before this

# ---- a kid rotated in: accepted after at most one refetch ------------------

$jw->set_jwks(jwks_json($k1, $k2));
my $h1 = $jw->hits;
SKIP: {
    skip 'burst too slow to test inside the refetch window', 2
        if time > $start + $REFETCH - 1.2;
    my $r = $t->request('GET /api/rot', token => $tok2);
    is($r->{status}, 401, 'rotated-in kid inside the refetch window: 401');
    sleep 0.2;
    is($jw->hits, $h1, 'rotated-in kid inside the window: no refetch');
}
sleep_until($window_from + $REFETCH + 0.2);
my $r = $t->request('GET /api/rot', token => $tok2, port => $p2);
is($r->{status}, 200, 'rotated-in kid after the window: 200')
    or diag($r->{raw});
wait_until(sub { $jw->hits > $h1 }, 2);
is($jw->hits, $h1 + 1, 'rotated-in kid: exactly one refetch');
my $window2 = time;
for my $p ($t->port, $p2) {
    $r = $t->request('GET /api/rot', token => $tok2, port => $p);
    is($r->{status}, 200, "rotated-in kid again (port $p): 200, no refetch");
    $r = $t->request('GET /api/rot', token => $tok1, port => $p);
    is($r->{status}, 200, "old kid still in the set (port $p): 200");
}
sleep 0.2;
is($jw->hits, $h1 + 1, 'known kids cause no JWKS request');
$st = status_json($t);
is(count_kids($st), 'k1,k2', 'status: kids k1,k2 after rotation');
is($st->{keys}{count}, 2, 'status: keys.count 2');

# ---- a kid rotated out: its tokens fail as unknown_kid --------------------

$jw->set_jwks(jwks_json($k2));
sleep_until($window2 + $REFETCH + 0.2);
my $h2 = $jw->hits;
$r = $t->request('GET /api/out', token => fake_token('trigger'));
is($r->{status}, 401, 'an unknown kid triggers the refetch');
wait_until(sub { $jw->hits > $h2 }, 2);
is($jw->hits, $h2 + 1, 'one refetch');
for my $p ($t->port, $p2) {
    $r = $t->request('GET /api/out', token => $tok1, port => $p);
    is($r->{status}, 401, "rotated-out kid k1 (port $p): 401 (was cached "
       . "as verified)");
    like($r->{headers}{'www-authenticate'}[0] // '',
         qr/error_description="unknown_kid"/, "rotated-out kid: unknown_kid");
    $r = $t->request('GET /api/out', token => $tok2, port => $p);
    is($r->{status}, 200, "remaining kid k2 (port $p): 200");
}
sleep 0.2;
is($jw->hits, $h2 + 1, 'rotated-out kid inside the window: no refetch');
$st = status_json($t);
is(count_kids($st), 'k2', 'status: kids k2 after rotation');
is($st->{keys}{fetch_failures}, 0, 'status: still no fetch failure');
is($st->{keys}{fetches}, $jw->hits, 'status: fetches = JWKS requests');

$t->done;
