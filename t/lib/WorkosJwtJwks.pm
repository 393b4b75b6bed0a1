package WorkosJwtJwks;

# A real HTTPS JWKS server for the workos_jwt_key_request tests, plus
# helpers for concurrent requests and the status JSON. Core Perl only.
#
# The server is a second, plain nginx (no module) with its own prefix and
# port, a CA and a server certificate for localhost/127.0.0.1 made with
# the openssl CLI (t/lib/WorkosJwtHttps.pm). It serves GET /jwks from
# html/data/jwks.json; faults are switched by files in its document root:
#
#   $jw->mode('500')      answer 500            (html/mode_500)
#   $jw->mode('404')      answer 404
#   $jw->mode('slow')     limit_rate 1: not even the headers arrive in time
#                         (pair with a short proxy_read_timeout)
#   $jw->mode('slowbody') limit_rate_after 400 then limit_rate 1: headers and
#                         the start of the body, then the rest never in time
#   $jw->mode('delay')    limit_rate 400: the JWKS takes a second or two
#   $jw->mode()           clear every mode
#   $jw->cache_control('max30' | 'max5' | 'max0' | 'nostore' | 'nocache'
#                      | 'huge' | 'public45' | undef)
#   $jw->set_jwks($text)  what /jwks answers (atomic rename)
#   $jw->stop / start     "down": connection refused on its port
#   $jw->hits             GET /jwks lines in its access log
#
# A second port ($jw->rogue_port) serves the same with a self-signed
# certificate no CA vouches for.
#
# $jw->location(uri => '/_jwks', read_timeout => '3s', buffer => '64k')
# is the module side: an internal location proxying with proxy_ssl_verify.

use strict;
use warnings;

use Exporter qw(import);
use JSON::PP;
use POSIX ();
use Test::More;
use Time::HiRes qw(time sleep);
use WorkosJwtTest;
use WorkosJwtHttps qw(wait_until stop_pid);
use parent -norequire, 'WorkosJwtHttps';

our @EXPORT = qw(concurrent_requests status_json reuseport_listen
                 wait_until sleep_until count_kids fake_token);

my @SERVERS;

my %CC = (max30 => 'max-age=30', max5 => 'max-age=5', max0 => 'max-age=0',
          nostore => 'no-store', nocache => 'no-cache',
          huge => 'max-age=999999', public45 => 'public, max-age=45');

