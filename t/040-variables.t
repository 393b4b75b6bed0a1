# Variables (README, Embedded Variables), $workos_claim_<name> rendering,
# header variables, status words, use in map/if/set/logs, workos_jwt off,
# workos_jwt_claim_set, workos_jwt_token sources, workos_jwt_realm.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use WorkosJwtTest;

require_module();

my $t = WorkosJwtTest->new;
my $key = new_key(kid => 'k1');
my $nokid = new_key(kid => undef);
my $stranger = new_key(kid => 'k1');
my $jwks = $t->write_file('jwks.json', jwks_json($key, $nokid));
my $p = $t->prefix;

my @VARS = qw(sub user_id sid org_id role roles permissions entitlements
    feature_flags jti iss aud exp iat auth_time impersonator connection_id
    directory_id jwt_header_alg jwt_header_kid jwt_header_typ jwt_status);
my @CLAIMS = qw(str num float bool false arr empty null obj mixed missing
    unicode);
my $body = join '\n', (map { "$_=\$workos_$_" } @VARS),
                      (map { "claim_$_=\$workos_claim_$_" } @CLAIMS);

$t->start(http_config => <<"EOF", config => <<"EOF");
    workos_jwt_claim_set \$imp act sub;
    workos_jwt_claim_set \$deep a b c;
    map \$workos_org_id \$org_tier {
        org_A    gold;
        default  free;
    }
    log_format wjwt '\$workos_sub|\$workos_jwt_status|\$workos_org_id';
EOF
        workos_jwt_key_file $jwks;
        workos_jwt_issuer https://api.workos.com;
        workos_jwt_lint_ignore missing_aud;
        workos_jwt_algorithms RS256 RS512;
        workos_jwt_realm "outer realm";

        location = /vars {
            workos_jwt optional;
            return 200 "$body\\n";
        }
        location = /state {
            workos_jwt optional;
            return 200 "status=\$workos_jwt_status|sub=\$workos_sub|error=\$workos_jwt_error|cache=\$workos_jwt_cache_status\\n";
        }
        location = /claimset {
            workos_jwt optional;
            return 200 "imp=\$imp|deep=\$deep|impersonator=\$workos_impersonator\\n";
        }
        location = /rewrite {
            workos_jwt optional;
            set \$who "sub:\$workos_sub";
            if (\$workos_role = admin) {
                return 200 "admin \$who tier=\$org_tier\\n";
            }
            return 200 "other \$who tier=\$org_tier\\n";
        }
        location = /off {
            workos_jwt off;
            return 200 "\$workos_jwt_status|\$workos_sub|\$workos_org_id\\n";
        }
        location /access/ {
            workos_jwt on;
            proxy_set_header X-WorkOS-Extra "\$workos_sub/\$workos_jwt_status";
            add_header X-Sub \$workos_sub always;
            access_log $p/logs/wjwt.log wjwt;
            proxy_pass http://%%UPSTREAM%%;
        }
        location = /cookie {
            workos_jwt optional;
            workos_jwt_token \$cookie_workos_access_token \$http_authorization;
            return 200 "\$workos_jwt_status|\$workos_sub\\n";
        }
        location = /custom {
            workos_jwt optional;
            workos_jwt_token \$http_x_token;
            return 200 "\$workos_jwt_status|\$workos_sub\\n";
        }
        location /custom-on/ {
            workos_jwt on;
            workos_jwt_realm "inner";
            workos_jwt_token \$http_x_token;
            proxy_pass http://%%UPSTREAM%%;
        }
        location /realm/ {
            workos_jwt on;
            proxy_pass http://%%UPSTREAM%%;
        }
EOF

my $now = time;
my %full = (%{ workos_claims(iat => $now - 10, exp => $now + 300) },
    jti => 'jti_1', aud => ['api://a', 'api://b'], auth_time => $now - 20,
    entitlements => ['audit-logs', 'sso'], feature_flags => ['beta'],
    act => { sub => 'user_ADMIN' }, connection_id => 'conn_01',
    directory_id => 'directory_01', str => 'a "quoted" string', num => 42,
    float => 1.5, bool => JSON::PP::true, false => JSON::PP::false,
    arr => ['x', 'y', 'z'], empty => [], null => JNULL,
    obj => { a => 1, b => [JSON::PP::true, JNULL] }, mixed => [1, 'a'],
    unicode => "caf\x{e9}");
my $full = make_token(key => $key, claims => \%full);

sub tok { make_token(key => $key, claims => workos_claims(@_)) }
sub vars_case {
    my ($name, $tok, %want) = @_;
    my $uri = delete $want{uri} || '/vars';
    { name => $name, request => "GET $uri", token => $tok, error_code => 200,
      response_body_like => [ map { qr/^\Q$_=$want{$_}\E$/m } sort keys %want
      ] };
}

