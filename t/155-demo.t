# `make demo` (scripts/demo.sh) keeps working: DEMO_NO_EXEC=1 prepares
# the key, the tokens, the session cookie files and nginx.conf in a
# DEMO_DIR of our own, on free ports; then the demo's nginx is started as
# the script would, and the curl lines it prints are played: Bearer
# tokens on /api/, the token cookie and the AuthKit session cookie (sealed
# by @workos-inc/node, t/session/fixtures.json) on /app/.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use POSIX qw(WNOHANG);
use Test::More;
use WorkosJwtTest;

require_module();

my $root = root_dir();
my $t = WorkosJwtTest->new;
my $dir = $t->prefix . '/demo';
my ($port, $echo_port) = (WorkosJwtTest::free_port(),
                          WorkosJwtTest::free_port());

local $ENV{DEMO_DIR} = $dir;
local $ENV{DEMO_PORT} = $port;
local $ENV{DEMO_ECHO_PORT} = $echo_port;
local $ENV{DEMO_NO_EXEC} = 1;
local $ENV{WORKOS_JWT_MODULE} = module_path();
local $ENV{NGINX_BIN} = nginx_bin();

my $out = `'$root/scripts/demo.sh' 2>&1`;
is($?, 0, 'DEMO_NO_EXEC=1 scripts/demo.sh succeeds') or diag($out);

my $url = "http://127.0.0.1:$port";
like($out, qr{^curl -i -b "wos-session=\$\(cat \Q$dir\E/session\.cookie\)" \Q$url\E/app/$}m,
     'it prints the curl line for the session cookie');
like($out, qr{^curl -i -H "Authorization: Bearer \$\(cat \Q$dir\E/admin\.jwt\)" \Q$url\E/api/admin/widgets$}m,
     'and the Bearer ones');
ok(-s "$dir/$_", "$_ written")
    for qw(nginx.conf jwks.json session-jwks.json cookie-password
           session.cookie session-expired.cookie admin.jwt);
is((stat "$dir/cookie-password")[2] & 0777, 0600,
   'the cookie password file is 0600');

my $fx = json_dec(slurp("$root/t/session/fixtures.json"));
my ($ada) = grep { $_->{name} eq '@workos-inc/node sealed session' }
            @{ $fx->{cases} };
chomp(my $cookie = slurp("$dir/session.cookie"));
is($cookie, $ada->{cookie}, 'session.cookie is the @workos-inc/node fixture');
unlike($out, qr/\Q$fx->{passwords}{p1}\E/, 'the password is not printed');

# ---- run it as `make demo` would ------------------------------------------

open my $log, '>', "$dir/stderr.log" or die $!;
my $pid = fork // die "fork: $!";
if (!$pid) {
    open STDOUT, '>&', $log or die $!;
    open STDERR, '>&', $log or die $!;
    delete $ENV{NGINX};
    exec nginx_bin(), '-e', 'stderr', '-p', $dir, '-c', 'nginx.conf';
    die "exec: $!";
}
my $up;
for (1 .. 100) {
    $up = IO::Socket::INET->new(PeerAddr => "127.0.0.1:$port") and last;
    last if waitpid($pid, WNOHANG) == $pid;
    select undef, undef, undef, 0.05;
}
ok($up, "the demo listens on $port") or do {
    diag(slurp("$dir/stderr.log"));
    done_testing;
    exit;
};
close $up;

# run_cases talks to the harness port: point it at the demo's
my $orig = \&WorkosJwtTest::request;
no warnings 'redefine';
local *WorkosJwtTest::request = sub {
    my ($self, $req, %o) = @_;
    $orig->($self, $req, port => $port, %o);
};

sub tok { chomp(my $x = slurp("$dir/$_[0].jwt")); $x }
sub session { chomp(my $x = slurp("$dir/$_[0].cookie")); "wos-session=$x" }

run_cases($t,
    { name => 'admin on /api/admin/', request => 'GET /api/admin/widgets',
      port => $port, token => tok('admin'), error_code => 200,
      response_body_like => qr/^user=user_01DEMOADMIN$/m },
    { name => 'no token', request => 'GET /api/widgets', port => $port,
      error_code => 401,
      response_headers => { 'WWW-Authenticate' => 'Bearer realm="demo"' } },
    { name => 'member on /api/', request => 'GET /api/widgets',
      port => $port, token => tok('member'), error_code => 200 },
    { name => 'member on /api/admin/', request => 'GET /api/admin/widgets',
      port => $port, token => tok('member'), error_code => 403 },
    { name => 'expired', request => 'GET /api/widgets', port => $port,
      token => tok('expired'), error_code => 401 },
    { name => 'wildcard token cookie', request => 'GET /app/',
      port => $port, error_code => 200,
      more_headers => [Cookie => 'workos_access_token=' . tok('wildcard')],
      response_body_like => qr/^user=user_01DEMOWILD$/m },
    { name => 'AuthKit session cookie', request => 'GET /app/',
      port => $port, error_code => 200,
      more_headers => [Cookie => session('session')],
      response_body_like => [qr/^user=user_01HZFIXTUREADA0+$/m,
                             qr/^email=ada\@example\.com$/m,
                             qr/^session=session_01HZFIXTUREADA$/m] },
    { name => 'session with an expired access token: login',
      request => 'GET /app/', port => $port, error_code => 302,
      more_headers => [Cookie => session('session-expired')],
      response_headers => { Location =>
          'https://auth.example.com/login?return_to=/app/' } },
    { name => 'the session cookie on /api/ is not a source',
      request => 'GET /api/widgets', port => $port, error_code => 401,
      more_headers => [Cookie => session('session')] },
    { name => 'no cookie: login', request => 'GET /app/', port => $port,
      error_code => 302 });

kill 'QUIT', $pid;
for (1 .. 100) {
    last if waitpid($pid, WNOHANG) == $pid;
    select undef, undef, undef, 0.05;
}
kill 'KILL', $pid if kill 0, $pid;

my $err = slurp("$dir/stderr.log");
unlike($err, qr/\[(alert|emerg)\]|exited on signal/,
       'no [alert], [emerg] or crash');
like($err, qr/workos_jwt lint wildcard_permission: permission "widgets:\*"/,
     'the wildcard lint line');
unlike($err, qr/iat_in_future/, 'the fixtures\' 2099 iat is not linted');
unlike($err, qr/rt_FIXTURE|\Q$fx->{passwords}{p1}\E/,
       'no refresh token or password in the log');

$t->done;
