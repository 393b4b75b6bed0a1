# The verified-token cache (README, workos_jwt_cache and Embedded
# Variables, $workos_jwt_cache_status): MISS then HIT, distinct
# tokens, cache off, expiry at the token's exp, LRU eviction, a cached
# verification is only reused under the very same key, a cache hit never
# skips a location's own issuer/audience/require checks, and the cache is
# shared by all workers.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use WorkosJwtTest;

require_module();

my $t = WorkosJwtTest->new;
my $k1 = new_key(kid => 'k1');
my $k1b = new_key(kid => 'k1');          # same kid, another public key
my $ja = $t->write_file('a.json', jwks_json($k1));
my $jb = $t->write_file('b.json', jwks_json($k1b));

my $seq = 0;
# a fresh token: a unique jti so nothing earlier has warmed the cache
sub fresh {
    my ($key, %claims) = @_;
    make_token(key => $key || $k1,
               claims => workos_claims(jti => "jti_cache_${$}_" . ++$seq,
                                       %claims));
}

# the module's verdict as seen by the client, from add_header ... always
my $show = <<'EOF';
            add_header X-Cache $workos_jwt_cache_status always;
            add_header X-Status $workos_jwt_status always;
            add_header X-Pid $pid always;
            empty_gif;
EOF

sub locs {
    my (%o) = @_;
    my $cache = $o{cache} ? "workos_jwt_cache $o{cache};" : '';
    <<"EOF";
        workos_jwt_issuer https://api.workos.com;
        $cache
        location /a/ {
            workos_jwt_key_file $ja;
            workos_jwt on;
$show
        }
        location /b/ {
            workos_jwt_key_file $jb;
            workos_jwt on;
$show
        }
        location /iss/ {
            workos_jwt_key_file $ja;
            workos_jwt_issuer https://other.example;
            workos_jwt on;
$show
        }
        location /aud/ {
            workos_jwt_key_file $ja;
            workos_jwt_audience api://orders;
            workos_jwt on;
$show
        }
        location /perm/ {
            workos_jwt_key_file $ja;
            workos_jwt_require_permission admin:all;
            workos_jwt on;
$show
        }
        location /org/ {
            workos_jwt_key_file $ja;
            workos_jwt_require_org org_other;
            workos_jwt on;
$show
        }
        location /off/ {
            workos_jwt_key_file $ja;
            workos_jwt_cache off;
            workos_jwt on;
$show
        }
        location = /status {
            workos_jwt_status;
        }
EOF
}

