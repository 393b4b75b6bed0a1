# workos_jwt_require_permission / _role / _org / workos_jwt_require,
# inheritance, 403 challenges, permission wildcards, optional mode.

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

$t->start(http_config => <<'EOF', config => <<"EOF");
    map $workos_org_id $org_ok {
        org_A    1;
        org_Z    0;
        default  "";
    }
    map $workos_role $role_ok {
        admin    1;
        viewer   00;
        default  0;
    }
EOF
        workos_jwt_key_file $jwks;
        workos_jwt_issuer https://api.workos.com;
        workos_jwt_lint off;

        location /perm/ {
            workos_jwt on;
            workos_jwt_require_permission posts:read posts:write;
            proxy_pass http://%%UPSTREAM%%;
        }
        location /order/ {
            workos_jwt on;
            workos_jwt_require_permission a b "c|d" e;
            proxy_pass http://%%UPSTREAM%%;
        }
        location /either/ {
            workos_jwt on;
            workos_jwt_require_permission "posts:delete|posts:write";
            proxy_pass http://%%UPSTREAM%%;
        }
        location /repeat/ {
            workos_jwt on;
            workos_jwt_require_permission a;
            workos_jwt_require_permission b;
            proxy_pass http://%%UPSTREAM%%;
        }
        location /realm/ {
            workos_jwt on;
            workos_jwt_realm "api";
            workos_jwt_require_permission x;
            proxy_pass http://%%UPSTREAM%%;
        }
        location /outer/ {
            workos_jwt on;
            workos_jwt_require_permission a;
            proxy_pass http://%%UPSTREAM%%;

            location /outer/inner/ {
                workos_jwt_require_role admin;
                proxy_pass http://%%UPSTREAM%%;
            }
            location /outer/keep/ {
                proxy_pass http://%%UPSTREAM%%;
            }
        }
        location /role/ {
            workos_jwt on;
            workos_jwt_require_role admin owner;
            proxy_pass http://%%UPSTREAM%%;
        }
        location /org/ {
            workos_jwt on;
            workos_jwt_require_org org_A org_B;
            proxy_pass http://%%UPSTREAM%%;
        }
        location /req/ {
            workos_jwt on;
            workos_jwt_require \$org_ok;
            proxy_pass http://%%UPSTREAM%%;
        }
        location /req2/ {
            workos_jwt on;
            workos_jwt_require \$org_ok \$role_ok;
            proxy_pass http://%%UPSTREAM%%;
        }
        location /req401/ {
            workos_jwt on;
            workos_jwt_realm "api";
            workos_jwt_require \$org_ok error=401;
            proxy_pass http://%%UPSTREAM%%;
        }
        location /req403/ {
            workos_jwt on;
            workos_jwt_require \$org_ok error=403;
            proxy_pass http://%%UPSTREAM%%;
        }
        location /wildoff/ {
            workos_jwt on;
            workos_jwt_require_permission posts:delete;
            proxy_pass http://%%UPSTREAM%%;
        }
        location /literal/ {
            workos_jwt on;
            workos_jwt_require_permission posts:*;
            proxy_pass http://%%UPSTREAM%%;
        }
        location /wildon/ {
            workos_jwt on;
            workos_jwt_permission_wildcards on;
            workos_jwt_require_permission posts:delete;
            proxy_pass http://%%UPSTREAM%%;
        }
        location /optional/ {
            workos_jwt optional;
            workos_jwt_require_permission nope;
            workos_jwt_require_role nope;
            workos_jwt_require_org nope;
            workos_jwt_require \$org_ok;
            proxy_pass http://%%UPSTREAM%%;
        }
        location /off/ {
            workos_jwt off;
            workos_jwt_require_permission nope;
            proxy_pass http://%%UPSTREAM%%;
        }
        location /pages/ {
            workos_jwt on;
            workos_jwt_require_role admin;
            error_page 401 = \@login;
            error_page 403 = \@denied;
            proxy_pass http://%%UPSTREAM%%;
        }
        location \@login { return 302 /signin; }
        location \@denied { return 200 "denied\\n"; }
        location /satisfy-any/ {
            satisfy any;
            allow 127.0.0.1;
            deny all;
            workos_jwt on;
            proxy_pass http://%%UPSTREAM%%;
        }
        location /satisfy-all/ {
            satisfy all;
            allow 127.0.0.1;
            deny all;
            workos_jwt on;
            proxy_pass http://%%UPSTREAM%%;
        }
        location = /status {
            workos_jwt optional;
            return 200 "\$workos_jwt_status\\n";
        }
EOF

sub tok { make_token(key => $key, claims => workos_claims(@_)) }
sub perms { tok(permissions => [@_]) }

