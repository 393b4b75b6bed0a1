package WorkosJwtHttps;

# What the fake HTTPS servers of the tests share (WorkosJwtJwks,
# WorkosJwtEvents derive from it). Core Perl only.
#
# Each server is a plain nginx (no module) with its own prefix directory
# and port, a test CA and a server certificate for localhost/127.0.0.1
# made with the openssl CLI; the module side reaches it through an
# internal location with proxy_ssl_verify on against that CA.
#
#   my $self = $class->new_server($t, 'name', qw(html html/data), %fields);
#   $self->make_certs;                    ca.pem, server.pem, server.key
#   $self->nginx_conf($servers)           nginx.conf around server blocks
#   $self->ssl_server($port, 'server', $content)   one "listen ... ssl"
#   my $pid = $self->start_nginx('JWKS server');   0 when it fails
#   stop_pid($pid);                       TERM, wait, then KILL
#   $self->ssl_location($uri, $pass, $lines, %o)   the module side
#   wait_until(sub { ... }, $seconds)

use strict;
use warnings;

use Exporter qw(import);
use IO::Socket::INET;
use Test::More;
use Time::HiRes qw(time sleep);
use WorkosJwtTest;

our @EXPORT_OK = qw(wait_until stop_pid);

# a prefix "$t->prefix/$name" with conf, logs, tmp and @dirs in it, and a
# free port: {dir, port, %fields} blessed into $class
sub new_server {
    my ($class, $t, $name, $dirs, %fields) = @_;
    my $d = $t->prefix . "/$name";
    mkdir $d;
    mkdir "$d/$_" for qw(conf logs tmp), @$dirs;
    chmod 0755, $d, map { "$d/$_" } @$dirs;
    chmod 0777, "$d/tmp";
    bless { dir => $d, port => WorkosJwtTest::free_port(), %fields },
          $class;
}

sub dir  { $_[0]{dir} }
sub port { $_[0]{port} }
sub ca   { "$_[0]{dir}/ca.pem" }

sub ec_args { ('-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
               '-nodes') }

sub make_certs {
    my ($self) = @_;
    my $d = $self->{dir};
    openssl('req', '-x509', ec_args(), '-keyout', "$d/ca.key",
            '-out', "$d/ca.pem", '-days', '2',
            '-subj', '/CN=workos-jwt test CA',
            '-addext', 'basicConstraints=critical,CA:TRUE',
            '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    openssl('req', '-new', ec_args(), '-keyout', "$d/server.key",
            '-out', "$d/server.csr", '-subj', '/CN=localhost');
    spew("$d/server.ext", "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                        . "basicConstraints=CA:FALSE\n"
                        . "extendedKeyUsage=serverAuth\n");
    openssl('x509', '-req', '-in', "$d/server.csr", '-CA', "$d/ca.pem",
            '-CAkey', "$d/ca.key", '-CAcreateserial', '-days', '2',
            '-extfile', "$d/server.ext", '-out', "$d/server.pem");
}

# the whole nginx.conf: $http (server blocks, extra directives) goes
# inside http { }
sub nginx_conf {
    my ($self, $http) = @_;
    my $d = $self->{dir};
    <<"EOF";
daemon on;
master_process on;
worker_processes 1;
error_log $d/logs/error.log info;
pid $d/logs/nginx.pid;

events { worker_connections 256; }

http {
    log_format hits '\$msec \$request_uri \$status \$body_bytes_sent';
    access_log $d/logs/access.log hits;
    client_body_temp_path $d/tmp/body;
    proxy_temp_path $d/tmp/proxy;
    fastcgi_temp_path $d/tmp/fastcgi;
    uwsgi_temp_path $d/tmp/uwsgi;
    scgi_temp_path $d/tmp/scgi;
$http}
EOF
}

# a server block on $port with the certificate $cert.pem and $cert.key
sub ssl_server {
    my ($self, $port, $cert, $content) = @_;
    my $d = $self->{dir};
    <<"EOF";

    server {
        listen 127.0.0.1:$port ssl;
        server_name localhost;
        ssl_certificate $d/$cert.pem;
        ssl_certificate_key $d/$cert.key;
$content    }
EOF
}

# starts nginx with conf/nginx.conf; its pid once it accepts connections
# on {port}, or 0 (with a diag naming $what)
sub start_nginx {
    my ($self, $what) = @_;
    my $d = $self->{dir};
    unlink "$d/logs/nginx.pid";
    my $cmd = "'" . nginx_bin() . "' -p '$d/' -c '$d/conf/nginx.conf'"
            . " -e '$d/logs/error.log' 2>&1";
    my $out = `$cmd`;
    if ($?) {
        diag("$what did not start: $out");
        return 0;
    }
    wait_until(sub { -s "$d/logs/nginx.pid" }, 5);
    chomp(my $pid = slurp("$d/logs/nginx.pid"));
    die "$what wrote no pid file" unless $pid;
    wait_until(sub { IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                           PeerPort => $self->{port}) }, 5);
    $pid;
}

sub stop_pid {
    my ($pid) = @_;
    kill 'TERM', $pid;
    wait_until(sub { !kill 0, $pid }, 10);
    kill 'KILL', $pid if kill 0, $pid;
}

# the module side: an internal location proxying to $pass over TLS that
# the test CA vouches for; $lines (directives, 12 spaces in) go first
sub ssl_location {
    my ($self, $uri, $pass, $lines, %o) = @_;
    <<"EOF";
        location = $uri {
            internal;
$lines            proxy_pass $pass;
            proxy_ssl_verify on;
            proxy_ssl_verify_depth 2;
            proxy_ssl_trusted_certificate $self->{dir}/ca.pem;
            proxy_ssl_name localhost;
            proxy_ssl_server_name on;
            proxy_connect_timeout 2s;
            proxy_read_timeout @{[ $o{read_timeout} || '3s' ]};
            subrequest_output_buffer_size @{[ $o{buffer} || '64k' ]};
        }
EOF
}

# wait_until(sub { ... }, $seconds): polls every 50ms; the sub's last value
sub wait_until {
    my ($cond, $secs) = @_;
    my $end = time + ($secs || 5);
    my $v;
    while (1) {
        $v = $cond->();
        return $v if $v || time >= $end;
        sleep 0.05;
    }
}

1;
