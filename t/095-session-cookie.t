# AuthKit session cookies (workos_jwt_session_cookie and
# workos_jwt_session_password): cookies sealed by the real npm libraries
# (t/session/fixtures.json, see t/session/README.md) open and verify in
# nginx; hostile cookies are malformed, never a crash, never a 200; the
# refresh token never leaves the module.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use WorkosJwtTest;
use WorkosJwtJwks;

require_module();

my $fx = json_dec(slurp(root_dir() . '/t/session/fixtures.json'));
my %pw = %{ $fx->{passwords} };
my @valid = grep { $_->{expect} eq 'valid' && !$_->{user_mismatch} }
            @{ $fx->{cases} };
my ($mismatch) = grep { $_->{user_mismatch} } @{ $fx->{cases} };
my ($expired_seal) = grep { $_->{expect} eq 'malformed' } @{ $fx->{cases} };
my ($ada) = grep { $_->{library} eq '@workos-inc/node'
                   && $_->{name} !~ /expired|p2|sub/ } @valid;
my ($old_token) = grep { $_->{name} =~ /expired access token/ } @valid;
@valid = grep { $_ != $old_token } @valid;

my $t = WorkosJwtTest->new;
my $jwks = $t->write_file('jwks.json', json_enc($fx->{jwks}));
my $pwfile = $t->write_file('cookie-password', "$pw{p1}\n$pw{p2}\n");
chmod 0600, $pwfile;
my $wrong = $t->write_file('wrong-password', ('x' x 40) . "\n");
chmod 0600, $wrong;
my $short = $t->write_file('short-password', "too-short\n");

my $CONF = <<"EOF";
        large_client_header_buffers 4 128k;
        workos_jwt_key_file $jwks;
        workos_jwt_issuer https://api.workos.com/;
        workos_jwt_lint off;
        workos_jwt_session_cookie wos-session;
        workos_jwt_session_password $pwfile;

        location /app/ {
            workos_jwt on;
            workos_jwt_inject_headers on;
            add_header X-Src \$workos_jwt_token_source always;
            add_header X-Email \$workos_session_email always;
            proxy_pass http://%%UPSTREAM%%;
        }

        location /st {
            workos_jwt optional;
            add_header X-St \$workos_jwt_status always;
            add_header X-Err \$workos_jwt_error always;
            add_header X-Src \$workos_jwt_token_source always;
            proxy_pass http://%%UPSTREAM%%;
        }

        location /wrong/ {
            workos_jwt on;
            workos_jwt_session_password $wrong;
            proxy_pass http://%%UPSTREAM%%;
        }

        # a browser route: an expired token goes to the app, which
        # refreshes it; an API route answers 401
        location /page/ {
            workos_jwt on;
            error_page 401 = \@app;
            proxy_pass http://%%UPSTREAM%%;
        }

        location \@app {
            add_header X-Handed-To-App yes always;
            proxy_pass http://%%UPSTREAM%%;
        }

        location = /status { workos_jwt_status; }
EOF

# ---- nginx -t -------------------------------------------------------------

