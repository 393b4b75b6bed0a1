# workos_jwt_status (README, workos_jwt_status): JSON and Prometheus text,
# counters across two workers move by exactly the requests sent (requests by
# status word, forbidden, lint, cache), keys.count/kids follow the key
# files, the Prometheus text is well formed and says the same as the JSON,
# Cache-Control: no-store, only GET/HEAD.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use WorkosJwtTest;

require_module();

my $t = WorkosJwtTest->new;
my $k1 = new_key(kid => 'k1');
my $k2 = new_key(kid => 'k2');
my $ec = new_key(type => 'ec', kid => 'e1');
my $ed = new_key(type => 'ed25519', kid => 'd1');
my $weak = new_key(kid => 'weak', bits => 1024);   # skipped: under 2048
my $k4 = new_key(kid => 'k4');
my $stranger = new_key(kid => 'k1');               # not in any key set
my $main = $t->write_file('main.json', jwks_json($k1, $k2, $ec, $ed, $weak));
my $extra = $t->write_file('extra.json', jwks_json($k4));

my $show = <<'EOF';
            add_header X-Status $workos_jwt_status always;
            empty_gif;
EOF

my $port2 = WorkosJwtTest::free_port();
# the key set is loaded once at http level and inherited by both servers
$t->start(workers => 2, config => <<"EOF", http_config => <<"EOF");
        location /api/ {
            workos_jwt on;
$show
        }
        location /admin/ {
            workos_jwt_require_permission admin:all;
            workos_jwt on;
$show
        }
        location /opt/ {
            workos_jwt optional;
$show
        }
        location /k4/ {
            workos_jwt_key_file $extra;
            workos_jwt on;
$show
        }
        location = /status {
            workos_jwt_status;
        }
        location = /status.json {
            workos_jwt_status json;
        }
        location = /metrics {
            workos_jwt_status prometheus;
        }
EOF
    workos_jwt_key_file $main;
    workos_jwt_issuer https://api.workos.com;
    workos_jwt_algorithms RS256 ES256 EdDSA;

    server {
        listen 127.0.0.1:$port2 reuseport;
        location /api/ {
            workos_jwt on;
$show
        }
    }
EOF

sub get_json {
    my ($uri) = @_;
    my $r = $t->request("GET $uri");
    my $j = eval { json_dec($r->{body}) };
    ok($j, "$uri answers JSON") or diag(substr $r->{raw}, 0, 500);
    ($j || {}, $r);
}

# ---- a small Prometheus text-format parser -----------------------------

