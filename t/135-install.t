# `make install` / `make uninstall` (scripts/install.sh) into a DESTDIR:
# Debian's module layout, PREFIX for the CLI and man page only, and an
# uninstall that removes exactly what install put there. Touches nothing
# outside a temporary directory, so it needs neither root nor apt.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use File::Find;
use File::Temp qw(tempdir);
use Test::More;
use WorkosJwtTest;

my $root = root_dir();
for my $f ('build/ngx_http_workos_jwt_module.so', 'build/workos-jwt') {
    plan skip_all => "$f not built (make)" unless -f "$root/$f";
}

sub files_under {
    my ($dir) = @_;
    my @f;
    find({ no_chdir => 1, wanted => sub {
        push @f, substr($_, length $dir) if -f $_ || -l $_;
    } }, $dir);
    sort @f;
}

sub install_sh {
    my ($dest, $prefix, $what) = @_;
    local $ENV{DESTDIR} = $dest;
    local $ENV{PREFIX} = $prefix if defined $prefix;
    delete $ENV{PREFIX} unless defined $prefix;
    my $out = `'$root/scripts/install.sh' $what 2>&1`;
    return ($? >> 8, $out);
}

my $dest = tempdir('wjwt-install-XXXXXX', TMPDIR => 1, CLEANUP => 1);

# something that is not ours, which uninstall must leave alone
mkdir "$dest/etc"; mkdir "$dest/etc/nginx";
mkdir "$dest/etc/nginx/modules-enabled";
spew("$dest/etc/nginx/modules-enabled/50-mod-other.conf", "# other\n");

my ($rc, $out) = install_sh($dest, undef, 'install');
is($rc, 0, 'install, default PREFIX') or diag($out);
is_deeply([files_under($dest)], [sort
    '/etc/nginx/modules-enabled/50-mod-other.conf',
    '/etc/nginx/modules-enabled/50-mod-http-workos-jwt.conf',
    '/usr/bin/workos-jwt',
    '/usr/lib/nginx/modules/ngx_http_workos_jwt_module.so',
    '/usr/share/man/man1/workos-jwt.1.gz',
    '/usr/share/nginx/modules-available/mod-http-workos-jwt.conf',
], 'the Debian layout, nothing else');

is(slurp("$dest/usr/share/nginx/modules-available/mod-http-workos-jwt.conf"),
   "load_module modules/ngx_http_workos_jwt_module.so;\n",
   'snippet loads the module from the modules directory');
is(readlink("$dest/etc/nginx/modules-enabled/50-mod-http-workos-jwt.conf"),
   '/usr/share/nginx/modules-available/mod-http-workos-jwt.conf',
   'modules-enabled link points at the snippet, without DESTDIR');
is(slurp("$dest/usr/lib/nginx/modules/ngx_http_workos_jwt_module.so"),
   slurp("$root/build/ngx_http_workos_jwt_module.so"), 'module copied');
ok(-x "$dest/usr/bin/workos-jwt", 'CLI executable');
is((stat "$dest/usr/lib/nginx/modules/ngx_http_workos_jwt_module.so")[2]
   & 07777, 0644, 'module mode 0644');
is(`gzip -dc '$dest/usr/share/man/man1/workos-jwt.1.gz'`,
   slurp("$root/workos-jwt.1"), 'man page gzipped');

($rc, $out) = install_sh($dest, undef, 'install');
is($rc, 0, 'install again over the first (idempotent)') or diag($out);

($rc, $out) = install_sh($dest, '/usr/local', 'install');
is($rc, 0, 'install with PREFIX=/usr/local') or diag($out);
ok(-x "$dest/usr/local/bin/workos-jwt", 'CLI under PREFIX');
ok(-f "$dest/usr/local/share/man/man1/workos-jwt.1.gz", 'man page under PREFIX');
ok(!-e "$dest/usr/local/lib/nginx", 'module paths do not follow PREFIX');

($rc, $out) = install_sh($dest, '/usr/local', 'uninstall');
is($rc, 0, 'uninstall PREFIX=/usr/local') or diag($out);
($rc, $out) = install_sh($dest, undef, 'uninstall');
is($rc, 0, 'uninstall') or diag($out);
is_deeply([files_under($dest)],
          ['/etc/nginx/modules-enabled/50-mod-other.conf'],
          'uninstall removes exactly what install put there');

($rc, $out) = install_sh($dest, undef, 'uninstall');
is($rc, 0, 'uninstall with nothing installed is fine') or diag($out);

($rc, $out) = install_sh($dest, undef, 'bogus');
is($rc, 2, 'unknown action: usage, exit 2');

done_testing();
