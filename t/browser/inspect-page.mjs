// The debugger page in headless Chromium (Debian's /usr/bin/chromium,
// driven by puppeteer-core; no browser is ever downloaded).  Run by
// t/170-inspect-page.t with a JSON file: {base, chromium, screenshot,
// path, tokens: {valid, expired, lint, xss, paste, badsig}, user}.  Prints
// "RESULT {checks: [{name, ok, diag}]}" or "RESULT {skip: why}".

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const cfg = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const checks = [];
const check = (name, ok, diag) => checks.push({ name, ok: !!ok, diag });
const done = (o) => { console.log('RESULT ' + JSON.stringify(o)); };

let puppeteer;
try {
    puppeteer = (await import('puppeteer-core')).default;
} catch (e) {
    done({ skip: 'puppeteer-core not installed: ' + e.message });
    process.exit(0);
}

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'wjwt-chromium-'));
let browser;
try {
    browser = await puppeteer.launch({
        executablePath: cfg.chromium,
        headless: true,
        userDataDir: profile,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
               '--no-first-run', '--disable-background-networking',
               '--disable-component-update', '--disable-sync',
               '--disable-dev-shm-usage'],
        timeout: 60000,
    });
} catch (e) {
    fs.rmSync(profile, { recursive: true, force: true });
    done({ skip: 'chromium did not start: ' + e.message.split('\n')[0] });
    process.exit(0);
}

const url = cfg.base + (cfg.path || '/inspect');

// a page that records what must not happen: dialogs, script errors,
// console errors, CSP (and Trusted Types) violations, requests
async function newPage(token, opts = {}) {
    const page = await browser.newPage();
    const log = { dialogs: [], errors: [], csp: [], requests: [] };
    page.on('dialog', async (d) => {
        log.dialogs.push(d.message());
        await d.dismiss();
    });
    page.on('pageerror', (e) => log.errors.push('pageerror: ' + e.message));
    page.on('console', (m) => {
        if (m.type() === 'error') {
            log.errors.push('console: ' + m.text());
        }
    });
    await page.evaluateOnNewDocument(() => {
        window.__csp = [];
        document.addEventListener('securitypolicyviolation', (e) => {
            window.__csp.push(e.violatedDirective + ' ' + e.blockedURI);
        });
    });
    await page.setViewport({ width: opts.width || 1200,
                             height: opts.height || 900,
                             deviceScaleFactor: 1 });
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme',
                                       value: opts.scheme || 'light' }]);
    if (token) {
        await page.setExtraHTTPHeaders({ Authorization: 'Bearer ' + token });
    }
    page.on('request', (r) => log.requests.push(r.method() + ' ' + r.url()));
    const res = await page.goto(url, { waitUntil: 'load' });
    try {
        await page.waitForSelector('html[data-ready="1"]', { timeout: 10000 });
    } catch (e) {
        throw new Error('page not ready: ' + JSON.stringify(log));
    }
    log.csp = await page.evaluate(() => window.__csp);
    return { page, log, res };
}

// the WorkOS view as {label: text}
const view = (page, scope) => page.evaluate((scope) => {
    const out = {};
    const dl = document.querySelector(scope + ' dl.view');
    if (!dl) {
        return out;
    }
    const dts = dl.querySelectorAll('dt');
    dts.forEach((dt) => {
        out[dt.textContent] = dt.nextElementSibling.textContent;
    });
    return out;
}, scope);

const text = (page, sel) => page.evaluate(
    (sel) => { const e = document.querySelector(sel); return e ? e.textContent : null; },
    sel);

const codes = (page, scope) => page.evaluate((scope) => Array.from(
    document.querySelectorAll(scope + ' .findings li')).map((li) => ({
        code: li.querySelector('.code').textContent,
        explain: li.querySelector('.explain').textContent })), scope);

const clean = (name, log) => {
    check(name + ': no dialog', log.dialogs.length === 0,
          JSON.stringify(log.dialogs));
    check(name + ': no script or console error', log.errors.length === 0,
          JSON.stringify(log.errors));
    check(name + ': CSP blocked nothing', log.csp.length === 0,
          JSON.stringify(log.csp));
};

const started = Date.now();