sub new {
    my ($class, $t, %o) = @_;
    my $self = $class->new_server($t, $o{name} || 'jwks-server',
                                  [qw(html html/data)],
                                  rogue_port => WorkosJwtTest::free_port());
    $self->make_certs;
    $self->set_jwks($o{jwks} // '{"keys":[]}');
    spew("$self->{dir}/conf/nginx.conf", $self->conf_text);
    $self;
}

sub rogue_port { $_[0]{rogue_port} }

sub make_certs {
    my ($self) = @_;
    my $d = $self->{dir};
    $self->SUPER::make_certs;
    # same names, but nobody vouches for it
    openssl('req', '-x509', WorkosJwtHttps::ec_args(),
            '-keyout', "$d/rogue.key", '-out', "$d/rogue.pem", '-days', '2',
            '-subj', '/CN=localhost',
            '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1');
}

sub conf_text {
    my ($self) = @_;
    my $d = $self->{dir};
    my $cc = join '', map {
        qq{            if (-f \$document_root/cc_$_) { set \$cc "$CC{$_}"; }\n}
    } sort keys %CC;
    my $content = <<"EOF";
        root $d/html;
        default_type application/json;

        location = /jwks {
            if (-f \$document_root/mode_500) { return 500 "oops\\n"; }
            if (-f \$document_root/mode_404) { return 404; }
            if (-f \$document_root/mode_slow) { set \$limit_rate 1; }
            if (-f \$document_root/mode_slowbody) {
                set \$limit_rate 1;
                rewrite ^ /slowdata/jwks.json last;
            }
            if (-f \$document_root/mode_delay) { set \$limit_rate 400; }
            set \$cc "";
$cc
            rewrite ^ /data/jwks.json last;
        }

        location /data/ {
            internal;
            sendfile off;
            add_header Cache-Control \$cc;
        }

        location /slowdata/ {
            internal;
            alias $d/html/data/;
            sendfile off;
            limit_rate_after 400;
        }
EOF
    $self->nginx_conf("    etag off;\n    if_modified_since off;\n"
                      . $self->ssl_server($self->{port}, 'server', $content)
                      . $self->ssl_server($self->{rogue_port}, 'rogue',
                                          $content));
}

sub start {
    my ($self) = @_;
    return 1 if $self->{pid};
    $self->{pid} = $self->start_nginx('JWKS server') or return 0;
    push @SERVERS, $self;
    1;
}

sub stop {
    my ($self) = @_;
    my $pid = delete $self->{pid} or return;
    @SERVERS = grep { $_ != $self } @SERVERS;
    stop_pid($pid);
}

END { $_->stop for @SERVERS }

sub set_jwks {
    my ($self, $text) = @_;
    my $f = "$self->{dir}/html/data/jwks.json";
    spew("$f.tmp", $text);
    rename "$f.tmp", $f or die "rename: $!";
}

# mode('500'), mode('slow'), ...; mode() clears every mode
sub mode {
    my ($self, @modes) = @_;
    my $h = "$self->{dir}/html";
    unlink glob "$h/mode_*";
    spew("$h/mode_$_", '') for @modes;
}

sub cache_control {
    my ($self, $name) = @_;
    my $h = "$self->{dir}/html";
    unlink glob "$h/cc_*";
    return unless defined $name;
    die "unknown Cache-Control preset $name" unless $CC{$name};
    spew("$h/cc_$name", '');
}

# GET /jwks requests the server has logged (finished ones)
sub hits {
    my ($self) = @_;
    my @l = grep { m{ /jwks } } split /\n/,
            slurp("$self->{dir}/logs/access.log");
    scalar @l;
}

sub access_log { slurp("$_[0]{dir}/logs/access.log") }

# the module side: an internal location fetching /jwks over verified TLS
sub location {
    my ($self, %o) = @_;
    my $port = $o{rogue} ? $self->{rogue_port} : $self->{port};
    $self->ssl_location($o{uri} || '/_jwks', "https://127.0.0.1:$port/jwks",
                        '', %o);
}

# ---- helpers -----------------------------------------------------------

# sleep_until($epoch): sleeps until Time::HiRes::time reaches it
sub sleep_until {
    my ($when) = @_;
    my $d = $when - time;
    sleep $d if $d > 0;
}

# status_json($t, '/status', port => ...) -> the decoded JSON (or undef)
sub status_json {
    my ($t, $uri, %o) = @_;
    my $r = $t->request('GET ' . ($uri || '/status'), %o);
    my $j = eval { JSON::PP->new->decode($r->{body}) };
    diag("status: $r->{status} $r->{body}") unless $j;
    $j;
}

sub count_kids { my ($j) = @_; join ',', sort @{ $j->{keys}{kids} || [] } }

# a token that is never verified (unknown kid): no openssl run needed
sub fake_token {
    my ($kid) = @_;
    make_token(kid => $kid, sig => 'not a signature, never checked ' x 8,
               key => undef);
}

# concurrent_requests($t, [ [$req, %opts], ... ]) -> responses, in order,
# each with {elapsed} seconds until the connection closed.
# Every request is sent by its own child process; the children connect
# together once all of them are ready.
sub concurrent_requests {
    my ($t, $list) = @_;
    pipe(my $gate_r, my $gate_w) or die "pipe: $!";
    my (@kids, @res);
    for my $i (0 .. $#$list) {
        my ($req, %o) = @{ $list->[$i] };
        pipe(my $r, my $w) or die "pipe: $!";
        my $pid = fork() // die "fork: $!";
        if ($pid == 0) {
            close $gate_w; close $r;
            my $x; sysread $gate_r, $x, 1;          # EOF: go
            my $t0 = time;
            my $res = eval { $t->request($req, %o) }
                      || { status => 0, error => $@ };
            $res->{elapsed} = time - $t0;     # until the server closed
            delete $res->{raw};
            syswrite $w, JSON::PP->new->encode($res);
            close $w;
            POSIX::_exit(0);                         # no END blocks
        }
        close $w;
        push @kids, [$pid, $r];
        # the harness checks the log for token signatures
        $t->{sigs}{$1} = 1 if defined $o{token}
                              && $o{token} =~ /^[\w-]+\.[\w-]*\.([\w-]{16,})$/;
    }
    close $gate_r;
    sleep 0.1;
    close $gate_w;                                   # release all children
    for my $k (@kids) {
        my ($pid, $r) = @$k;
        local $/;
        my $data = <$r>;
        close $r;
        waitpid $pid, 0;
        push @res, eval { JSON::PP->new->decode($data) }
                   || { status => 0, error => "child: no answer",
                        headers => {}, body => '' };
    }
    @res;
}

# reuseport_listen($port): a second listen of the tested server, with
# reuseport, so that the kernel spreads its connections over the workers
# (each response names its worker in X-Worker).  One server: one JWKS
# source, whichever port a request comes in on.
sub reuseport_listen {
    my ($port) = @_;
    <<"EOF";
        listen 127.0.0.1:$port reuseport;
        add_header X-Worker \$pid always;
EOF
}

1;
