# Same-name headers, on whichever nginx NGINX_BIN is (since 1.23.0 nginx
# links same-name request and response headers through
# ngx_table_elt_t.next and joins them in $http_* variables):
# several inbound X-WorkOS-* headers of one name in mixed case, several
# Cookie and Authorization headers, the injected headers as a proxy_pass,
# a FastCGI and an auth_request upstream see them, HTTP/2 clients (and
# HTTP/3 where nginx and curl have it), WWW-Authenticate next to other
# challenges, and `satisfy any` after a rejected token (an uninitialized
# WWW-Authenticate chain crashed 1.23+).
#
# What nginx does with repeated request headers, and what the module makes
# of it (this file checks each):
# - Authorization is a unique header: a second one (any case) is refused
#   with 400 "client sent duplicate header line" before any module runs,
#   over HTTP/1.1 and HTTP/2, on 1.22 as on 1.23+.
# - Cookie: $cookie_NAME looks through every Cookie header and the first
#   NAME wins; $http_cookie joins them with "; ".
# - any other header: $http_NAME is the first one on 1.22 and all of them
#   joined with ", " since 1.23, so `workos_jwt_token $http_x_token` with
#   two X-Token headers takes the first token on 1.22 and is malformed
#   (a 401) on 1.23+.
#
# Two trust gaps of 0.1.0 are closed (CHANGELOG 0.2.0): spoofed X-WorkOS-*
# headers reached an auth_request subrequest (they were stripped in the
# precontent phase, after auth_request ran), and X_WorkOS_*
# (underscores_in_headers on, or ignore_invalid_headers off) was not
# stripped, though a FastCGI upstream sees it as HTTP_X_WORKOS_*.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use WorkosJwtTest;
use WorkosJwtUpstream;

require_module();

my ($M, $m, $p) = `'${\ nginx_bin()}' -v 2>&1` =~ m{nginx/(\d+)\.(\d+)\.(\d+)}
    or plan skip_all => 'cannot tell the nginx version (' . nginx_bin() . ')';
my $NV = $M * 1000000 + $m * 1000 + $p;
my $V = "$M.$m.$p";
note("nginx $V (" . nginx_bin() . ')');
my $nginx_V = `'${\ nginx_bin()}' -V 2>&1`;

my $curl = `curl -V 2>/dev/null`;
my $have_h2 = $nginx_V =~ /--with-http_v2_module/ && $curl =~ /\bHTTP2\b/;
my $have_h3 = $nginx_V =~ /--with-http_v3_module/ && $curl =~ /\bHTTP3\b/;

my $t = WorkosJwtTest->new;
my $key = new_key(kid => 'k1');
my $jwks = $t->write_file('jwks.json', jwks_json($key));
my $SUB = 'user_01HXYZUSER0000000000000000';
my $ORG = 'org_01HXYZORG00000000000000000';
my $good = make_token(key => $key);
my $other = make_token(key => $key, claims => workos_claims(
    sub => 'user_02OTHER', org_id => 'org_02OTHER'));
my $noorg = make_token(key => $key, claims => workos_claims(org_id => undef));
my $expired = make_token(key => $key, claims => workos_claims(
    exp => time - 100));

my $echo = http_echo();
my $fcgi = fastcgi_echo();
my ($us_port, $ii_port, $h2_port, $h3_port) =
    map { WorkosJwtTest::free_port() } 1 .. 4;

my $htpasswd = $t->write_file('htpasswd', 'alice:'
    . `openssl passwd -apr1 secret` );

# the upstream locations, in every server
my $upstreams = <<"EOF";
        location /proxy/ {
            workos_jwt on;
            workos_jwt_inject_headers on;
            add_header X-Cookie \$http_cookie always;
            proxy_pass http://127.0.0.1:$echo;
        }
        location /opt-proxy/ {
            workos_jwt optional;
            workos_jwt_inject_headers on;
            proxy_pass http://127.0.0.1:$echo;
        }
        location /fcgi/ {
            workos_jwt on;
            workos_jwt_inject_headers on;
            fastcgi_pass 127.0.0.1:$fcgi;
        }
        location /opt-fcgi/ {
            workos_jwt optional;
            workos_jwt_inject_headers on;
            fastcgi_pass 127.0.0.1:$fcgi;
        }
        location /vars/ {
            workos_jwt optional;
            workos_jwt_inject_headers on;
            proxy_pass http://%%UPSTREAM%%;
        }
        location /cookie/ {
            workos_jwt on;
            workos_jwt_token \$cookie_wos;
            workos_jwt_inject_headers on;
            add_header X-Cookie \$http_cookie always;
            proxy_pass http://127.0.0.1:$echo;
        }
        location = /status {
            workos_jwt optional;
            return 200 "\$workos_jwt_status \$workos_sub\\n";
        }
