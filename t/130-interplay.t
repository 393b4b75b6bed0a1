# The module next to nginx's own access machinery: satisfy any with
# allow/deny, auth_request in the same location, error_page 401 to a named
# location, internal redirects (rewrite, error_page, try_files), auth_request
# subrequests into a protected location (not re-checked), and requests that
# must never change the configuration or leak a decision from one location
# into another (alg lists, audiences, requirements, token header keys).

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use WorkosJwtTest;

require_module();

my $t = WorkosJwtTest->new;
my $rsa = new_key(kid => 'k-rsa');
my $ec = new_key(type => 'ec', kid => 'k-ec');
my $evil = new_key(kid => 'k-evil');
my $jwks = $t->write_file('jwks.json', jwks_json($rsa, $ec));

my $good = make_token(key => $rsa);
my $es = make_token(key => $ec, alg => 'ES256');
my $expired = make_token(key => $rsa,
    claims => workos_claims(iat => time - 600, exp => time - 300));
my $aud_a = make_token(key => $rsa, claims => workos_claims(aud => 'api://a'));
my $reader = make_token(key => $rsa,
    claims => workos_claims(permissions => ['posts:read']));

$t->start(config => <<"EOF");
        workos_jwt_key_file $jwks;
        workos_jwt_issuer https://api.workos.com;
        workos_jwt_lint_ignore missing_aud;

        # ---- satisfy any ---------------------------------------------
        location /any-allowed/ {
            satisfy any;
            allow 127.0.0.1;
            deny all;
            workos_jwt on;
            add_header X-Status \$workos_jwt_status always;
            proxy_pass http://%%UPSTREAM%%;
        }
        location /any-denied/ {
            satisfy any;
            allow 10.255.255.1;
            deny all;
            workos_jwt on;
            proxy_pass http://%%UPSTREAM%%;
        }
        location /all-allowed/ {
            allow 127.0.0.1;
            deny all;
            workos_jwt on;
            proxy_pass http://%%UPSTREAM%%;
        }

        # ---- auth_request ----------------------------------------------
        location /ar-ok/ {
            workos_jwt on;
            auth_request /_auth_ok;
            proxy_pass http://%%UPSTREAM%%;
        }
        location /ar-deny/ {
            workos_jwt on;
            auth_request /_auth_deny;
            proxy_pass http://%%UPSTREAM%%;
        }
        location = /_auth_ok { internal; empty_gif; }
        location = /_auth_deny { internal; return 403; }

        # a subrequest into a protected location is not re-checked
        location /ar-sub/ {
            workos_jwt optional;
            auth_request /_auth_protected;
            add_header X-Status \$workos_jwt_status always;
            proxy_pass http://%%UPSTREAM%%;
        }
        location = /_auth_protected {
            internal;
            workos_jwt on;
            workos_jwt_require_role nobody-has-this-role;
            empty_gif;
        }

        # ---- error_page to a named location ------------------------------
        location /login-redirect/ {
            workos_jwt on;
            workos_jwt_require_permission admin:all;
            error_page 401 = \@login;
            error_page 403 = \@forbidden;
            proxy_pass http://%%UPSTREAM%%;
        }
        location \@login {
            add_header X-Login-Status \$workos_jwt_status always;
            return 302 https://login.example.com/?r=\$request_uri;
        }
        location \@forbidden {
            return 200 "forbidden page for \$workos_sub\\n";
        }

        # ---- internal redirects --------------------------------------------
        location /old/ {
            rewrite ^/old/(.*)\$ /api/\$1 last;
        }
        location /pub404/ {
            error_page 404 = /api/from404;
            return 404;
        }
        location /tf/ {
            workos_jwt on;
            try_files /nonexistent \@up;
        }
        location \@up {
            proxy_pass http://%%UPSTREAM%%;
        }

        # ---- locations that must not influence each other ------------------
        location /api/ {
            workos_jwt on;
            add_header X-Cache \$workos_jwt_cache_status always;
            proxy_pass http://%%UPSTREAM%%;
        }
        location /es/ {
            workos_jwt on;
            workos_jwt_algorithms RS256 ES256;
            proxy_pass http://%%UPSTREAM%%;
        }
        location /aud-b/ {
            workos_jwt on;
            workos_jwt_audience api://b;
            proxy_pass http://%%UPSTREAM%%;
        }
        location /write/ {
            workos_jwt on;
            workos_jwt_require_permission posts:write;
            proxy_pass http://%%UPSTREAM%%;
        }
        location = /status {
            workos_jwt_status;
        }
