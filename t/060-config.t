# Configuration checks: every directive with arguments has a must-fail
# `nginx -t` case whose [emerg] line names the directive (or the key file);
# the warning when no issuer is configured.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use WorkosJwtTest;

require_module();

my $t = WorkosJwtTest->new;
my $key = new_key(kid => 'k1');
my $jwks = $t->write_file('jwks.json', jwks_json($key));
my $notjson = $t->write_file('notjson.json', "this is not json\n");
my $truncated = $t->write_file('truncated.json', substr(jwks_json($key), 0, 50));
my $nokeys = $t->write_file('nokeys.json', '{"keys":[]}');
my $unusable = $t->write_file('unusable.json', jwks_json(
    { kty => 'oct', kid => 'o1', k => 'c2VjcmV0' },
    { %{ $key->{jwk} }, use => 'enc', kid => 'e1' }));
my $small = $t->write_file('small.json', jwks_json(new_key(bits => 1024)));
my $missing = $t->prefix . '/no-such-file.json';

my $BASE = "workos_jwt_key_file $jwks;\n"
         . "        workos_jwt_issuer https://api.workos.com;\n";

# [title, context (http|server|location), snippet, name expected in output]
my @must_fail = (
    ['workos_jwt bad value', 'location', 'workos_jwt maybe;', 'workos_jwt'],
    ['workos_jwt duplicate', 'location', 'workos_jwt on; workos_jwt off;',
     'workos_jwt', 'is duplicate'],
    ['workos_jwt on without key source', 'bare', 'workos_jwt on;',
     'workos_jwt'],
    ['workos_jwt_token without arguments', 'location', 'workos_jwt_token;',
     'workos_jwt_token'],
    ['workos_jwt_realm two arguments', 'location', 'workos_jwt_realm a b;',
     'workos_jwt_realm'],
    ['workos_jwt_realm duplicate', 'location',
     'workos_jwt_realm a; workos_jwt_realm b;', 'workos_jwt_realm',
     'is duplicate'],
    ['workos_jwt_key_file missing file', 'location',
     "workos_jwt_key_file $missing;", $missing],
    ['workos_jwt_key_file is a directory', 'location',
     'workos_jwt_key_file ' . $t->prefix . ';', $t->prefix],
    ['workos_jwt_key_file not JSON', 'location',
     "workos_jwt_key_file $notjson;", $notjson],
    ['workos_jwt_key_file truncated JSON', 'location',
     "workos_jwt_key_file $truncated;", $truncated],
    ['workos_jwt_key_file empty keys', 'location',
     "workos_jwt_key_file $nokeys;", $nokeys],
    ['workos_jwt_key_file no usable key', 'location',
     "workos_jwt_key_file $unusable;", $unusable],
    ['workos_jwt_key_file only RSA-1024', 'location',
     "workos_jwt_key_file $small;", $small],
    ['workos_jwt_key_request without arguments', 'location',
     'workos_jwt_key_request;', 'workos_jwt_key_request'],
    ['workos_jwt_key_request duplicate', 'location',
     'workos_jwt_key_request /a; workos_jwt_key_request /b;',
     'workos_jwt_key_request', 'is duplicate'],
    ['workos_jwt_key_cache bad time', 'location',
     'workos_jwt_key_cache valid=abc;', 'workos_jwt_key_cache'],
    ['workos_jwt_key_cache unknown parameter', 'location',
     'workos_jwt_key_cache fresh=10m;', 'workos_jwt_key_cache'],
    ['workos_jwt_key_cache zero', 'location',
     'workos_jwt_key_cache valid=0s;', 'workos_jwt_key_cache'],
    ['workos_jwt_zone bad size', 'http', 'workos_jwt_zone wjwt:abc;',
     'workos_jwt_zone'],
    ['workos_jwt_zone no size', 'http', 'workos_jwt_zone wjwt;',
     'workos_jwt_zone'],
    ['workos_jwt_zone too small', 'http', 'workos_jwt_zone wjwt:1k;',
     'workos_jwt_zone'],
    ['workos_jwt_zone in a location', 'location',
     'workos_jwt_zone wjwt:1m;', 'workos_jwt_zone'],
    ['workos_jwt_cache bad value', 'location', 'workos_jwt_cache lots;',
     'workos_jwt_cache'],
    ['workos_jwt_client_id without arguments', 'location',
     'workos_jwt_client_id;', 'workos_jwt_client_id'],
    ['workos_jwt_client_id duplicate', 'location',
     'workos_jwt_client_id client_a; workos_jwt_client_id client_b;',
     'workos_jwt_client_id', 'is duplicate'],
    ['workos_jwt_issuer without arguments', 'location', 'workos_jwt_issuer;',
     'workos_jwt_issuer'],
    ['workos_jwt_audience without arguments', 'location',
     'workos_jwt_audience;', 'workos_jwt_audience'],
    ['workos_jwt_algorithms unknown alg', 'location',
     'workos_jwt_algorithms RS256 XS256;', 'workos_jwt_algorithms'],
    ['workos_jwt_algorithms none', 'location', 'workos_jwt_algorithms none;',
     'workos_jwt_algorithms'],
    ['workos_jwt_algorithms HS256', 'location',
     'workos_jwt_algorithms RS256 HS256;', 'workos_jwt_algorithms'],
    ['workos_jwt_algorithms HS512', 'location',
     'workos_jwt_algorithms HS512;', 'workos_jwt_algorithms'],
    ['workos_jwt_leeway bad time', 'location', 'workos_jwt_leeway soon;',
     'workos_jwt_leeway'],
    ['workos_jwt_leeway duplicate', 'location',
     'workos_jwt_leeway 1s; workos_jwt_leeway 2s;', 'workos_jwt_leeway',
     'is duplicate'],
    ['workos_jwt_token_type bad value', 'location',
     'workos_jwt_token_type agent;', 'workos_jwt_token_type'],
    ['workos_jwt_token_type duplicate', 'location',
     'workos_jwt_token_type any; workos_jwt_token_type session;',
     'workos_jwt_token_type', 'is duplicate'],
    ['workos_jwt_max_auth_age bad time', 'location',
     'workos_jwt_max_auth_age recent;', 'workos_jwt_max_auth_age'],
    ['workos_jwt_max_auth_age duplicate', 'location',
     'workos_jwt_max_auth_age 5m; workos_jwt_max_auth_age off;',
     'workos_jwt_max_auth_age', 'is duplicate'],
    ['workos_jwt_require_permission without arguments', 'location',
     'workos_jwt_require_permission;', 'workos_jwt_require_permission'],
    ['workos_jwt_require_role without arguments', 'location',
     'workos_jwt_require_role;', 'workos_jwt_require_role'],
    ['workos_jwt_require_org without arguments', 'location',
     'workos_jwt_require_org;', 'workos_jwt_require_org'],
    ['workos_jwt_require error=500', 'location',
     'workos_jwt_require $arg_a error=500;', 'workos_jwt_require'],
    ['workos_jwt_require error=abc', 'location',
     'workos_jwt_require $arg_a error=abc;', 'workos_jwt_require'],
    ['workos_jwt_require only error=', 'location',
     'workos_jwt_require error=401;', 'workos_jwt_require'],
    ['workos_jwt_permission_wildcards bad value', 'location',
     'workos_jwt_permission_wildcards maybe;',
     'workos_jwt_permission_wildcards'],
    ['workos_jwt_permission_wildcards duplicate', 'location',
     'workos_jwt_permission_wildcards on; workos_jwt_permission_wildcards '
     . 'off;', 'workos_jwt_permission_wildcards', 'is duplicate'],
    ['workos_jwt_inject_headers bad value', 'location',
     'workos_jwt_inject_headers yes;', 'workos_jwt_inject_headers'],
    ['workos_jwt_inject_headers duplicate', 'location',
     'workos_jwt_inject_headers on; workos_jwt_inject_headers on;',
     'workos_jwt_inject_headers', 'is duplicate'],
    ['workos_jwt_claim_set not a variable', 'http',
     'workos_jwt_claim_set imp act sub;', 'workos_jwt_claim_set'],
    ['workos_jwt_claim_set no claim name', 'http',
     'workos_jwt_claim_set $imp;', 'workos_jwt_claim_set'],
    ['workos_jwt_claim_set in a location', 'location',
     'workos_jwt_claim_set $imp act sub;', 'workos_jwt_claim_set'],
    ['workos_jwt_lint bad value', 'location', 'workos_jwt_lint loud;',
     'workos_jwt_lint'],
    ['workos_jwt_lint duplicate', 'location',
     'workos_jwt_lint on; workos_jwt_lint off;', 'workos_jwt_lint',
     'is duplicate'],
    ['workos_jwt_lint_max_lifetime bad time', 'location',
     'workos_jwt_lint_max_lifetime forever;', 'workos_jwt_lint_max_lifetime'],
    ['workos_jwt_lint_max_lifetime duplicate', 'location',
     'workos_jwt_lint_max_lifetime 1h; workos_jwt_lint_max_lifetime 2h;',
     'workos_jwt_lint_max_lifetime', 'is duplicate'],
    ['workos_jwt_lint_reject bad code', 'location',
     'workos_jwt_lint_reject missing_aud no_such_code;',
     'workos_jwt_lint_reject'],
    ['workos_jwt_lint_ignore bad code', 'location',
     'workos_jwt_lint_ignore wildcard;', 'workos_jwt_lint_ignore'],
    ['workos_jwt_max_token_size bad size', 'location',
     'workos_jwt_max_token_size 16q;', 'workos_jwt_max_token_size'],
    ['workos_jwt_max_token_size duplicate', 'location',
     'workos_jwt_max_token_size 8k; workos_jwt_max_token_size 16k;',
     'workos_jwt_max_token_size', 'is duplicate'],
    ['workos_jwt_status bad format', 'location', 'workos_jwt_status xml;',
     'workos_jwt_status'],
    ['workos_jwt_status at server level', 'server', 'workos_jwt_status;',
     'workos_jwt_status'],
    ['workos_jwt_inspect with an argument', 'location',
     'workos_jwt_inspect full;', 'workos_jwt_inspect'],
    ['workos_jwt on at the http level without key source', 'http',
     'workos_jwt on;', 'workos_jwt'],
);