EOF

my $keys = <<"EOF";
        workos_jwt_key_file $jwks;
        workos_jwt_issuer https://api.workos.com;
        workos_jwt_lint_ignore missing_aud;
EOF

my $h2_listen = $NV >= 1025001 ? "listen 127.0.0.1:$h2_port;\n        http2 on;"
                                : "listen 127.0.0.1:$h2_port http2;";
my $h3 = '';
if ($have_h3) {
    my $d = $t->prefix;
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt',
            'ec_paramgen_curve:prime256v1', '-nodes', '-keyout',
            "$d/h3.key", '-out', "$d/h3.pem", '-days', '2', '-subj',
            '/CN=localhost');
    $h3 = <<"EOF";
    server {
        listen 127.0.0.1:$h3_port quic;
        ssl_certificate $d/h3.pem;
        ssl_certificate_key $d/h3.key;
$keys
$upstreams
    }
EOF
}

$t->start(
    http_config => <<"EOF",
    server {
        listen 127.0.0.1:$us_port;
        underscores_in_headers on;
$keys
$upstreams
    }

    server {
        listen 127.0.0.1:$ii_port;
        ignore_invalid_headers off;
$keys
$upstreams
    }
@{[ $have_h2 ? <<"EOH" : '' ]}
    server {
        $h2_listen
$keys
$upstreams
    }
EOH
$h3
EOF
    config => <<"EOF");
$keys
$upstreams
        location /ar/ {
            workos_jwt on;
            workos_jwt_inject_headers on;
            auth_request /_ar;
            auth_request_set \$ar_head \$upstream_http_x_echo_head;
            add_header X-AR-Head \$ar_head always;
            proxy_pass http://127.0.0.1:$echo;
        }
        location = /_ar {
            internal;
            proxy_pass http://127.0.0.1:$echo;
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
        }
        location /xtoken/ {
            workos_jwt optional;
            workos_jwt_token \$http_x_token;
            return 200 "\$workos_jwt_status \$workos_sub\\n";
        }
        location /two-challenges/ {
            workos_jwt on;
            add_header WWW-Authenticate 'Basic realm="other"' always;
            empty_gif;
        }
        location /any-basic/ {
            satisfy any;
            workos_jwt on;
            auth_basic "basic";
            auth_basic_user_file $htpasswd;
            empty_gif;
        }
        location /any-allow/ {
            satisfy any;
            allow 127.0.0.1;
            deny all;
            workos_jwt on;
            empty_gif;
        }
        location /on/ {
            workos_jwt on;
            empty_gif;
        }
EOF

# ---- helpers ---------------------------------------------------------------

my @spoof = ('X-WorkOS-User-Id' => 'user_victim',
             'x-workos-user-id' => 'user_victim2',
             'X-WORKOS-USER-ID' => 'user_victim3',
             'X-Workos-Org-Id' => 'org_victim',
             'x-WorkOS-org-ID' => 'org_victim2',
             'X-WorkOS-Role' => 'admin');

# the X-WorkOS-* (or X_WorkOS_*) header lines an http_echo received
sub workos_lines {
    my ($head) = @_;
    grep { $_->[0] =~ /^x[-_]workos[-_]/ } echo_headers($head);
}

sub values_of {
    my ($head, $name) = @_;
    map { $_->[1] } grep { $_->[0] eq lc $name } echo_headers($head);
}

sub fcgi_values {
    my ($body, $name) = @_;
    map { $_->[1] } grep { $_->[0] eq $name } fcgi_params($body);
}

sub workos_params {
    my ($body) = @_;
    grep { $_->[0] =~ /^HTTP_X_WORKOS_/ } fcgi_params($body);
}

sub show { join ', ', map { "$_->[0]: $_->[1]" } @_ }

# the signature of every token sent through curl must not be logged either
sub remember { $t->{sigs}{$_} = 1 for map { /\.([\w-]{16,})$/ ? $1 : () } @_ }

