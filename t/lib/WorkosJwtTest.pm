package WorkosJwtTest;

# Integration test harness for ngx_http_workos_jwt_module, core Perl only.
# See t/README.md for the API.

use strict;
use warnings;

use Cwd qw(abs_path);
use Exporter qw(import);
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use IO::Select;
use IO::Socket::INET;
use JSON::PP;
use MIME::Base64 qw(encode_base64 decode_base64);
use Test::More;

our @EXPORT = qw(root_dir module_path nginx_bin have_module require_module
    run_cases challenge rejected loc_pair accepted_cases rejected_cases
    b64url b64url_decode json_enc json_dec JNULL
    new_key jwk_of jwks_json sign_raw make_token workos_claims
    der_ecdsa_to_raw raw_ecdsa_to_der openssl keydir slurp spew);

my $ROOT = abs_path(dirname(abs_path(__FILE__)) . '/../..');
my $JSON = JSON::PP->new->utf8->canonical->allow_nonref->allow_blessed
    ->convert_blessed;
my @RUNNING;

sub root_dir    { $ROOT }
sub module_path { $ENV{WORKOS_JWT_MODULE}
                  || "$ROOT/build/ngx_http_workos_jwt_module.so" }
sub nginx_bin   { $ENV{NGINX_BIN} || '/usr/sbin/nginx' }
sub have_module { -f module_path() }

sub require_module {
    plan skip_all => 'module not built: ' . module_path() . ' (make module)'
        unless have_module();
}

sub slurp { my ($f) = @_; open my $fh, '<:raw', $f or return '';
            local $/; my $d = <$fh>; $d }
sub spew  { my ($f, $d) = @_; open my $fh, '>:raw', $f or die "$f: $!";
            print $fh $d; close $fh; chmod 0644, $f; $f }

# ---- JSON and base64url ------------------------------------------------

package WorkosJwtTest::Null { sub TO_JSON { undef } }
use constant JNULL => bless {}, 'WorkosJwtTest::Null';   # encodes as null

sub json_enc { $JSON->encode($_[0]) }
sub json_dec { $JSON->decode($_[0]) }

sub b64url {
    my $s = encode_base64($_[0], '');
    $s =~ tr{+/}{-_}; $s =~ s/=+$//; $s;
}

sub b64url_decode {
    my $s = $_[0]; $s =~ tr{-_}{+/};
    $s .= '=' x ((4 - length($s) % 4) % 4);
    decode_base64($s);
}

# ---- openssl and key material -----------------------------------------

my $KEYDIR;
my $SEQ = 0;

sub keydir {
    $KEYDIR ||= tempdir('wjwt-keys-XXXXXX', TMPDIR => 1,
                        CLEANUP => !$ENV{WORKOS_JWT_KEEP});
}

# openssl(@args): runs the openssl CLI (no shell), dies on failure
sub openssl {
    my $err = keydir() . '/openssl.err';
    my $pid = fork() // die "fork: $!";
    if ($pid == 0) {
        open STDOUT, '>', '/dev/null'; open STDERR, '>', $err;
        exec 'openssl', @_ or exit 127;
    }
    waitpid $pid, 0;
    die "openssl @_ failed: " . slurp($err) if $?;
}

my %CURVE = ('P-256' => ['prime256v1', 32], 'P-384' => ['secp384r1', 48],
             'P-521' => ['secp521r1', 66]);

# new_key(type => rsa|ec|ed25519, bits => 2048, crv => 'P-256', kid => ...)
# returns { type, pem, kid, crv, jwk } where jwk is the public JWK hash
sub new_key {
    my %o = (type => 'rsa', bits => 2048, crv => 'P-256', @_);
    my $pem = keydir() . '/key' . ++$SEQ . '.pem';
    my @gen = $o{type} eq 'rsa' ? ('-algorithm', 'RSA', '-pkeyopt',
                                   "rsa_keygen_bits:$o{bits}")
            : $o{type} eq 'ec'  ? ('-algorithm', 'EC', '-pkeyopt',
                                   "ec_paramgen_curve:$CURVE{$o{crv}}[0]")
            : ('-algorithm', 'ED25519');
    openssl('genpkey', @gen, '-out', $pem);
    my $k = { %o, pem => $pem };
    $k->{kid} = "key_$SEQ" unless exists $o{kid};
    $k->{jwk} = jwk_of($k);
    $k;
}