sub allowed {
    my ($name, $uri, $tok) = @_;
    { name => $name, request => "GET $uri", token => $tok,
      error_code => 200, response_body_like => qr/^uri=\//m };
}
sub forbidden {
    my ($name, $uri, $tok, $scope, $realm) = @_;
    { name => $name, request => "GET $uri", token => $tok,
      error_code => 403, response_headers => { 'WWW-Authenticate' =>
          challenge(realm => $realm, error => 'insufficient_scope',
                    scope => $scope) } };
}

run_cases($t,
    allowed('all permissions granted', '/perm/x',
            perms(qw(posts:read posts:write))),
    forbidden('one permission missing', '/perm/x', perms('posts:read'),
              'posts:write'),
    forbidden('no permissions claim', '/perm/x', tok(permissions => undef),
              'posts:read posts:write'),
    forbidden('empty permissions', '/perm/x', perms(),
              'posts:read posts:write'),
    forbidden('permission matching is exact (case)', '/perm/x',
              perms(qw(posts:read Posts:Write)), 'posts:write'),
    forbidden('unmet arguments in config order, a|b kept', '/order/x',
              perms('b'), 'a c|d e'),
    allowed('a|b: c or d', '/order/x', perms(qw(e d b a))),
    allowed('a|b: second alternative', '/either/x', perms('posts:write')),
    allowed('a|b: first alternative', '/either/x', perms('posts:delete')),
    forbidden('a|b: neither', '/either/x', perms('posts:read'),
              'posts:delete|posts:write'),
    forbidden('repeated lines add up: second unmet', '/repeat/x',
              perms('a'), 'b'),
    forbidden('repeated lines add up: both unmet', '/repeat/x', perms(),
              'a b'),
    allowed('repeated lines add up: both met', '/repeat/x', perms('a', 'b')),
    forbidden('realm before error', '/realm/x', perms(), 'x', 'api'),
    { name => 'no token at a require location: 401, not 403',
      request => 'GET /perm/x', error_code => 401,
      response_headers => { 'WWW-Authenticate' => 'Bearer' } },
    rejected('bad token at a require location: 401', 'GET /perm/x',
             tok(exp => time - 100), 'expired'),

    # inheritance: a level with require lines replaces the outer ones
    allowed('inner level replaces outer permission', '/outer/inner/x',
            tok(permissions => [], role => 'admin', roles => undef)),
    forbidden('inner role rule: no scope', '/outer/inner/x',
              tok(permissions => ['a']), undef),
    forbidden('level without require lines inherits', '/outer/keep/x',
              perms(), 'a'),
    allowed('inherited rule met', '/outer/keep/x', perms('a')),

    # roles
    allowed('role in roles', '/role/x', tok(roles => [qw(member owner)])),
    forbidden('roles present: role claim not used', '/role/x',
              tok(roles => ['member'], role => 'admin'), undef),
    allowed('no roles: role claim used', '/role/x',
            tok(roles => undef, role => 'admin')),
    forbidden('no roles, other role', '/role/x',
              tok(roles => undef, role => 'member'), undef),
    forbidden('neither roles nor role', '/role/x',
              tok(roles => undef, role => undef), undef),

    # org
    allowed('org B', '/org/x', tok(org_id => 'org_B')),
    forbidden('org C', '/org/x', tok(org_id => 'org_C'), undef),
    forbidden('no org_id', '/org/x', tok(org_id => undef), undef),

    # workos_jwt_require
    allowed('require: value 1', '/req/x', tok(org_id => 'org_A')),
    forbidden('require: value 0', '/req/x', tok(org_id => 'org_Z'), undef),
    forbidden('require: empty value', '/req/x', tok(org_id => 'org_Q'),
              undef),
    allowed('require two values: 1 and 1', '/req2/x',
            tok(org_id => 'org_A', role => 'admin')),
    allowed('require two values: "00" is not "0"', '/req2/x',
            tok(org_id => 'org_A', role => 'viewer')),
    forbidden('require two values: second 0', '/req2/x',
              tok(org_id => 'org_A', role => 'member'), undef),
    { name => 'require error=401', request => 'GET /req401/x',
      token => tok(org_id => 'org_Z'), error_code => 401,
      response_headers => { 'WWW-Authenticate' =>
          'Bearer realm="api", error="invalid_token"' } },
    allowed('require error=401 met', '/req401/x', tok(org_id => 'org_A')),
    forbidden('require error=403', '/req403/x', tok(org_id => 'org_Z'),
              undef),

    # wildcards
    forbidden('wildcards off: posts:* does not grant posts:delete',
              '/wildoff/x', perms('posts:*'), 'posts:delete'),
    forbidden('wildcards off: * does not grant', '/wildoff/x', perms('*'),
              'posts:delete'),
    allowed('* is a literal slug character', '/literal/x', perms('posts:*')),
    forbidden('literal posts:* not granted by posts:read', '/literal/x',
              perms('posts:read'), 'posts:*'),
    allowed('wildcards on: posts:*', '/wildon/x', perms('posts:*')),
    allowed('wildcards on: *', '/wildon/x', perms('*')),
    forbidden('wildcards on: comments:*', '/wildon/x', perms('comments:*'),
              'posts:delete'),
    forbidden('wildcards on: postsx:* is another resource', '/wildon/x',
              perms('postsx:*'), 'posts:delete'),
    forbidden('wildcards on: post* is not res:*', '/wildon/x',
              perms('post*'), 'posts:delete'),

    # require rules only with workos_jwt on
    allowed('optional: require rules ignored', '/optional/x', perms()),
    { name => 'optional: no token passes', request => 'GET /optional/x',
      error_code => 200 },
    { name => 'optional: rejected token passes',
      request => 'GET /optional/x', token => tok(exp => time - 100),
      error_code => 200 },
    { name => 'off: require rules ignored', request => 'GET /off/x',
      error_code => 200 },
    # access phase: satisfy any / all
    { name => 'satisfy any: allow passes without a token',
      request => 'GET /satisfy-any/x', error_code => 200 },
    { name => 'satisfy all: token still required',
      request => 'GET /satisfy-all/x', error_code => 401 },
    allowed('satisfy all: with a token', '/satisfy-all/x', tok()),

    # error_page works as usual
    { name => 'error_page 401 = @login', request => 'GET /pages/x',
      error_code => 302, response_headers_like => { Location => qr{/signin$} } },
    { name => 'error_page 403 = @denied', request => 'GET /pages/x',
      token => tok(), error_code => 200, response_body => "denied\n" },
    allowed('error_page location, rule met', '/pages/x',
            tok(roles => ['admin'])),
    { name => 'a token meeting no rule is still valid',
      request => 'GET /status', token => perms(), response_body => "valid\n" },
);
$t->done;
