# examples/*.conf must keep working: each one, and all of them together,
# passes `nginx -t` with the built module as written, with only what
# cannot exist here replaced (the api.workos.com host by loopback, the
# certificate files by generated ones). Then each is served for real:
# its JWKS location fetches a generated JWKS over verified TLS from a
# loopback stand-in for api.workos.com, and a few requests check that the
# example does what its comments say. The Next.js app of
# 06-nextjs-app.conf gets session cookies sealed by @workos-inc/node
# (t/session/fixtures.json), whose key is in the same JWKS. The events
# location of 07-revocation.conf polls the fake WorkOS Events API
# (t/lib/WorkosJwtEvents.pm, over verified TLS) with the API key from the
# file the example includes.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Time::HiRes ();
use WorkosJwtTest;
use WorkosJwtJwks ();
use WorkosJwtEvents;

require_module();

my $root = root_dir();
my @examples = sort glob "$root/examples/*.conf";
ok(scalar @examples >= 7, 'examples/ holds the seven examples')
    or diag("found: @examples");

my %need = (
    '01-api-gateway.conf'        => [qr/workos_jwt_inject_headers\s+on;/,
                                     qr/\bproxy_pass\s+http:/],
    '02-browser-app-cookie.conf' => [
        qr/workos_jwt_token\s+\$cookie_workos_access_token;/,
        qr/error_page\s+401\s+=\s+\@login;/,
        qr{https://api\.workos\.com/user_management/authorize\?}],
    '03-per-org-routing.conf'    => [qr/map\s+\$workos_org_id\s/,
                                     qr/limit_req_zone\s+\$workos_org_id\s/],
    '04-step-up-admin.conf'      => [qr/workos_jwt_max_auth_age\s+\d+m;/],
    '05-workos-jwks.conf'        => [
        qr{workos_jwt_key_request\s+/_workos_jwks;},
        qr#location\s+=\s+/_workos_jwks\s*\{[^}]*\binternal;#s,
        qr/proxy_ssl_verify\s+on;/, qr/proxy_ssl_server_name\s+on;/,
        qr/proxy_ssl_trusted_certificate\s/, qr/\bresolver\s/,
        qr/proxy_pass_request_headers\s+off;/,
        qr/proxy_pass_request_body\s+off;/,
        qr/subrequest_output_buffer_size\s/],
    '06-nextjs-app.conf'         => [
        qr/workos_jwt_session_cookie\s+wos-session;/,
        qr/workos_jwt_session_password\s+\S+;/,
        qr/error_page\s+401\s+=\s+\@app;/, qr/location\s+\@app\s*\{/,
        qr{location\s+/api/\s*\{}, qr{location\s+/_next/static/\s*\{},
        qr/workos_jwt_inject_headers\s+on;/,
        qr{workos_jwt_key_request\s+/_workos_jwks;},
        qr#location\s+=\s+/_workos_jwks\s*\{[^}]*\binternal;#s,
        qr/proxy_ssl_verify\s+on;/, qr/large_client_header_buffers\s/],
    '07-revocation.conf'         => [
        qr{workos_jwt_revocation_request\s+/_workos_events\s+interval=\S+\s+lookback=\S+\s+retain=\S+;},
        qr#location\s+=\s+/_workos_events\s*\{[^}]*\binternal;#s,
        qr{set\s+\$args\s+"limit=100&order=asc&events=session\.revoked&events=user\.deleted&events=organization_membership\.deleted&events=organization_membership\.updated&\$args";},
        qr{proxy_pass\s+https://api\.workos\.com/events;},
        qr{include\s+/etc/nginx/workos/events-api-key\.conf;},
        qr/proxy_ssl_verify\s+on;/, qr/proxy_ssl_server_name\s+on;/,
        qr/proxy_ssl_trusted_certificate\s/,
        qr/proxy_pass_request_headers\s+off;/,
        qr/proxy_pass_request_body\s+off;/,
        qr/subrequest_output_buffer_size\s+64k;/,
        qr/proxy_read_timeout\s/],
);

for my $f (@examples) {
    my $name = $f =~ s{.*/}{}r;
    my $text = slurp($f);
    my @comments = $text =~ /^\s*#/mg;
    ok(@comments >= 8, "$name is commented");
    like($text, $_, "$name has $_") for @{ $need{$name} || [] };
    unlike($text, qr/\t/, "$name has no tabs");
}

# --- material: a signing key, its JWKS, a certificate for 127.0.0.1 -----

my $t = WorkosJwtTest->new;
my $p = $t->prefix;
my $key = new_key(kid => 'examples-1');
# the generated key, and the one that signed the session fixtures
my $fx = json_dec(slurp("$root/t/session/fixtures.json"));
my $jwks = json_dec(jwks_json($key));
push @{ $jwks->{keys} }, @{ $fx->{jwks}{keys} };
$t->write_file('jwks.json', json_enc($jwks));
# the cookie password file, made as the example's comment says
my $pwfile = $t->write_file('cookie-password',
                            "$fx->{passwords}{p1}\n$fx->{passwords}{p2}\n");
chmod 0600, $pwfile;
$t->write_file('san.cnf', <<'EOF');
[req]
distinguished_name = dn
x509_extensions = ext
prompt = no
[dn]
CN = 127.0.0.1
[ext]
subjectAltName = IP:127.0.0.1, DNS:127.0.0.1, DNS:localhost
basicConstraints = critical, CA:true
EOF
openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
        '-keyout', "$p/tls.key", '-out', "$p/tls.crt",
        '-config', "$p/san.cnf");
chmod 0644, "$p/tls.key";

# the fake WorkOS Events API for 07-revocation.conf, its API key in the
# file the example includes, and a CA bundle that trusts both stand-ins
my $ev = WorkosJwtEvents->new($t,
                              api_key => 'sk_test_examples_07_0123456789');
my $evport = $ev->port;
my $keyconf = $t->write_file('events-api-key.conf',
    'proxy_set_header Authorization "Bearer ' . $ev->api_key . "\";\n");
chmod 0600, $keyconf;
$t->write_file('trusted.pem', slurp("$p/tls.crt") . slurp($ev->ca));

my $jwks_port = WorkosJwtTest::free_port();
my $JWKS_SERVER = <<"EOF";
    # stand-in for api.workos.com: the JWKS over TLS
    server {
        listen 127.0.0.1:$jwks_port ssl;
        ssl_certificate     $p/tls.crt;
        ssl_certificate_key $p/tls.key;
        location / {
            default_type application/json;
            root $p;
            try_files /jwks.json =404;
        }
    }
EOF

# the Next.js app of 06-nextjs-app.conf: what it received, including the
# session's email, and whether the session cookie reached it (the app
# needs it to refresh the token)
my $app_port = WorkosJwtTest::free_port();
my $APP_SERVER = <<"EOF";
    map \$http_cookie \$t150_has_session {
        "~(^|;\\s*)wos-session=Fe26\\.2\\*"  yes;
        default                          no;
    }
    server {
        listen 127.0.0.1:$app_port;
        large_client_header_buffers 4 16k;    # Node takes 16 KB
        location / {
            return 200 "user_id=\$http_x_workos_user_id\\nemail=\$http_x_workos_user_email\\nrole=\$http_x_workos_role\\nsession_id=\$http_x_workos_session_id\\nauthorization=\$http_authorization\\nsession_cookie=\$t150_has_session\\nuri=\$request_uri\\n";
        }
    }
EOF

# the example text with only the unavoidable replaced; for a run, the
# TLS listener becomes a plain loopback port and the backends the echo
# upstream
sub adapt {
    my ($text, %o) = @_;
    $text =~ s{https://api\.workos\.com/sso/jwks/\S+?;}
              {https://127.0.0.1:$jwks_port/sso/jwks/client;}g;
    # (the fake events API's certificate names localhost, not 127.0.0.1)
    $text =~ s{https://api\.workos\.com/events;}
              {https://127.0.0.1:$evport/events; proxy_ssl_name localhost;}g;
    $text =~ s{api\.workos\.com}{127.0.0.1}g;
    $text =~ s{(proxy_ssl_trusted_certificate)\s+\S+;}{$1 $p/trusted.pem;}g;
    $text =~ s{(include)\s+/etc/nginx/workos/events-api-key\.conf;}
              {$1 $keyconf;}g;
    $text =~ s{/var/log/nginx/}{$p/logs/}g;
    $text =~ s{(workos_jwt_session_password)\s+\S+;}{$1 $pwfile;}g;
    if ($o{run}) {
        $text =~ s{127\.0\.0\.1:(\d+)(?=;)}
                  {$1 == $jwks_port ? "127.0.0.1:$1" : $o{upstream}}ge;
        $text =~ s{^\s*listen\s+443\s+ssl;}{        listen 127.0.0.1:$o{port};}mg;
        $text =~ s{^\s*ssl_certificate(_key)?\s+\S+;\n}{}mg;
        # the examples' resolver is the host's; here the name is an address
        $text =~ s{^\s*resolver\s+[^;]+;}{        resolver 127.0.0.1;}mg;
    } else {
        $text =~ s{(ssl_certificate)\s+\S+;}{$1 $p/tls.crt;}g;
        $text =~ s{(ssl_certificate_key)\s+\S+;}{$1 $p/tls.key;}g;
    }
    $text;
}

# --- nginx -t, each example and all of them in one http{} ---------------

my @includes;
for my $f (@examples) {
    my $name = $f =~ s{.*/}{}r;
    my $conf = $t->write_file("conf/t-$name", adapt(slurp($f)));
    push @includes, "include $conf;";
    my ($ok, $out) = $t->nginx_t(http_config => "include $conf;");
    ok($ok, "nginx -t: $name") or diag($out);
    unlike($out, qr/\[(warn|emerg)\]/, "nginx -t: $name, no warning")
        or diag($out);
}
my ($ok, $out) = $t->nginx_t(http_config => join "\n", @includes);
ok($ok, 'nginx -t: all examples in one http{}') or diag($out);

# --- each example served ------------------------------------------------

my $now = time;
sub tok { make_token(key => $key, claims => workos_claims(@_)) }

my %run = (
    '01-api-gateway.conf' => sub {
        my ($s, $port) = @_;
        my $read = tok(permissions => ['widgets:read']);
        run_cases($s,
            { name => '01: no token', request => 'GET /api/items',
              port => $port, error_code => 401,
              response_headers => {
                  'WWW-Authenticate' => 'Bearer realm="api"' } },
            { name => '01: valid token, identity injected',
              request => 'GET /api/items', token => $read, port => $port,
              more_headers => ['X-WorkOS-User-Id' => 'user_spoofed'],
              error_code => 200,
              response_body_like => [
                  qr/^user_id=user_01HXYZUSER0000000000000000$/m,
                  qr/^permissions=widgets:read$/m,
                  qr/^authorization=$/m] },
            { name => '01: read-only token cannot write',
              request => 'POST /api/widgets/1', token => $read,
              port => $port, body => '{}', error_code => 403 },
            { name => '01: write permission can',
              request => 'POST /api/widgets/1', port => $port, body => '{}',
              token => tok(permissions => ['widgets:read',
                                           'widgets:write']),
              error_code => 200 },
            { name => '01: admin area needs the role',
              request => 'GET /api/admin/x', token => $read,
              port => $port, error_code => 403,
              response_headers_like => {
                  'WWW-Authenticate' => qr/insufficient_scope/ } },
            { name => '01: healthz is public', request => 'GET /healthz',
              port => $port, error_code => 200 });
    },
    '02-browser-app-cookie.conf' => sub {
        my ($s, $port) = @_;
        my $tok = tok();
        run_cases($s,
            { name => '02: no cookie: to AuthKit', request => 'GET /',
              port => $port, error_code => 302,
              response_headers_like => { Location => qr{^https://127\.0\.0\.1/user_management/authorize\?.*client_id=client_01HXYZEXAMPLE} } },
            { name => '02: token cookie', request => 'GET /dashboard',
              port => $port, error_code => 200,
              more_headers => [Cookie => "workos_access_token=$tok"],
              response_body_like => qr/^session_id=session_01/m },
            { name => '02: Bearer header is not a source here',
              request => 'GET /', token => $tok, port => $port,
              error_code => 302 },
            { name => '02: API calls keep the 401', request => 'GET /api/x',
              port => $port, error_code => 401 },
            { name => '02: callback needs no token',
              request => 'GET /auth/callback?code=x', port => $port,
              error_code => 200 });
    },
    '03-per-org-routing.conf' => sub {
        my ($s, $port) = @_;
        my $acme = tok(org_id => 'org_01HXYZACME0000000000000000');
        run_cases($s,
            { name => '03: org member', request => 'GET /api/x',
              token => $acme, port => $port, error_code => 200,
              response_body_like => qr/^org_id=org_01HXYZACME0+$/m },
            { name => '03: other org, shared pool', request => 'GET /api/x',
              token => tok(), port => $port, error_code => 200 },
            { name => '03: other org kept out of /api/acme/',
              request => 'GET /api/acme/x', token => tok(), port => $port,
              error_code => 403 },
            { name => '03: acme area', request => 'GET /api/acme/x',
              token => $acme, port => $port, error_code => 200 },
            { name => '03: no token', request => 'GET /api/x',
              port => $port, error_code => 401 });
    },
    '04-step-up-admin.conf' => sub {
        my ($s, $port) = @_;
        my $fresh = tok(roles => ['admin'], role => 'admin',
                        auth_time => $now - 60);
        my $stale = tok(roles => ['admin'], role => 'admin',
                        auth_time => $now - 3600);
        run_cases($s,
            { name => '04: recent sign-in', request => 'GET /admin/x',
              token => $fresh, port => $port, error_code => 200 },
            { name => '04: stale sign-in: re-authenticate',
              request => 'GET /admin/x', token => $stale, port => $port,
              error_code => 302,
              response_headers => { Location => 'http://localhost:'
                  . $port . '/auth/reauthenticate' } },
            { name => '04: stale sign-in on the API',
              request => 'GET /api/admin/x', token => $stale,
              port => $port, error_code => 401,
              response_headers => { 'WWW-Authenticate' => 'Bearer '
                  . 'realm="admin", error="invalid_token", '
                  . 'error_description="stale_auth"' } },
            { name => '04: cookie source', request => 'GET /admin/x',
              more_headers => [Cookie => "workos_access_token=$fresh"],
              port => $port, error_code => 200 },
            { name => '04: no auth_time at all', request => 'GET /api/admin/x',
              token => tok(roles => ['admin']), port => $port,
              error_code => 401 });
    },
    '05-workos-jwks.conf' => sub {
        my ($s, $port) = @_;
        run_cases($s,
            { name => '05: keys fetched, request passes', request => 'GET /x',
              token => tok(), port => $port, error_code => 200 },
            { name => '05: status endpoint', request => 'GET /_workos_jwt_status',
              port => $port, error_code => 200,
              response_body_like => qr/"kids":\s*\["examples-1"[,\]]/ },
            { name => '05: the JWKS location is internal',
              request => 'GET /_workos_jwks', port => $port,
              error_code => 404 });
    },
    '06-nextjs-app.conf' => sub {
        my ($s, $port) = @_;
        my %c = map { $_->{name} => $_->{cookie} } @{ $fx->{cases} };
        my $ada = $c{'@workos-inc/node sealed session'};
        my $old = $c{'@workos-inc/node sealed session, expired access token'};
        my $p2 = $c{'@workos-inc/node sealed with p2, passwords p2 then p1'};
        my $other = $c{q{@workos-inc/node sealed session, user is not the token's sub}};
        die 'fixtures.json lacks a case' unless $ada && $old && $p2 && $other;
        my $spoof = ['X-WorkOS-User-Id' => 'user_spoofed',
                     'X-WorkOS-User-Email' => 'spoofed@example.com'];
        run_cases($s,
            { name => '06: a page, session cookie opened at the edge',
              request => 'GET /dashboard', port => $port,
              more_headers => [Cookie => "theme=dark; wos-session=$ada",
                               @$spoof],
              error_code => 200,
              response_body_like => [
                  qr/^user_id=user_01HZFIXTUREADA0+$/m,
                  qr/^email=ada\@example\.com$/m,
                  qr/^session_id=session_01HZFIXTUREADA$/m,
                  qr/^authorization=$/m, qr/^session_cookie=yes$/m] },
            { name => '06: an API route, session cookie',
              request => 'GET /api/projects', port => $port,
              more_headers => [Cookie => "wos-session=$ada"],
              error_code => 200,
              response_body_like => qr/^user_id=user_01HZFIXTUREADA0+$/m },
            { name => '06: an 11 KB Cookie header (large_client_header_buffers)',
              request => 'GET /api/projects', port => $port,
              more_headers => [Cookie => 'prefs=' . ('x' x 9000)
                                         . "; wos-session=$ada"],
              error_code => 200,
              response_body_like => qr/^user_id=user_01HZFIXTUREADA0+$/m },
            { name => '06: the role rule at the edge',
              request => 'GET /api/admin/users', port => $port,
              more_headers => [Cookie => "wos-session=$ada"],
              error_code => 403 },
            { name => '06: sealed with the older password (rotation)',
              request => 'GET /api/projects', port => $port,
              more_headers => [Cookie => "wos-session=$p2"],
              error_code => 200,
              response_body_like => qr/^user_id=user_01HZFIXTUREZOE0+$/m },
            { name => '06: API, no session: 401', request => 'GET /api/x',
              port => $port, error_code => 401,
              response_headers => {
                  'WWW-Authenticate' => 'Bearer realm="api"' } },
            { name => '06: API, expired access token: 401',
              request => 'GET /api/x', port => $port,
              more_headers => [Cookie => "wos-session=$old"],
              error_code => 401,
              response_headers => { 'WWW-Authenticate' => 'Bearer '
                  . 'realm="api", error="invalid_token", '
                  . 'error_description="expired"' } },
            { name => '06: API, session of another user: 401',
              request => 'GET /api/x', port => $port,
              more_headers => [Cookie => "wos-session=$other"],
              error_code => 401 },
            { name => '06: page, expired access token: handed to the app',
              request => 'GET /dashboard', port => $port,
              more_headers => [Cookie => "wos-session=$old", @$spoof],
              error_code => 200,
              response_body_like => [
                  qr/^user_id=$/m, qr/^email=$/m,
                  qr/^session_cookie=yes$/m, qr{^uri=/dashboard$}m] },
            { name => '06: page, no session: handed to the app',
              request => 'GET /settings?tab=1', port => $port,
              more_headers => $spoof, error_code => 200,
              response_body_like => [qr/^user_id=$/m,
                                     qr{^uri=/settings\?tab=1$}m] },
            { name => '06: the AuthKit callback needs no session',
              request => 'GET /callback?code=01HXYZ', port => $port,
              error_code => 200 },
            { name => '06: static assets need no session',
              request => 'GET /_next/static/chunks/main.js', port => $port,
              error_code => 200 },
            { name => '06: Bearer token for API clients',
              request => 'GET /api/x', port => $port,
              token => tok(), error_code => 200,
              response_body_like => qr/^user_id=user_01HXYZUSER0+$/m });
        my $log = slurp("$p/logs/next.example.com.log");
        like($log, qr{"GET /dashboard HTTP/1\.[01]" 200 jwt=valid from=session_cookie sub=user_01HZFIXTUREADA0+ email=ada\@example\.com org=org_01HZFIXTUREORGANIZATION00 },
             '06: the access log names the session\'s user');
        like($log, qr{"GET /api/x HTTP/1\.[01]" 401 jwt=expired from=session_cookie sub=- email=- },
             '06: and the expired session');
        unlike($log, qr/Fe26|rt_FIXTURE/, '06: no cookie in the access log');
    },
    '07-revocation.conf' => sub {
        my ($s, $port) = @_;
        my %t = (
            revoked => tok(sid => 'session_01HXYZREVOKED000000000000',
                           iat => $now - 60),
            other   => tok(iat => $now - 60),
            member  => tok(sub => 'user_01HXYZMOVED00000000000000',
                           org_id => 'org_01HXYZACME0000000000000000',
                           iat => $now - 60),
            renewed => tok(sub => 'user_01HXYZMOVED00000000000000',
                           org_id => 'org_01HXYZACME0000000000000000',
                           iat => $now - 5),
            deleted => tok(sub => 'user_01HXYZDELETED000000000000',
                           iat => $now - 60),
        );
        my $api = sub {
            $s->request('GET /api/x', token => $_[0],
                        headers => [Cookie => 'theme=dark'])->{status};
        };
        # the first request is served at once and starts the first poll
        is($api->($t{revoked}), 200,
           '07: the first request does not wait for the first poll');
        WorkosJwtJwks::wait_until(sub { $api->($t{revoked}) == 401 }, 5);
        run_cases($s,
            { name => '07: a revoked session is refused',
              request => 'GET /api/x', token => $t{revoked}, port => $port,
              error_code => 401,
              response_headers => { 'WWW-Authenticate' => 'Bearer '
                  . 'realm="api", error="invalid_token", '
                  . 'error_description="revoked"' } },
            { name => '07: another session passes', request => 'GET /api/x',
              token => $t{other}, port => $port, error_code => 200,
              response_body_like => qr/^session_id=session_01HXYZSESSION0+$/m },
            { name => '07: a deleted user is refused',
              request => 'GET /api/x', token => $t{deleted}, port => $port,
              error_code => 401 },
            { name => '07: a token from before a membership change: refused',
              request => 'GET /api/x', token => $t{member}, port => $port,
              error_code => 401 },
            { name => '07: the token issued after it passes',
              request => 'GET /api/x', token => $t{renewed}, port => $port,
              error_code => 200 },
            { name => '07: the events location is internal',
              request => 'GET /_workos_events', port => $port,
              error_code => 404 });
        my $st = WorkosJwtJwks::status_json($s, '/_workos_jwt_status');
        my $rv = $st->{revocations} || {};
        is($rv->{entries}, 3, '07: status: 3 entries (session, user, '
                              . 'membership)');
        ok($rv->{polls} >= 1 && $rv->{poll_failures} == 0,
           "07: status: $rv->{polls} polls, none failed");
        ok($st->{requests}{revoked} >= 3, '07: status: requests.revoked');
        my @req = $ev->requests;
        ok(@req >= 1, '07: the events API was polled') or return;
        my $r = $req[0];
        is($r->{path}, '/events', '07: GET /events');
        is($r->{auth}, 'ok', '07: with the API key of the included file');
        is_deeply([ $r->{args}{limit}, $r->{args}{order} ], [100, 'asc'],
                  '07: limit=100, order=asc');
        is_deeply([ sort @{ $r->{args_all}{events} || [] } ],
                  [ qw(organization_membership.deleted
                       organization_membership.updated session.revoked
                       user.deleted) ],
                  '07: the four event types that revoke');
        like($r->{args}{range_start} // '', qr/^\d{4}-\d\d-\d\dT/,
             '07: the first poll reads from range_start');
        ok(!exists $r->{headers}{cookie},
           '07: no header of the client reached WorkOS');
        is($r->{returned}, 3, '07: the other event types are not fetched');
        my $all = slurp("$p/logs/workos-gateway.access.log")
                  . slurp($s->prefix . '/logs/error.log');
        unlike($all, qr/\Q@{[ $ev->api_key ]}\E/,
               '07: the API key is in no log');
        like(slurp("$p/logs/workos-gateway.access.log"),
             qr{"GET /api/x HTTP/1\.[01]" 401 jwt=revoked sub=- sid=- },
             '07: the access log says revoked (claims of a refused token '
             . 'stay unset)');
    },
);

# the events 07-revocation.conf finds on its first poll
$ev->add(event => 'session.revoked',
         data => { id => 'session_01HXYZREVOKED000000000000',
                   user_id => 'user_01HXYZUSER0000000000000000' },
         created_at => $now - 30);
$ev->add(event => 'user.created',
         data => { id => 'user_01HXYZNEW000000000000000' },
         created_at => $now - 25);
$ev->add(event => 'user.deleted',
         data => { id => 'user_01HXYZDELETED000000000000' },
         created_at => $now - 20);
$ev->add(event => 'organization_membership.updated',
         data => { id => 'om_01HXYZ', user_id => 'user_01HXYZMOVED00000000000000',
                   organization_id => 'org_01HXYZACME0000000000000000',
                   role => { slug => 'admin' } },
         created_at => $now - 10);
$ev->start or diag('the fake events API did not start');

for my $f (@examples) {
    my $name = $f =~ s{.*/}{}r;
    my $check = $run{$name} or next;
    my $s = WorkosJwtTest->new;
    my $port = WorkosJwtTest::free_port();
    my $up = $name eq '06-nextjs-app.conf' ? "127.0.0.1:$app_port"
                                           : $s->upstream;
    my $conf = $s->write_file("conf/$name", adapt(slurp($f), run => 1,
                                                  port => $port,
                                                  upstream => $up));
    $s->start(http_config => "$JWKS_SERVER\n$APP_SERVER\n    include $conf;")
        or next;
    # run_cases talks to the harness port: point it at the example's
    my $orig = \&WorkosJwtTest::request;
    no warnings 'redefine';
    local *WorkosJwtTest::request = sub {
        my ($self, $req, %o) = @_;
        $orig->($self, $req, port => $port, %o);
    };
    $check->($s, $port);
    $s->stop;
}

$ev->stop;
$t->done;