EOF

my $bearer = challenge();
sub invalid { challenge(error => 'invalid_token', description => $_[0]) }

# ---- satisfy any ------------------------------------------------------------

run_cases($t,
    { name => 'satisfy any, allowed IP, no token: passes',
      request => 'GET /any-allowed/x', error_code => 200,
      response_body_like => qr{^uri=/any-allowed/x$}m,
      response_headers => { '!WWW-Authenticate' => 1,
                            'X-Status' => 'missing' } },
    { name => 'satisfy any, allowed IP, bad token: passes without challenge',
      request => 'GET /any-allowed/x', token => "$good" . 'x',
      error_code => 200, response_headers => { '!WWW-Authenticate' => 1 } },
    { name => 'satisfy any, allowed IP, valid token: passes',
      request => 'GET /any-allowed/x', token => $good, error_code => 200,
      response_headers => { 'X-Status' => 'valid' } },
    { name => 'satisfy any, denied IP, no token: 401 Bearer',
      request => 'GET /any-denied/x', error_code => 401,
      response_headers => { 'WWW-Authenticate' => $bearer } },
    { name => 'satisfy any, denied IP, expired token: 401 expired',
      request => 'GET /any-denied/x', token => $expired, error_code => 401,
      response_headers => { 'WWW-Authenticate' => invalid('expired') } },
    { name => 'satisfy any, denied IP, valid token: passes',
      request => 'GET /any-denied/x', token => $good, error_code => 200,
      response_body_like => qr{^uri=/any-denied/x$}m },
    { name => 'satisfy all, allowed IP, no token: 401',
      request => 'GET /all-allowed/x', error_code => 401,
      response_headers => { 'WWW-Authenticate' => $bearer } },
    { name => 'satisfy all, allowed IP, valid token: passes',
      request => 'GET /all-allowed/x', token => $good, error_code => 200 },
);

# ---- auth_request -------------------------------------------------------------

run_cases($t,
    { name => 'auth_request ok + valid token: 200',
      request => 'GET /ar-ok/x', token => $good, error_code => 200,
      response_body_like => qr{^uri=/ar-ok/x$}m },
    { name => 'auth_request ok + no token: 401',
      request => 'GET /ar-ok/x', error_code => 401,
      response_headers => { 'WWW-Authenticate' => $bearer } },
    { name => 'auth_request ok + expired token: 401',
      request => 'GET /ar-ok/x', token => $expired, error_code => 401,
      response_headers => { 'WWW-Authenticate' => invalid('expired') } },
    { name => 'auth_request deny + valid token: 403',
      request => 'GET /ar-deny/x', token => $good, error_code => 403 },
    { name => 'auth_request deny + no token: 401 or 403, never 200',
      request => 'GET /ar-deny/x', error_code => [401, 403] },
    { name => 'subrequest into a protected location, no token: not '
              . 're-checked',
      request => 'GET /ar-sub/x', error_code => 200,
      response_body_like => qr{^uri=/ar-sub/x$}m,
      response_headers => { 'X-Status' => 'missing' },
      no_error_log => ['[alert]', 'exited on signal'] },
    { name => 'subrequest into a protected location, role not held: not '
              . 're-checked',
      request => 'GET /ar-sub/x', token => $good, error_code => 200,
      response_headers => { 'X-Status' => 'valid' } },
);

# ---- error_page 401 = @login ----------------------------------------------------

run_cases($t,
    { name => 'error_page 401 = @login: no token goes to @login (302)',
      request => 'GET /login-redirect/x?a=1', error_code => 302,
      response_headers => {
          Location => 'https://login.example.com/?r=/login-redirect/x?a=1',
          'X-Login-Status' => 'missing' } },
    { name => 'error_page 401 = @login: expired token goes to @login',
      request => 'GET /login-redirect/x', token => $expired,
      error_code => 302, response_headers => {
          'X-Login-Status' => 'expired' } },
    { name => 'error_page 403 = @forbidden: valid token, missing permission',
      request => 'GET /login-redirect/x', token => $good, error_code => 200,
      response_body => "forbidden page for user_01HXYZUSER0000000000000000\n"
    },
);

# ---- internal redirects -------------------------------------------------------------

