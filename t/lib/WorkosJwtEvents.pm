package WorkosJwtEvents;

# A fake WorkOS Events API (GET /events) over HTTPS for the revocation
# tests (README, Revocation at the edge). Core Perl only.
#
# A plain nginx (no module) terminates TLS with a test CA and certificate
# made by the openssl CLI (t/lib/WorkosJwtHttps.pm, as for WorkosJwtJwks)
# and proxies to a small HTTP/1.1 server in Perl, forked from the test,
# which answers from the event list the test builds:
#
#   my $ev = WorkosJwtEvents->new($t, api_key => 'sk_test_...');
#   $ev->start;
#   my $id = $ev->add(event => 'session.revoked',
#                     data => { id => 'session_1', user_id => 'user_1' },
#                     created_at => time);      # epoch (ms kept) or text
#   $ev->add(raw => '{"id":"event_x"}', id => 'event_x')  # verbatim JSON
#
# Ids are "event_01FAKE" and a 14-digit counter: they sort in creation
# order. GET /events answers like WorkOS: "Authorization: Bearer <key>"
# or 401; limit 1..100 (default 10); after=<id> (the events after that
# one in the list, or with a greater id when it is unknown) or
# range_start=<ISO 8601> (the events at or after it), not both (422);
# range_end; events=<type>[,<type>] (also repeated) filters types;
# order=asc or none (anything else is a 422: pages only go forward);
# list_metadata.after is the page's last id when more events remain,
# else null. Anything not understood is a 422 or 404.
#
#   $ev->mode('500')      answer 500
#   $ev->mode('garbage')  200 with a body that is not JSON
#   $ev->mode('notlist')  200 with JSON without a "data" array
#   $ev->mode('big')      a normal page padded to big => bytes (256k)
#   $ev->mode('slow')     the headers come after slow => seconds (5):
#                         pair with a shorter proxy_read_timeout
#   $ev->mode('down')     the HTTPS port refuses connections
#   $ev->mode(undef)      normal again
#   $ev->requests         every request received, oldest first: {time,
#                         method, uri, path, query, args => {name =>
#                         last value}, args_all => {name => [values]},
#                         headers => {lc name => value}, auth =>
#                         'ok'|'missing'|'wrong', status, returned,
#                         after_out, mode}
#   $ev->reset_requests   forget them
#   $ev->fetch('/events?limit=5', api_key => $k | undef, timeout => 3)
#                         a request by curl: {status, body, json, exit}
#   $ev->location(uri => '/_workos_events', api_key => $k, buffer => '64k',
#                 read_timeout => '3s', args => 'limit=100')
#                         the module side: an internal location proxying
#                         to the fake server with proxy_ssl_verify on

use strict;
use warnings;

use IO::Select;
use IO::Socket::INET;
use JSON::PP;
use POSIX ();
use Test::More;
use Time::HiRes qw(time sleep);
use Time::Local qw(timegm);
use WorkosJwtTest;
use WorkosJwtHttps qw(stop_pid);
use parent -norequire, 'WorkosJwtHttps';

my @SERVERS;
my $JSON = JSON::PP->new->utf8->canonical;
my $JSON_ANY = JSON::PP->new->utf8->allow_nonref;

my %REASON = (200 => 'OK', 401 => 'Unauthorized', 404 => 'Not Found',
              405 => 'Method Not Allowed', 422 => 'Unprocessable Entity',
              500 => 'Internal Server Error');

sub new {
    my ($class, $t, %o) = @_;
    my $self = $class->new_server($t, 'events-server', [],
        api_key => $o{api_key} // 'sk_test_fake_events_0123456789',
        slow => $o{slow} // 5, big => $o{big} // 256 * 1024,
        seq => 0, events => []);
    $self->make_certs;
    $self->save;
    spew("$self->{dir}/requests.jsonl", '');
    $self;
}

sub api_key { $_[0]{api_key} }
sub url     { "https://127.0.0.1:$_[0]{port}/events" }

# ---- the event list ------------------------------------------------------

sub iso8601 {
    my ($t) = @_;
    my $s = int $t;
    my $ms = int(($t - $s) * 1000 + 0.5);
    ($s, $ms) = ($s + 1, 0) if $ms >= 1000;
    POSIX::strftime('%Y-%m-%dT%H:%M:%S', gmtime $s) . sprintf('.%03dZ', $ms);
}