# minimal DER: returns (tag, content, next offset)
sub der_next {
    my ($d, $p) = @_;
    my $tag = ord substr($d, $p, 1);
    my $len = ord substr($d, $p + 1, 1);
    $p += 2;
    if ($len & 0x80) {
        my $n = $len & 0x7f;
        $len = 0; $len = $len * 256 + ord substr($d, $p++, 1) for 1 .. $n;
    }
    return ($tag, substr($d, $p, $len), $p + $len);
}

sub spki_key_bits {            # the BIT STRING content of a DER SPKI
    my ($spki) = @_;
    my (undef, $seq) = der_next($spki, 0);
    my (undef, undef, $p) = der_next($seq, 0);       # AlgorithmIdentifier
    my (undef, $bits) = der_next($seq, $p);
    substr($bits, 1);                                  # unused-bits byte
}

sub jwk_of {
    my ($k) = @_;
    my $der = keydir() . '/pub' . ++$SEQ . '.der';
    openssl('pkey', '-in', $k->{pem}, '-pubout', '-outform', 'DER',
            '-out', $der);
    my $key = spki_key_bits(slurp($der));
    my %jwk;
    if ($k->{type} eq 'rsa') {
        my (undef, $seq) = der_next($key, 0);
        my (undef, $n, $p) = der_next($seq, 0);
        my (undef, $e) = der_next($seq, $p);
        s/^\0+// for $n, $e;
        %jwk = (kty => 'RSA', n => b64url($n), e => b64url($e));
    } elsif ($k->{type} eq 'ec') {
        my $len = $CURVE{$k->{crv}}[1];
        %jwk = (kty => 'EC', crv => $k->{crv},
                x => b64url(substr($key, 1, $len)),
                y => b64url(substr($key, 1 + $len, $len)));
    } else {
        %jwk = (kty => 'OKP', crv => 'Ed25519', x => b64url($key));
    }
    $jwk{kid} = $k->{kid} if defined $k->{kid};
    $jwk{use} = 'sig';
    \%jwk;
}

# jwks_json(@keys_or_jwk_hashes): {"keys":[...]}
sub jwks_json {
    json_enc({ keys => [ map { $_->{jwk} || $_ } @_ ] });
}