sub hit {
    my ($loc, $tok, %o) = @_;
    my $r = $t->request("GET /$loc/x", token => $tok, port => $o{port});
    { code => $r->{status},
      cache => join(',', @{ $r->{headers}{'x-cache'} || [] }),
      status => join(',', @{ $r->{headers}{'x-status'} || [] }),
      pid => $r->{headers}{'x-pid'}[0] // '',
      www => $r->{headers}{'www-authenticate'}[0] // '' };
}

sub status {
    my $r = $t->request('GET /status');
    my $j = eval { json_dec($r->{body}) };
    ok($j, 'status answers JSON') or diag($r->{raw});
    $j || {};
}

# expect($name, $loc, $tok, code, cache, status)
sub expect {
    my ($name, $loc, $tok, $code, $cache, $st, %o) = @_;
    my $g = hit($loc, $tok, %o);
    is("$g->{code} $g->{cache} $g->{status}", "$code $cache $st", $name)
        or diag("WWW-Authenticate: $g->{www}");
    $g;
}

# ---- phase 1: default cache size, one worker --------------------------

$t->start(config => locs());

my $s0 = status();
is($s0->{cache}{entries}, 0, 'cache starts empty');

my $tok = fresh();
expect('first request: MISS', 'a', $tok, 200, 'MISS', 'valid');
expect('same token again: HIT', 'a', $tok, 200, 'HIT', 'valid');
expect('and again: HIT', 'a', $tok, 200, 'HIT', 'valid');
my $s1 = status();
is($s1->{cache}{misses} - $s0->{cache}{misses}, 1, 'misses +1');
is($s1->{cache}{hits} - $s0->{cache}{hits}, 2, 'hits +2');
is($s1->{cache}{entries}, 1, 'one entry');

# distinct tokens each miss once
my @d = map { fresh() } 1 .. 3;
expect("distinct token $_: MISS", 'a', $d[$_], 200, 'MISS', 'valid')
    for 0 .. 2;
expect("distinct token $_: HIT", 'a', $d[$_], 200, 'HIT', 'valid')
    for 0 .. 2;
is(status()->{cache}{entries}, 4, 'four entries');

# a rejected token is not cached: bad signature stays a MISS
my @seg = split /\./, fresh();
my $forged = make_token(key => $k1, sig => b64url_decode($seg[2]));
expect('bad signature: MISS', 'a', $forged, 401, 'MISS', 'bad_signature');
expect('bad signature again: still MISS', 'a', $forged, 401, 'MISS',
       'bad_signature');
is(status()->{cache}{entries}, 4, 'a bad signature adds no entry');

# workos_jwt_cache off: empty status, counters untouched
{
    my $before = status()->{cache};
    my $o = fresh();
    expect('cache off: no status', 'off', $o, 200, '', 'valid');
    expect('cache off: still none', 'off', $o, 200, '', 'valid');
    expect('cache off: a cached token shows no status', 'off', $tok, 200,
           '', 'valid');
    my $after = status()->{cache};
    is(join(' ', map { $after->{$_} - $before->{$_} } qw(hits misses entries)),
       '0 0 0', 'cache off: hits, misses, entries unchanged');
    expect('cache off token was not stored', 'a', $o, 200, 'MISS', 'valid');
}

# same kid, another public key: a verification under k1 at /a/ is not
# reused at /b/ (where kid k1 is $k1b), in either direction
{
    my $ta = fresh($k1);
    expect('A: MISS', 'a', $ta, 200, 'MISS', 'valid');
    expect('A: HIT', 'a', $ta, 200, 'HIT', 'valid');
    my $g = expect('B (k1 is another key): not a HIT, bad_signature', 'b',
                   $ta, 401, 'MISS', 'bad_signature');
    is($g->{www}, challenge(error => 'invalid_token',
                            description => 'bad_signature'),
       'B: challenge says bad_signature');
    expect('A: still HIT after B refused it', 'a', $ta, 200, 'HIT', 'valid');
    expect('B: still refused', 'b', $ta, 401, 'MISS', 'bad_signature');

    my $tb = fresh($k1b);
    expect('token of the other k1 at B: MISS', 'b', $tb, 200, 'MISS',
           'valid');
    expect('at B: HIT', 'b', $tb, 200, 'HIT', 'valid');
    expect('at A: not a HIT, bad_signature', 'a', $tb, 401, 'MISS',
           'bad_signature');
    expect('at B: still HIT', 'b', $tb, 200, 'HIT', 'valid');
}

# the cache holds "signature verified", never a decision: every location
# still runs its own issuer/audience/require checks on a HIT
{
    my $tc = fresh();
    expect('cached at A', 'a', $tc, 200, 'MISS', 'valid');
    expect('other issuer: HIT, still bad_issuer', 'iss', $tc, 401, 'HIT',
           'bad_issuer');
    expect('audience required: HIT, still bad_audience', 'aud', $tc, 401,
           'HIT', 'bad_audience');
    my $g = expect('permission required: HIT, still 403', 'perm', $tc, 403,
                   'HIT', 'valid');
    is($g->{www}, challenge(error => 'insufficient_scope',
                            scope => 'admin:all'), '403 challenge');
    expect('org required: HIT, still 403', 'org', $tc, 403, 'HIT', 'valid');
    expect('A: still fine', 'a', $tc, 200, 'HIT', 'valid');

    # and the other way round: first seen where it is refused
    my $td = fresh();
    expect('first seen at /iss/: MISS, bad_issuer', 'iss', $td, 401, 'MISS',
           'bad_issuer');
    expect('then at A: HIT (signature verified), valid', 'a', $td, 200,
           'HIT', 'valid');
    expect('/iss/ again: HIT, still bad_issuer', 'iss', $td, 401, 'HIT',
           'bad_issuer');

    # audience present and matching at /aud/, but not issuer at /iss/
    my $te = fresh(undef, aud => 'api://orders');
    expect('aud token at /aud/: MISS', 'aud', $te, 200, 'MISS', 'valid');
    expect('aud token at /iss/: HIT, bad_issuer', 'iss', $te, 401, 'HIT',
           'bad_issuer');
}

# entries end at the token's exp
{
    my $n0 = status()->{cache}{entries};
    my $exp = time + 2;
    my $short = fresh(undef, exp => $exp, iat => time - 1);
    expect('short-lived token: MISS', 'a', $short, 200, 'MISS', 'valid');
    expect('short-lived token: HIT', 'a', $short, 200, 'HIT', 'valid');
    is(status()->{cache}{entries}, $n0 + 1, 'short-lived token: one entry');
    select undef, undef, undef, 0.2 while time <= $exp;
    my $g = hit('a', $short);
    is("$g->{code} $g->{status}", '401 expired',
       'after exp: rejected as expired');
    isnt($g->{cache}, 'HIT', 'after exp: not a HIT');
    is(status()->{cache}{entries}, $n0, 'after exp: the entry is gone');
    $g = hit('a', $short);
    is("$g->{code} $g->{status}", '401 expired', 'after exp: still expired');
    is(status()->{cache}{entries}, $n0, 'an expired token is not stored');
}

# ---- phase 2: workos_jwt_cache 3, two workers --------------------------

my $port2 = WorkosJwtTest::free_port();
# the entry limit is the zone's: http level only
$t->start(workers => 2, config => locs(),
          http_config => <<"EOF");
    workos_jwt_cache 3;

    server {
        # reuseport: the kernel spreads connections over both workers
        listen 127.0.0.1:$port2 reuseport;
        location /a/ {
            workos_jwt_key_file $ja;
            workos_jwt_issuer https://api.workos.com;
            workos_jwt on;
$show
        }
    }
EOF

# eviction: 4 distinct tokens through a cache of 3, the first is a MISS
{
    my @e = map { fresh() } 1 .. 4;
    expect("evict: token $_ MISS", 'a', $e[$_], 200, 'MISS', 'valid')
        for 0 .. 2;
    expect("evict: token $_ HIT", 'a', $e[$_], 200, 'HIT', 'valid')
        for 0 .. 2;
    is(status()->{cache}{entries}, 3, 'evict: three entries');
    expect('evict: token 3 MISS', 'a', $e[3], 200, 'MISS', 'valid');
    is(status()->{cache}{entries}, 3, 'evict: still three entries');
    expect('evict: token 3 HIT', 'a', $e[3], 200, 'HIT', 'valid');
    expect('evict: token 0 (least recently used) MISS again', 'a', $e[0],
           200, 'MISS', 'valid');
    expect('evict: token 1 now the oldest, MISS', 'a', $e[1], 200, 'MISS',
           'valid');
    expect('evict: token 0 HIT', 'a', $e[0], 200, 'HIT', 'valid');

    # recency, not insertion order: touch the oldest, the next one goes
    my @f = map { fresh() } 1 .. 4;
    expect("lru: token $_ MISS", 'a', $f[$_], 200, 'MISS', 'valid')
        for 0 .. 2;
    expect('lru: touch token 0', 'a', $f[0], 200, 'HIT', 'valid');
    expect('lru: token 3 MISS', 'a', $f[3], 200, 'MISS', 'valid');
    expect('lru: token 0 kept (recently used)', 'a', $f[0], 200, 'HIT',
           'valid');
    expect('lru: token 1 evicted', 'a', $f[1], 200, 'MISS', 'valid');
}

# shared by both workers: after one MISS, HIT whichever worker answers
{
    my $w = fresh();
    my $first = expect('2 workers: MISS', 'a', $w, 200, 'MISS', 'valid',
                       port => $port2);
    my (%pids, @bad);
    for (1 .. 60) {
        my $g = hit('a', $w, port => $port2);
        $pids{ $g->{pid} }++;
        push @bad, "$g->{pid}:$g->{code}:$g->{cache}"
            unless $g->{code} == 200 && $g->{cache} eq 'HIT';
        last if keys %pids >= 2 && $_ >= 10;
    }
    is(scalar keys %pids, 2, '2 workers: both workers answered')
        or diag(explain \%pids);
    ok(!@bad, '2 workers: HIT on every worker') or diag("@bad");
}

$t->done;
