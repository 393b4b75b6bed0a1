# workos_jwt_inspect (README, workos_jwt_inspect): header, claims, verdict,
# lint, key and cache for the request's own token; claims are decoded even for
# a rejected token and `verified` says whether they can be trusted; no token:
# status missing; the signature segment never appears in the output.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use WorkosJwtTest;

require_module();

my $t = WorkosJwtTest->new;
my $k1 = new_key(kid => 'k1');
my $ec = new_key(type => 'ec', kid => 'e1');
my $stranger = new_key(kid => 'k1');
my $jwks = $t->write_file('jwks.json', jwks_json($k1, $ec));

$t->start(config => <<"EOF");
        workos_jwt_key_file $jwks;
        workos_jwt_issuer https://api.workos.com;
        workos_jwt_algorithms RS256 ES256;

        location = /inspect {
            workos_jwt optional;
            workos_jwt_inspect;
        }
        location = /inspect-off {
            workos_jwt_inspect;
        }
        location = /inspect-on {
            workos_jwt on;
            workos_jwt_inspect;
        }
        location = /inspect-ignore {
            workos_jwt optional;
            workos_jwt_lint_ignore missing_aud;
            workos_jwt_inspect;
        }
EOF

my $seq = 0;
sub claims { workos_claims(jti => "jti_insp_${$}_" . ++$seq, @_) }

# inspect($uri, $token) -> (decoded JSON or {}, response)
sub inspect {
    my ($uri, $tok, $name) = @_;
    my $r = $t->request("GET $uri", token => $tok);
    my $j = eval { json_dec($r->{body}) };
    ok($r->{status} == 200 && $j, "$name: 200 and JSON")
        or diag(substr $r->{raw}, 0, 600);
    if (defined $tok && $tok =~ /^[^.]*\.[^.]*\.([\w-]+)$/) {
        my $sig = $1;
        ok(index($r->{raw}, $sig) < 0, "$name: no signature segment in output");
    }
    ($j || {}, $r);
}

sub is_true  { ref $_[0] && $_[0] ? 1 : 0 }
sub is_false { ref $_[0] && !$_[0] ? 1 : 0 }

# ---- a valid token -------------------------------------------------------

{
    my $c = claims(permissions => ['posts:*', 'posts:read']);
    my $tok = make_token(key => $k1, claims => $c);
    my ($j, $r) = inspect('/inspect', $tok, 'valid');
    is_deeply([sort keys %$j], [qw(cache claims header key lint source verdict)],
              'valid: members');
    is_deeply($j->{header}, { alg => 'RS256', typ => 'JWT', kid => 'k1' },
              'valid: header');
    is_deeply($j->{claims}, $c, 'valid: claims as signed');
    is($j->{verdict}{status}, 'valid', 'valid: verdict.status');
    is($j->{verdict}{error}, '', 'valid: verdict.error empty');
    ok(is_true($j->{verdict}{verified}), 'valid: verified is JSON true');
    is_deeply([sort @{ $j->{lint} }], [qw(missing_aud wildcard_permission)],
              'valid: lint list');
    is_deeply($j->{key}, { kid => 'k1', alg => 'RS256' }, 'valid: key');
    is($j->{cache}, 'MISS', 'valid: first look is a MISS');
    like($r->{headers}{'content-type'}[0], qr{^application/json},
         'valid: application/json');
    is(join(',', @{ $r->{headers}{'cache-control'} || [] }), 'no-store',
       'valid: Cache-Control: no-store');
    ($j) = inspect('/inspect', $tok, 'valid again');
    is($j->{cache}, 'HIT', 'valid again: HIT');
    is($j->{verdict}{status}, 'valid', 'valid again: still valid');
    ok(is_true($j->{verdict}{verified}), 'valid again: verified');
    is_deeply($j->{key}, { kid => 'k1', alg => 'RS256' },
              'valid again: key from the cache');

    ($j) = inspect('/inspect-ignore', $tok, 'lint_ignore');
    is_deeply($j->{lint}, ['wildcard_permission'],
              'lint_ignore: ignored code not listed');
    ($j) = inspect('/inspect-off', $tok, 'workos_jwt off');
    is($j->{verdict}{status}, 'valid',
       'workos_jwt off: still judged (a key source is configured)');
    ($j) = inspect('/inspect-on', $tok, 'workos_jwt on');
    is($j->{verdict}{status}, 'valid', 'workos_jwt on: valid');

    my $et = make_token(key => $ec, alg => 'ES256', claims => claims());
    ($j) = inspect('/inspect', $et, 'ES256');
    is_deeply($j->{key}, { kid => 'e1', alg => 'ES256' }, 'ES256: key');
    is_deeply([sort @{ $j->{lint} }], [qw(missing_aud non_rs256)],
              'ES256: lint');
}

