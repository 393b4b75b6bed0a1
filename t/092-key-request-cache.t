# workos_jwt_key_request freshness: Cache-Control max-age on the JWKS
# response overrides valid= (clamped to 30s..24h; no-store, no-cache and
# max-age=0 count as 30s), key_cache argument checks, and key_file
# combined with key_request (file keys serve while the JWKS server is down).

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
my $tok = make_token(key => $k1);

my $BASE = <<"EOF";
        workos_jwt_issuer https://api.workos.com;
        workos_jwt_lint_ignore missing_aud;
        location = /status { workos_jwt_status; }
EOF

my $API = $BASE . <<"EOF";
        location /api/ {
            workos_jwt on;
            workos_jwt_key_request /_jwks;
            workos_jwt_key_cache valid=1s stale=60s refetch=1s;
            proxy_pass http://%%UPSTREAM%%;
        }
@{[ $jw->location ]}
EOF

# ---- key_cache arguments -------------------------------------------------

for my $bad ('valid=0s', 'stale=0', 'refetch=500ms', 'valid=abc',
             'fresh=10s') {
    (my $c = $API) =~ s/valid=1s stale=60s refetch=1s/$bad/;
    my ($ok, $out) = $t->nginx_t(config => $c);
    ok(!$ok, "nginx -t fails: workos_jwt_key_cache $bad");
    like($out, qr/\[emerg\].*workos_jwt_key_cache/,
         "workos_jwt_key_cache $bad: the message names the directive");
}
(my $c = $API) =~ s/valid=1s stale=60s refetch=1s/valid=1s stale=1s refetch=1s/;
my ($ok, $out) = $t->nginx_t(config => $c);
ok($ok, 'nginx -t accepts valid=1s stale=1s refetch=1s') or diag($out);

# ---- Cache-Control: max-age=30 beats valid=1s ----------------------------

$jw->set_jwks(jwks_json($k1));
$jw->cache_control('max30');
$jw->start or BAIL_OUT('JWKS server did not start');
$t->start(config => $API) or BAIL_OUT('start');

my $off = $t->log_size;
my $r = $t->request('GET /api/a', token => $tok);
is($r->{status}, 200, 'max-age=30: cold fetch, 200');
like($t->log_since($off), qr/fetched 1 keys from "\/_jwks", fresh for 30s/,
     'max-age=30: "fresh for 30s" in the log');
my $st = status_json($t);
is($st->{keys}{fresh_until} - $st->{keys}{fetched_at}, 30,
   'max-age=30: status fresh_until = fetched_at + 30');

my $end = time + 3.2;
my $n = 0;
while (time < $end) {
    $r = $t->request('GET /api/a', token => $tok);
    $n++ if $r->{status} == 200;
    sleep 0.25;
}
ok($n >= 10, "max-age=30: $n requests over 3s, all 200");
sleep 0.2;
is($jw->hits, 1, 'max-age=30 with valid=1s: no refetch during 3s');
is(status_json($t)->{keys}{fetches}, 1, 'status: fetches still 1');

# each Cache-Control variant, fetched through an unknown-kid refetch
my @cc = ([undef, 1, 'no Cache-Control: valid= (1s)'],
          ['max5', 30, 'max-age=5 clamped up to 30s'],
          ['max0', 30, 'max-age=0 counts as 30s'],
          ['nostore', 30, 'no-store counts as 30s'],
          ['nocache', 30, 'no-cache counts as 30s'],
          ['huge', 86400, 'max-age=999999 clamped down to 24h'],
          ['public45', 45, '"public, max-age=45": 45s']);