sub conf_for {
    my ($where, $snippet) = @_;
    return (http_config => $snippet, config => "        $BASE")
        if $where eq 'http';
    return (config => "        $BASE        $snippet\n") if $where eq 'server';
    return (config => "        location /t {\n            $snippet\n"
                    . "        }\n") if $where eq 'bare';
    (config => "        $BASE        location /t {\n            $snippet\n"
             . "        }\n");
}

my ($ok, $out) = $t->nginx_t(conf_for(location => 'workos_jwt on;'));
ok($ok, 'base configuration passes nginx -t') or diag($out);

for my $c (@must_fail) {
    my ($title, $where, $snippet, $name, $extra) = @$c;
    my ($ok, $out) = $t->nginx_t(conf_for($where, $snippet));
    ok(!$ok, "$title: nginx -t fails") or diag($snippet);
    unlike($out, qr/unknown directive/, "$title: directive is known");
    like($out, qr/\[emerg\][^\n]*\Q$name\E(?![\w_])/,
         "$title: [emerg] names $name") or diag($out);
    like($out, qr/\Q$extra\E/, "$title: $extra") if $extra;
}

# valid edge values are accepted
for my $c (['workos_jwt_key_cache', 'workos_jwt_key_cache valid=1s stale=1s '
            . 'refetch=1s;'],
           ['all algorithms', 'workos_jwt_algorithms RS256 RS384 RS512 PS256 '
            . 'PS384 PS512 ES256 ES384 ES512 EdDSA;'],
           ['every lint code', 'workos_jwt_lint_ignore wildcard_permission '
            . 'long_lifetime missing_aud missing_iat iat_in_future '
            . 'missing_kid non_rs256 missing_org impersonated sso_session;'],
           ['require error=401', 'workos_jwt_require $arg_a $arg_b '
            . 'error=401;'],
           ['max_auth_age off', 'workos_jwt_max_auth_age off;'],
           ['cache off', 'workos_jwt_cache off;'],
           ['status prometheus', 'workos_jwt_status prometheus;']) {
    my ($ok, $out) = $t->nginx_t(conf_for(location => $c->[1]));
    ok($ok, "accepted: $c->[0]") or diag($out);
}

