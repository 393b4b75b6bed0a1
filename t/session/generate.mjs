// Seals AuthKit-shaped sessions with the real JavaScript libraries and
// writes the cookies, the passwords and what each cookie must open to,
// for t/unit/test_session.c (see README.md).
//
//   node t/session/generate.mjs [OUT]     default: t/session/fixtures.json
//   node t/session/generate.mjs --jwks    prints the JWKS of test-key.pem
//
// Every cookie is also opened again with the sealing library's own
// reader, so a fixture is one that library accepts.

import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

import { sealData, unsealData } from 'iron-session';
import { WorkOS } from '@workos-inc/node';
import { createCookieSessionStorage } from 'react-router';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

const KID = 'session-fixtures-rs256';
const NOW = 1767225600;                 // 2026-01-01, the tests' clock
const FAR = 4070908800;                 // 2099-01-01
const PASSWORDS = {
    p1: 'fixture-password-one-0123456789abcdef',
    p2: 'fixture-password-two-Zyxwvutsrqponmlk',
};

const keyPem = readFileSync(join(here, 'test-key.pem'));
const privateKey = createPrivateKey(keyPem);

function jwks() {
    const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
    return { keys: [{ kty: 'RSA', kid: KID, use: 'sig', alg: 'RS256',
                      n: jwk.n, e: jwk.e }] };
}

if (process.argv[2] === '--jwks') {
    process.stdout.write(JSON.stringify(jwks(), null, 2) + '\n');
    process.exit(0);
}

const out = process.argv[2] || join(here, 'fixtures.json');

function b64url(buf) {
    return Buffer.from(buf).toString('base64url');
}

// RS256 with node:crypto; RSA PKCS#1 v1.5 is deterministic, so the same
// claims give the same token on every run
function jwt(claims) {
    const header = { alg: 'RS256', typ: 'JWT', kid: KID };
    const input = b64url(JSON.stringify(header)) + '.'
                  + b64url(JSON.stringify(claims));
    return input + '.' + b64url(sign('sha256', Buffer.from(input), privateKey));
}

function claims(sub, sid, exp, extra) {
    return {
        iss: 'https://api.workos.com/',
        sub, sid, org_id: 'org_01HZFIXTUREORGANIZATION00',
        role: 'member', roles: ['member'], permissions: ['posts:read'],
        jti: 'jti_' + sid, iat: exp - 300, exp, ...extra,
    };
}

function user(id, email, firstName, lastName) {
    return {
        object: 'user', id, email, emailVerified: true, firstName, lastName,
        profilePictureUrl: null, lastSignInAt: '2025-12-31T23:00:00.000Z',
        externalId: null, metadata: {},
        createdAt: '2025-01-01T00:00:00.000Z',
        updatedAt: '2025-12-31T23:00:00.000Z',
    };
}

const users = {
    ada: user('user_01HZFIXTUREADA0000000000', 'ada@example.com', 'Ada',
              'Lovelace'),
    zoe: user('user_01HZFIXTUREZOE0000000000', 'zoë@exämple.com', 'Zoë',
              '日本'),
    bob: user('user_01HZFIXTUREBOB0000000000', 'bob+test@example.com',
              'Bob', 'Quote"Back\\slash'),
};

const tokens = {
    ada: jwt(claims(users.ada.id, 'session_01HZFIXTUREADA', FAR)),
    zoe: jwt(claims(users.zoe.id, 'session_01HZFIXTUREZOE', FAR)),
    bob: jwt(claims(users.bob.id, 'session_01HZFIXTUREBOB', FAR,
                    { act: { sub: 'admin@example.com' } })),
    expired: jwt(claims(users.ada.id, 'session_01HZFIXTUREOLD', 1700000300)),
};

const refresh = {
    ada: 'rt_FIXTUREadaRefreshToken0123456789abcdef',
    zoe: 'rt_FIXTUREzoeRefreshToken0123456789abcdef',
    bob: 'rt_FIXTURE"bob"\\refresh\u00e9\u2028token',
    old: 'rt_FIXTUREoldRefreshToken0123456789abcdef',
};

// the authkit-nextjs / authkit-remix session object
function authkitSession(who, token, rt, impersonator) {
    const s = { accessToken: token, refreshToken: rt, user: users[who] };
    if (impersonator) {
        s.impersonator = impersonator;
    }
    return s;
}

