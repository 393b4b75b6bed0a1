# The Debian package: `make deb` builds it, `apt-get install ./...deb`
# installs it the way an operator would, the system nginx configuration
# still passes `nginx -t`, an nginx that loads its modules through
# /etc/nginx/modules-enabled/*.conf serves a request through the packaged
# module, and `apt-get remove` takes it all away again.
#
# It changes the system, so it runs only as root and with
# WORKOS_JWT_DEB_TEST=1 (set by .ci/run); otherwise it skips. It never
# starts the system nginx: the request goes to an nginx of its own under
# a t/servroot-XXXXXX/ prefix.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use WorkosJwtTest;

my $PKG = 'libnginx-mod-http-workos-jwt';
my $SO = '/usr/lib/nginx/modules/ngx_http_workos_jwt_module.so';
my $AVAIL = '/usr/share/nginx/modules-available/mod-http-workos-jwt.conf';
my $LINK = '/etc/nginx/modules-enabled/50-mod-http-workos-jwt.conf';

plan skip_all => 'changes the system: set WORKOS_JWT_DEB_TEST=1 to run'
    unless ($ENV{WORKOS_JWT_DEB_TEST} // '') eq '1';
plan skip_all => 'needs root (apt-get install)' unless $> == 0;
for my $tool (qw(apt-get dpkg-deb dpkg-buildpackage dh dh_nginx)) {
    plan skip_all => "$tool not found (apt-get install dpkg-dev debhelper nginx-dev)"
        unless grep { -x "$_/$tool" } split /:/, $ENV{PATH};
}
plan skip_all => 'no /etc/nginx/modules-enabled (nginx-common missing)'
    unless -d '/etc/nginx/modules-enabled';
# the package is built for, and loads into, Debian's nginx only
plan skip_all => 'NGINX_BIN is not the system nginx: ' . nginx_bin()
    unless `'${\ nginx_bin()}' -V 2>&1` =~ m{--conf-path=/etc/nginx/nginx\.conf};

my $root = root_dir();
chdir $root or die "$root: $!";
$ENV{DEBIAN_FRONTEND} = 'noninteractive';

# run(@cmd) -> (exit status, output), no shell
sub run {
    my $out = '';
    my $pid = open(my $fh, '-|') // die "fork: $!";
    if ($pid == 0) {
        open STDERR, '>&', \*STDOUT;
        exec @_ or exit 127;
    }
    { local $/; $out = <$fh> // '' }
    close $fh;
    return ($? >> 8, $out);
}

sub installed {
    my (undef, $st) = run('dpkg-query', '-W', '-f=${Status}', $PKG);
    $st =~ /ok installed/;
}

sub system_nginx_running {
    chomp(my $pid = slurp('/run/nginx.pid'));
    $pid =~ /^\d+$/ && kill 0, $pid;
}

my @APT = ('apt-get', '-y', '-q', '-o', 'DPkg::Lock::Timeout=300');
my $was_running = system_nginx_running();
# `nginx -t` leaves an empty pid file behind; don't leave one we caused
my $had_pid_file = -e '/run/nginx.pid';
my $we_installed = 0;

END {
    # a test that died half-way must not leave the package behind
    if ($we_installed && installed()) {
        run(@APT, 'purge', $PKG);
    }
    unlink '/run/nginx.pid'
        if !$had_pid_file && -e '/run/nginx.pid' && !-s _;
}

# --- build ---------------------------------------------------------------

my ($version) = slurp("$root/src/core/wjwt.h")
    =~ /#define\s+WJWT_VERSION\s+"([^"]+)"/;
ok($version, "version $version from src/core/wjwt.h");
my (undef, $arch) = run('dpkg', '--print-architecture');
chomp $arch;
my $deb = "build/${PKG}_${version}_$arch.deb";

my ($rc, $out) = run('make', 'deb');
is($rc, 0, 'make deb') or diag($out);
ok(-f $deb, "$deb built") or BAIL_OUT("no $deb");

# --- what is in it -------------------------------------------------------

my (undef, $depends) = run('dpkg-deb', '--field', $deb, 'Depends');
chomp $depends;
note("Depends: $depends");
my ($abi) = slurp('/usr/share/nginx/src/debian/libnginx-mod.abisubstvars')
    =~ /^nginx:abi=(\S+)/m;
ok($abi, "nginx-dev names the ABI: $abi");
like($depends, qr/(^|, )\Q$abi\E(,|$)/, "depends on $abi, as dh_nginx does")
    if $abi;
my (undef, $provides) = run('dpkg-query', '-W', '-f=${Provides}', 'nginx');
like($provides, qr/\Q$abi\E/, "the installed nginx provides $abi") if $abi;
like($depends, qr/\b$_ \(>= [^)]+\)/, "depends on a versioned $_")
    for qw(libc6 libssl3 libjansson4);

my (undef, $list) = run('dpkg-deb', '--contents', $deb);
for my $f ($SO, $AVAIL, '/usr/bin/workos-jwt',
           '/usr/share/man/man1/workos-jwt.1.gz') {
    like($list, qr{ \.\Q$f\E$}m, "ships $f");
}
unlike($list, qr{/usr/lib/debug/}, 'no detached debug files');

# dh_nginx's maintainer scripts manage the modules-enabled link
my $ctl = WorkosJwtTest::keydir() . '/control';
run('dpkg-deb', '--control', $deb, $ctl);
like(slurp("$ctl/postinst"), qr{ln -sf /usr/share/nginx/modules-available/},
     'postinst links the module into modules-enabled');

# --- install -------------------------------------------------------------

($rc, $out) = run(@APT, 'install', "./$deb");
$we_installed = 1;
is($rc, 0, "apt-get install ./$deb") or diag($out);
ok(installed(), "$PKG is installed") or BAIL_OUT('install failed');

ok(-f $SO, "$SO installed");
is(slurp($AVAIL), "load_module modules/ngx_http_workos_jwt_module.so;\n",
   "$AVAIL loads the module");
is(readlink($LINK), $AVAIL, "$LINK -> $AVAIL");
($rc, $out) = run('/usr/bin/workos-jwt', '--version');
is($out, "workos-jwt $version\n", 'workos-jwt --version');
ok(-f '/usr/share/man/man1/workos-jwt.1.gz', 'man page installed');

($rc, $out) = run(nginx_bin(), '-t', '-q');
is($rc, 0, 'nginx -t on the system configuration, module enabled')
    or diag($out);

# --- an nginx loading its modules the Debian way serves through it -------

my $t = WorkosJwtTest->new;
# load_module modules/... is relative to the prefix: Debian's prefix
# /usr/share/nginx has modules -> /usr/lib/nginx/modules, so does this one
symlink '/usr/lib/nginx/modules', $t->prefix . '/modules'
    or die "symlink: $!";
my $key = new_key(kid => 'deb-1');
my $jwks = $t->write_file('jwks.json', jwks_json($key));
my %conf = (
    no_module   => 1,
    main_config => 'include /etc/nginx/modules-enabled/*.conf;',
    http_config => "workos_jwt_key_file $jwks;\n"
                 . "    workos_jwt_issuer https://api.workos.com;",
    config      => <<'EOF',
        location / {
            workos_jwt on;
            workos_jwt_inject_headers on;
            proxy_pass http://%%UPSTREAM%%;
        }
EOF
);
my ($ok, $tout) = $t->nginx_t(%conf);
ok($ok, 'nginx -t: modules-enabled/*.conf plus a server using the module')
    or diag($tout);

SKIP: {
    skip 'nginx did not start', 4 unless $t->start(%conf);
    run_cases($t,
        { name => 'packaged module: valid token', request => 'GET /x',
          token => make_token(key => $key), error_code => 200,
          response_body_like => qr/^user_id=user_01HXYZUSER0+$/m },
        { name => 'packaged module: no token', request => 'GET /x',
          error_code => 401,
          response_headers => { 'WWW-Authenticate' => 'Bearer' } });
    $t->stop;
}

# --- remove --------------------------------------------------------------

($rc, $out) = run(@APT, 'remove', $PKG);
is($rc, 0, "apt-get remove $PKG") or diag($out);
ok(!installed(), "$PKG is removed");
ok(!-e $SO, "$SO removed");
ok(!-e $AVAIL, "$AVAIL removed");
ok(!-e $LINK && !-l $LINK, "$LINK removed");
($rc, $out) = run(nginx_bin(), '-t', '-q');
is($rc, 0, 'nginx -t on the system configuration after removal')
    or diag($out);

# Debian's prerm keeps a disabled link as *.removed until purge
($rc, $out) = run(@APT, 'purge', $PKG);
is($rc, 0, "apt-get purge $PKG") or diag($out);
ok(!-l "$LINK.removed", 'nothing left in modules-enabled after purge');
$we_installed = 0;

is(system_nginx_running() ? 1 : 0, $was_running ? 1 : 0,
   'the system nginx is running only if it was before');

done_testing();
