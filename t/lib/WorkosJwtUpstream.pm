package WorkosJwtUpstream;

# Upstreams that report exactly what nginx sent them, core Perl only:
#
#   my $port = http_echo();      # HTTP/1.x: answers 200, the body is the
#                                # request head as received (request line
#                                # and header lines, CRLF kept); the same
#                                # head, base64url, in X-Echo-Head (for
#                                # auth_request_set)
#   my $port = fastcgi_echo();   # FastCGI responder: answers 200, the
#                                # body is one NAME=VALUE line per param
#                                # received, in the order received
#
# Each runs in a forked process on a free loopback port, one connection at
# a time, until the test file ends. echo_headers($head) parses a received
# head into [lc name, value] pairs, in order.

use strict;
use warnings;

use Exporter qw(import);
use IO::Socket::INET;
use POSIX ();
use WorkosJwtTest;

our @EXPORT = qw(http_echo fastcgi_echo echo_headers fcgi_params);

my @KIDS;
my $PARENT = $$;

END {
    if ($$ == $PARENT) {
        kill 'TERM', $_ for @KIDS;
        waitpid $_, 0 for @KIDS;
    }
}

sub serve {
    my ($handler) = @_;
    my $l = IO::Socket::INET->new(Listen => 64, LocalAddr => '127.0.0.1',
                                  LocalPort => 0, ReuseAddr => 1)
        or die "listen: $!";
    my $port = $l->sockport;
    my $pid = fork() // die "fork: $!";
    if ($pid == 0) {
        $SIG{TERM} = sub { POSIX::_exit(0) };
        $SIG{PIPE} = 'IGNORE';
        while (my $c = $l->accept) {
            eval { local $SIG{ALRM} = sub { die "timeout\n" }; alarm 10;
                   $handler->($c); alarm 0; };
            close $c;
        }
        POSIX::_exit(0);
    }
    close $l;
    push @KIDS, $pid;
    $port;
}

sub read_n {
    my ($c, $n) = @_;
    my $buf = '';
    while (length $buf < $n) {
        my $got = sysread $c, $buf, $n - length $buf, length $buf;
        die "short read\n" unless $got;
    }
    $buf;
}

# ---- HTTP ----------------------------------------------------------------

sub http_echo {
    serve(sub {
        my ($c) = @_;
        my $buf = '';
        while (index($buf, "\r\n\r\n") < 0) {
            sysread($c, $buf, 65536, length $buf) or return;
        }
        my ($head, $rest) = split /\r\n\r\n/, $buf, 2;
        my ($len) = $head =~ /^content-length:\s*(\d+)/mi;
        read_n($c, $len - length $rest) if $len && $len > length $rest;
        my $body = "$head\r\n";
        syswrite $c, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
            . "X-Echo-Head: " . WorkosJwtTest::b64url($body) . "\r\n"
            . "Content-Length: " . length($body) . "\r\n"
            . "Connection: close\r\n\r\n$body";
    });
}

# echo_headers($head) -> ([lc name, value], ...) of the header lines
sub echo_headers {
    my ($head) = @_;
    my (undef, @lines) = split /\r\n/, $head // '';
    map { /^([^:]+):\s*(.*)$/ ? [lc $1, $2] : () } @lines;
}

# ---- FastCGI ---------------------------------------------------------------

sub fcgi_record {
    my ($type, $id, $data) = @_;
    pack('CCnnCC', 1, $type, $id, length $data, 0, 0) . $data;
}

sub fcgi_pairs {
    my ($data) = @_;
    my @p;
    my $len = sub {
        my $b = ord substr($data, 0, 1);
        return ord substr($data, 0, 1, '') if $b < 128;
        unpack('N', substr($data, 0, 4, '')) & 0x7fffffff;
    };
    while (length $data) {
        my $nl = $len->();
        my $vl = $len->();
        push @p, [substr($data, 0, $nl, ''), substr($data, 0, $vl, '')];
    }
    @p;
}

sub fastcgi_echo {
    serve(sub {
        my ($c) = @_;
        my ($params, $id, $stdin_done) = ('', 1, 0);
        while (!$stdin_done) {
            my ($v, $type, $rid, $len, $pad) =
                unpack 'CCnnC', read_n($c, 8);
            my $data = $len ? read_n($c, $len) : '';
            read_n($c, $pad) if $pad;
            $id = $rid;
            if ($type == 4) {                    # FCGI_PARAMS
                $params .= $data;
            } elsif ($type == 5) {               # FCGI_STDIN
                $stdin_done = 1 if $len == 0;
            }
        }
        my $body = join '', map { "$_->[0]=$_->[1]\n" } fcgi_pairs($params);
        my $out = "Status: 200 OK\r\nContent-Type: text/plain\r\n\r\n$body";
        my $w = '';
        $w .= fcgi_record(6, $id, substr($out, 0, 32768, '')) while length $out;
        $w .= fcgi_record(6, $id, '');           # end of FCGI_STDOUT
        $w .= fcgi_record(3, $id, pack('NCx3', 0, 0));   # FCGI_END_REQUEST
        syswrite $c, $w;
    });
}

# fcgi_params($body) -> ([name, value], ...) from a fastcgi_echo answer
sub fcgi_params {
    map { /^([^=]*)=(.*)$/ ? [$1, $2] : () } split /\n/, $_[0] // '';
}

1;
