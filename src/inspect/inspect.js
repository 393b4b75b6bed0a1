/*
 * The debugger page of workos_jwt_inspect.  Everything shown comes from
 * the JSON island #wjwt-data or from a pasted token, and is untrusted:
 * it reaches the document through createTextNode/textContent only (the
 * CSP also requires Trusted Types, so an HTML sink would throw).  The only
 * network use is the "Verify at this edge" POST to this same location.
 */

(function () {
    'use strict';

    var DATA = readData();
    var loadedAt = Date.now();
    var tickers = [];

    /* the edge's clock, moving on with the browser's */
    function now() {
        var base = typeof DATA.now === 'number' ? DATA.now
                                                : Math.floor(loadedAt / 1000);
        return base + Math.floor((Date.now() - loadedAt) / 1000);
    }

    function readData() {
        var node = document.getElementById('wjwt-data');
        try {
            var d = JSON.parse(node ? node.textContent : 'null');
            return d && typeof d === 'object' ? d : {};
        } catch (e) {
            return {};
        }
    }

    /* ---- DOM helpers: text only ------------------------------------- */

    function el(tag, cls, children) {
        var e = document.createElement(tag);
        if (cls) {
            e.className = cls;
        }
        append(e, children);
        return e;
    }

    function append(parent, children) {
        if (children === undefined || children === null) {
            return parent;
        }
        if (!Array.isArray(children)) {
            children = [children];
        }
        children.forEach(function (c) {
            if (c === undefined || c === null || c === false) {
                return;
            }
            if (Array.isArray(c)) {
                append(parent, c);
                return;
            }
            parent.appendChild(typeof c === 'object'
                               ? c : document.createTextNode(String(c)));
        });
        return parent;
    }

    function clear(node) {
        while (node.firstChild) {
            node.removeChild(node.firstChild);
        }
    }

    function has(o, k) {
        return o !== null && typeof o === 'object'
               && Object.prototype.hasOwnProperty.call(o, k);
    }

    /* ---- time ------------------------------------------------------- */

    function duration(s) {
        s = Math.abs(Math.round(s));
        var d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600),
            m = Math.floor(s % 3600 / 60), r = s % 60;
        if (d) {
            return d + 'd' + (h ? ' ' + h + 'h' : '');
        }
        if (h) {
            return h + 'h' + (m ? ' ' + m + 'm' : '');
        }
        if (m) {
            return m + 'm' + (r ? ' ' + r + 's' : '');
        }
        return r + 's';
    }

    function when(t) {
        var d = new Date(Math.trunc(t) * 1000);
        if (isNaN(d.getTime())) {
            return String(t);
        }
        return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
    }

    function relative(t) {
        var diff = Math.trunc(t) - now();
        if (diff === 0) {
            return 'now';
        }
        return diff > 0 ? 'in ' + duration(diff) : duration(diff) + ' ago';
    }

    function isTime(v) {
        return typeof v === 'number' && isFinite(v) && v >= 0
               && v <= 253402300799;
    }

    /* a text node kept up to date every second */
    function ticking(fn) {
        var node = document.createTextNode(fn());
        tickers.push({ node: node, fn: fn });
        return node;
    }

    setInterval(function () {
        tickers = tickers.filter(function (t) {
            if (!t.node.isConnected) {
                return false;
            }
            var v = t.fn();
            if (t.node.nodeValue !== v) {
                t.node.nodeValue = v;
            }
            return true;
        });
    }, 1000);

    /* ---- JSON, highlighted with spans -------------------------------- */

    function jsonView(value) {
        var pre = el('pre', 'json');
        jsonInto(pre, value, '');
        return pre;
    }

    function jsonInto(out, v, indent) {
        var inner = indent + '  ';
        if (Array.isArray(v)) {
            if (v.length === 0) {
                append(out, el('span', 'j-p', '[]'));
                return;
            }
            append(out, el('span', 'j-p', '['));
            v.forEach(function (item, i) {
                append(out, '\n' + inner);
                jsonInto(out, item, inner);
                if (i < v.length - 1) {
                    append(out, el('span', 'j-p', ','));
                }
            });
            append(out, ['\n' + indent, el('span', 'j-p', ']')]);
        } else if (v !== null && typeof v === 'object') {
            var keys = Object.keys(v);
            if (keys.length === 0) {
                append(out, el('span', 'j-p', '{}'));
                return;
            }
            append(out, el('span', 'j-p', '{'));
            keys.forEach(function (k, i) {
                append(out, ['\n' + inner, el('span', 'j-k', JSON.stringify(k)),
                             el('span', 'j-p', ': ')]);
                jsonInto(out, v[k], inner);
                if (i < keys.length - 1) {
                    append(out, el('span', 'j-p', ','));
                }
            });
            append(out, ['\n' + indent, el('span', 'j-p', '}')]);
        } else if (typeof v === 'string') {
            append(out, el('span', 'j-s', JSON.stringify(v)));
        } else if (typeof v === 'number') {
            append(out, el('span', 'j-n', String(v)));
        } else {
            append(out, el('span', 'j-b', String(v)));
        }
    }

    /* ---- decoding a pasted token, as the edge would (README, Responses) */

    var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

    /* strict base64url: no padding, no + or /, unused trailing bits zero */
    function b64url(s) {
        if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) {
            return null;
        }
        var out = new Uint8Array(Math.floor(s.length * 3 / 4));
        var acc = 0, bits = 0, n = 0;
        for (var i = 0; i < s.length; i++) {
            acc = (acc << 6) | B64.indexOf(s.charAt(i));
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out[n++] = (acc >> bits) & 0xff;
            }
            acc &= (1 << bits) - 1;
        }
        return acc === 0 ? out : null;
    }

    function jsonPart(s, what, problems) {
        var bytes = b64url(s);
        if (bytes === null) {
            problems.push(what + ' is not canonical base64url');
            return null;
        }
        var text;
        try {
            text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch (e) {
            problems.push(what + ' is not valid UTF-8');
            return null;
        }
        if (text.indexOf('\u0000') >= 0 || text.indexOf('\\u0000') >= 0) {
            problems.push(what + ' contains \\u0000');
        }
        var v;
        try {
            v = JSON.parse(text);
        } catch (e) {
            problems.push(what + ' is not JSON');
            return null;
        }
        if (v === null || typeof v !== 'object' || Array.isArray(v)) {
            problems.push(what + ' is not a JSON object');
            return null;
        }
        return v;
    }

    function decode(token) {
        var r = { header: null, claims: null, problems: [], sigLen: 0 };
        var parts = token.split('.');
        if (parts.length === 5) {
            r.problems.push('this is an encrypted token (JWE), which cannot '
                            + 'be decoded without its key');
            return r;
        }
        if (parts.length !== 3) {
            r.problems.push('a JWT has three parts separated by dots; this '
                            + 'has ' + parts.length);
            return r;
        }
        if (token.length > (DATA.max_token_size || 16384)) {
            r.problems.push('longer than this location\'s '
                            + 'workos_jwt_max_token_size ('
                            + (DATA.max_token_size || 16384) + ' bytes)');
        }
        r.header = jsonPart(parts[0], 'the header', r.problems);
        r.claims = jsonPart(parts[1], 'the payload', r.problems);
        var sig = b64url(parts[2]);
        if (sig === null) {
            r.problems.push('the signature is not canonical base64url');
        } else {
            r.sigLen = sig.length;
        }
        var h = r.header;
        if (h) {
            if (typeof h.alg !== 'string') {
                r.problems.push('the header has no "alg" string');
            } else if (h.alg === 'none' || /^HS/.test(h.alg)) {
                r.problems.push('alg "' + h.alg + '" is never accepted');
            }
            ['kid', 'typ'].forEach(function (k) {
                if (has(h, k) && typeof h[k] !== 'string') {
                    r.problems.push('the header\'s "' + k
                                    + '" is not a string');
                }
            });
            if (has(h, 'crit')) {
                r.problems.push('the header has "crit"');
            }
        }
        if (r.claims) {
            r.problems = r.problems.concat(typeProblems(r.claims));
        }
        return r;
    }

    /* "Validation before lint": what the edge would call malformed */
    function typeProblems(c) {
        var p = [];
        var strings = ['sub', 'sid', 'jti', 'org_id', 'role', 'iss',
                       'client_id'];
        var lists = ['roles', 'permissions', 'entitlements', 'feature_flags'];
        var times = ['exp', 'nbf', 'iat', 'auth_time'];
        var isStrList = function (v) {
            return Array.isArray(v) && v.every(function (x) {
                return typeof x === 'string';
            });
        };
        ['exp', 'sub'].forEach(function (k) {
            if (!has(c, k)) {
                p.push('"' + k + '" is required');
            }
        });
        strings.forEach(function (k) {
            if (has(c, k) && typeof c[k] !== 'string') {
                p.push('"' + k + '" must be a string');
            }
        });
        lists.forEach(function (k) {
            if (has(c, k) && !isStrList(c[k])) {
                p.push('"' + k + '" must be an array of strings');
            }
        });
        times.forEach(function (k) {
            if (has(c, k) && !isTime(c[k])) {
                p.push('"' + k + '" must be a number of seconds from 0 to '
                       + '253402300799');
            }
        });
        if (has(c, 'aud') && typeof c.aud !== 'string' && !isStrList(c.aud)) {
            p.push('"aud" must be a string or an array of strings');
        }
        return p;
    }

    /* ---- lint (README, Lint codes), the codes and texts of the module - */

    var LINT = DATA.lint || {};
    var RULES = {};
    (LINT.rules || []).forEach(function (r) {
        RULES[r.code] = r;
    });

    var CHECKS = [
        ['wildcard_permission', function (t) {
            return Array.isArray(t.claims.permissions)
                   && t.claims.permissions.some(function (p) {
                       return typeof p === 'string' && p.indexOf('*') >= 0;
                   });
        }],
        ['long_lifetime', function (t) {
            return isTime(t.claims.exp) && isTime(t.claims.iat)
                   && Math.trunc(t.claims.exp) - Math.trunc(t.claims.iat)
                      > (LINT.max_lifetime || 86400);
        }],
        ['missing_aud', function (t) { return !has(t.claims, 'aud'); }],
        ['missing_iat', function (t) { return typeof t.claims.iat !== 'number'; }],
        ['iat_in_future', function (t) {
            return isTime(t.claims.iat)
                   && Math.trunc(t.claims.iat) > now() + (LINT.leeway || 0);
        }],
        ['missing_kid', function (t) { return typeof t.header.kid !== 'string'; }],
        ['non_rs256', function (t) { return t.header.alg !== 'RS256'; }],
        ['missing_org', function (t) { return !has(t.claims, 'org_id'); }],
        ['impersonated', function (t) { return has(t.claims, 'act'); }],
        ['sso_session', function (t) { return has(t.claims, 'connection_id'); }]
    ];

    function lintToken(t) {
        return CHECKS.filter(function (c) {
            return c[1](t);
        }).map(function (c) {
            return c[0];
        });
    }

    /* ---- rendering -------------------------------------------------- */

    var TONE = {
        valid: 'ok', missing: 'none', decoded: 'info', expired: 'warn',
        not_yet_valid: 'warn', stale_auth: 'warn'
    };

    function tone(status) {
        return TONE[status] || 'bad';
    }

    function verdictBlock(v) {
        var head = el('div', 'verdict tone-' + tone(v.status), [
            el('span', 'badge', v.status),
            el('span', 'sentence', v.sentence)
        ]);
        var facts = el('dl', 'facts');
        v.facts.forEach(function (f) {
            append(facts, [el('dt', null, f[0]),
                           el('dd', f[2] || null, f[1])]);
        });
        return el('div', 'verdict-wrap', [head, v.facts.length ? facts : null]);
    }

    function chips(list, hot) {
        if (!Array.isArray(list)) {
            return el('span', 'mono', JSON.stringify(list));
        }
        if (list.length === 0) {
            return el('span', 'muted', 'none');
        }
        var box = el('span', 'chips');
        list.forEach(function (x) {
            var s = typeof x === 'string' ? x : JSON.stringify(x);
            append(box, el('span', 'chip' + (hot && hot(s) ? ' chip-hot' : ''),
                           s));
        });
        return box;
    }

    function text(v) {
        if (typeof v === 'string') {
            return el('span', 'mono', v);
        }
        return el('span', 'mono', JSON.stringify(v));
    }

    function workosView(claims, session) {
        var c = claims || {};
        var rows = [];
        var row = function (label, value, note) {
            rows.push([label, value, note]);
        };
        var opt = function (label, key, render) {
            if (has(c, key)) {
                row(label, (render || text)(c[key]));
            }
        };

        row('User', has(c, 'sub') ? text(c.sub) : null,
            session && session.email ? session.email : null);
        row('Session', has(c, 'sid') ? text(c.sid) : null,
            has(c, 'sid') ? null : 'no sid: not a session token');
        row('Organization', has(c, 'org_id') ? text(c.org_id) : null);
        if (has(c, 'roles')) {
            row('Roles', chips(c.roles));
        }
        if (has(c, 'role') || !has(c, 'roles')) {
            row('Role', has(c, 'role') ? text(c.role) : null);
        }
        row('Permissions', has(c, 'permissions')
                           ? chips(c.permissions, function (p) {
                                 return p.indexOf('*') >= 0;
                             })
                           : null);
        opt('Entitlements', 'entitlements', chips);
        opt('Feature flags', 'feature_flags', chips);
        opt('SSO connection', 'connection_id');
        opt('Directory', 'directory_id');
        if (has(c, 'act')) {
            var act = c.act;
            row('Impersonator',
                text(act && typeof act === 'object' && has(act, 'sub')
                     ? act.sub : act),
                act && typeof act === 'object' && typeof act.reason === 'string'
                ? 'reason: ' + act.reason : null);
        }
        opt('Issuer', 'iss');
        opt('Client', 'client_id');
        opt('Audience', 'aud', function (a) {
            return Array.isArray(a) ? chips(a) : text(a);
        });
        opt('Token id', 'jti');

        ['iat', 'nbf', 'auth_time'].forEach(function (k) {
            var label = { iat: 'Issued', nbf: 'Not before',
                          auth_time: 'Signed in' }[k];
            if (has(c, k)) {
                row(label, isTime(c[k])
                    ? [el('span', 'mono', when(c[k])), ' ',
                       el('span', 'muted', ticking(function () {
                           return '(' + relative(c[k]) + ')';
                       }))]
                    : text(c[k]));
            }
        });

        row('Expires', !has(c, 'exp') ? null : isTime(c.exp)
            ? [el('span', 'mono', when(c.exp)), ' ',
               el('span', 'muted', ticking(function () {
                   return '(' + relative(c.exp) + ')';
               }))]
            : text(c.exp));

        if (isTime(c.exp) && isTime(c.iat)) {
            row('Lifetime', duration(Math.trunc(c.exp) - Math.trunc(c.iat)));
        }
        if (isTime(c.exp)) {
            var left = el('span', null, ticking(function () {
                var s = Math.trunc(c.exp) - now();
                return s > 0 ? duration(s) : 'none, expired '
                                             + duration(s) + ' ago';
            }));
            row('Time left', left);
        }

        var dl = el('dl', 'view');
        rows.forEach(function (r) {
            append(dl, [el('dt', null, r[0]),
                        el('dd', null, [r[1] === null
                                        ? el('span', 'muted', '\u2014')
                                        : r[1],
                                        r[2] ? el('span', 'note', r[2])
                                             : null])]);
        });
        return dl;
    }

    function lintBlock(codes, note) {
        var wrap = el('div', 'lint');
        if (note) {
            append(wrap, el('p', 'hint', note));
        }
        if (!codes.length) {
            append(wrap, el('p', 'muted', 'No findings.'));
            return wrap;
        }
        var ignore = LINT.ignore || [];
        var ul = el('ul', 'findings');
        codes.forEach(function (code) {
            var rule = RULES[code] || {};
            append(ul, el('li', 'level-' + (rule.level || 'info'), [
                el('span', 'code', code),
                el('span', 'level', rule.level || ''),
                el('span', 'explain', rule.explain || ''),
                ignore.indexOf(code) >= 0
                    ? el('span', 'note', 'ignored at this location') : null
            ]));
        });
        append(wrap, ul);
        return wrap;
    }

    function section(title, body) {
        return el('div', 'sub', [el('h3', null, title), body]);
    }

    function rawBlock(header, claims, sigLen) {
        return el('div', 'raw', [
            el('div', 'raw-col', [el('h4', null, 'Header'), jsonView(header)]),
            el('div', 'raw-col', [el('h4', null, 'Claims'), jsonView(claims),
                                  sigLen ? el('p', 'muted',
                                              'Signature: ' + sigLen
                                              + ' bytes (not shown).')
                                         : null])
        ]);
    }

    var SOURCES = {
        session_cookie: 'the session cookie', bearer: 'Authorization: Bearer',
        variable: 'a workos_jwt_token variable'
    };

    /* the edge's JSON view (section 7) as a verdict block */
    function edgeVerdict(v) {
        var vd = v.verdict || {};
        var facts = [];
        if (vd.status !== 'missing') {
            facts.push(['Signature', vd.verified ? 'verified' : 'not verified',
                        vd.verified ? 'yes' : 'no']);
            facts.push(['Key', v.key ? (v.key.kid || '(no kid)') + ' \u00b7 '
                                       + v.key.alg : 'none']);
        }
        if (v.cache) {
            facts.push(['Cache', v.cache]);
        }
        if (v.source) {
            facts.push(['Source', SOURCES[v.source] || v.source]);
        }
        if (v.session) {
            facts.push(['Session cookie',
                        (v.session.format === 'remix'
                         ? 'Remix cookie session' : 'iron seal')
                        + (v.session.user_id ? ', user ' + v.session.user_id
                                             : '')]);
        }
        var sentence = vd.error || (vd.status === 'valid'
            ? 'The token is valid at this location.'
            : vd.status === 'missing'
            ? 'This request carries no token.' : '');
        return { status: vd.status || 'unknown', sentence: sentence,
                 facts: facts };
    }

    function renderOwn(target) {
        clear(target);
        var v = DATA.view;
        if (!v || !v.verdict) {
            append(target, el('p', 'muted', 'No data.'));
            return;
        }
        append(target, verdictBlock(edgeVerdict(v)));
        if (v.verdict.status === 'missing') {
            append(target, el('p', 'hint',
                'This location looks for the token in '
                + 'Authorization: Bearer, in its configured '
                + 'workos_jwt_token variables or in its session cookie. '
                + 'Paste a token below to see how it would be judged here.'));
            return;
        }
        if (!v.claims) {
            append(target, el('p', 'hint',
                'The token could not be decoded, so there is nothing to show.'));
            return;
        }
        append(target, section('WorkOS', workosView(v.claims, v.session)));
        append(target, section('Lint', ownLint(v)));
        append(target, section('Header and claims',
                               rawBlock(v.header, v.claims, 0)));
    }

    /* the edge lints only tokens that pass its checks */
    function ownLint(v) {
        var st = v.verdict.status;
        if (LINT.enabled === false) {
            return el('p', 'muted', 'Lint is off at this location.');
        }
        if (st === 'valid' || st === 'lint_rejected') {
            return lintBlock(v.lint || []);
        }
        if (!v.header || !v.claims || typeProblems(v.claims).length) {
            return el('p', 'muted', 'Not linted: the claims did not pass '
                                    + 'the type checks.');
        }
        return lintBlock(lintToken(v), 'The edge lints only tokens that '
                         + 'pass its checks; these findings were computed '
                         + 'in this page.');
    }

    /* ---- the paste box ---------------------------------------------- */

    var input = document.getElementById('paste-input');
    var verifyBtn = document.getElementById('verify');
    var clearBtn = document.getElementById('clear');
    var state = document.getElementById('paste-state');
    var pasteBody = document.getElementById('paste-body');
    var current = null;

    function pasted() {
        return input.value.replace(/^\s+|\s+$/g, '');
    }

    function renderPasted(edge) {
        var token = pasted();
        clear(pasteBody);
        current = token ? decode(token) : null;
        verifyBtn.disabled = !token;
        clearBtn.disabled = !input.value;
        if (!current) {
            return;
        }
        var d = current;
        var ok = d.problems.length === 0;
        var verdict = edge ? edgeVerdict(edge) : {
            status: ok ? 'decoded' : 'malformed',
            sentence: ok ? 'Decoded in this page; the signature is not '
                           + 'checked until you verify it at this edge.'
                         : 'The edge would call this token malformed.',
            facts: []
        };
        append(pasteBody, verdictBlock(verdict));
        if (d.problems.length) {
            var ul = el('ul', 'problems');
            d.problems.forEach(function (p) {
                append(ul, el('li', null, p));
            });
            append(pasteBody, ul);
        }
        if (d.claims) {
            append(pasteBody, section('WorkOS',
                                      workosView(d.claims,
                                                 edge && edge.session)));
        }
        if (d.header && d.claims && ok) {
            var codes = lintToken(d);
            var note = 'Computed in this page with this location\'s lint '
                       + 'settings.';
            if (edge && edge.verdict && (edge.verdict.status === 'valid'
                        || edge.verdict.status === 'lint_rejected')) {
                codes = edge.lint || [];
                note = 'As this location linted it.';
            }
            append(pasteBody, section('Lint', lintBlock(codes, note)));
        }
        if (d.header || d.claims) {
            append(pasteBody, section('Header and claims',
                                      rawBlock(d.header, d.claims, d.sigLen)));
        }
    }

    var pending = 0;
    input.addEventListener('input', function () {
        clearTimeout(pending);
        state.textContent = '';
        pending = setTimeout(function () {
            renderPasted(null);
        }, 120);
    });

    clearBtn.addEventListener('click', function () {
        input.value = '';
        state.textContent = '';
        renderPasted(null);
        input.focus();
    });

    verifyBtn.addEventListener('click', function () {
        var token = pasted();
        if (!token) {
            return;
        }
        verifyBtn.disabled = true;
        state.textContent = 'Asking this edge\u2026';
        fetch(window.location.pathname + window.location.search, {
            method: 'POST',
            headers: { 'Content-Type': 'text/plain', Accept: 'application/json' },
            body: token,
            cache: 'no-store',
            credentials: 'same-origin',
            redirect: 'error',
            referrerPolicy: 'no-referrer'
        }).then(function (res) {
            if (res.status === 413) {
                throw new Error('the edge refused it: larger than '
                                + 'workos_jwt_max_token_size');
            }
            if (!res.ok) {
                throw new Error('the edge answered ' + res.status);
            }
            return res.json();
        }).then(function (edge) {
            if (token !== pasted()) {
                return;
            }
            renderPasted(edge);
            state.textContent = 'Verified at this edge (not cached, '
                                + 'not logged).';
        }).catch(function (e) {
            state.textContent = 'Could not verify: ' + e.message + '.';
        }).then(function () {
            verifyBtn.disabled = !pasted();
        });
    });

    /* ---- start ------------------------------------------------------ */

    document.getElementById('where').textContent = window.location.host
                                                   + window.location.pathname;
    document.getElementById('version').textContent = DATA.version || '';
    renderOwn(document.getElementById('own-body'));
    renderPasted(null);
    document.documentElement.setAttribute('data-ready', '1');
}());