# epoch seconds (with fractions) of an ISO 8601 time, or undef
sub parse_iso8601 {
    my ($s) = @_;
    return undef unless defined $s && $s =~ /^(\d{4})-(\d\d)-(\d\d)
        (?:[Tt\ ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d+))?)?
           (Z|z|[+-]\d\d(?::?\d\d)?)?)?$/x;
    my ($y, $mo, $d, $h, $mi, $sec, $frac, $zone) = ($1, $2, $3, $4 // 0,
                                                      $5 // 0, $6 // 0, $7,
                                                      $8 // 'Z');
    my $t = eval { timegm($sec, $mi, $h, $d, $mo - 1, $y) };
    return undef unless defined $t;
    $t += "0.$frac" if defined $frac;
    if ($zone =~ /^([+-])(\d\d):?(\d\d)?$/) {
        $t -= ($1 eq '-' ? -1 : 1) * ($2 * 3600 + ($3 // 0) * 60);
    }
    $t;
}

# add(event => type, data => {...}, created_at => epoch|text, id => ...,
#     extra => {member => value}, raw => json_text) -> the event's id
sub add {
    my ($self, %e) = @_;
    my $n = ++$self->{seq};
    my $id = exists $e{id} ? $e{id} : sprintf('event_01FAKE%014d', $n);
    my $at = $e{created_at} // time;
    my $text = $at =~ /^\d+(?:\.\d+)?$/ ? iso8601($at) : $at;
    my $epoch = parse_iso8601($text);
    my $json = $e{raw} // $JSON->encode({
        object => 'event', id => $id, event => $e{event} // 'user.created',
        data => $e{data} // {}, created_at => $text, context => {},
        %{ $e{extra} || {} } });
    push @{ $self->{events} }, { id => $id, at => $epoch // 0,
                                 event => $e{event} // '', json => $json };
    $self->save;
    $id;
}

sub events { map { $_->{id} } @{ $_[0]{events} } }

sub save {
    my ($self) = @_;
    my $f = "$self->{dir}/events.json";
    spew("$f.tmp", $JSON->encode($self->{events}));
    rename "$f.tmp", $f or die "rename: $!";
}

# ---- faults --------------------------------------------------------------

sub mode {
    my ($self, $mode) = @_;
    my $f = "$self->{dir}/mode";
    if (defined $mode) {
        die "unknown mode $mode"
            unless $mode =~ /^(?:down|500|garbage|slow|notlist|big)$/;
        spew("$f.tmp", $mode);
        rename "$f.tmp", $f or die "rename: $!";
    } else {
        unlink $f;
    }
    if (($mode // '') eq 'down') {
        $self->stop_front;
    } elsif ($self->{backend}) {
        $self->start_front;
    }
}

# ---- recorded requests -----------------------------------------------------

sub requests {
    my ($self) = @_;
    map { $JSON->decode($_) } grep { length }
        split /\n/, slurp("$self->{dir}/requests.jsonl");
}

sub reset_requests { spew("$_[0]{dir}/requests.jsonl", '') }

# ---- processes -----------------------------------------------------------

sub start {
    my ($self) = @_;
    $self->start_backend or return 0;
    push @SERVERS, $self unless grep { $_ == $self } @SERVERS;
    return 1 if -e "$self->{dir}/mode"
                && slurp("$self->{dir}/mode") eq 'down';
    $self->start_front;
}

sub stop {
    my ($self) = @_;
    $self->stop_front;
    if (my $pid = delete $self->{backend}) {
        kill 'TERM', -$pid, $pid;           # its own process group
        waitpid $pid, 0;
    }
    @SERVERS = grep { $_ != $self } @SERVERS;
}

END { $_->stop for @SERVERS }

sub start_backend {
    my ($self) = @_;
    return 1 if $self->{backend};
    my $l = IO::Socket::INET->new(Listen => 64, LocalAddr => '127.0.0.1',
                                  LocalPort => 0, ReuseAddr => 1)
        or do { diag("events backend: no socket: $!"); return 0 };
    $self->{backend_port} = $l->sockport;
    spew("$self->{dir}/conf/nginx.conf", $self->conf_text);
    my $pid = fork() // die "fork: $!";
    if ($pid == 0) {
        POSIX::setpgid(0, 0);
        open STDIN, '<', '/dev/null';
        open STDOUT, '>>', "$self->{dir}/logs/backend.log";
        open STDERR, '>&', \*STDOUT;
        eval { $self->serve($l) };
        print STDERR "events backend: $@" if $@;
        POSIX::_exit(0);
    }
    close $l;
    POSIX::setpgid($pid, $pid);         # also here: stop() may come first
    $self->{backend} = $pid;
    1;
}

sub start_front {
    my ($self) = @_;
    return 1 if $self->{front};
    $self->{front} = $self->start_nginx('events server') or return 0;
    1;
}

sub stop_front {
    my ($self) = @_;
    my $pid = delete $self->{front} or return;
    stop_pid($pid);
}

sub conf_text {
    my ($self) = @_;
    $self->nginx_conf($self->ssl_server($self->{port}, 'server', <<"EOF"));

        location / {
            proxy_pass http://127.0.0.1:$self->{backend_port};
            proxy_set_header Host \$http_host;
            proxy_read_timeout 300s;
        }
EOF
}

# ---- the HTTP server (in the forked process) ------------------------------

sub serve {
    my ($self, $l) = @_;
    $SIG{CHLD} = 'IGNORE';
    $SIG{PIPE} = 'IGNORE';
    $SIG{TERM} = sub { POSIX::_exit(0) };
    while (1) {
        my $c = $l->accept or next;
        my $pid = fork();
        if (!defined $pid) {
            close $c;
            next;
        }
        if ($pid == 0) {
            close $l;
            eval { $self->handle($c) };
            print STDERR "events backend: $@" if $@;
            POSIX::_exit(0);
        }
        close $c;
    }
}

sub uri_decode {
    my ($s) = @_;
    $s =~ tr/+/ /;
    $s =~ s/%([0-9A-Fa-f]{2})/chr hex $1/ge;
    $s;
}

sub handle {
    my ($self, $c) = @_;
    my ($buf, $sel) = ('', IO::Select->new($c));
    while ($buf !~ /\r?\n\r?\n/) {
        return unless $sel->can_read(10);
        return unless $c->sysread($buf, 65536, length $buf);
        return if length $buf > 1048576;
    }
    my ($head) = split /\r?\n\r?\n/, $buf, 2;
    my ($line, @lines) = split /\r?\n/, $head;
    my ($method, $uri) = split ' ', $line // '';
    my %h;
    for (@lines) {
        my ($n, $v) = /^([^:]+):\s*(.*?)\s*$/ or next;
        $n = lc $n;
        $h{$n} = exists $h{$n} ? "$h{$n}, $v" : $v;
    }
    my ($path, $query) = split /\?/, $uri // '', 2;
    my (%args, %all);
    for (split /&/, $query // '') {
        my ($n, $v) = map { uri_decode($_) } split(/=/, $_, 2), '';
        push @{ $all{$n} }, $v;
        $args{$n} = $v;
    }

    my $mode = -e "$self->{dir}/mode" ? slurp("$self->{dir}/mode") : '';
    my $auth = !defined $h{authorization} ? 'missing'
             : $h{authorization} eq "Bearer $self->{api_key}" ? 'ok'
             : 'wrong';
    my ($status, $body, $returned, $after_out) = (200, '', 0, undef);
    my $events = eval { $JSON->decode(slurp("$self->{dir}/events.json")) }
                 || [];

    if (($path // '') ne '/events') {
        ($status, $body) = (404, '{"message":"Not Found"}');
    } elsif (($method // '') ne 'GET') {
        ($status, $body) = (405, '{"message":"Method Not Allowed"}');
    } elsif ($auth ne 'ok') {
        ($status, $body) = (401, '{"message":"Unauthorized"}');
    } elsif ($mode eq '500') {
        ($status, $body) = (500, '{"message":"Internal Server Error"}');
    } elsif ($mode eq 'garbage') {
        $body = "<html><body>this is not JSON</body></html>\n";
    } elsif ($mode eq 'notlist') {
        $body = '{"object":"list","list_metadata":{"after":null}}';
    } else {
        my $err;
        my $limit = $args{limit} // 10;
        my ($start, $end) = map { defined $args{$_}
                                  ? parse_iso8601($args{$_}) : undef }
                            qw(range_start range_end);
        $err = 'limit must be an integer between 1 and 100'
            unless $limit =~ /^\d{1,3}$/ && $limit >= 1 && $limit <= 100;
        $err = 'after and range_start are mutually exclusive'
            if defined $args{after} && defined $args{range_start};
        $err = "bad $_" for grep { defined $args{$_}
                                   && !defined parse_iso8601($args{$_}) }
                            qw(range_start range_end);
        $err = 'empty after' if defined $args{after} && $args{after} eq '';
        $err = 'the fake server pages in ascending order only'
            if defined $args{order} && $args{order} ne 'asc';
        if ($err) {
            ($status, $body) = (422, $JSON->encode(
                { code => 'invalid_request_parameters', message => $err }));
        } else {
            my %types = map { $_ => 1 } map { split /,/ }
                        @{ $all{events} || [] };
            my @list = grep { !%types || $types{ $_->{event} } } @$events;
            if (defined $args{after}) {
                my ($i) = grep { $list[$_]{id} eq $args{after} } 0 .. $#list;
                @list = defined $i ? @list[$i + 1 .. $#list]
                      : grep { $_->{id} gt $args{after} } @list;
            }
            @list = grep { $_->{at} >= $start } @list if defined $start;
            @list = grep { $_->{at} <= $end } @list if defined $end;
            my @page = splice @list, 0, $limit;
            $after_out = $page[-1]{id} if @list;
            $returned = @page;
            $body = '{"object":"list","data":['
                  . join(',', map { $_->{json} } @page)
                  . '],"list_metadata":{"before":null,"after":'
                  . $JSON_ANY->encode($after_out)
                  . '}'
                  . ($mode eq 'big' ? ',"padding":"' . ('x' x $self->{big})
                                      . '"' : '')
                  . '}';
        }
    }

    my $rec = $JSON->encode({
        time => time, method => $method, uri => $uri, path => $path,
        query => $query, args => \%args, args_all => \%all, headers => \%h,
        auth => $auth, status => $status, returned => $returned,
        after_out => $after_out, mode => $mode });
    if (open my $fh, '>>:raw', "$self->{dir}/requests.jsonl") {
        syswrite $fh, "$rec\n";
        close $fh;
    }

    sleep $self->{slow} if $mode eq 'slow';

    my $r = "HTTP/1.1 $status " . ($REASON{$status} // 'Unknown') . "\r\n"
          . "Content-Type: application/json\r\n"
          . 'Content-Length: ' . length($body) . "\r\n"
          . "Connection: close\r\n\r\n" . $body;
    while (length $r) {
        my $n = $c->syswrite($r) or last;
        substr($r, 0, $n, '');
    }
    close $c;
}

# ---- clients ---------------------------------------------------------------

# fetch('/events?...', api_key => $key (undef: none), timeout => s,
#       headers => ['Name: value', ...]) -> {status, body, json, exit}
sub fetch {
    my ($self, $pq, %o) = @_;
    my $key = exists $o{api_key} ? $o{api_key} : $self->{api_key};
    my @h = defined $key ? ('-H', "Authorization: Bearer $key") : ();
    push @h, map { ('-H', $_) } @{ $o{headers} || [] };
    my $n = ++$self->{fetches};
    my ($bodyf, $codef) = map { "$self->{dir}/tmp/fetch$n.$_" } qw(body code);
    my $pid = fork() // die "fork: $!";
    if ($pid == 0) {
        open STDOUT, '>', $codef;
        open STDERR, '>', '/dev/null';
        exec 'curl', '-sS', '-o', $bodyf, '-w', '%{http_code}',
             '--cacert', $self->ca, '--max-time', $o{timeout} || 10,
             @h, "https://127.0.0.1:$self->{port}$pq"
            or POSIX::_exit(127);
    }
    waitpid $pid, 0;
    my %r = (exit => $? >> 8, status => 0 + (slurp($codef) || 0),
             body => slurp($bodyf));
    $r{json} = eval { JSON::PP->new->decode($r{body}) };
    unlink $bodyf, $codef;
    \%r;
}

# the module side: an internal location fetching a page over verified TLS.
# A subrequest carries the client's headers (cookies, its token): they
# are not passed on; only Authorization with the API key is sent.
sub location {
    my ($self, %o) = @_;
    my $key = exists $o{api_key} ? $o{api_key} : $self->{api_key};
    my $lines = defined $o{args}
              ? qq{            set \$args "$o{args}&\$args";\n} : '';
    $lines .= "            proxy_pass_request_headers off;\n"
            . "            proxy_pass_request_body off;\n";
    $lines .= qq{            proxy_set_header Authorization "Bearer $key";\n}
        if defined $key;
    $lines .= "            proxy_set_header Accept application/json;\n";
    $self->ssl_location($o{uri} || '/_workos_events',
                        "https://127.0.0.1:$self->{port}/events", $lines, %o);
}

1;