# http level: the key source may come with it, the issuer warning too
($ok, $out) = $t->nginx_t(http_config => "workos_jwt_key_file $jwks;\n"
                                       . "    workos_jwt on;",
                          config => "        location /t { empty_gif; }");
ok($ok, 'http-level workos_jwt on with a key file passes') or diag($out);
like($out, qr/\[warn\][^\n]*issuer/i, 'http level: no issuer warning');

# no issuer configured: nginx -t passes with a warning
($ok, $out) = $t->nginx_t(config => <<"EOF");
        location /t { workos_jwt_key_file $jwks; workos_jwt on; }
EOF
ok($ok, 'no issuer: nginx -t passes') or diag($out);
like($out, qr/\[warn\][^\n]*issuer/i, 'no issuer: a warning about issuers');

for my $c (['workos_jwt_issuer', 'workos_jwt_issuer https://api.workos.com;'],
           ['workos_jwt_client_id', 'workos_jwt_client_id client_01X;']) {
    ($ok, $out) = $t->nginx_t(config => <<"EOF");
        $c->[1]
        location /t { workos_jwt_key_file $jwks; workos_jwt on; }
EOF
    ok($ok, "$c->[0]: nginx -t passes") or diag($out);
    unlike($out, qr/\[warn\][^\n]*issuer/i, "$c->[0]: no issuer warning");
}

done_testing();