my $good = tok();
my $fresh = tok(jti => 'never-used-before');
run_cases($t,
    vars_case('every variable from a full token', $full,
        sub => 'user_01HXYZUSER0000000000000000',
        user_id => 'user_01HXYZUSER0000000000000000',
        sid => 'session_01HXYZSESSION000000000000',
        org_id => 'org_01HXYZORG00000000000000000', role => 'member',
        roles => 'member', permissions => 'posts:read,posts:write',
        entitlements => 'audit-logs,sso', feature_flags => 'beta',
        jti => 'jti_1', iss => 'https://api.workos.com',
        aud => 'api://a,api://b', exp => $now + 300, iat => $now - 10,
        auth_time => $now - 20, impersonator => 'user_ADMIN',
        connection_id => 'conn_01', directory_id => 'directory_01',
        jwt_header_alg => 'RS256', jwt_header_kid => 'k1',
        jwt_header_typ => 'JWT', jwt_status => 'valid'),
    vars_case('$workos_claim_<name> rendering', $full,
        claim_str => 'a "quoted" string', claim_num => 42,
        claim_float => '1.5', claim_bool => 'true', claim_false => 'false',
        claim_arr => 'x,y,z', claim_empty => '', claim_null => '',
        claim_obj => '{"a":1,"b":[true,null]}', claim_mixed => '[1,"a"]',
        claim_missing => '', claim_unicode => "caf\xc3\xa9"),
    vars_case('roles from role when roles is absent',
        tok(roles => undef, role => 'admin'), roles => 'admin',
        role => 'admin'),
    vars_case('roles array joined', tok(roles => [qw(admin member)]),
        roles => 'admin,member', role => 'member'),
    vars_case('aud string', tok(aud => 'api://one'), aud => 'api://one'),
    vars_case('absent claims are empty',
        tok(org_id => undef, role => undef, roles => undef,
            permissions => undef), org_id => '', role => '', roles => '',
        permissions => '', entitlements => '', impersonator => '',
        auth_time => '', aud => '', jwt_status => 'valid'),
    vars_case('header without kid and typ',
        make_token(key => $nokid, alg => 'RS512', header => { typ => undef }),
        jwt_header_alg => 'RS512', jwt_header_kid => '', jwt_header_typ => '',
        jwt_status => 'valid'),
    vars_case('no token: everything empty', undef, sub => '', sid => '',
        org_id => '', jwt_header_alg => '', jwt_status => 'missing',
        claim_str => ''),
    vars_case('rejected token: claims empty',
        make_token(key => $key, claims => { %full, exp => $now - 100 }),
        sub => '', org_id => '', impersonator => '', claim_str => '',
        jwt_status => 'expired'),

    # status and error words
    { name => 'valid: empty error', request => 'GET /state', token => $good,
      response_body_like => qr/^status=valid\|sub=user_01H\w+\|error=\|/ },
    (map { my ($n, $tk, $w) = @$_;
           { name => "status $w: $n", request => 'GET /state', token => $tk,
             response_body_like => qr/^status=$w\|sub=\|error=[^|\n]+\|/ } }
        ['garbage', 'abc', 'malformed'],
        ['other key', make_token(key => $stranger), 'bad_signature'],
        ['unknown kid', make_token(key => $key, kid => 'zz'), 'unknown_kid'],
        ['PS256 not allowed', make_token(key => $key, alg => 'PS256'),
         'alg_not_allowed'],
        ['expired', tok(exp => $now - 100), 'expired'],
        ['nbf', tok(nbf => $now + 1000), 'not_yet_valid'],
        ['issuer', tok(iss => 'https://x.test'), 'bad_issuer'],
        ['no sid', tok(sid => undef), 'not_session']),
    { name => 'no token: status missing', request => 'GET /state',
      response_body_like => qr/^status=missing\|sub=\|error=.*\|cache=\n/ },

    # verified-signature cache
    { name => 'cache: first use MISS', request => 'GET /state',
      token => $fresh, response_body_like => qr/\|cache=MISS$/m },
    { name => 'cache: second use HIT', request => 'GET /state',
      token => $fresh, response_body_like => qr/\|cache=HIT$/m },
    { name => 'cache: no token, empty', request => 'GET /state',
      response_body_like => qr/\|cache=$/m },

    # claim_set
    { name => 'claim_set act sub', request => 'GET /claimset',
      token => make_token(key => $key, claims => { %full,
          a => { b => { c => 'deep-value' } } }),
      response_body => "imp=user_ADMIN|deep=deep-value|"
                     . "impersonator=user_ADMIN\n" },
    { name => 'claim_set, claim absent', request => 'GET /claimset',
      token => $good, response_body => "imp=|deep=|impersonator=\n" },

    # rewrite phase, map, if/set
    { name => 'map/if/set: admin in org_A', request => 'GET /rewrite',
      token => tok(role => 'admin', org_id => 'org_A'),
      response_body => "admin sub:user_01HXYZUSER0000000000000000 "
                     . "tier=gold\n" },
    { name => 'map/if/set: member', request => 'GET /rewrite',
      token => $good, response_body => "other "
          . "sub:user_01HXYZUSER0000000000000000 tier=free\n" },
    { name => 'map/if/set: no token', request => 'GET /rewrite',
      response_body => "other sub: tier=free\n" },

    # workos_jwt off with a key file configured
    { name => 'workos_jwt off: variables still evaluate',
      request => 'GET /off', token => tok(org_id => 'org_A'),
      response_body => "valid|user_01HXYZUSER0000000000000000|org_A\n" },
    { name => 'workos_jwt off: rejected token', request => 'GET /off',
      token => tok(exp => $now - 100), response_body => "expired||\n" },

    # access phase, proxy_set_header, add_header, access_log
    { name => 'variables after access phase', request => 'GET /access/x',
      token => $good, error_code => 200,
      response_headers => { 'X-Sub' => 'user_01HXYZUSER0000000000000000' },
      response_body_like =>
          qr{^extra=user_01HXYZUSER0000000000000000/valid$}m },

    # token sources
    { name => 'cookie source: bare token', request => 'GET /cookie',
      more_headers => [Cookie => "workos_access_token=$good"],
      response_body_like => qr/^valid\|user_01H/ },
    { name => 'empty cookie: next source wins', request => 'GET /cookie',
      more_headers => [Cookie => 'workos_access_token=; a=b',
                       Authorization => "Bearer $good"],
      response_body_like => qr/^valid\|user_01H/ },
    { name => 'first non-empty source wins', request => 'GET /cookie',
      more_headers => [Cookie => 'workos_access_token=garbage',
                       Authorization => "Bearer $good"],
      response_body => "malformed|\n" },
    { name => '$http_authorization source: Bearer form',
      request => 'GET /cookie', token => $good,
      response_body_like => qr/^valid\|user_01H/ },
    { name => '$http_authorization source: Basic is missing',
      request => 'GET /cookie',
      more_headers => [Authorization => 'Basic dXNlcjpwYXNz'],
      response_body => "missing|\n" },
    { name => '$http_authorization source: bare token is not Bearer form',
      request => 'GET /cookie', more_headers => [Authorization => $good],
      response_body_unlike => qr/^valid/ },
    { name => 'custom header source', request => 'GET /custom',
      more_headers => ['X-Token' => $good],
      response_body_like => qr/^valid\|user_01H/ },
    { name => 'custom source ignores Authorization', request => 'GET /custom',
      token => $good, response_body => "missing|\n" },
    { name => 'custom source, on, missing: 401 with inner realm',
      request => 'GET /custom-on/x', token => $good, error_code => 401,
      response_headers => { 'WWW-Authenticate' => 'Bearer realm="inner"' } },
    (map { my ($n, $v, $w) = @$_;
           { name => "Authorization: $n", request => 'GET /state',
             more_headers => [Authorization => $v],
             response_body_like => qr/^status=(?:$w)\|/ } }
        ['bearer lowercase', "bearer $good", 'valid'],
        ['BEARER uppercase', "BEARER $good", 'valid'],
        ['bEaReR mixed case', "bEaReR $good", 'valid'],
        ['three spaces', "Bearer   $good", 'valid'],
        ['tab', "Bearer\t$good", 'malformed'],
        ['trailing space', "Bearer $good ", 'valid|malformed'],
        ['trailing junk', "Bearer $good junk", 'malformed'],
        ['Basic', 'Basic dXNlcjpwYXNz', 'missing'],
        ['Digest', 'Digest username="a"', 'missing'],
        ['Bearerx scheme', "Bearerx $good", 'missing|malformed']),

    # realm inherited from the server level
    { name => 'realm inherited', request => 'GET /realm/x', error_code => 401,
      response_headers => {
          'WWW-Authenticate' => 'Bearer realm="outer realm"' } },
    rejected('realm with a rejection', 'GET /realm/x', tok(exp => 1000),
             'expired', realm => 'outer realm'),
);