try {
    // ---- a valid token, then the README screenshot ---------------------
    {
        const { page, log, res } = await newPage(cfg.tokens.valid);
        const h = res.headers();
        check('valid: served as the page', /^text\/html/.test(h['content-type']),
              h['content-type']);
        check('valid: CSP header', /script-src 'sha256-/.test(
              h['content-security-policy'] || ''), h['content-security-policy']);
        check('valid: badge', await text(page, '#own .badge') === 'valid',
              await text(page, '#own .badge'));
        const v = await view(page, '#own');
        check('valid: user', v.User === cfg.user, JSON.stringify(v));
        check('valid: organization',
              v.Organization === 'org_01JD8W1C9V5HRM2T8QZ6XN3PKB', v.Organization);
        check('valid: roles', v.Roles === 'adminbilling-manager', v.Roles);
        check('valid: role', v.Role === 'admin', v.Role);
        check('valid: permissions', v.Permissions ===
              'posts:readposts:writebilling:managemembers:invite', v.Permissions);
        check('valid: entitlements', v.Entitlements === 'audit-logssso', v.Entitlements);
        check('valid: feature flags', v['Feature flags'] === 'new-dashboard',
              v['Feature flags']);
        check('valid: session', /^session_01JD8W4N2G6P0Q9S3XKBR5TE7M/.test(v.Session),
              v.Session);
        check('valid: lifetime', v.Lifetime === '5m', v.Lifetime);
        check('valid: time left', /^3m \d+s$|^3m$|^4m$/.test(v['Time left']),
              v['Time left']);
        check('valid: issued ago', /ago\)$/.test(v.Issued || ''), v.Issued);
        check('valid: expires in', /\(in /.test(v.Expires || ''), v.Expires);
        const facts = await text(page, '#own .facts');
        check('valid: verified, key and cache shown',
              /verified/.test(facts) && /k1/.test(facts) && /RS256/.test(facts)
              && /MISS|HIT/.test(facts), facts);
        const l = await codes(page, '#own');
        check('valid: lint finding with its explanation',
              l.length === 1 && l[0].code === 'missing_aud'
              && /not bound to an audience/.test(l[0].explain), JSON.stringify(l));
        const claims = await text(page, '#own pre.json:nth-of-type(1)');
        check('valid: header and claims as JSON',
              (await page.$$('#own pre.json')).length === 2
              && /"kid": "k1"/.test(await text(page, '#own .raw-col pre')),
              claims);
        check('valid: only the page was requested',
              log.requests.length === 1, JSON.stringify(log.requests));
        clean('valid', log);
        await page.screenshot({ path: cfg.screenshot, fullPage: true });
        await page.close();

        const dark = await newPage(cfg.tokens.lint, { scheme: 'dark' });
        const bg = await dark.page.evaluate(() =>
            getComputedStyle(document.documentElement).backgroundColor);
        check('dark scheme: dark background', bg === 'rgb(15, 18, 22)', bg);
        await dark.page.screenshot({
            path: cfg.screenshot.replace(/\.png$/, '-dark.png'), fullPage: true });
        clean('dark', dark.log);
        await dark.page.close();
    }

    // ---- an expired token ---------------------------------------------
    {
        const { page, log } = await newPage(cfg.tokens.expired);
        check('expired: badge', await text(page, '#own .badge') === 'expired',
              await text(page, '#own .badge'));
        check('expired: sentence', await text(page, '#own .sentence')
              === 'the token has expired', await text(page, '#own .sentence'));
        const v = await view(page, '#own');
        check('expired: still the WorkOS view', v.User === cfg.user, JSON.stringify(v));
        check('expired: no time left', /^none, expired 15m/.test(v['Time left']),
              v['Time left']);
        check('expired: expires ... ago', /ago\)$/.test(v.Expires), v.Expires);
        const tone = await page.$eval('#own .verdict', (e) => e.className);
        check('expired: warning colors', /tone-warn/.test(tone), tone);
        check('expired: lint computed in the page, said so',
              /computed\s+in this page/.test(await text(page, '#own .lint')),
              await text(page, '#own .lint'));
        clean('expired', log);
        await page.close();
    }

    // ---- a token with lint findings ------------------------------------
    {
        const { page, log } = await newPage(cfg.tokens.lint);
        const l = await codes(page, '#own');
        const got = l.map((x) => x.code).sort().join(',');
        check('lint: findings', got === 'impersonated,long_lifetime,missing_aud,sso_session,'
              + 'wildcard_permission', got);
        check('lint: every finding explained', l.every((x) => x.explain.length > 20),
              JSON.stringify(l));
        const v = await view(page, '#own');
        check('lint: impersonator', /^admin@example\.com/.test(v.Impersonator)
              && /reason: support/.test(v.Impersonator), v.Impersonator);
        check('lint: SSO connection', v['SSO connection']
              === 'conn_01JD8W7RZ5Q3MKV2B9T4XN6HCA', v['SSO connection']);
        check('lint: directory', v.Directory
              === 'directory_01JD8W8A7KQ2X5N3M9R6T4ZBCV', v.Directory);
        check('lint: lifetime', v.Lifetime === '2d', v.Lifetime);
        const hot = await page.$$eval('#own .chip-hot', (e) => e.map((x) => x.textContent));
        check('lint: wildcard permission highlighted', hot.join() === 'posts:*',
              hot.join());
        clean('lint', log);
        await page.close();
    }

    // ---- hostile claims: shown as text, nothing runs -------------------
    {
        const { page, log } = await newPage(cfg.tokens.xss);
        await new Promise((r) => setTimeout(r, 300));
        const v = await view(page, '#own');
        check('xss: <script> shown as text', v.User === '<script>alert(1)</script>',
              v.User);
        check('xss: attribute breakout shown as text',
              v.Organization === '"><img src=x onerror=alert(1)>', v.Organization);
        check('xss: </script> shown as text', v.Role === '</script>', v.Role);
        check('xss: impersonator shown as text', v.Impersonator === '<svg onload=alert(5)>',
              v.Impersonator);
        const counts = await page.evaluate(() => ({
            img: document.querySelectorAll('img').length,
            svg: document.querySelectorAll('svg').length,
            script: document.querySelectorAll('script').length,
            b: document.querySelectorAll('b').length,
            a: document.querySelectorAll('a').length,
        }));
        check('xss: no element made from claims',
              counts.img === 0 && counts.svg === 0 && counts.script === 2
              && counts.b === 0 && counts.a === 0, JSON.stringify(counts));
        const claims = await page.$$eval('#own pre.json', (e) => e[1].textContent);
        check('xss: claim names shown as text too',
              claims.includes('"<b onmouseover=alert(7)>": '
                              + '"</style><script>alert(8)</script>"'), claims);
        check('xss: badge still valid', await text(page, '#own .badge') === 'valid',
              await text(page, '#own .badge'));
        await page.hover('#own pre.json');
        clean('xss', log);
        await page.close();
    }

    // ---- the paste box: decoded offline --------------------------------
    {
        const { page, log } = await newPage(null);
        check('no token: badge missing', await text(page, '#own .badge') === 'missing',
              await text(page, '#own .badge'));
        await page.setRequestInterception(true);
        const left = [];
        const block = (r) => {
            left.push(r.method() + ' ' + r.url());
            r.abort();
        };
        page.on('request', block);
        await page.click('#paste-input');
        await page.keyboard.sendCharacter(cfg.tokens.paste);
        await page.waitForSelector('#paste-body .badge');
        check('paste: decoded in the page', await text(page, '#paste-body .badge')
              === 'decoded', await text(page, '#paste-body .badge'));
        const v = await view(page, '#paste-body');
        check('paste: WorkOS view', v.User === 'user_01PASTEDPASTEDPASTEDPASTE'
              && v.Permissions === 'reports:*', JSON.stringify(v));
        const l = (await codes(page, '#paste-body')).map((x) => x.code).join();
        check('paste: linted in the page', l === 'wildcard_permission,missing_aud', l);
        const ex = (await codes(page, '#paste-body'))[0].explain;
        check('paste: same explanation as the module', /WorkOS treats as a literal/.test(ex), ex);
        await page.click('#clear');
        await page.click('#paste-input');
        await page.keyboard.sendCharacter('eyJhbGciOiJub25lIn0.e30.');
        await page.waitForSelector('#paste-body .problems');
        const p = await text(page, '#paste-body .problems');
        check('paste: malformed token explained',
              /never accepted/.test(p) && /"exp" is required/.test(p), p);
        check('paste: no request left the page', left.length === 0,
              JSON.stringify(left));
        clean('paste', log);
        page.off('request', block);
        await page.setRequestInterception(false);

        // ---- the verify button: the location's verdict ---------------
        const posts = [];
        page.on('request', (r) => posts.push([r.method(), r.url(), r.postData(),
                                              r.headers()['content-type']]));
        await page.click('#clear');
        await page.click('#paste-input');
        await page.keyboard.sendCharacter(cfg.tokens.paste);
        await page.waitForSelector('#paste-body .badge');
        await page.click('#verify');
        await page.waitForFunction(() => /Verified at this edge|Could not/.test(
            document.getElementById('paste-state').textContent), { timeout: 10000 });
        check('verify: state', /Verified at this edge/.test(
              await text(page, '#paste-state')), await text(page, '#paste-state'));
        check('verify: edge verdict', await text(page, '#paste-body .badge') === 'valid',
              await text(page, '#paste-body .badge'));
        const facts = await text(page, '#paste-body .facts');
        check('verify: key shown', /k1/.test(facts) && /verified/.test(facts), facts);
        check('verify: one POST of the token to this location, text/plain',
              posts.length === 1 && posts[0][0] === 'POST' && posts[0][1] === url
              && posts[0][2] === cfg.tokens.paste && /^text\/plain/.test(posts[0][3]),
              JSON.stringify(posts.map((x) => [x[0], x[1], x[3]])));

        await page.click('#clear');
        await page.click('#paste-input');
        await page.keyboard.sendCharacter(cfg.tokens.badsig);
        await page.waitForSelector('#paste-body .badge');
        await page.click('#verify');
        await page.waitForFunction(() => /Verified at this edge|Could not/.test(
            document.getElementById('paste-state').textContent), { timeout: 10000 });
        check('verify: bad signature', await text(page, '#paste-body .badge')
              === 'bad_signature', await text(page, '#paste-body .badge'));
        const tone = await page.$eval('#paste-body .verdict', (e) => e.className);
        check('verify: bad signature in red', /tone-bad/.test(tone), tone);
        const csp = await page.evaluate(() => window.__csp);
        check('verify: CSP let the same-origin fetch through', csp.length === 0,
              JSON.stringify(csp));
        check('verify: no dialog or error', log.dialogs.length === 0
              && log.errors.length === 0, JSON.stringify(log));
        await page.close();
    }
} catch (e) {
    check('driver ran to the end', false, e.stack);
} finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
}

check('browser part took ' + ((Date.now() - started) / 1000).toFixed(1) + ' s', true);
done({ checks });