my ($ok, $out) = $t->nginx_t(config => <<"EOF");
        workos_jwt_key_file $jwks;
        workos_jwt_session_cookie wos-session;
        location /a/ { workos_jwt on; proxy_pass http://%%UPSTREAM%%; }
EOF
ok(!$ok, 'nginx -t: a session cookie with no password fails');
like($out, qr/\[emerg\].*"workos_jwt_session_cookie" "wos-session" has no "workos_jwt_session_password"/,
     'the [emerg] line names both directives') or diag($out);

($ok, $out) = $t->nginx_t(config => <<"EOF");
        workos_jwt_key_file $jwks;
        workos_jwt_session_cookie wos-session;
        workos_jwt_session_password $short;
EOF
ok(!$ok, 'nginx -t: a password under 32 characters fails');
like($out, qr/\[emerg\].*shorter than 32 characters/, 'and says why')
    or diag($out);

chmod 0644, $pwfile;
($ok, $out) = $t->nginx_t(config => $CONF);
ok($ok, 'nginx -t accepts the session configuration') or diag($out);
like($out, qr/\[warn\].*"workos_jwt_session_password".*readable by others/,
     'nginx -t warns about a password file readable by others');
chmod 0600, $pwfile;

$t->start(config => $CONF) or BAIL_OUT('start');

sub with_cookie {
    my ($uri, $cookie, @more) = @_;
    $t->request("GET $uri", headers => [Cookie => "wos-session=$cookie",
                                        @more]);
}

# ---- cookies sealed by iron-session, @workos-inc/node, react-router -------

for my $c (@valid) {
    my $r = with_cookie('/app/x', $c->{cookie});
    is($r->{status}, 200, "$c->{name}: 200") or diag($r->{raw});
    like($r->{body}, qr/^user_id=\Q$c->{user_id}\E$/m,
         "$c->{name}: X-WorkOS-User-Id is the session's user");
    is($r->{headers}{'x-src'}[0], 'session_cookie',
       "$c->{name}: \$workos_jwt_token_source");
    my $email = $r->{headers}{'x-email'}[0] // '';
    utf8::decode($email);
    my $want = $c->{email};
    is($email, $want, "$c->{name}: \$workos_session_email");
    unlike($r->{raw}, qr/\Q$c->{refresh_token}\E/,
           "$c->{name}: the refresh token is nowhere in the response");
}

my $r = with_cookie('/app/x', $ada->{cookie});
like($r->{body}, qr/^authorization=$/m,
     'the upstream gets no Authorization header from the cookie');

# URL-encoded, as some frameworks write it
(my $enc = $ada->{cookie}) =~ s/([*~])/sprintf '%%%02X', ord $1/ge;
$r = with_cookie('/app/x', $enc);
is($r->{status}, 200, 'a URL-encoded cookie value opens');

# the same cookie twice is fine, two different ones are not
$r = $t->request('GET /st', headers => [
    Cookie => "a=1; wos-session=$ada->{cookie}",
    Cookie => "wos-session=$ada->{cookie}; b=2"]);
is($r->{headers}{'x-st'}[0], 'valid', 'the same session cookie twice: valid');
$r = $t->request('GET /st', headers => [
    Cookie => "wos-session=$ada->{cookie}",
    Cookie => "wos-session=$valid[0]{cookie}"]);
is($r->{headers}{'x-st'}[0], 'malformed',
   'two different session cookies: malformed');
is($r->{headers}{'x-err'}[0],
   'the session cookie was sent twice with different values', 'and why');

# ---- the session's user must be the token's subject ------------------------

$r = with_cookie('/st', $mismatch->{cookie});
is($r->{headers}{'x-st'}[0], 'malformed',
   'a session whose user is not the token\'s sub: malformed');
is($r->{headers}{'x-err'}[0], 'the session\'s user does not match its token',
   'and why');
$r = with_cookie('/app/x', $mismatch->{cookie});
is($r->{status}, 401, 'user/sub mismatch: 401, never 200');

# ---- expired seal, expired token, the app refreshes --------------------------

$r = with_cookie('/st', $expired_seal->{cookie});
is($r->{headers}{'x-st'}[0], 'malformed', 'an expired seal: malformed');
is($r->{headers}{'x-err'}[0], 'the sealed session has expired', 'and why');

$r = with_cookie('/app/x', $old_token->{cookie});
is($r->{status}, 401, 'an expired access token: 401 on an API route');
like($r->{headers}{'www-authenticate'}[0] // '',
     qr/error_description="expired"/, 'expired, like any other token');
$r = with_cookie('/page/x', $old_token->{cookie});
is($r->{status}, 200, 'the same on a page route: handed to the app');
is($r->{headers}{'x-handed-to-app'}[0], 'yes', 'through error_page @app');

# ---- hostile cookies: malformed, never 200, never a crash --------------------

my $good = $ada->{cookie};
my @f = split /\*/, $good;
my %hostile = (
    'tampered MAC'      => do { (my $x = $good) =~ s/(.)(~2)?$/
                                 ($1 eq 'A' ? 'B' : 'A') . ($2 \/\/ '')/e; $x },
    'tampered cipher'   => join('*', @f[0 .. 3],
                                ($f[4] =~ s/^(.)/$1 eq 'A' ? 'B' : 'A'/er),
                                @f[5 .. $#f]),
    'truncated fields'  => join('*', @f[0 .. 5]),
    'suffix ~3'         => ($good =~ s/~2$//r) . '~3',
    'oversize'          => 'Fe26.2*1*' . ('a' x 70000),
    'garbage'           => 'not-a-seal',
    'empty'             => '',
    'Fernet (Python)'   => 'gAAAAABlZ' . ('x' x 100),
    'remix, bad HMAC'   => ($valid[-1]{cookie} =~ s/(.)$/$1 eq 'A' ? 'B' : 'A'/er),
);
for my $name (sort keys %hostile) {
    my $r1 = with_cookie('/st', $hostile{$name});
    my $r2 = with_cookie('/app/x', $hostile{$name});
    if ($name eq 'empty') {
        is($r1->{headers}{'x-st'}[0], 'malformed', "$name cookie: malformed");
    } else {
        is($r1->{headers}{'x-st'}[0], 'malformed', "$name: malformed")
            or diag($r1->{headers}{'x-err'}[0]);
    }
    ok(length($r1->{headers}{'x-err'}[0] // ''), "$name: a reason");
    is($r2->{status}, 401, "$name: 401");
}
is(with_cookie('/st', 'Fernet'x1)->{headers}{'x-err'}[0],
   'unsupported session cookie format',
   'an unknown format says so');

$r = with_cookie('/wrong/x', $good);
is($r->{status}, 401, 'a password that opens nothing: 401');

# ---- no session cookie: the token sources; Authorization is not tried
#      when the cookie is there --------------------------------------------

$r = $t->request('GET /st', token => $ada->{access_token});
is($r->{headers}{'x-st'}[0], 'valid', 'no session cookie: the bearer token');
is($r->{headers}{'x-src'}[0], 'bearer', 'source "bearer"');
$r = $t->request('GET /st', token => $ada->{access_token},
                 headers => [Cookie => 'wos-session=garbage']);
is($r->{headers}{'x-st'}[0], 'malformed',
   'a session cookie present: the bearer token is not tried');
$r = $t->request('GET /st', headers => [Cookie => 'other=1']);
is($r->{headers}{'x-st'}[0], 'missing', 'no token anywhere: missing');

# ---- counters, logs ----------------------------------------------------------

my $st = status_json($t);
ok($st->{sessions}{opened} >= @valid, "status: sessions.opened "
   . "$st->{sessions}{opened}");
ok($st->{sessions}{failed} >= 10, "status: sessions.failed "
   . "$st->{sessions}{failed}");
my $prom = $t->request('GET /status', headers => [Accept => 'text/plain']);

my $log = slurp($t->prefix . '/logs/error.log');
for my $c (@{ $fx->{cases} }) {
    unlike($log, qr/\Q$c->{refresh_token}\E/,
           "$c->{name}: no refresh token in the error log");
}
unlike($log, qr/\Q$pw{p1}\E|\Q$pw{p2}\E/, 'no password in the error log');

$t->done;
