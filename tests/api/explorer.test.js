'use strict';
// The API explorer at /api/docs/: files served from the build's web
// directory with safe headers, / redirecting to it, and in a real browser
// (Debian's chromium through playwright-core) the page renders the
// document, takes a Bearer token under "Authorize" and runs GET
// /api/v2/user/me/ against this server. The browser part is skipped, with
// a message, where /usr/bin/chromium is absent (scripts/install-deps.sh
// installs it).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./harness');

const CHROMIUM = '/usr/bin/chromium';

describe('explorer files', () => {
  let s;
  before(async () => { s = await h.startServer(); });
  after(async () => { if (s) await s.stop(); });

  it('/ redirects to /api/docs/', async () => {
    const r = await s.api('GET', '/');
    assert.equal(r.status, 302);
    assert.equal(r.headers.get('location'), '/api/docs/');
    const bare = await s.api('GET', '/api/docs');
    assert.equal(bare.status, 302);
    assert.equal(bare.headers.get('location'), '/api/docs/');
  });

  it('serves the page and Swagger UI with content types, nosniff and a CSP', async () => {
    const page = await s.api('GET', '/api/docs/', { headers: { Accept: 'text/html' } });
    assert.equal(page.status, 200, page.text);
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    const csp = page.headers.get('content-security-policy');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(page.text, /swagger-ui-bundle\.js/);
    assert.doesNotMatch(page.text, /https?:\/\//, 'the page loads nothing from another origin');
    const types = {
      'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
      'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
      'explorer.js': 'text/javascript; charset=utf-8',
      'swagger-ui.css': 'text/css; charset=utf-8',
      'favicon-32x32.png': 'image/png',
    };
    for (const [name, type] of Object.entries(types)) {
      const r = await s.api('GET', `/api/docs/${name}`, { headers: { Accept: '*/*' } });
      assert.equal(r.status, 200, name);
      assert.equal(r.headers.get('content-type'), type, name);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff', name);
      assert.ok(r.bytes.length > 0, name);
    }
    const js = await s.api('GET', '/api/docs/explorer.js');
    assert.match(js.text, /url: '\/api\/v2\/schema\/'/);
    assert.match(js.text, /persistAuthorization: true/);
  });

  it('serves only the listed files', async () => {
    for (const p of ['/api/docs/package.json', '/api/docs/.installed', '/api/docs/..%2F..%2Fhearth.db',
      '/api/docs/../hearth.db', '/api/docs/swagger-ui.js.map', '/api/docs/index.html/x']) {
      const r = await s.api('GET', p);
      assert.equal(r.status, 404, `${p}: ${r.status}`);
    }
  });

  it('does not follow a symbolic link in the web directory', async () => {
    const web = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-web-'));
    const secret = path.join(web, 'secret.txt');
    fs.writeFileSync(secret, 'not for the web');
    fs.symlinkSync(secret, path.join(web, 'index.html'));
    fs.writeFileSync(path.join(web, 'explorer.js'), '// ok\n');
    const t = await h.startServer({ env: { HEARTH_WEB_DIR: web } });
    try {
      const link = await t.api('GET', '/api/docs/');
      assert.equal(link.status, 404, link.text);
      assert.doesNotMatch(link.text, /not for the web/);
      const plain = await t.api('GET', '/api/docs/explorer.js');
      assert.equal(plain.status, 200);
      assert.equal(plain.text, '// ok\n');
    } finally {
      await t.stop();
      fs.rmSync(web, { recursive: true, force: true });
    }
  });
});

describe('explorer in a browser', { skip: fs.existsSync(CHROMIUM) ? false : `${CHROMIUM} not found: install chromium (scripts/install-deps.sh) to run the browser test` }, () => {
  let s;
  let browser;
  const problems = []; // console errors, CSP violations, failed requests
  before(async () => {
    s = await h.startServer();
    const { chromium } = require('playwright-core');
    const args = process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [];
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args });
  });
  after(async () => {
    if (browser) await browser.close();
    if (s) await s.stop();
  });

  it('renders the document, authorises with a Bearer token and runs GET /api/v2/user/me/', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure() && r.failure().errorText}`));
    page.on('request', (r) => {
      if (!r.url().startsWith(s.base) && !r.url().startsWith('data:')) problems.push(`request to another origin: ${r.url()}`);
    });

    await page.goto(`${s.base}/`);
    assert.equal(new URL(page.url()).pathname, '/api/docs/');
    await page.locator('.swagger-ui .info .title').waitFor({ timeout: 30000 });
    assert.match(await page.locator('.swagger-ui .info .title').innerText(), /hearth/);
    const outDir = path.dirname(s.bin);
    await page.screenshot({ path: path.join(outDir, 'explorer.png'), fullPage: false });

    // Authorize: the bearerAuth scheme's value field
    await page.locator('button.authorize').first().click();
    const dialog = page.locator('.dialog-ux .modal-ux');
    await dialog.locator('input').first().fill(s.admin.token);
    await dialog.locator('button.authorize').click();
    await dialog.locator('button.btn-done, button.close-modal').first().click();

    const op = page.locator('#operations-user-get_api_v2_user_me');
    await op.locator('.opblock-summary').first().click();
    await op.locator('button.try-out__btn').click();
    await op.locator('button.execute').click();
    const body = op.locator('.live-responses-table .response-col_description pre').first();
    await body.waitFor({ timeout: 30000 });
    const text = await body.innerText();
    assert.match(text, new RegExp(`"username": "${s.admin.username}"`), text.slice(0, 400));
    const status = await op.locator('.live-responses-table .response .response-col_status').first().innerText();
    assert.equal(status.trim(), '200');
    // the request the page made carried the token
    const curl = await op.locator('.curl-command').first().innerText();
    assert.match(curl, /Authorization: Bearer /);
    await op.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(outDir, 'explorer-me.png'), fullPage: false });
    assert.deepEqual(problems, []);
  });
});
