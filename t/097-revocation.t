# Revocation at the edge (workos_jwt_revocation_request) against a fake
# WorkOS Events API over HTTPS (t/lib/WorkosJwtEvents.pm), 2 workers:
# revoked sessions, deleted users and changed memberships are refused
# within interval plus one request in every worker; other tokens pass; a
# token issued after a membership update passes; pages, cursor, reloads;
# failed polls keep serving with counters and log lines; the API key
# never reaches the log; no client waits for a poll.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Time::HiRes qw(time sleep);
use WorkosJwtTest;
use WorkosJwtJwks;
use WorkosJwtEvents;

require_module();

my $INTERVAL = 1;
my $t = WorkosJwtTest->new;
my $ev = WorkosJwtEvents->new($t);
my $key = new_key(kid => 'k1');
my $jwks = $t->write_file('jwks.json', jwks_json($key));
my $now = time;

sub tok {
    my (%c) = @_;
    make_token(key => $key, claims => workos_claims(%c));
}

my $CONF = <<"EOF";
        workos_jwt_key_file $jwks;
        workos_jwt_issuer https://api.workos.com;
        workos_jwt_lint off;
        workos_jwt_revocation_request /_workos_events interval=${INTERVAL}s
                                      lookback=1h retain=1h;

        location /api/ {
            workos_jwt on;
            proxy_pass http://%%UPSTREAM%%;
        }

        location = /status { workos_jwt_status; }
        location = /metrics { workos_jwt_status prometheus; }

@{[ $ev->location(uri => '/_workos_events', args => 'limit=100&order=asc') ]}
EOF

# ---- nginx -t ----------------------------------------------------------------