# curl(@args) -> {status, headers => {lc name => [values]}, body}
sub curl {
    my @args = @_;
    my $out = $t->prefix . '/logs/curl.out';
    my $pid = fork() // die "fork: $!";
    if ($pid == 0) {
        open STDOUT, '>', $out; open STDERR, '>&', \*STDOUT;
        exec 'curl', '-s', '-S', '-i', '--max-time', '10', @args;
        exit 127;
    }
    waitpid $pid, 0;
    my $raw = slurp($out);
    my ($head, $body) = split /\r\n\r\n/, $raw, 2;
    my ($line, @lines) = split /\r\n/, $head // '';
    my %h;
    for (@lines) { push @{ $h{lc $1} }, $2 if /^([^:]+):\s*(.*)$/ }
    my ($st) = ($line // '') =~ m{^HTTP/[\d.]+ (\d{3})};
    { status => $st || 0, headers => \%h, body => $body // '', raw => $raw };
}

# ---- spoofed X-WorkOS-* headers of one name, mixed case (HTTP/1.1) ---------

{
    my $r = $t->request('GET /proxy/x', token => $good,
                        headers => [@spoof]);
    is($r->{status}, 200, 'proxy: valid token, spoofed headers: 200');
    my @w = workos_lines($r->{body});
    is_deeply([values_of($r->{body}, 'X-WorkOS-User-Id')], [$SUB],
              'proxy: exactly one X-WorkOS-User-Id, the token\'s')
        or diag(show(@w));
    is_deeply([values_of($r->{body}, 'X-WorkOS-Org-Id')], [$ORG],
              'proxy: exactly one X-WorkOS-Org-Id, the token\'s');
    is_deeply([values_of($r->{body}, 'X-WorkOS-Role')], ['member'],
              'proxy: exactly one X-WorkOS-Role, the token\'s');
    ok(!grep({ $_->[1] =~ /victim|admin/ } @w),
       'proxy: no spoofed value reaches the upstream') or diag(show(@w));

    $r = $t->request('GET /opt-proxy/x', headers => [@spoof]);
    is($r->{status}, 200, 'proxy, optional, no token: 200');
    is(show(workos_lines($r->{body})), '',
       'proxy, optional, no token: no X-WorkOS-* header at all');

    $r = $t->request('GET /opt-proxy/x', token => $expired,
                     headers => [@spoof]);
    is(show(workos_lines($r->{body})), '',
       'proxy, optional, expired token: no X-WorkOS-* header at all');

    $r = $t->request('GET /proxy/x', token => $noorg, headers => [@spoof]);
    is_deeply([values_of($r->{body}, 'X-WorkOS-Org-Id')], [],
              'proxy: token without org_id: no X-WorkOS-Org-Id, spoofs gone');

    # $http_x_workos_* at nginx's own echo upstream: 1.23+ would join
    # every remaining one with ", "
    $r = $t->request('GET /vars/x', token => $good, headers => [@spoof]);
    like($r->{body}, qr/^user_id=\Q$SUB\E$/m,
         '$http_x_workos_user_id upstream: only the injected value');
    like($r->{body}, qr/^org_id=\Q$ORG\E$/m,
         '$http_x_workos_org_id upstream: only the injected value');
}

# ---- other same-name headers survive the strip, in order -------------------

{
    my $r = $t->request('GET /proxy/x', token => $good,
        headers => ['X-Multi' => 'one', 'Cookie' => 'a=1',
                    'X-WorkOS-User-Id' => 'user_victim', 'x-multi' => 'two',
                    'Cookie' => 'b=2', 'X-MULTI' => 'three']);
    is($r->{status}, 200, 'same-name headers around a stripped one: 200');
    is(join('|', map { "$_->[0]=$_->[1]" }
                 grep { $_->[0] =~ /^(x-multi|cookie)$/ }
                 echo_headers($r->{body})),
       'x-multi=one|cookie=a=1|x-multi=two|cookie=b=2|x-multi=three',
       'X-Multi and Cookie lines reach the upstream, all, in order');
    is(join('', @{ $r->{headers}{'x-cookie'} || [] }), 'a=1; b=2',
       '$http_cookie after the strip: both Cookie headers, joined');
}

# ---- FastCGI ----------------------------------------------------------------

{
    my $r = $t->request('GET /fcgi/x', token => $good, headers => [@spoof]);
    is($r->{status}, 200, 'fastcgi: valid token, spoofed headers: 200');
    is_deeply([fcgi_values($r->{body}, 'HTTP_X_WORKOS_USER_ID')], [$SUB],
              'fastcgi: exactly one HTTP_X_WORKOS_USER_ID, the token\'s')
        or diag(show(workos_params($r->{body})));
    is_deeply([fcgi_values($r->{body}, 'HTTP_X_WORKOS_ORG_ID')], [$ORG],
              'fastcgi: exactly one HTTP_X_WORKOS_ORG_ID, the token\'s');
    ok(!grep({ $_->[1] =~ /victim|admin/ } workos_params($r->{body})),
       'fastcgi: no spoofed value') or diag(show(workos_params($r->{body})));

    $r = $t->request('GET /opt-fcgi/x', headers => [@spoof]);
    is(show(workos_params($r->{body})), '',
       'fastcgi, optional, no token: no HTTP_X_WORKOS_* param');
    # underscores are refused by default: nginx drops X_WorkOS_Org_Id
    $r = $t->request('GET /fcgi/x', token => $noorg,
                     headers => ['X_WorkOS_Org_Id' => 'org_victim']);
    is($r->{status}, 200, 'fastcgi: X_WorkOS_Org_Id by default: 200');
    unlike(show(workos_params($r->{body})), qr/victim/,
           'fastcgi: X_WorkOS_Org_Id dropped by default');
}

# ---- auth_request ----------------------------------------------------------

{
    my $r = $t->request('GET /ar/x', token => $good, headers => [@spoof]);
    is($r->{status}, 200, 'auth_request: valid token: 200');
    is_deeply([values_of($r->{body}, 'X-WorkOS-User-Id')], [$SUB],
              'auth_request location: the upstream sees the token\'s user');
    my $ar = b64url_decode(join '', @{ $r->{headers}{'x-ar-head'} || [] });
    like($ar, qr{^GET /_ar }, 'the auth_request upstream answered');
    my @ids = values_of($ar, 'X-WorkOS-User-Id');
    note('the auth_request upstream saw X-WorkOS-User-Id: '
         . (join(', ', @ids) || 'none'));
    is_deeply([grep { /victim|admin/ }
               map { $_->[1] } workos_lines($ar)], [],
              'auth_request upstream: no spoofed X-WorkOS-* value')
        or diag(show(workos_lines($ar)));
}

# ---- underscores: X_WorkOS_* -------------------------------------------------

for my $srv ([underscores_in_headers => $us_port],
             [ignore_invalid_headers_off => $ii_port]) {
    my ($what, $port) = @$srv;
    my $r = $t->request('GET /fcgi/x', port => $port, token => $noorg,
                        headers => ['X_WorkOS_Org_Id' => 'org_victim',
                                    'X-WorkOS-User-Id' => 'user_victim']);
    is($r->{status}, 200, "$what: fastcgi: 200");
    is_deeply([fcgi_values($r->{body}, 'HTTP_X_WORKOS_USER_ID')], [$SUB],
              "$what: fastcgi: X-WorkOS-User-Id is the token's");
    is_deeply([fcgi_values($r->{body}, 'HTTP_X_WORKOS_ORG_ID')], [],
              "$what: fastcgi: no HTTP_X_WORKOS_ORG_ID from "
              . 'X_WorkOS_Org_Id') or diag(show(workos_params($r->{body})));
    $r = $t->request('GET /fcgi/x', port => $port, token => $good,
                     headers => ['X_WorkOS_Org_Id' => 'org_victim']);
    is_deeply([fcgi_values($r->{body}, 'HTTP_X_WORKOS_ORG_ID')], [$ORG],
              "$what: fastcgi: one HTTP_X_WORKOS_ORG_ID, the token's")
        or diag(show(workos_params($r->{body})));
    $r = $t->request('GET /proxy/x', port => $port, token => $good,
                     headers => ['X_WorkOS_Org_Id' => 'org_victim']);
    is(show(grep { $_->[1] =~ /victim/ } workos_lines($r->{body})), '',
       "$what: proxy: no X_WorkOS_Org_Id upstream");
}

# ---- Cookie ----------------------------------------------------------------

{
    my $r = $t->request('GET /cookie/x',
                        headers => [Cookie => 'a=1', Cookie => "wos=$good",
                                    Cookie => 'b=2']);
    is($r->{status}, 200, 'cookie: the token in the second of three Cookie '
                          . 'headers: 200');
    is_deeply([values_of($r->{body}, 'X-WorkOS-User-Id')], [$SUB],
              'cookie: the token\'s user injected');
    is(join('', @{ $r->{headers}{'x-cookie'} || [] }),
       "a=1; wos=$good; b=2", '$http_cookie joins the three headers');

    $r = $t->request('GET /cookie/x',
                     headers => [Cookie => "a=1; wos=$good; b=2"]);
    is($r->{status}, 200, 'cookie: one header, token in the middle: 200');

    $r = $t->request('GET /cookie/x', headers => [Cookie => "wos=$other",
                                                  Cookie => "wos=$good"]);
    is($r->{status}, 200, 'cookie: two wos cookies: 200');
    is_deeply([values_of($r->{body}, 'X-WorkOS-User-Id')], ['user_02OTHER'],
              'cookie: two valid wos cookies in two headers: the first wins');

    $r = $t->request('GET /cookie/x', headers => [Cookie => "wos=x.y.z",
                                                  Cookie => "wos=$good"]);
    is($r->{status}, 401, 'cookie: a bad wos cookie first, a good one '
                          . 'second: 401 (never falls through)');

    $r = $t->request('GET /cookie/x',
                     headers => [Cookie => "wos=$good; wos=x.y.z"]);
    is($r->{status}, 200, 'cookie: good then bad in one header: the first');
}

# ---- Authorization ----------------------------------------------------------

run_cases($t,
    { name => 'two Authorization headers, both valid: 400 from nginx',
      request => 'GET /proxy/x', error_code => 400,
      more_headers => [Authorization => "Bearer $good",
                       Authorization => "Bearer $other"],
      error_log => 'client sent duplicate header line' },
    { name => 'two Authorization headers, mixed case: 400',
      request => 'GET /proxy/x', error_code => 400,
      more_headers => [authorization => 'Bearer x.y.z',
                       AUTHORIZATION => "Bearer $good"] },
    { name => 'Basic then Bearer: 400', request => 'GET /proxy/x',
      error_code => 400,
      more_headers => [Authorization => 'Basic YWxpY2U6c2VjcmV0',
                       Authorization => "Bearer $good"] },
    { name => 'two credentials in one Authorization header: malformed',
      request => 'GET /status',
      more_headers => [Authorization => "Bearer $good, Bearer $other"],
      response_body => "malformed \n" },
    { name => 'two credentials in one Authorization header: 401',
      request => 'GET /proxy/x', error_code => 401,
      more_headers => [Authorization => "Bearer $good, Bearer $other"] },
);

# a variable token source over a repeated header: $http_x_token is the
# first header on 1.22 and all of them joined with ", " since 1.23
{
    my $r = $t->request('GET /xtoken/x', headers => ['X-Token' => $other,
                                                     'X-Token' => $good]);
    if ($NV >= 1023000) {
        is($r->{body}, "malformed \n", "$V: two X-Token headers joined: "
                                       . 'malformed, neither token used');
    } else {
        is($r->{body}, "valid user_02OTHER\n",
           "$V: two X-Token headers: the first one");
    }
}

# ---- WWW-Authenticate ---------------------------------------------------------

{
    my $r = $t->request('GET /on/x');
    is_deeply($r->{headers}{'www-authenticate'}, ['Bearer'],
              '401: one WWW-Authenticate');
    $r = $t->request('GET /two-challenges/x');
    is($r->{status}, 401, 'add_header WWW-Authenticate too: 401');
    is_deeply($r->{headers}{'www-authenticate'},
              ['Bearer', 'Basic realm="other"'],
              'both challenges, the module\'s first');

    $r = $t->request('GET /any-basic/x');
    is($r->{status}, 401, 'satisfy any, Bearer or Basic, none: 401');
    is_deeply([sort @{ $r->{headers}{'www-authenticate'} || [] }],
              ['Basic realm="basic"', 'Bearer'], 'both challenges');
    $r = $t->request('GET /any-basic/x',
                     headers => [Authorization => 'Basic YWxpY2U6c2VjcmV0']);
    is($r->{status}, 200, 'satisfy any, Basic credentials: 200');
    ok(!$r->{headers}{'www-authenticate'}, 'satisfy any, Basic: no '
       . 'challenge left over') or diag(@{ $r->{headers}{'www-authenticate'} });
    $r = $t->request('GET /any-basic/x', token => $good);
    is($r->{status}, 200, 'satisfy any, Bearer token: 200');

}

# ---- satisfy any after a forged token ---------------------------------------

# satisfy any walks the WWW-Authenticate chain to hide it; the module's
# challenge must end it (next = NULL), whatever the memory under it held:
# a forged token with a large claim leaves such memory behind. A fresh
# nginx, so that the worker's heap is the same on every run.
{
    my $t2 = WorkosJwtTest->new;
    $t2->start(config => <<"EOF");
$keys
        location /any-allow/ {
            satisfy any;
            allow 127.0.0.1;
            deny all;
            workos_jwt on;
            empty_gif;
        }
        location /on/ {
            workos_jwt on;
            empty_gif;
        }
EOF
    my $bad = 0;
    for my $size (2000, 1500, 3000) {
        my $fake = b64url('{"alg":"RS256","typ":"JWT","kid":"nope"}') . '.'
                 . b64url('{"sub":"' . ('A' x $size) . '","exp":9999999999}')
                 . '.' . b64url('s' x 256);
        for (1 .. 10) {
            $t2->request('GET /on/x', token => $fake);
            my $r = $t2->request('GET /any-allow/x');
            $bad++ if $r->{status} != 200 || $r->{headers}{'www-authenticate'};
        }
    }
    is($bad, 0, 'satisfy any + allow after forged tokens: always 200, '
                . 'no challenge');
    $t2->stop;
}

# ---- HTTP/2 ------------------------------------------------------------------

SKIP: {
    skip 'HTTP/2: nginx without http_v2 or curl without HTTP2', 1
        unless $have_h2;
    my $u = "http://127.0.0.1:$h2_port";
    my @h2 = ('--http2-prior-knowledge');
    my @sp = map { ('-H', "$spoof[2 * $_]: $spoof[2 * $_ + 1]") }
             0 .. $#spoof / 2;
    remember($good, $other);

    my $r = curl(@h2, @sp, '-H', "Authorization: Bearer $good", "$u/proxy/x");
    is($r->{status}, 200, 'h2: proxy, valid token, spoofed headers: 200')
        or diag($r->{raw});
    like($r->{raw}, qr{^HTTP/2 }, 'h2: the answer came over HTTP/2');
    is_deeply([values_of($r->{body}, 'X-WorkOS-User-Id')], [$SUB],
              'h2: proxy: exactly one X-WorkOS-User-Id, the token\'s')
        or diag(show(workos_lines($r->{body})));
    is_deeply([values_of($r->{body}, 'X-WorkOS-Org-Id')], [$ORG],
              'h2: proxy: exactly one X-WorkOS-Org-Id');

    $r = curl(@h2, @sp, '-H', "Authorization: Bearer $good", "$u/fcgi/x");
    is_deeply([fcgi_values($r->{body}, 'HTTP_X_WORKOS_USER_ID')], [$SUB],
              'h2: fastcgi: exactly one HTTP_X_WORKOS_USER_ID')
        or diag(show(workos_params($r->{body})));

    $r = curl(@h2, @sp, "$u/opt-proxy/x");
    is(show(workos_lines($r->{body})), '',
       'h2: optional, no token: no X-WorkOS-* header');

    $r = curl(@h2, '-H', 'Cookie: a=1', '-H', "Cookie: wos=$good",
              '-H', 'Cookie: b=2', "$u/cookie/x");
    is($r->{status}, 200, 'h2: token in one of three cookie headers: 200');
    is(join('', @{ $r->{headers}{'x-cookie'} || [] }), "a=1; wos=$good; b=2",
       'h2: $http_cookie joins the cookie headers');

    $r = curl(@h2, '-H', "Authorization: Bearer $other",
              '-H', "Authorization: Bearer $good", "$u/proxy/x");
    isnt($r->{status}, 200, 'h2: two Authorization headers: refused')
        or diag($r->{raw});
    note("h2: two Authorization headers: status $r->{status}");

    $r = curl(@h2, "$u/proxy/x");
    is($r->{status}, 401, 'h2: no token: 401');
    is_deeply($r->{headers}{'www-authenticate'}, ['Bearer'],
              'h2: one WWW-Authenticate');
}

# ---- HTTP/3 ------------------------------------------------------------------

SKIP: {
    skip "HTTP/3: nginx $V has no http_v3_module", 1
        unless $nginx_V =~ /--with-http_v3_module/;
    skip 'HTTP/3: curl has no HTTP3 (Debian 12 curl does not)', 1
        unless $have_h3;
    my $u = "https://127.0.0.1:$h3_port";
    remember($good);
    my $r = curl('--http3-only', '-k', '-H', "Authorization: Bearer $good",
                 '-H', 'X-WorkOS-User-Id: user_victim', "$u/proxy/x");
    is($r->{status}, 200, 'h3: valid token: 200') or diag($r->{raw});
    is_deeply([values_of($r->{body}, 'X-WorkOS-User-Id')], [$SUB],
              'h3: exactly one X-WorkOS-User-Id, the token\'s');
}

$t->done;