run_cases($t,
    { name => 'rewrite ... last into /api/: no token, 401',
      request => 'GET /old/x', error_code => 401,
      response_headers => { 'WWW-Authenticate' => $bearer } },
    { name => 'rewrite ... last into /api/: valid token, 200',
      request => 'GET /old/x', token => $good, error_code => 200,
      response_body_like => qr{^uri=/api/x$}m },
    { name => 'error_page 404 = /api/...: no token, 401',
      request => 'GET /pub404/x', error_code => 401 },
    { name => 'error_page 404 = /api/...: valid token, 200',
      request => 'GET /pub404/x', token => $good, error_code => 200 },
    { name => 'try_files to a named location: no token, 401 first',
      request => 'GET /tf/x', error_code => 401 },
    { name => 'try_files to a named location: valid token, 200',
      request => 'GET /tf/x', token => $good, error_code => 200,
      response_body_like => qr{^uri=/tf/x$}m },
);

# ---- a request never changes the configuration ------------------------------------

my $st0 = status_json();

for my $round (1 .. 3) {
    run_cases($t,
        { name => "round $round: RS256 token at RS256-only /api/: 200",
          request => 'GET /api/x', token => $good, error_code => 200 },
        { name => "round $round: ES256 token at RS256-only /api/: "
                  . 'alg_not_allowed',
          request => 'GET /api/x', token => $es, error_code => 401,
          response_headers => {
              'WWW-Authenticate' => invalid('alg_not_allowed') } },
        { name => "round $round: ES256 token at /es/ (RS256 ES256): 200",
          request => 'GET /es/x', token => $es, error_code => 200 },
        { name => "round $round: ES256 token back at /api/: still rejected",
          request => 'GET /api/x', token => $es, error_code => 401,
          response_headers => {
              'WWW-Authenticate' => invalid('alg_not_allowed') } },
        { name => "round $round: aud api://a at /api/ (no audience): 200",
          request => 'GET /api/x', token => $aud_a, error_code => 200 },
        { name => "round $round: same token at /aud-b/: bad_audience",
          request => 'GET /aud-b/x', token => $aud_a, error_code => 401,
          response_headers => {
              'WWW-Authenticate' => invalid('bad_audience') } },
        { name => "round $round: reader at /api/: 200",
          request => 'GET /api/x', token => $reader, error_code => 200 },
        { name => "round $round: reader at /write/: 403 after the 200",
          request => 'GET /write/x', token => $reader, error_code => 403,
          response_headers_like => {
              'WWW-Authenticate' => qr/insufficient_scope.*posts:write/ } },
        { name => "round $round: expired token: expired",
          request => 'GET /api/x', token => $expired, error_code => 401,
          response_headers => { 'WWW-Authenticate' => invalid('expired') } },
    );
}

# tokens that carry their own key (jwk, jku, x5u, x5c) or point at one
my $evil_jwk = { %{ $evil->{jwk} }, kid => 'k-evil' };
my @planted = (
    [ 'embedded jwk with a new kid',
      make_token(key => $evil, header => { jwk => $evil_jwk }) ],
    [ 'embedded jwk reusing the kid of a configured key',
      make_token(key => $evil, kid => 'k-rsa',
                 header => { jwk => { %$evil_jwk, kid => 'k-rsa' } }) ],
    [ 'jku to a JWKS URL',
      make_token(key => $evil, header => {
          jku => 'http://127.0.0.1:' . $t->port . '/evil.json' }) ],
    [ 'x5u', make_token(key => $evil, header => {
          x5u => 'http://127.0.0.1/evil.pem' }) ],
    [ 'x5c with garbage', make_token(key => $evil, kid => undef,
          header => { x5c => ['MIIBIjAN'] }) ],
    [ 'alg none', make_token(key => $rsa, alg => 'none', sig => '') ],
);
for my $p (@planted) {
    my ($name, $tok) = @$p;
    run_cases($t,
        { name => "$name: rejected", request => 'GET /api/x',
          token => $tok, error_code => [401] },
        { name => "$name: then a valid token still passes",
          request => 'GET /api/x', token => $good, error_code => 200 },
        { name => "$name: and the planted token is still rejected",
          request => 'GET /es/x', token => $tok, error_code => [401] },
    );
}

my $st1 = status_json();
is($st1->{keys}{count}, $st0->{keys}{count},
   'status: the key count did not change');
is(join(',', sort @{ $st1->{keys}{kids} || [] }),
   join(',', sort @{ $st0->{keys}{kids} || [] }),
   'status: the kids did not change');
ok(!grep({ $_ eq 'k-evil' } @{ $st1->{keys}{kids} || [] }),
   'status: no kid from a token header');

$t->done;


sub status_json {
    my $r = $t->request('GET /status');
    my $j = eval { json_dec($r->{body}) };
    ok($j, 'status answers JSON') or diag($r->{raw});
    $j || {};
}