my ($ok, $out) = $t->nginx_t(config => <<"EOF");
        workos_jwt_key_file $jwks;
        workos_jwt_revocation_request /_nowhere;
        location /api/ { workos_jwt on; proxy_pass http://%%UPSTREAM%%; }
EOF
ok(!$ok, 'nginx -t: a revocation request with no location fails');
like($out, qr/\[emerg\].*"workos_jwt_revocation_request" "\/_nowhere" matches no location/,
     'the [emerg] line names the directive and URI') or diag($out);
($ok, $out) = $t->nginx_t(config => <<"EOF");
        workos_jwt_key_file $jwks;
        workos_jwt_revocation_request /_nowhere;
        location / { proxy_pass http://%%UPSTREAM%%; }
EOF
ok($ok, 'nginx -t: a server that judges no token may lack the location');
like($out, qr/\[warn\].*"workos_jwt_revocation_request" "\/_nowhere" matches no location/,
     'it is warned about') or diag($out);
($ok, $out) = $t->nginx_t(config => <<"EOF");
        location /x/ { workos_jwt_revocation_request /_workos_events; }
EOF
ok(!$ok, 'nginx -t: not allowed in a location');
($ok, $out) = $t->nginx_t(config => <<"EOF");
        workos_jwt_key_file $jwks;
        workos_jwt_revocation_request /_workos_events interval=0s;
EOF
ok(!$ok, 'nginx -t: interval=0s fails');

# ---- events before the start: range_start, then the cursor --------------------

my %tok = (
    s1   => tok(sub => 'user_1', sid => 'session_1', iat => int($now) - 60),
    s2   => tok(sub => 'user_2', sid => 'session_2', iat => int($now) - 60),
    u3   => tok(sub => 'user_3', sid => 'session_3', iat => int($now) - 60),
    m4   => tok(sub => 'user_4', sid => 'session_4', org_id => 'org_a',
                iat => int($now) - 60),
    m4b  => tok(sub => 'user_4', sid => 'session_4b', org_id => 'org_b',
                iat => int($now) - 60),
);
$ev->add(event => 'session.revoked',
         data => { id => 'session_1', user_id => 'user_1' },
         created_at => $now - 30);
$ev->add(event => 'user.created', data => { id => 'user_9' },
         created_at => $now - 29);
$ev->start or BAIL_OUT('events server');
$t->start(config => $CONF, workers => 2) or BAIL_OUT('start');

my $api = sub { $t->request('GET /api/x', token => $_[0])->{status} };

is($api->($tok{s2}), 200, 'first request: served, not waiting for a poll');
wait_until(sub { $api->($tok{s2}); status_json($t)->{revocations}{polls} }, 5);
my @req = $ev->requests;
ok(@req >= 1, 'a poll reached the events API');
like($req[0]{args}{range_start} // '', qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/,
     'the first poll sends range_start (ISO 8601)');
ok(!defined $req[0]{args}{after}, 'and no after');
is($req[0]{auth}, 'ok', 'the API key header arrived');
my $rs = $req[0]{args}{range_start};
my $start = WorkosJwtEvents::parse_iso8601($rs);
ok(abs($start - ($now - 3600)) < 10, 'range_start = now - lookback');

# every worker refuses the revoked session within interval + one request
sleep $INTERVAL + 0.3;
my @r = map { $api->($tok{s1}) } 1 .. 6;
is(scalar(grep { $_ == 401 } @r), 6, 'session.revoked: refused everywhere')
    or diag("@r");
my $res = $t->request('GET /api/x', token => $tok{s1});
like($res->{headers}{'www-authenticate'}[0] // '',
     qr/error="invalid_token", error_description="revoked"/,
     'WWW-Authenticate says revoked');
is($api->($tok{s2}), 200, 'another session: untouched');

# ---- more events: user.deleted, membership updated, pages ---------------------

$ev->reset_requests;
$ev->add(event => 'user.deleted', data => { id => 'user_3' },
         created_at => $now - 20);
$ev->add(event => 'organization_membership.updated',
         data => { id => 'om_1', user_id => 'user_4', organization_id =>
                   'org_a', role => { slug => 'admin' } },
         created_at => $now - 10);
wait_until(sub { $api->($tok{u3}) == 401 }, $INTERVAL + 3);
is($api->($tok{u3}), 401, 'user.deleted: the user\'s tokens are refused');
wait_until(sub { $api->($tok{m4}) == 401 }, 3);
is($api->($tok{m4}), 401, 'membership updated: the older token refused');
is($api->($tok{m4b}), 200, 'the same user in another org: untouched');
my $fresh = tok(sub => 'user_4', sid => 'session_4c', org_id => 'org_a',
                iat => int($now) - 5);
is($api->($fresh), 200, 'a token issued after the update passes');
@req = $ev->requests;
ok(@req && defined $req[0]{args}{after}, 'later polls send after=<cursor>')
    or diag(explain \@req);
ok(!grep({ defined $_->{args}{range_start} } @req),
   'and no range_start any more');

# a page of 100 then more: nothing lost, nothing applied twice
for my $i (1 .. 130) {
    $ev->add(event => 'session.revoked',
             data => { id => "bulk_$i", user_id => "user_b$i" },
             created_at => $now - 5);
}
my $st0 = status_json($t)->{revocations};
# polls are started by traffic: keep some coming while waiting
wait_until(sub { $api->($tok{s2});
                 status_json($t)->{revocations}{entries}
                 >= $st0->{entries} + 130 }, $INTERVAL + 5);
my $st = status_json($t)->{revocations};
is($st->{entries}, $st0->{entries} + 130,
   '130 events over two pages: 130 more entries');
my @bulk = map { $api->(tok(sub => "user_b$_", sid => "bulk_$_",
                            iat => int($now) - 60)) } (1, 100, 101, 130);
is_deeply(\@bulk, [401, 401, 401, 401],
          'the first and last of each page are revoked');

# ---- faults: keep serving, count, log; the held entries keep applying ------

for my $mode (qw(500 garbage notlist down)) {
    my $off = $t->log_size;
    my $f0 = status_json($t)->{revocations}{poll_failures};
    $ev->mode($mode);
    wait_until(sub { $api->($tok{s2});
                     status_json($t)->{revocations}{poll_failures} > $f0 },
               $INTERVAL + 8);
    my $s = status_json($t)->{revocations};
    ok($s->{poll_failures} > $f0, "$mode: a failed poll is counted");
    ok(length $s->{last_error}, "$mode: last_error \"$s->{last_error}\"");
    like($t->log_since($off),
         qr/\[error\].*workos jwt revocation poll of "\/_workos_events" failed/,
         "$mode: logged at error level");
    is($api->($tok{s1}), 401, "$mode: the revoked session is still refused");
    is($api->($tok{s2}), 200, "$mode: other tokens still served");
    $ev->mode(undef);
}

# a slow events API: no client waits for it
$ev->mode('slow');
sleep $INTERVAL + 0.2;
my $t0 = time;
my @fast = map { $api->($tok{s2}) } 1 .. 10;
ok(time - $t0 < 2, sprintf('slow events API: 10 requests in %.2fs', time - $t0));
$ev->mode(undef);

# ---- a reload keeps the entries and the cursor --------------------------------

my $before = status_json($t)->{revocations};
$ev->reset_requests;
$t->reload(config => $CONF, workers => 2);
is($api->($tok{s1}), 401, 'after a reload: still refused');
is(status_json($t)->{revocations}{entries}, $before->{entries},
   'after a reload: the entries are kept');
wait_until(sub { $api->($tok{s2}); scalar $ev->requests }, $INTERVAL + 5);
@req = $ev->requests;
ok(@req && defined $req[0]{args}{after},
   'after a reload: the cursor is kept (after=, no range_start)')
    or diag(explain \@req);

# ---- counters, Prometheus, the API key -----------------------------------------

$st = status_json($t);
ok($st->{revocations}{polls} > 5, "polls counted: $st->{revocations}{polls}");
ok($st->{revocations}{polled_at} >= int($now), 'polled_at');
is($st->{requests}{revoked} > 0 ? 1 : 0, 1, 'requests.revoked counted');
my $prom = $t->request('GET /metrics')->{body};
for my $m (qw(workos_jwt_revocations workos_jwt_revocation_polls_total
              workos_jwt_revocation_poll_failures_total
              workos_jwt_revocations_polled_at_seconds
              workos_jwt_revocations_dropped_total)) {
    like($prom, qr/^# TYPE $m (counter|gauge)\n$m \d+$/m, "prometheus: $m");
}
my $log = slurp($t->prefix . '/logs/error.log');
unlike($log, qr/\Q@{[ $ev->api_key ]}\E/, 'the API key is not in the log');
$t->stop;
$ev->stop;

# ---- a zone too small: the oldest entries are dropped ----------------------------

my $t2 = WorkosJwtTest->new;
my $ev2 = WorkosJwtEvents->new($t2);
for my $i (1 .. 600) {
    $ev2->add(event => 'session.revoked',
              data => { id => "drop_$i" . ('x' x 60), user_id => "u$i" },
              created_at => $now - 600 + $i);
}
$ev2->start or BAIL_OUT('events server 2');
$t2->start(http_config => 'workos_jwt_zone tiny:32k;',
           config => $CONF =~ s{\Q@{[ $ev->location(uri => '/_workos_events', args => 'limit=100&order=asc') ]}\E}
                               {$ev2->location(uri => '/_workos_events', args => 'limit=100&order=asc')}er)
    or BAIL_OUT('start 2');
my $off = $t2->log_size;
$t2->request('GET /api/x', token => $tok{s2});
wait_until(sub { $t2->request('GET /api/x', token => $tok{s2});
                 (status_json($t2)->{revocations}{polls} // 0) >= 6 },
           $INTERVAL + 10);
my $s2 = status_json($t2)->{revocations};
ok($s2->{dropped} > 0, "a full zone drops entries: dropped $s2->{dropped}");
like($t2->log_since($off), qr/\[error\].*revocation list full/,
     'and says so at error level');
is($t2->request('GET /api/x', token => tok(sub => 'u600',
        sid => 'drop_600' . ('x' x 60), iat => int($now) - 900))->{status},
   401, 'the newest entry is kept');
$t2->stop;
$ev2->stop;

done_testing();