const versions = {};
for (const name of ['iron-session', 'iron-webcrypto', '@workos-inc/node',
                    'react-router']) {
    versions[name] = JSON.parse(readFileSync(
        join(here, 'node_modules', name, 'package.json'), 'utf8')).version;
}

const workos = new WorkOS('sk_test_fixture_not_a_key',
                          { clientId: 'client_01HZFIXTURE' });
const um = workos.userManagement;

// @workos-inc/node: what authenticateWithCode({ session: { sealSession:
// true, cookiePassword } }) returns as sealedSession
async function workosSeal(who, token, rt, password, impersonator) {
    return um.sealSessionDataFromAuthenticationResponse({
        authenticationResponse: {
            user: users[who], accessToken: token, refreshToken: rt,
            authenticationMethod: 'Password', impersonator,
            organizationId: 'org_01HZFIXTUREORGANIZATION00',
        },
        cookiePassword: password,
    });
}

// react-router 7 cookie session holding an iron seal in "jwt", as
// authkit-remix and authkit-react-router store it; the Set-Cookie value
async function remixCookie(seal, secrets) {
    const storage = createCookieSessionStorage({
        cookie: { name: 'wos-session', path: '/', httpOnly: true,
                  secure: true, sameSite: 'lax', secrets },
    });
    const session = await storage.getSession();
    session.set('jwt', seal);
    const header = await storage.commitSession(session);
    const value = header.slice('wos-session='.length, header.indexOf(';'));

    const back = await storage.getSession('wos-session=' + value);
    if (back.get('jwt') !== seal) {
        throw new Error('react-router does not read back its own cookie');
    }
    return value;
}

async function ironOpen(cookie, password) {
    return unsealData(cookie, { password, ttl: 0 });
}

function check(got, session, what) {
    if (got.accessToken !== session.accessToken
        || got.refreshToken !== session.refreshToken
        || got.user?.id !== session.user.id)
    {
        throw new Error(what + ': the library does not open its own seal');
    }
}

const cases = [];

function add(c) {
    cases.push({ now: NOW, expect: 'valid', ...c });
}

// 1. iron-session sealData, one password (authkit-nextjs)
{
    const s = authkitSession('ada', tokens.ada, refresh.ada);
    const cookie = await sealData(s, { password: PASSWORDS.p1, ttl: 0 });
    check(await ironOpen(cookie, PASSWORDS.p1), s, 'iron-session');
    add({ name: 'iron-session sealData, ttl 0', library: 'iron-session',
          format: 'iron', cookie, passwords: ['p1'], password_index: 0,
          user_id: s.user.id, email: s.user.email, access_token: s.accessToken,
          refresh_token: s.refreshToken, impersonated: false });
}

// 2. iron-session with a password map: sealed with the newest (id "2")
{
    const s = authkitSession('bob', tokens.bob, refresh.bob,
                             { email: 'admin@example.com', reason: 'support' });
    const cookie = await sealData(s, { password: { 1: PASSWORDS.p1,
                                                   2: PASSWORDS.p2 }, ttl: 0 });
    check(await ironOpen(cookie, { 2: PASSWORDS.p2 }), s, 'iron-session map');
    add({ name: 'iron-session sealData, password map {1,2}, impersonated',
          library: 'iron-session', format: 'iron', cookie,
          passwords: ['p1', 'p2'], password_index: 1, user_id: s.user.id,
          email: s.user.email, access_token: s.accessToken,
          refresh_token: s.refreshToken, impersonated: true });
}

// 3. @workos-inc/node sealed session
{
    const cookie = await workosSeal('ada', tokens.ada, refresh.ada,
                                    PASSWORDS.p1);
    const got = await um.getSessionFromCookie({ sessionData: cookie,
                                                cookiePassword: PASSWORDS.p1 });
    check(got, { accessToken: tokens.ada, refreshToken: refresh.ada,
                 user: users.ada }, '@workos-inc/node');
    add({ name: '@workos-inc/node sealed session', library: '@workos-inc/node',
          format: 'iron', cookie, passwords: ['p1'], password_index: 0,
          user_id: users.ada.id, email: users.ada.email,
          access_token: tokens.ada, refresh_token: refresh.ada,
          impersonated: false });
}

// 4. @workos-inc/node, the access token inside has expired
{
    const cookie = await workosSeal('ada', tokens.expired, refresh.old,
                                    PASSWORDS.p1);
    add({ name: '@workos-inc/node sealed session, expired access token',
          library: '@workos-inc/node', format: 'iron', cookie,
          passwords: ['p1'], password_index: 0, user_id: users.ada.id,
          email: users.ada.email, access_token: tokens.expired,
          refresh_token: refresh.old, impersonated: false });
}