# ---- rejected tokens -----------------------------------------------------

{
    my $c = claims(exp => time - 100, iat => time - 400);
    my $tok = make_token(key => $k1, claims => $c);
    my ($j) = inspect('/inspect', $tok, 'expired');
    is_deeply($j->{claims}, $c, 'expired: claims decoded');
    is_deeply($j->{header}{kid}, 'k1', 'expired: header decoded');
    is($j->{verdict}{status}, 'expired', 'expired: status word');
    like($j->{verdict}{error}, qr/\S/, 'expired: an error sentence');
    ok(is_true($j->{verdict}{verified}),
       'expired: verified true (the signature did verify)');
    is($j->{key} && $j->{key}{kid}, 'k1', 'expired: key that verified it');
}
{
    my $c = claims(role => 'admin', permissions => ['*']);
    my $tok = make_token(key => $stranger, claims => $c);
    my ($j) = inspect('/inspect', $tok, 'bad signature');
    is_deeply($j->{claims}, $c, 'bad signature: claims decoded');
    is($j->{verdict}{status}, 'bad_signature', 'bad signature: status word');
    like($j->{verdict}{error}, qr/\S/, 'bad signature: an error sentence');
    ok(is_false($j->{verdict}{verified}),
       'bad signature: verified is JSON false');
    ok(!defined $j->{key}, 'bad signature: key null');
    is_deeply($j->{lint}, [], 'bad signature: no lint of unverified claims');
}
{
    my $c = claims(iss => 'https://evil.example');
    my $tok = make_token(key => $k1, claims => $c);
    my ($j) = inspect('/inspect', $tok, 'bad issuer');
    is_deeply($j->{claims}, $c, 'bad issuer: claims decoded');
    is($j->{verdict}{status}, 'bad_issuer', 'bad issuer: status word');
    ok(is_true($j->{verdict}{verified}), 'bad issuer: verified true');
}
{
    my $tok = make_token(key => new_key(kid => 'nope'), claims => claims());
    my ($j) = inspect('/inspect', $tok, 'unknown kid');
    is($j->{verdict}{status}, 'unknown_kid', 'unknown kid: status word');
    ok(is_false($j->{verdict}{verified}), 'unknown kid: verified false');
    ok(!defined $j->{key}, 'unknown kid: key null');
    is($j->{claims}{sub}, 'user_01HXYZUSER0000000000000000',
       'unknown kid: claims decoded');
}
{
    my ($j) = inspect('/inspect', 'abc.def', 'malformed');
    is($j->{verdict}{status}, 'malformed', 'malformed: status word');
    ok(is_false($j->{verdict}{verified}), 'malformed: verified false');
    ok(!defined $j->{key}, 'malformed: key null');
}

# ---- no token ------------------------------------------------------------

for my $uri ('/inspect', '/inspect-off') {
    my ($j) = inspect($uri, undef, "no token $uri");
    is($j->{verdict}{status}, 'missing', "no token $uri: status missing");
    is($j->{verdict}{error}, '', "no token $uri: error empty");
    ok(is_false($j->{verdict}{verified}), "no token $uri: verified false");
    ok(!defined $j->{key}, "no token $uri: key null");
    ok(!$j->{header} || !%{ $j->{header} }, "no token $uri: header empty");
    ok(!$j->{claims} || !%{ $j->{claims} }, "no token $uri: claims empty");
    is_deeply($j->{lint}, [], "no token $uri: lint empty");
    is($j->{cache}, '', "no token $uri: cache empty");
}
{
    my $r = $t->request('GET /inspect-on');
    is($r->{status}, 401, 'no token, workos_jwt on: 401 before the handler');
}

# ---- methods -------------------------------------------------------------

{
    my $tok = make_token(key => $k1, claims => claims());
    my $r = $t->request('PUT /inspect', token => $tok, body => 'x');
    is($r->{status}, 405, 'PUT: 405 (POST judges a given token: 170)');
    ok(index($r->{raw}, (split /\./, $tok)[2]) < 0, 'PUT: no signature');
    $r = $t->request('HEAD /inspect', token => $tok);
    is("$r->{status} " . length $r->{body}, '200 0', 'HEAD: 200, no body');
}

$t->done;