select undef, undef, undef, 0.2;
like(slurp("$p/logs/wjwt.log"),
     qr/^user_01HXYZUSER0000000000000000\|valid\|org_01H\w+$/m,
     'variables in access_log');
$t->stop;

# cache off: $workos_jwt_cache_status is empty
$t->start(http_config => 'workos_jwt_cache off;', config => <<"EOF");
        workos_jwt_key_file $jwks;
        workos_jwt_issuer https://api.workos.com;
        location = /state {
            workos_jwt optional;
            return 200 "\$workos_jwt_status|\$workos_jwt_cache_status\\n";
        }
EOF
run_cases($t, map { { name => "cache off, request $_", request => 'GET /state',
                      token => $good, response_body => "valid|\n" } } 1, 2);
$t->stop;

# four workers share the verified-signature cache
$t->start(workers => 4, config => <<"EOF");
        workos_jwt_key_file $jwks;
        workos_jwt_issuer https://api.workos.com;
        location = /state {
            workos_jwt optional;
            return 200 "\$workos_jwt_status|\$workos_jwt_cache_status\\n";
        }
EOF
my $shared = tok(jti => 'shared');
run_cases($t, map { { name => "4 workers, request $_", request => 'GET /state',
                      token => $shared,
                      response_body => 'valid|' . ($_ == 1 ? 'MISS' : 'HIT')
                                     . "\n" } } 1 .. 8);
$t->done;
