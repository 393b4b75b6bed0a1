# Claim checks: exp/nbf/iat and leeway, issuers (client_id defaults,
# workos_jwt_issuer), audience, token type, max_auth_age, order of checks.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use WorkosJwtTest;

require_module();

my $t = WorkosJwtTest->new;
my $key = new_key(kid => 'k1');
my $other = new_key(kid => 'k1');
my $jwks = $t->write_file('jwks.json', jwks_json($key));
my $CID = 'client_01HXYZCLIENT0000000000000';
my $now = time;

$t->start(config => join '', <<"EOF",
        workos_jwt_key_file $jwks;
        workos_jwt_lint off;
EOF
    loc_pair(plain => 'workos_jwt_issuer https://api.workos.com;'),
    loc_pair(leeway => 'workos_jwt_issuer https://api.workos.com; '
                     . 'workos_jwt_leeway 60s;'),
    loc_pair(cid => "workos_jwt_client_id $CID;"),
    loc_pair(cidiss => "workos_jwt_client_id $CID; "
                     . 'workos_jwt_issuer https://auth.example.com;'),
    loc_pair(iss => 'workos_jwt_issuer https://auth.example.com '
                  . 'https://api.workos.com/;'),
    loc_pair(noiss => ''),
    loc_pair(aud => 'workos_jwt_issuer https://api.workos.com; '
                  . 'workos_jwt_audience api://one api://two;'),
    loc_pair(any => 'workos_jwt_issuer https://api.workos.com; '
                  . 'workos_jwt_token_type any;'),
    loc_pair(session => 'workos_jwt_issuer https://api.workos.com; '
                      . 'workos_jwt_token_type session;'),
    loc_pair(age => 'workos_jwt_issuer https://api.workos.com; '
                  . 'workos_jwt_max_auth_age 5m;'),
    loc_pair(ageoff => 'workos_jwt_issuer https://api.workos.com; '
                     . 'workos_jwt_max_auth_age off;'),
);

sub tok { make_token(key => $key, claims => workos_claims(@_)) }
sub ok_at  { accepted_cases(@_) }
sub bad_at { rejected_cases(@_) }

my $agent = tok(sid => undef);
my $audtok = tok(aud => 'api://one');
my $zz = tok(aud => 'zz');