// 5. @workos-inc/node under the new password, opened during a rotation
{
    const imp = { email: 'admin@example.com', reason: null };
    const cookie = await workosSeal('zoe', tokens.zoe, refresh.zoe,
                                    PASSWORDS.p2, imp);
    add({ name: '@workos-inc/node sealed with p2, passwords p2 then p1',
          library: '@workos-inc/node', format: 'iron', cookie,
          passwords: ['p2', 'p1'], password_index: 0, user_id: users.zoe.id,
          email: users.zoe.email, access_token: tokens.zoe,
          refresh_token: refresh.zoe, impersonated: true });
}

// 6. react-router cookie session (authkit-remix, authkit-react-router)
{
    const s = { ...authkitSession('zoe', tokens.zoe, refresh.zoe),
                headers: {} };
    const seal = await sealData(s, { password: PASSWORDS.p1, ttl: 0 });
    const cookie = await remixCookie(seal, [PASSWORDS.p1]);
    add({ name: 'react-router createCookieSessionStorage, jwt = iron seal',
          library: 'react-router', format: 'remix', cookie,
          passwords: ['p1'], password_index: 0, user_id: users.zoe.id,
          email: users.zoe.email, access_token: tokens.zoe,
          refresh_token: refresh.zoe, impersonated: false });
}

// 7. react-router with secrets [p2, p1]: signed and sealed with p2
{
    const s = { ...authkitSession('bob', tokens.bob, refresh.bob,
                                  { email: 'admin@example.com',
                                    reason: 'debugging' }),
                headers: {} };
    const seal = await sealData(s, { password: PASSWORDS.p2, ttl: 0 });
    const cookie = await remixCookie(seal, [PASSWORDS.p2, PASSWORDS.p1]);
    add({ name: 'react-router secrets [p2, p1], opened with p1 then p2',
          library: 'react-router', format: 'remix', cookie,
          passwords: ['p1', 'p2'], password_index: 1, user_id: users.bob.id,
          email: users.bob.email, access_token: tokens.bob,
          refresh_token: refresh.bob, impersonated: true });
}

// 8. iron-session with a ttl, sealed at a fixed past time: its
//    expiration is 1700003600000 ms
{
    const s = authkitSession('ada', tokens.ada, refresh.ada);
    const realNow = Date.now;
    let cookie;
    Date.now = () => 1700000000000;
    try {
        cookie = await sealData(s, { password: PASSWORDS.p1, ttl: 3600 });
        check(await ironOpen(cookie, PASSWORDS.p1), s, 'iron-session ttl');
    } finally {
        Date.now = realNow;
    }
    add({ name: 'iron-session sealData, ttl 3600 sealed in 2023',
          library: 'iron-session', format: 'iron', cookie,
          passwords: ['p1'], expect: 'malformed',
          error: 'the sealed session has expired', expiration: 1700003600000,
          valid_at: 1700000000, password_index: 0, user_id: s.user.id,
          email: s.user.email, access_token: s.accessToken,
          refresh_token: s.refreshToken, impersonated: false });
}

// 9. @workos-inc/node sealing a session whose user is not the token's
//    subject: the seal opens, the edge must refuse it (README, Browser
//    apps: "the session's user does not match its token")
{
    const cookie = await workosSeal('ada', tokens.zoe, refresh.zoe,
                                    PASSWORDS.p1);
    add({ name: '@workos-inc/node sealed session, user is not the token\'s sub',
          library: '@workos-inc/node', format: 'iron', cookie,
          passwords: ['p1'], password_index: 0, user_id: users.ada.id,
          email: users.ada.email, access_token: tokens.zoe,
          refresh_token: refresh.zoe, impersonated: false,
          user_mismatch: true });
}

const fixtures = {
    comment: 'generated by t/session/generate.mjs; see t/session/README.md',
    generated_with: { node: process.version, ...versions },
    cookie_name: 'wos-session',
    passwords: PASSWORDS,
    jwks: jwks(),
    cases,
};

writeFileSync(out + '.tmp', JSON.stringify(fixtures, null, 2) + '\n');
renameSync(out + '.tmp', out);
process.stderr.write(`${cases.length} cases written to ${out}\n`);