sub der_ecdsa_to_raw {
    my ($der, $len) = @_;
    my (undef, $seq) = der_next($der, 0);
    my (undef, $r, $p) = der_next($seq, 0);
    my (undef, $s) = der_next($seq, $p);
    my @v = map { my $x = s/^\0+//r; ("\0" x ($len - length $x)) . $x }
            $r, $s;
    $v[0] . $v[1];
}

sub raw_ecdsa_to_der {
    my ($raw) = @_;
    my $h = length($raw) / 2;
    my $int = sub { my $x = $_[0] =~ s/^\0+//r;
                    $x = "\0$x" if $x eq '' || ord($x) & 0x80;
                    "\x02" . der_len(length $x) . $x };
    my $body = $int->(substr $raw, 0, $h) . $int->(substr $raw, $h);
    "\x30" . der_len(length $body) . $body;
}

sub der_len { my $l = shift; $l < 128 ? chr $l : "\x81" . chr $l }

my %HASH = (256 => 'sha256', 384 => 'sha384', 512 => 'sha512');

# sign_raw($key, $alg, $input, der => 1) -> signature bytes, by openssl.
# HS*: $key is the raw secret string.
sub sign_raw {
    my ($k, $alg, $input, %o) = @_;
    my $d = keydir();
    my ($in, $out) = map { "$d/sig" . ++$SEQ . $_ } '.in', '.out';
    spew($in, $input);
    my ($fam, $bits) = $alg =~ /^(RS|PS|ES|HS)(\d+)$/ ? ($1, $2)
                     : ('Ed', 0);
    if ($fam eq 'Ed') {
        openssl('pkeyutl', '-sign', '-rawin', '-inkey', $k->{pem},
                '-in', $in, '-out', $out);
    } elsif ($fam eq 'HS') {
        openssl('dgst', "-$HASH{$bits}", '-mac', 'HMAC', '-macopt',
                'hexkey:' . unpack('H*', $k), '-binary', '-out', $out, $in);
    } else {
        my @pss = $fam eq 'PS' ? ('-sigopt', 'rsa_padding_mode:pss',
                                  '-sigopt', 'rsa_pss_saltlen:digest') : ();
        openssl('dgst', "-$HASH{$bits}", '-sign', $k->{pem}, @pss,
                '-out', $out, $in);
    }
    my $sig = slurp($out);
    if ($fam eq 'ES' && !$o{der}) {
        $sig = der_ecdsa_to_raw($sig, { 256 => 32, 384 => 48,
                                        512 => 66 }->{$bits});
    }
    $sig;
}

# make_token(key => $k, alg => 'RS256', claims => {...},
#            header => {extra members; undef value removes one},
#            header_json => raw, payload_json => raw, kid => override,
#            der => 1 (ES* DER signature), sig => raw bytes override)
sub make_token {
    my %o = (alg => 'RS256', @_);
    my $k = $o{key};
    my %h = (alg => $o{alg}, typ => 'JWT');
    my $kid = exists $o{kid} ? $o{kid} : ref $k ? $k->{kid} : undef;
    $h{kid} = $kid if defined $kid;
    while (my ($n, $v) = each %{ $o{header} || {} }) {
        defined $v ? ($h{$n} = $v) : delete $h{$n};
    }
    my $hj = $o{header_json} // json_enc(\%h);
    my $pj = $o{payload_json} // json_enc($o{claims} || workos_claims());
    my $input = b64url($hj) . '.' . b64url($pj);
    my $sig = $o{sig} // sign_raw($k, $o{alg}, $input, der => $o{der});
    "$input." . b64url($sig);
}

# workos_claims(name => value, ...): a WorkOS-like session token payload;
# undef removes a claim, JNULL sets null.
sub workos_claims {
    my %o = @_;
    my $now = time;
    my %c = (sub => 'user_01HXYZUSER0000000000000000',
             sid => 'session_01HXYZSESSION000000000000',
             jti => 'jti_01HXYZ' . int(rand 1e9), iat => $now - 10,
             exp => $now + 300, iss => 'https://api.workos.com',
             org_id => 'org_01HXYZORG00000000000000000', role => 'member',
             roles => ['member'], permissions => ['posts:read',
                                                  'posts:write']);
    while (my ($n, $v) = each %o) {
        defined $v ? ($c{$n} = $v) : delete $c{$n};
    }
    \%c;
}

# ---- nginx instances ---------------------------------------------------

# WorkosJwtTest->new: a prefix dir and two free loopback ports
sub new {
    my ($class, %o) = @_;
    my $dir = tempdir('servroot-XXXXXX', DIR => "$ROOT/t",
                      CLEANUP => !$ENV{WORKOS_JWT_KEEP});
    chmod 0755, $dir;
    mkdir "$dir/$_" for qw(conf logs html tmp);
    chmod 0777, "$dir/tmp";
    my $self = bless { prefix => $dir, port => free_port(),
                       upstream_port => free_port(), seq => 0,
                       sigs => {}, %o }, $class;
    # load a private copy: a rebuild that overwrites the .so in place
    # would crash a running nginx
    spew("$dir/module.so", slurp(module_path())) if have_module();
    note("prefix $dir") if $ENV{WORKOS_JWT_KEEP};
    $self;
}

sub free_port {
    my $s = IO::Socket::INET->new(Listen => 1, LocalAddr => '127.0.0.1',
                                  LocalPort => 0, ReuseAddr => 1)
        or die "no free port: $!";
    my $p = $s->sockport; close $s; $p;
}

sub prefix { $_[0]{prefix} }
sub port   { $_[0]{port} }
sub upstream { "127.0.0.1:$_[0]{upstream_port}" }

# write_file('name', $data) -> absolute path under the prefix
sub write_file { my ($self, $n, $d) = @_; spew("$self->{prefix}/$n", $d) }

sub expand {
    my ($self, $text) = @_;
    $text =~ s/%%UPSTREAM%%/$self->upstream/ge;
    $text =~ s/%%PREFIX%%/$self->{prefix}/g;
    $text =~ s/%%PORT%%/$self->{port}/g;
    $text;
}

my @ECHO = (map({ my $v = lc s/-/_/gr;
                  "$v=\$http_x_workos_$v" } qw(User-Id Org-Id Role Roles
            Permissions Session-Id Impersonator Entitlements Feature-Flags
            Extra)), 'authorization=$http_authorization', 'uri=$request_uri');

# nginx.conf text for config => ..., http_config => ..., main_config => ...,
# workers => N, no_module => 1, error_log => file
sub conf_text {
    my ($self, %o) = @_;
    my $p = $self->{prefix};
    my $log = $o{error_log} || "$p/logs/error.log";
    my $lm = $o{no_module} || $ENV{WORKOS_JWT_NO_MODULE} ? ''
           : "load_module $p/module.so;\n";
    my $echo = join '\n', @ECHO;
    $self->expand(<<"EOF");
${lm}daemon on;
master_process on;
worker_processes @{[ $o{workers} || 1 ]};
error_log $log info;
pid $p/logs/nginx.pid;
@{[ $o{main_config} || '' ]}
events { worker_connections 256; }

http {
    access_log off;
    default_type text/plain;
    client_body_temp_path $p/tmp/body;
    proxy_temp_path $p/tmp/proxy;
    fastcgi_temp_path $p/tmp/fastcgi;
    uwsgi_temp_path $p/tmp/uwsgi;
    scgi_temp_path $p/tmp/scgi;

@{[ $o{http_config} || '' ]}
    server {
        listen 127.0.0.1:$self->{port};
        server_name localhost;

@{[ $o{config} || '' ]}
    }

    server {
        listen @{[ $self->upstream ]};
        location / { return 200 "$echo\\n"; }
    }
}
EOF
}

# nginx_t(%conf) -> (ok, output) of `nginx -t` on its own conf and log
sub nginx_t {
    my ($self, %o) = @_;
    my $n = ++$self->{seq};
    my ($conf, $log) = map { "$self->{prefix}/$_" }
                       ("conf/test$n.conf", "logs/test$n.log");
    spew($conf, $self->conf_text(%o, error_log => $log));
    my $out = "$self->{prefix}/logs/test$n.out";
    system(join ' ', map({ "'$_'" } nginx_bin(), '-t', '-p',
           "$self->{prefix}/", '-c', $conf, '-e', $log), ">'$out' 2>&1");
    return ($? == 0, slurp($out));
}

# start(%conf): write nginx.conf, start, wait for the pid file
sub start {
    my ($self, %o) = @_;
    $self->stop if $self->{pid};
    my $p = $self->{prefix};
    $self->{conf} = \%o;
    spew("$p/conf/nginx.conf", $self->conf_text(%o));
    unlink "$p/logs/nginx.pid";
    $self->{log_start} = -s "$p/logs/error.log" || 0;
    my $out = `'${\ nginx_bin()}' -p '$p/' -c '$p/conf/nginx.conf' -e '$p/logs/error.log' 2>&1`;
    if ($?) {
        fail("nginx started");
        diag($out);
        return 0;
    }
    for (1 .. 100) {
        last if -s "$p/logs/nginx.pid";
        select undef, undef, undef, 0.05;
    }
    chomp(my $pid = slurp("$p/logs/nginx.pid"));
    BAIL_OUT("nginx did not write its pid file") unless $pid;
    $self->{pid} = $pid;
    push @RUNNING, $self;
    1;
}

# reload(%conf): rewrite nginx.conf (when options are given), send HUP and
# wait until the new workers have started
sub reload {
    my ($self, %o) = @_;
    my $p = $self->{prefix};
    if (%o) {
        $self->{conf} = \%o;
        spew("$p/conf/nginx.conf", $self->conf_text(%o));
    }
    my $off = $self->log_size;
    kill 'HUP', $self->{pid};
    for (1 .. 100) {
        last if $self->log_since($off) =~ /start worker process/;
        select undef, undef, undef, 0.05;
    }
    select undef, undef, undef, 0.2;
}

# stop: QUIT, wait, then check the log for crashes, alerts and leaked
# signatures. allow_emerg => 1 in start() allows [emerg] lines.
sub stop {
    my ($self) = @_;
    my $pid = delete $self->{pid} or return;
    @RUNNING = grep { $_ != $self } @RUNNING;
    kill 'QUIT', $pid;
    for (1 .. 200) {
        last unless kill 0, $pid;
        select undef, undef, undef, 0.05;
    }
    kill 'KILL', $pid if kill 0, $pid;
    my $log = $self->log_since($self->{log_start});
    my @bad = grep { /exited on signal|\[alert\]/
                     || (/\[emerg\]/ && !$self->{conf}{allow_emerg}) }
              split /\n/, $log;
    ok(!@bad, 'no crash, [alert] or [emerg] in error.log')
        or diag(join "\n", @bad[0 .. ($#bad > 9 ? 9 : $#bad)]);
    # nginx itself quotes refused header lines ("client sent invalid
    # header line: ...") before any module runs: not the module's doing
    my $mod_log = join "\n", grep { !/\] \d+#\d+: \*\d+ client sent / }
                              split /\n/, $log;
    my @leak = grep { index($mod_log, $_) >= 0 } sort keys %{ $self->{sigs} };
    ok(!@leak, 'no token signature in error.log')
        or diag("leaked: @leak");
}

sub done { my ($self) = @_; $self->stop; done_testing() }

END { $_->stop for @RUNNING }

sub log_since {
    my ($self, $off) = @_;
    substr(slurp("$self->{prefix}/logs/error.log"), $off || 0);
}

sub log_size { -s "$_[0]{prefix}/logs/error.log" || 0 }

# ---- HTTP client -------------------------------------------------------

# request('GET /t', headers => [name => value, ...], token => $jwt,
#         body => $data, raw => $whole_request, http => '1.0')
# -> { status, headers => { lc name => [values] }, body, raw }
sub request {
    my ($self, $req, %o) = @_;
    my ($m, $uri) = split ' ', $req || 'GET /';
    my @h = @{ $o{headers} || [] };
    unshift @h, Authorization => "Bearer $o{token}" if defined $o{token};
    my $raw = $o{raw};
    unless (defined $raw) {
        $raw = "$m $uri HTTP/" . ($o{http} || '1.1') . "\r\n"
             . "Host: localhost\r\nConnection: close\r\n";
        while (my ($n, $v) = splice @h, 0, 2) { $raw .= "$n: $v\r\n" }
        $raw .= "Content-Length: " . length($o{body}) . "\r\n"
            if defined $o{body};
        $raw .= "\r\n" . ($o{body} // '');
    }
    my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
        PeerPort => $o{port} || $self->{port}, Timeout => 5)
        or return { status => 0, error => "connect: $!", headers => {},
                    body => '' };
    $s->syswrite($raw);
    my ($buf, $sel) = ('', IO::Select->new($s));
    while ($sel->can_read(10)) {
        last unless $s->sysread($buf, 65536, length $buf);
    }
    close $s;
    # remember signature segments: they must never show up in the log
    $self->{sigs}{$1} = 1 while $raw =~ /[\w-]+\.[\w-]*\.([\w-]{16,})/g;
    parse_response($buf);
}

sub parse_response {
    my ($buf) = @_;
    my ($head, $body) = split /\r\n\r\n/, $buf, 2;
    my ($line, @lines) = split /\r\n/, $head // '';
    my %h;
    for (@lines) {
        my ($n, $v) = /^([^:]+):\s*(.*)$/ or next;
        push @{ $h{lc $n} }, $v;
    }
    $body //= '';
    if (($h{'transfer-encoding'}[0] // '') =~ /chunked/i) {
        my $out = '';
        while ($body =~ s/^([0-9a-fA-F]+)\r\n//) {
            my $n = hex $1; last unless $n;
            $out .= substr($body, 0, $n, ''); $body =~ s/^\r\n//;
        }
        $body = $out;
    }
    my ($status) = ($line // '') =~ m{^HTTP/\d\.\d (\d{3})};
    { status => $status || 0, headers => \%h, body => $body, raw => $buf };
}

# ---- data-driven cases -------------------------------------------------

# run_cases($t, {name, request, more_headers, token, raw, error_code,
#   response_headers => {Name => exact, '!Name' => absent},
#   response_headers_like => {Name => qr//}, response_body => exact,
#   response_body_like => qr// or [...], response_body_unlike => ...,
#   error_log => [str|qr], no_error_log => [str|qr]}, ...)
sub run_cases {
    my ($t, @cases) = @_;
    for my $c (@cases) {
        my $name = $c->{name};
        my $off = $t->log_size;
        my $r = $t->request($c->{request}, headers => $c->{more_headers},
                            token => $c->{token}, raw => $c->{raw},
                            body => $c->{body}, http => $c->{http});
        $c->{res} = $r;
        if (defined $c->{error_code}) {
            my @ok = ref $c->{error_code} ? @{ $c->{error_code} }
                                          : ($c->{error_code});
            ok((grep { $r->{status} == $_ } @ok), "$name: status @ok")
                or diag("got $r->{status}\n" . substr($r->{raw} // "", 0, 600));
        }
        my %rh = %{ $c->{response_headers} || {} };
        for my $n (sort keys %rh) {
            if ($n =~ /^!\s*(.*)/) {
                ok(!$r->{headers}{lc $1}, "$name: no $1 header")
                    or diag("got: @{ $r->{headers}{lc $1} }");
            } else {
                is(join(', ', @{ $r->{headers}{lc $n} || [] }), $rh{$n},
                   "$name: $n");
            }
        }
        my %rl = %{ $c->{response_headers_like} || {} };
        like(join(', ', @{ $r->{headers}{lc $_} || [] }), $rl{$_},
             "$name: $_ like") for sort keys %rl;
        is($r->{body}, $c->{response_body}, "$name: body")
            if defined $c->{response_body};
        for my $re (listify($c->{response_body_like})) {
            like($r->{body}, $re, "$name: body like $re");
        }
        for my $re (listify($c->{response_body_unlike})) {
            unlike($r->{body}, $re, "$name: body unlike $re");
        }
        if ($c->{error_log} || $c->{no_error_log}) {
            select undef, undef, undef, 0.1;
            my $log = $t->log_since($off);
            for my $p (listify($c->{error_log})) {
                ok(match($log, $p), "$name: error_log has $p")
                    or diag("log:\n$log");
            }
            for my $p (listify($c->{no_error_log})) {
                ok(!match($log, $p), "$name: error_log lacks $p")
                    or diag("log:\n$log");
            }
        }
    }
    @cases;
}

# challenge(realm => 'x', error => 'invalid_token', description => 'expired',
#           scope => 'a b') -> the exact WWW-Authenticate value
sub challenge {
    my %o = @_;
    my @a = map { defined $o{$_->[0]} ? qq{$_->[1]="$o{$_->[0]}"} : () }
            ([realm => 'realm'], [error => 'error'],
             [description => 'error_description'], [scope => 'scope']);
    join ' ', 'Bearer', @a ? join(', ', @a) : ();
}

# rejected($name, 'GET /t', $token, $status, realm => ..., %case): a case
# expecting 401 with error="invalid_token", error_description="$status"
sub rejected {
    my ($name, $req, $tok, $st, %o) = @_;
    my $realm = delete $o{realm};
    { name => $name, request => $req, token => $tok, error_code => 401,
      response_headers => { 'WWW-Authenticate' => challenge(realm => $realm,
          error => 'invalid_token', description => $st) }, %o };
}

# loc_pair('name', 'directives;'): /name/ (workos_jwt on, proxied to the
# echo upstream) and = /name/status (optional, answers $workos_jwt_status)
sub loc_pair {
    my ($name, $conf) = @_;
    <<"EOF";
        location /$name/ {
            $conf
            workos_jwt on;
            proxy_pass http://%%UPSTREAM%%;
        }
        location = /$name/status {
            $conf
            workos_jwt optional;
            return 200 "\$workos_jwt_status\\n";
        }
EOF
}

# two cases for a loc_pair: 200 at /name/x and "valid" at /name/status
sub accepted_cases {
    my ($name, $loc, $tok) = @_;
    ({ name => "$name: 200", request => "GET /$loc/x", token => $tok,
       error_code => 200, response_body_like => qr{^uri=/$loc/x$}m },
     { name => "$name: valid", request => "GET /$loc/status", token => $tok,
       response_body => "valid\n" });
}

# two cases for a loc_pair: 401 $status at /name/x and $status at /status
sub rejected_cases {
    my ($name, $loc, $tok, $st, %o) = @_;
    (rejected("$name: 401 $st", "GET /$loc/x", $tok, $st, %o),
     { name => "$name: $st", request => "GET /$loc/status", token => $tok,
       response_body => "$st\n" });
}

sub listify { my $v = shift; !defined $v ? () : ref $v eq 'ARRAY' ? @$v
                                                                  : ($v) }
sub match   { ref $_[1] ? $_[0] =~ $_[1] : index($_[0], $_[1]) >= 0 }

1;