run_cases($t,
    # time
    ok_at('fresh token', 'plain', tok()),
    bad_at('exp 2s ago', 'plain', tok(exp => $now - 2), 'expired'),
    bad_at('exp long ago', 'plain', tok(iat => $now - 9000,
                                        exp => $now - 8000), 'expired'),
    ok_at('exp 2s ago within 60s leeway', 'leeway', tok(exp => $now - 2)),
    bad_at('exp 120s ago beyond 60s leeway', 'leeway',
           tok(exp => $now - 120), 'expired'),
    bad_at('nbf in 100s', 'plain', tok(nbf => $now + 100), 'not_yet_valid'),
    ok_at('nbf in the past', 'plain', tok(nbf => $now - 100)),
    ok_at('nbf in 30s within 60s leeway', 'leeway', tok(nbf => $now + 30)),
    bad_at('nbf in 200s beyond leeway', 'leeway', tok(nbf => $now + 200),
           'not_yet_valid'),
    ok_at('iat in the future only lints', 'plain', tok(iat => $now + 100)),
    ok_at('exp with a fraction', 'plain', tok(exp => $now + 300.75)),
    bad_at('fractional exp truncated into the past', 'plain',
           tok(exp => $now - 1.5), 'expired'),
    bad_at('no exp', 'plain', tok(exp => undef), 'malformed'),
    bad_at('no sub', 'plain', tok(sub => undef), 'malformed'),
    bad_at('exp beyond 253402300799', 'plain', tok(exp => 253402300800),
           'malformed'),
    ok_at('exp = 253402300799', 'plain', tok(exp => 253402300799)),
    bad_at('negative exp', 'plain', tok(exp => -1), 'malformed'),
    ok_at('exp in exponent notation', 'plain', make_token(key => $key,
        payload_json => json_enc(workos_claims(exp => 9999999999))
            =~ s/"exp":9999999999/"exp":9.999999999e9/r)),
    ok_at('iat 0 is a legal number', 'plain', tok(iat => 0)),

    # issuers from workos_jwt_client_id
    ok_at('client_id: iss without slash', 'cid',
          tok(iss => 'https://api.workos.com')),
    ok_at('client_id: iss with slash', 'cid',
          tok(iss => 'https://api.workos.com/')),
    ok_at('client_id: user_management iss', 'cid',
          tok(iss => "https://api.workos.com/user_management/$CID")),
    bad_at('client_id: user_management iss of another client', 'cid',
           tok(iss => 'https://api.workos.com/user_management/client_X'),
           'bad_issuer'),
    bad_at('client_id: foreign iss', 'cid', tok(iss => 'https://evil.test'),
           'bad_issuer'),
    bad_at('client_id: iss with different case', 'cid',
           tok(iss => 'https://API.workos.com'), 'bad_issuer'),
    bad_at('client_id: no iss', 'cid', tok(iss => undef), 'bad_issuer'),
    ok_at('client_id claim equal', 'cid', tok(client_id => $CID)),
    bad_at('client_id claim different', 'cid',
           tok(client_id => 'client_01OTHER'), 'bad_issuer'),
    ok_at('workos_jwt_issuer replaces defaults: its issuer', 'cidiss',
          tok(iss => 'https://auth.example.com')),
    bad_at('workos_jwt_issuer replaces defaults: api.workos.com', 'cidiss',
           tok(iss => 'https://api.workos.com'), 'bad_issuer'),
    bad_at('client_id claim still checked with workos_jwt_issuer', 'cidiss',
           tok(iss => 'https://auth.example.com', client_id => 'client_X'),
           'bad_issuer'),

    # workos_jwt_issuer exact match
    ok_at('issuer: first of two', 'iss',
          tok(iss => 'https://auth.example.com')),
    ok_at('issuer: second of two', 'iss',
          tok(iss => 'https://api.workos.com/')),
    bad_at('issuer: slash differs', 'iss',
           tok(iss => 'https://api.workos.com'), 'bad_issuer'),
    bad_at('issuer: trailing slash added', 'iss',
           tok(iss => 'https://auth.example.com/'), 'bad_issuer'),
    bad_at('issuer: prefix only', 'iss', tok(iss => 'https://auth.example'),
           'bad_issuer'),
    ok_at('no issuer configured: iss not checked', 'noiss',
          tok(iss => 'https://anything.test')),

    # audience
    ok_at('aud string, first', 'aud', tok(aud => 'api://one')),
    ok_at('aud array with the second', 'aud', tok(aud => ['x', 'api://two'])),
    bad_at('aud other string', 'aud', tok(aud => 'api://three'),
           'bad_audience'),
    bad_at('aud array without ours', 'aud', tok(aud => ['a', 'b']),
           'bad_audience'),
    bad_at('aud empty array', 'aud', tok(aud => []), 'bad_audience'),
    bad_at('aud missing', 'aud', tok(), 'bad_audience'),
    bad_at('aud prefix', 'aud', tok(aud => 'api://on'), 'bad_audience'),
    ok_at('no workos_jwt_audience: aud ignored', 'plain', tok(aud => 'zz')),

    # token type
    bad_at('no sid (agent token)', 'plain', $agent, 'not_session'),
    bad_at('no sid, token_type session', 'session', $agent, 'not_session'),
    ok_at('no sid, token_type any', 'any', $agent),

    # max_auth_age
    ok_at('auth_time 60s ago', 'age', tok(auth_time => $now - 60)),
    bad_at('auth_time 10m ago', 'age', tok(auth_time => $now - 600),
           'stale_auth'),
    bad_at('no auth_time', 'age', tok(), 'stale_auth'),
    ok_at('max_auth_age off', 'ageoff', tok(auth_time => $now - 99999)),

    # order of checks
    bad_at('bad signature wins over expired', 'plain',
           make_token(key => $other, claims => workos_claims(
               exp => $now - 100)), 'bad_signature'),
    bad_at('bad signature wins over malformed claims', 'plain',
           make_token(key => $other, claims => workos_claims(exp => undef)),
           'bad_signature'),
    bad_at('malformed claim type wins over expired', 'plain',
           tok(exp => $now - 100, sub => 42), 'malformed'),
    bad_at('expired wins over not_yet_valid', 'plain',
           tok(exp => $now - 100, nbf => $now + 100), 'expired'),
    bad_at('not_yet_valid wins over bad_issuer', 'plain',
           tok(nbf => $now + 100, iss => 'https://evil.test'),
           'not_yet_valid'),
    bad_at('bad_issuer wins over bad_audience', 'aud',
           tok(iss => 'https://evil.test'), 'bad_issuer'),
    bad_at('bad_audience wins over not_session', 'aud', tok(sid => undef),
           'bad_audience'),
    bad_at('not_session wins over stale_auth', 'age', tok(sid => undef),
           'not_session'),

    # the verified-signature cache keeps no per-location decision
    bad_at('token for another audience', 'aud', $zz, 'bad_audience'),
    ok_at('same token where no audience is set', 'plain', $zz),
    bad_at('same token again: still bad_audience', 'aud', $zz,
           'bad_audience'),
    ok_at('token valid at aud', 'aud', $audtok),
    bad_at('same token at a stricter location', 'age', $audtok,
           'stale_auth'),
    ok_at('same token valid again at aud', 'aud', $audtok),
);
$t->done;