# parse_prom($text) -> ({ "name{label=\"v\"}" => number, ... },
#                       { family => {help, type} }, [errors])
sub parse_prom {
    my ($text) = @_;
    my (%s, %fam, @err);
    my $n = 0;
    for my $line (split /\n/, $text) {
        $n++;
        if ($line =~ /^# HELP (\w+) (.+)$/) {
            push @err, "line $n: HELP after samples of $1"
                if $fam{$1}{samples};
            push @err, "line $n: second HELP for $1" if $fam{$1}{help};
            $fam{$1}{help} = $2;
        } elsif ($line =~ /^# TYPE (\w+) (counter|gauge)$/) {
            push @err, "line $n: TYPE after samples of $1"
                if $fam{$1}{samples};
            push @err, "line $n: second TYPE for $1" if $fam{$1}{type};
            $fam{$1}{type} = $2;
        } elsif ($line =~ /^#/) {
            push @err, "line $n: unexpected comment: $line";
        } elsif ($line =~ /^(\w+)(\{(\w+)="([^"\\]*)"\})? (-?\d+(?:\.\d+)?)$/) {
            my ($name, $labels, $v) = ($1, $2 // '', $5);
            push @err, "line $n: $name sample before its HELP"
                unless $fam{$name}{help};
            push @err, "line $n: $name sample before its TYPE"
                unless $fam{$name}{type};
            push @err, "line $n: duplicate sample $name$labels"
                if exists $s{"$name$labels"};
            $fam{$name}{samples}++;
            $s{"$name$labels"} = $v;
        } else {
            push @err, "line $n: not a sample line: $line";
        }
    }
    push @err, 'text does not end with a newline'
        unless $text =~ /\n\z/;
    for my $f (sort keys %fam) {
        my $want = $f =~ /_total$/ ? 'counter' : 'gauge';
        push @err, "$f: TYPE $fam{$f}{type}, want $want"
            unless ($fam{$f}{type} // '') eq $want;
        push @err, "$f: HELP/TYPE without samples" unless $fam{$f}{samples};
    }
    (\%s, \%fam, \@err);
}

{
    my ($s, $f, $e) = parse_prom(<<'EOF');
# HELP a_total A.
# TYPE a_total counter
a_total{x="1"} 3
# HELP b B.
# TYPE b gauge
b 4
EOF
    is_deeply([$s, $e], [{ 'a_total{x="1"}' => 3, b => 4 }, []],
              'parser: good text');
    (undef, undef, $e) = parse_prom("x_total 1\n# HELP x_total X.\n"
                                    . "# TYPE x_total gauge\n");
    is(scalar @$e, 5, 'parser: finds misplaced HELP/TYPE and wrong type')
        or diag(explain $e);
}

# ---- the handlers themselves --------------------------------------------

my ($j0, $r) = get_json('/status');
is(join(',', @{ $r->{headers}{'cache-control'} || [] }), 'no-store',
   'json: Cache-Control: no-store');
like($r->{headers}{'content-type'}[0], qr{^application/json}, 'json: type');
my ($jx) = get_json('/status.json');
is_deeply([sort keys %$jx], [sort keys %$j0], 'workos_jwt_status json');
is_deeply([sort keys %$j0], [qw(cache forbidden keys lint requests sessions)],
          'json: top-level members');
is_deeply([sort keys %{ $j0->{cache} }], [qw(entries hits misses)],
          'json: cache members');
is_deeply([sort keys %{ $j0->{keys} }], [sort qw(count kids fetched_at
          fresh_until fetches fetch_failures last_error)],
          'json: keys members');
is_deeply([sort keys %{ $j0->{requests} }], [sort qw(valid missing
    malformed alg_not_allowed unknown_kid bad_signature expired
    not_yet_valid bad_issuer bad_audience not_session revoked stale_auth
    lint_rejected keys_unavailable)], 'json: every status word');
is_deeply([sort keys %{ $j0->{lint} }], [sort qw(wildcard_permission
    long_lifetime missing_aud missing_iat iat_in_future missing_kid
    non_rs256 missing_org impersonated sso_session)], 'json: every lint code');

$r = $t->request('GET /metrics');
is($r->{status}, 200, 'prometheus: 200');
is(join(',', @{ $r->{headers}{'cache-control'} || [] }), 'no-store',
   'prometheus: Cache-Control: no-store');
like($r->{headers}{'content-type'}[0], qr{^text/plain}, 'prometheus: type');

for my $u ('/status', '/metrics') {
    my $p = $t->request("POST $u", body => 'x=1');
    is($p->{status}, 405, "POST $u: 405");
    $p = $t->request("PUT $u", body => 'x=1');
    is($p->{status}, 405, "PUT $u: 405");
    $p = $t->request("HEAD $u");
    is("$p->{status} " . length $p->{body}, '200 0', "HEAD $u: 200, no body");
}

# keys: the usable keys of the key files (the 1024-bit one is skipped)
is($j0->{keys}{count}, 5, 'keys.count: k1 k2 e1 d1 (main) + k4 (extra)');
is_deeply([sort @{ $j0->{keys}{kids} }], [qw(d1 e1 k1 k2 k4)], 'keys.kids');
is(join(' ', map { $j0->{keys}{$_} } qw(fetched_at fresh_until fetches
   fetch_failures last_error)), '0 0 0 0 ', 'keys: no fetching, zeros');

# ---- a known mix of requests ---------------------------------------------

my $seq = 0;
sub tok {
    my ($key, %c) = @_;
    my %o = (key => $key);
    $o{alg} = delete $c{alg} if $c{alg};
    make_token(%o, claims => workos_claims(jti => "jti_st_${$}_" . ++$seq,
                                           %c));
}

my (%want_req, %want_lint);
my %want_cache = (hits => 0, misses => 0, entries => 0);
my $want_forbidden = 0;
my @mismatch;

# send($uri, $token, code, status, [lint codes], cache => HIT|MISS|'',
#      stored => 1, port => ...)
sub send_one {
    my ($uri, $tok, $code, $st, $lint, %o) = @_;
    my $g = $t->request("GET $uri", token => $tok, port => $o{port});
    my $got = join ',', @{ $g->{headers}{'x-status'} || [] };
    push @mismatch, "$uri: $g->{status} $got, want $code $st"
        unless $g->{status} == $code && $got eq $st;
    $want_req{$st}++;
    $want_lint{$_}++ for @{ $lint || [] };
    $want_forbidden++ if $code == 403;
    $want_cache{hits}++ if ($o{cache} // '') eq 'HIT';
    $want_cache{misses}++ if ($o{cache} // '') eq 'MISS';
    $want_cache{entries}++ if $o{stored};
}

my @valid = map { tok($k1) } 1 .. 3;
for my $v (@valid) {
    send_one('/api/x', $v, 200, 'valid', ['missing_aud'], cache => 'MISS',
             stored => 1);
    send_one('/api/x', $v, 200, 'valid', ['missing_aud'], cache => 'HIT');
}
# through the reuseport server: spread over both workers, all HITs
send_one('/api/x', $valid[0], 200, 'valid', ['missing_aud'], cache => 'HIT',
         port => $port2) for 1 .. 8;
send_one('/opt/x', $valid[1], 200, 'valid', ['missing_aud'], cache => 'HIT');

send_one('/api/x', undef, 401, 'missing') for 1 .. 3;
send_one('/opt/x', undef, 200, 'missing');
send_one('/api/x', 'not-a-token', 401, 'malformed');
for (1 .. 2) {
    my $e = tok($k1, exp => time - 100, iat => time - 400);
    send_one('/api/x', $e, 401, 'expired', [], cache => 'MISS');
}
{
    my $bad = tok($stranger);           # kid k1, signed by another key
    send_one('/api/x', $bad, 401, 'bad_signature', [], cache => 'MISS');
    send_one('/api/x', $bad, 401, 'bad_signature', [], cache => 'MISS');
    send_one('/opt/x', $bad, 200, 'bad_signature', [], cache => 'MISS');
}
send_one('/api/x', tok(new_key(kid => 'nope')), 401, 'unknown_kid', [],
         cache => 'MISS');
send_one('/api/x', tok($k1, alg => 'RS512'), 401, 'alg_not_allowed');
send_one('/api/x', tok($k1, iss => 'https://evil.example'), 401,
         'bad_issuer', [], cache => 'MISS', stored => 1);
{
    my $f = tok($k1);
    send_one('/admin/x', $f, 403, 'valid', ['missing_aud'], cache => 'MISS',
             stored => 1);
    send_one('/admin/x', $f, 403, 'valid', ['missing_aud'], cache => 'HIT');
    my $ok = tok($k1, permissions => ['admin:all']);
    send_one('/admin/x', $ok, 200, 'valid', ['missing_aud'],
             cache => 'MISS', stored => 1);
}
# lint findings
send_one('/api/x', tok($k1, permissions => ['posts:*']), 200, 'valid',
         [qw(wildcard_permission missing_aud)], cache => 'MISS', stored => 1);
send_one('/api/x', tok($k1, iat => undef, org_id => undef,
                       aud => 'api://x'), 200, 'valid',
         [qw(missing_iat missing_org)], cache => 'MISS', stored => 1);
send_one('/api/x', tok($k1, act => { sub => 'admin_1' },
                       connection_id => 'conn_1', iat => time - 10,
                       exp => time + 2 * 86400), 200, 'valid',
         [qw(impersonated sso_session long_lifetime missing_aud)],
         cache => 'MISS', stored => 1);
send_one('/api/x', tok($ec, alg => 'ES256'), 200, 'valid',
         [qw(non_rs256 missing_aud)], cache => 'MISS', stored => 1);
send_one('/k4/x', tok($k4), 200, 'valid', ['missing_aud'], cache => 'MISS',
         stored => 1);

ok(!@mismatch, 'every request of the mix got its status')
    or diag(join "\n", @mismatch);

my ($j1) = get_json('/status');

my %got_req = map { $_ => $j1->{requests}{$_} - $j0->{requests}{$_} }
              keys %{ $j1->{requests} };
is_deeply(\%got_req, { %{{ map { $_ => 0 } keys %got_req }}, %want_req },
          'requests: deltas by status word')
    or diag(explain { want => \%want_req, got => \%got_req });
is($j1->{forbidden} - $j0->{forbidden}, $want_forbidden,
   "forbidden: +$want_forbidden");
my %got_lint = map { $_ => $j1->{lint}{$_} - $j0->{lint}{$_} }
               keys %{ $j1->{lint} };
is_deeply(\%got_lint, { %{{ map { $_ => 0 } keys %got_lint }}, %want_lint },
          'lint: deltas by code')
    or diag(explain { want => \%want_lint, got => \%got_lint });
my %got_cache = map { $_ => $j1->{cache}{$_} - $j0->{cache}{$_} }
                qw(hits misses entries);
is_deeply(\%got_cache, \%want_cache, 'cache: hits, misses, entries deltas')
    or diag(explain { want => \%want_cache, got => \%got_cache });

# status requests themselves are not judged
my ($j2) = get_json('/status');
$t->request('GET /metrics') for 1 .. 3;
my ($j3) = get_json('/status');
is_deeply($j3->{requests}, $j2->{requests}, 'status reads count nothing');

# ---- Prometheus: well formed and the same numbers as the JSON -----------

my ($s, $fam, $err) = parse_prom($t->request('GET /metrics')->{body});
my ($jj) = get_json('/status');
ok(!@$err, 'prometheus: well formed') or diag(join "\n", @$err);
is_deeply([sort keys %$fam], [sort qw(workos_jwt_requests_total
    workos_jwt_forbidden_total workos_jwt_lint_total
    workos_jwt_cache_hits_total workos_jwt_cache_misses_total
    workos_jwt_cache_entries workos_jwt_keys workos_jwt_key_fetches_total
    workos_jwt_key_fetch_failures_total workos_jwt_keys_fetched_at_seconds
    workos_jwt_keys_fresh_until_seconds workos_jwt_sessions_opened_total
    workos_jwt_sessions_failed_total)], 'prometheus: metric families');

my %want = (
    (map {; qq{workos_jwt_requests_total{status="$_"}} => $jj->{requests}{$_} }
         keys %{ $jj->{requests} }),
    (map {; qq{workos_jwt_lint_total{code="$_"}} => $jj->{lint}{$_} }
         keys %{ $jj->{lint} }),
    workos_jwt_forbidden_total => $jj->{forbidden},
    workos_jwt_cache_hits_total => $jj->{cache}{hits},
    workos_jwt_cache_misses_total => $jj->{cache}{misses},
    workos_jwt_cache_entries => $jj->{cache}{entries},
    workos_jwt_keys => $jj->{keys}{count},
    workos_jwt_key_fetches_total => $jj->{keys}{fetches},
    workos_jwt_key_fetch_failures_total => $jj->{keys}{fetch_failures},
    workos_jwt_keys_fetched_at_seconds => $jj->{keys}{fetched_at},
    workos_jwt_keys_fresh_until_seconds => $jj->{keys}{fresh_until},
    workos_jwt_sessions_opened_total => $jj->{sessions}{opened},
    workos_jwt_sessions_failed_total => $jj->{sessions}{failed},
);
is_deeply($s, \%want, 'prometheus: same samples and numbers as the JSON')
    or diag(explain { prom => $s, json => \%want });
ok($s->{'workos_jwt_requests_total{status="valid"}'} >= 20,
   'prometheus: valid count is the one just produced');

# ---- the same key file in two places --------------------------------------

# keys.count is the number of usable keys (workos_jwt_keys: "Usable signing
# keys"), kids lists each once; a file named by two locations still holds
# the same four keys
$t->start(config => <<"EOF");
        workos_jwt_issuer https://api.workos.com;
        location /one/ { workos_jwt_key_file $main; workos_jwt on; empty_gif; }
        location /two/ { workos_jwt_key_file $main; workos_jwt on; empty_gif; }
        location = /status { workos_jwt_status; }
EOF
{
    my ($j) = get_json('/status');
    is_deeply([sort @{ $j->{keys}{kids} }], [qw(d1 e1 k1 k2)],
              'same file twice: kids listed once');
    is($j->{keys}{count}, scalar @{ $j->{keys}{kids} },
       'same file twice: keys.count = number of usable keys');
}

$t->done;