for my $c (@cc) {
    my ($preset, $ttl, $name) = @$c;
    $jw->cache_control($preset);
    my $hits = $jw->hits;
    sleep 1.1;                                   # past refetch=
    $off = $t->log_size;
    $r = $t->request('GET /api/a', token => fake_token('rnd' . $hits));
    is($r->{status}, 401, "$name: unknown kid, 401");
    wait_until(sub { $jw->hits > $hits }, 2);
    is($jw->hits, $hits + 1, "$name: one refetch");
    like($t->log_since($off), qr/fresh for ${ttl}s/,
         "$name: \"fresh for ${ttl}s\"");
    $st = status_json($t);
    is($st->{keys}{fresh_until} - $st->{keys}{fetched_at}, $ttl,
       "$name: fresh_until = fetched_at + $ttl");
}

# without Cache-Control valid=1s applies: stale after 1s, background refresh
$jw->cache_control(undef);
my $hits = $jw->hits;
sleep 1.1;
$off = $t->log_size;
$r = $t->request('GET /api/a', token => fake_token('again'));  # fresh 1s
wait_until(sub { $jw->hits > $hits }, 2);
$hits = $jw->hits;
sleep 1.2;
$r = $t->request('GET /api/a', token => $tok);
is($r->{status}, 200, 'valid=1s: stale keys serve while refreshing');
wait_until(sub { $jw->hits > $hits }, 2);
is($jw->hits, $hits + 1, 'valid=1s without max-age: refreshed after 1s');
like($t->log_since($off), qr/fetching JWKS from "\/_jwks" in the background/,
     'the refresh ran in the background');
$t->stop;

# ---- key_file and key_request together ------------------------------------

my $t2 = WorkosJwtTest->new;
my $fk = new_key(kid => 'filekey');
my $rk = new_key(kid => 'remote1');
my $ftok = make_token(key => $fk);
my $rtok = make_token(key => $rk);
my $file = $t2->write_file('file.json', jwks_json($fk));
$jw->set_jwks(jwks_json($rk));
$jw->cache_control(undef);
$jw->stop;                                       # down from the start
$t2->start(config => $BASE . <<"EOF") or BAIL_OUT('start');
        location /both/ {
            workos_jwt on;
            workos_jwt_key_file $file;
            workos_jwt_key_request /_jwks;
            workos_jwt_key_cache valid=1s stale=60s refetch=1s;
            proxy_pass http://%%UPSTREAM%%;
        }
@{[ $jw->location ]}
EOF

$off = $t2->log_size;
$r = $t2->request('GET /both/a', token => $ftok);
is($r->{status}, 200, 'key_file + key_request, JWKS server down: file key '
   . 'token 200') or diag($r->{raw});
like($t2->log_since($off),
     qr/\[error\].*workos jwt JWKS fetch from "\/_jwks" failed: status 502/,
     'the failed fetch is logged');
$r = $t2->request('GET /both/a', token => $rtok);
isnt($r->{status}, 200, 'remote kid while the remote keys are missing: not '
     . "200 (got $r->{status})");
ok($r->{status} == 401 || $r->{status} == 503,
   'remote kid while the remote keys are missing: 401 or 503')
    or diag($r->{raw});
$st = status_json($t2);
is($st->{keys}{count}, 1, 'status: keys.count 1 (the file key)');
is(count_kids($st), 'filekey', 'status: kids [filekey]');
ok($st->{keys}{fetch_failures} >= 1, 'status: the failure is counted');

$jw->start;
sleep 1.1;                                      # past refetch=
$r = $t2->request('GET /both/a', token => $rtok);
is($r->{status}, 200, 'JWKS server back: remote key token 200')
    or diag($r->{raw});
$r = $t2->request('GET /both/a', token => $ftok);
is($r->{status}, 200, 'JWKS server back: file key token still 200');
$st = status_json($t2);
is($st->{keys}{count}, 2, 'status: keys.count 2');
is(count_kids($st), 'filekey,remote1', 'status: kids filekey,remote1');

$jw->stop;
sleep 1.2;                                      # stale, refresh fails
for my $tk ([$ftok, 'file'], [$rtok, 'remote']) {
    $r = $t2->request('GET /both/a', token => $tk->[0]);
    is($r->{status}, 200, "down again, keys stale: $tk->[1] key token 200");
}

$t2->done;
