import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { PURGE_PERSON_JOB } from '../src/modules/privacy/index.js';
import { webAppDir } from '../src/platform/http/web-app.js';
import { PASSWORD, TestClient, signUp, uniqueEmail } from './support/client.js';
import { ENGINES, type TestHaven, startTestHaven } from './support/haven.js';
import { unzip } from './support/unzip.js';

/**
 * The web app end to end, in Debian's Chromium driven by playwright-core, against a real Haven on
 * loopback (each engine): sign up, create a write key and paste the snippet the app shows into a
 * test site on another origin, watch the visitor appear with a timeline, identify merges a second
 * anonymous visitor, rectify, record and withdraw a consent, export (the browser downloads a ZIP),
 * the audit log shows each step and verifies; a viewer sees no edit controls and the API still
 * refuses them, and the owner changes their role; session expiry, sign out, team switching, People's
 * keyset pages and orders, and Back to a list as it was left; a removed member and leaving a team
 * (the other team offered); focus after edits and confirmations; refused and redacted data counted by reason and day; the retention dry
 * run before "Apply now"; erase
 * with a typed confirmation, the privacy centre's requests with receipts and the record of
 * processing; cancelling the team (a banner for every member, writes refused) and undoing it; sign
 * out everywhere. Every main screen is written to .tmp/screenshots/<engine>/ at desktop width and
 * at 390 px.
 */

const CHROMIUM = process.env.HAVEN_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const noBrowser = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (scripts/test.sh installs it; HAVEN_CHROMIUM names another binary)`;
const noBuild = existsSync(join(webAppDir(), 'index.html')) ? false : `the web app is not built at ${webAppDir()} (scripts/test.sh builds it)`;
const SCREENSHOTS = process.env.HAVEN_SCREENSHOTS ?? join('.tmp', 'screenshots');
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

async function waitUntil<T>(what: string, check: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(150);
  }
}


/** The file the browser downloads when `start` runs: the name it suggests and the bytes. */
async function downloadOf(p: Page, start: () => Promise<void>): Promise<{ name: string; body: Buffer }> {
  const [download] = await Promise.all([p.waitForEvent('download'), start()]);
  return { name: download.suggestedFilename(), body: readFileSync(await download.path()) };
}

/** Form controls with no label: each must be named for screen readers. */
async function unlabelledControls(page: Page): Promise<string[]> {
  // A string: the test is compiled without the DOM's types.
  return page.evaluate<string[]>(`[...document.querySelectorAll('input, select, textarea')]
    .filter((el) => el.type !== 'hidden' && (el.labels?.length ?? 0) === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
    .map((el) => el.outerHTML.slice(0, 120))`);
}

describe('web app: served at / beside the API', { skip: noBuild }, () => {
  let haven: TestHaven;
  before(async () => {
    haven = await startTestHaven('pglite');
  });
  after(async () => {
    await haven?.close();
  });

  it('answers / and client routes with the app (no-cache), under a CSP without inline scripts', async () => {
    for (const url of ['/', '/people', '/people/8a6e0804-2bd0-4672-b79b-d97f5c63fbf8', '/settings/api-keys', '/privacy', '/privacy/record', '/audit?x=1']) {
      const res = await haven.server.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, url);
      assert.match(String(res.headers['content-type']), /^text\/html/, url);
      assert.match(res.body, /<div id="root"><\/div>/, url);
      assert.equal(res.headers['cache-control'], 'no-cache', url);
      const csp = String(res.headers['content-security-policy']);
      const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
      assert.equal(scriptSrc, "'self'", csp);
      assert.doesNotMatch(res.body, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script in index.html');
    }
  });

  it('serves hashed assets for a year, immutable', async () => {
    const index = (await haven.server.inject({ method: 'GET', url: '/' })).body;
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(index)?.[1];
    assert.ok(asset, index);
    const res = await haven.server.inject({ method: 'GET', url: asset });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /javascript/);
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
  });

  it('never shadows the server: unknown paths, files and assets keep the JSON 404', async () => {
    for (const url of ['/api/v1/nope', '/api', '/v1/nope', '/capture/x', '/i/v0/x', '/unsubscribe', '/assets/missing.js', '/favicon.ico', '/healthz/x', '/t.js/x', '/nothing-here', '/people.json']) {
      const res = await haven.server.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 404, url);
      assert.equal(res.json().error.code, 'not_found', url);
    }
    for (const url of ['/healthz', '/t.js', '/api/docs/json', '/decide']) {
      const res = await haven.server.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, url);
      assert.doesNotMatch(String(res.headers['content-type']), /^text\/html/, url);
    }
    const post = await haven.server.inject({ method: 'POST', url: '/people', payload: {} });
    assert.equal(post.statusCode, 404, 'the app answers GET only');
  });
});

describe('API reference in Chromium', { skip: noBrowser }, () => {
  let haven: TestHaven;
  let browser: Browser;
  before(async () => {
    haven = await startTestHaven('pglite');
    await haven.server.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    await haven?.close();
  });

  it('shows every route under its own policy, with no violation and nothing fetched from elsewhere', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    const origin = `http://127.0.0.1:${(haven.server.server.address() as AddressInfo).port}`;
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => {
      if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) problems.push(`fetched ${r.url()}`);
    });
    await page.goto(`${origin}/api/docs`, { waitUntil: 'networkidle' });
    await page.locator('.opblock').first().waitFor();
    const operations = await page.locator('.opblock').count();
    const documented = Object.values((await haven.server.inject('/api/docs/json')).json().paths as Record<string, object>).reduce((n: number, ops) => n + Object.keys(ops).length, 0);
    assert.equal(operations, documented);
    assert.deepEqual(problems, []);
    await page.close();
  });
});

for (const kind of ENGINES) {
  describe(`web app in Chromium [${kind}]`, { skip: noBrowser || noBuild }, () => {
    let haven: TestHaven;
    let origin: string;
    let site: Server;
    let siteOrigin: string;
    let browser: Browser;
    let owner: BrowserContext;
    let page: Page;
    let tag = '';
    let personId = '';
    const ownerEmail = uniqueEmail('owner');
    const viewerEmail = uniqueEmail('viewer');
    /** Every address the app's pages showed: none may hold personal data. */
    const addresses: string[] = [];
    const shots = join(SCREENSHOTS, kind);

    async function shot(p: Page, name: string): Promise<void> {
      await p.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
      assert.deepEqual(await unlabelledControls(p), [], `${name}: every form control has a label`);
    }

    async function newContext(): Promise<BrowserContext> {
      const context = await browser.newContext({ viewport: DESKTOP });
      context.setDefaultTimeout(10_000);
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
      context.on('page', (p) => p.on('framenavigated', (f) => f === p.mainFrame() && addresses.push(f.url())));
      return context;
    }

    async function visit(p: Page, path: string, heading: string | RegExp): Promise<void> {
      await p.goto(`${origin}${path}`);
      await p.getByRole('heading', { level: 1, name: heading }).waitFor();
    }

    const rows = (p: Page) => p.locator('.people-list li');
    /** The card under a heading. */
    const card = (p: Page, heading: string | RegExp) => p.locator('section', { has: p.getByRole('heading', { name: heading }) });
    /** The read-only banner of a cancelled team. */
    const banner = (p: Page) => p.getByRole('region', { name: 'This team was cancelled and is read-only.' });
    /** The text of the element that has keyboard focus. */
    const focused = (p: Page) => p.evaluate<string>('document.activeElement?.textContent?.trim() ?? ""');
    /** Every loading indicator of the screen is gone. */
    const settled = (p: Page) => waitUntil('the screen to load', async () => (await p.locator('.loading').count()) === 0);

    /** Reload People until `done` holds for the rows' text. */
    async function peopleUntil(what: string, done: (texts: string[]) => boolean): Promise<string[]> {
      return waitUntil(what, async () => {
        await visit(page, '/people', 'People');
        await settled(page);
        const texts = await rows(page).allInnerTexts();
        return done(texts) ? texts : undefined;
      });
    }

    async function visitor(path: string): Promise<{ context: BrowserContext; visit: Page }> {
      const context = await browser.newContext();
      const p = await context.newPage();
      await p.goto(`${siteOrigin}${path}`);
      await p.waitForFunction('window.haven && window.haven.__haven === true');
      return { context, visit: p };
    }

    /** A new browser signed in as `email` through the sign-in form, on People. */
    async function signedInBrowser(email: string): Promise<{ context: BrowserContext; page: Page }> {
      const context = await newContext();
      const p = await context.newPage();
      await visit(p, '/', 'Sign in');
      await p.getByLabel('Email').fill(email);
      await p.getByLabel('Password').fill(PASSWORD);
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.getByRole('heading', { level: 1, name: 'People' }).waitFor();
      return { context, page: p };
    }

    async function sessionClient(email: string): Promise<TestClient> {
      const client = new TestClient(haven.server);
      const res = await client.post('/api/v1/auth/sign-in', { email, password: PASSWORD });
      assert.equal(res.status, 200, res.raw.body);
      return client;
    }

    before(async () => {
      mkdirSync(shots, { recursive: true });
      haven = await startTestHaven(kind);
      await haven.server.listen({ host: '127.0.0.1', port: 0 });
      origin = `http://127.0.0.1:${(haven.server.server.address() as AddressInfo).port}`;
      // The test site pastes the tag exactly as the app showed it.
      site = createServer((req, res) => {
        const found = req.url?.startsWith('/shop');
        const body = `<!doctype html><html><head><meta charset="utf-8"><title>Shop</title>${tag}</head><body><h1>Shop</h1></body></html>`;
        res.writeHead(found ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' }).end(found ? body : 'not found');
      });
      await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
      siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
      owner = await newContext();
      page = await owner.newPage();
    });

    after(async () => {
      await browser?.close();
      await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
      await haven?.close();
    });

    it('signs up: the People screen explains how to start', async () => {
      await visit(page, '/', 'Sign in');
      await shot(page, 'sign-in');
      await page.getByRole('link', { name: 'Create an account' }).click();
      await page.getByLabel('Email').fill(ownerEmail);
      await page.getByLabel('Password').fill('short');
      await page.getByLabel('Team name').fill('Acme');
      // The browser's own check (minlength) stops a short password; the API's message shows when it gets through.
      await page.getByLabel('Password').evaluate("(el) => el.removeAttribute('minlength')");
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByText('At least 10 characters.').waitFor();
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
      await page.getByText('No people yet.').waitFor();
      assert.ok(await page.getByRole('link', { name: 'get the snippet' }).isVisible());
      assert.ok(await page.getByRole('button', { name: 'Add a person' }).isVisible());
      await shot(page, 'people-empty');
    });

    it('creates a write key and shows the snippet ready to paste, with a copy button', async () => {
      await page.getByRole('link', { name: 'get the snippet' }).click();
      await page.getByRole('button', { name: 'Create a write key for the snippet' }).click();
      const field = page.getByLabel('The tag, with your new write key');
      await field.waitFor();
      tag = await field.inputValue();
      assert.match(tag, new RegExp(`^<script src="${origin}/t\\.js" data-write-key="hv_wk_[\\w-]+" defer></script>$`));
      await page.getByRole('button', { name: 'Copy the tag' }).click();
      await page.getByText('Copied.').waitFor();
      assert.equal(await page.evaluate<string>('navigator.clipboard.readText()'), tag);
      await shot(page, 'settings-snippet');
    });

    it('creates a secret key shown once, then listed by its prefix only', async () => {
      await page.getByRole('link', { name: 'API keys' }).click();
      await page.getByLabel('Name').fill('Back end');
      await page.getByRole('radio', { name: /Secret key, read/ }).check();
      await page.getByRole('button', { name: 'Create key' }).click();
      const secret = await page.getByLabel('New secret key').inputValue();
      assert.match(secret, /^hv_sk_/);
      await card(page, 'Create a key').getByRole('button', { name: 'Copy', exact: true }).click();
      await card(page, 'Create a key').getByText('Copied.').waitFor();
      assert.equal(await page.evaluate<string>('navigator.clipboard.readText()'), secret);
      await shot(page, 'settings-api-keys');
      await page.getByRole('button', { name: /I have saved it/ }).click();
      await page.locator('.rows').getByText('Back end').waitFor();
      await page.locator('.rows li', { hasText: 'Back end' }).getByText(`by ${ownerEmail}`).waitFor();
      assert.equal((await page.content()).includes(secret), false, 'the secret is gone from the page');
      assert.equal(await page.locator('.rows li').count(), 2, 'the write key and the secret key');
    });

    it('a visitor of the site with the snippet appears in People with a timeline', async () => {
      const a = await visitor('/shop');
      await a.visit.evaluate("haven.track('Viewed pricing', { plan: 'pro' }); haven.flush()");
      const texts = await peopleUntil('the visitor in People', (t) => t.length === 1);
      assert.match(texts[0]!, /Anonymous visitor/);
      await rows(page).first().getByRole('link').click();
      await page.getByRole('heading', { level: 1, name: 'Anonymous visitor' }).waitFor();
      personId = page.url().split('/').at(-1)!;
      const timeline = page.locator('.timeline');
      await timeline.getByText('Viewed pricing').waitFor();
      await timeline.getByText('Page view').waitFor();
      const chart = page.locator('.chart svg');
      assert.match(String(await chart.getAttribute('aria-label')), /^Activity over the last 30 days: 2 events/);
      assert.equal(await chart.locator('rect').count(), 30, 'one bar per day');
      await page.locator('table').getByText('Shop', { exact: true }).waitFor();
      // Filters: only events.
      await page.getByRole('checkbox', { name: 'Event', exact: true }).check();
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await waitUntil('only the track event', async () => (await timeline.locator('li').count()) === 1);
      assert.match(await timeline.innerText(), /Viewed pricing/);
      await a.visit.evaluate("haven.identify('user-7', { name: 'Ada Lovelace', email: 'ada@example.test' }); haven.flush()");
      await a.context.close();
    });

    it('identify merges a second anonymous visitor into the identified person', async () => {
      const texts = await peopleUntil('Ada, identified', (t) => t.length === 1 && t[0]!.includes('Ada Lovelace'));
      assert.match(texts[0]!, /ada@example\.test/);
      const b = await visitor('/shop');
      await peopleUntil('the second visitor', (t) => t.length === 2);
      await b.visit.evaluate("haven.identify('user-7'); haven.flush()");
      await peopleUntil('one person after the merge', (t) => t.length === 1);
      await b.context.close();

      await rows(page).first().getByRole('link').click();
      await page.getByRole('heading', { level: 1, name: 'Ada Lovelace' }).waitFor();
      assert.equal(page.url(), `${origin}/people/${personId}`, 'the same person, by id');
      const identities = page.locator('section', { has: page.getByRole('heading', { name: 'Identities' }) });
      await identities.getByText('user-7').waitFor();
      assert.equal(await identities.locator('dd.identity').filter({ hasText: /^[0-9a-f-]{36}$/ }).count(), 2, 'both anonymous ids');
      const timeline = page.locator('.timeline');
      // A: page view, event, identify; B: page view, identify.
      await waitUntil('both visits on one timeline', async () => (await timeline.locator('li').count()) === 5);
      assert.equal(await timeline.getByText('Page view').count(), 2);
      await page.locator('table').getByRole('cell', { name: '2', exact: true }).waitFor();
    });

    it('finds people by exact email and name prefix without putting the terms in the address', async () => {
      // While the list loads, the screen says so.
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      const peopleList = (url: URL) => url.pathname === '/api/v1/people';
      await page.route(peopleList, async (route) => {
        await held;
        await route.continue();
      });
      await visit(page, '/people', 'People');
      await page.getByRole('status').filter({ hasText: 'Loading people…' }).waitFor();
      release();
      await settled(page);
      await page.unroute(peopleList);
      // Adding a person asks for a name or an email first: no blank records from a stray click. Cancel returns focus.
      await page.getByRole('button', { name: 'Add a person' }).click();
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await page.getByRole('form', { name: 'Add a person' }).getByText('Enter a name or an email address.').waitFor();
      await page.getByRole('button', { name: 'Cancel' }).click();
      assert.equal(await focused(page), 'Add a person');
      assert.equal(await rows(page).count(), 1, 'nobody was added');

      await page.getByLabel('Find by').selectOption('email');
      await page.getByLabel('Email address').fill('ada@example.test');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await waitUntil('the email match', async () => (await rows(page).count()) === 1 && !(await page.locator('.loading').count()));
      assert.equal(page.url(), `${origin}/people`);
      // A failed search shows its reason and no results (not the previous search's).
      await page.getByLabel('Find by').selectOption('name');
      await page.getByLabel('Name', { exact: true }).fill('a');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByText('Type at least two letters to search by name.').waitFor();
      assert.equal(await rows(page).count(), 0, 'no results under the error');
      await page.getByLabel('Find by').selectOption('email');
      await page.getByLabel('Email address').fill('nobody@example.test');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByText('Nobody matches this search.').waitFor();
      await page.getByLabel('Find by').selectOption('name');
      await page.getByLabel('Name', { exact: true }).fill('ada lov');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await waitUntil('the name match', async () => (await rows(page).count()) === 1);
      assert.equal(page.url(), `${origin}/people`);
      await shot(page, 'people');

      // On a fresh page the first Tab reaches the skip link, with a visible focus ring; Enter moves focus to the content.
      await visit(page, '/people', 'People');
      await settled(page);
      await page.keyboard.press('Tab');
      const skip = await page.evaluate<{ text: string; outline: string }>(`(() => {
        const style = getComputedStyle(document.activeElement);
        return { text: document.activeElement.textContent, outline: style.outlineStyle };
      })()`);
      assert.deepEqual(skip, { text: 'Skip to content', outline: 'solid' });
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate<string>('document.activeElement.id'), 'main');
    });

    it('rectifies the profile and properties, and adds a note', async () => {
      await visit(page, `/people/${personId}`, 'Ada Lovelace');
      await page.getByRole('button', { name: 'Edit name and company' }).click();
      await page.getByRole('form', { name: 'Edit profile' }).getByLabel('Company').fill('Analytical Engines');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.locator('dd', { hasText: 'Analytical Engines' }).waitFor();
      // Closing an edit form, saved or cancelled, returns focus to the button that opened it.
      assert.equal(await focused(page), 'Edit name and company');
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: 'Cancel' }).click();
      assert.equal(await focused(page), 'Edit name and company');

      await page.getByRole('button', { name: 'Edit properties' }).click();
      await page.getByRole('button', { name: 'Add a property' }).click();
      const row = page.locator('.property-row').last();
      await row.getByLabel('Name').fill('seats');
      await row.getByLabel('Value').fill('3');
      await page.getByRole('button', { name: 'Save properties' }).click();
      const properties = card(page, 'Properties');
      await properties.locator('dt', { hasText: 'seats' }).waitFor();
      // A second property of the same name would silently replace the first: refused beside it, nothing sent.
      await page.getByRole('button', { name: 'Edit properties' }).click();
      await page.getByRole('button', { name: 'Add a property' }).click();
      await page.locator('.property-row').last().getByLabel('Name').fill(' seats');
      await page.locator('.property-row').last().getByLabel('Value').fill('4');
      await page.getByRole('button', { name: 'Save properties' }).click();
      await page.locator('.property-row').last().getByText('Another property is already named “seats”. Use another name, or remove one of them.').waitFor();
      assert.equal(await page.locator('.property-row').first().getByText(/already named/).count(), 0, 'the first one keeps its name');
      await page.getByRole('button', { name: 'Cancel' }).click();
      assert.equal(await focused(page), 'Edit properties');
      assert.match(await properties.locator('dl').innerText(), /seats\s+3/);

      // The suppression card follows edited identities (both ways).
      const suppression = card(page, 'Objection and suppression');
      await page.getByRole('button', { name: 'Edit identities' }).click();
      await page.getByLabel('Phones').fill('+44 20 7946 0958');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await suppression.locator('.row-meta', { hasText: 'Phone' }).waitFor();
      assert.equal(await focused(page), 'Edit identities');
      await page.getByRole('button', { name: 'Edit identities' }).click();
      await page.getByLabel('Phones').fill('');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await waitUntil('the phone gone from suppression', async () => (await suppression.locator('.row-meta', { hasText: 'Phone' }).count()) === 0);

      await page.getByLabel('New note').fill('Asked about the pro plan.');
      await page.getByRole('button', { name: 'Add note' }).click();
      await page.locator('.notes').getByText('Asked about the pro plan.').waitFor();
      // Deleting a note by keyboard: Escape cancels (focus back on Delete); after deleting, the Notes heading has focus.
      await page.getByLabel('New note').fill('A note to delete.');
      await page.getByRole('button', { name: 'Add note' }).click();
      const doomed = page.locator('.notes li', { hasText: 'A note to delete.' });
      await doomed.getByRole('button', { name: 'Delete' }).focus();
      await page.keyboard.press('Enter');
      assert.equal(await focused(page), 'Delete note');
      await page.keyboard.press('Escape');
      assert.equal(await doomed.getByRole('button', { name: 'Delete note' }).count(), 0);
      assert.equal(await focused(page), 'Delete');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Enter');
      await waitUntil('the note deleted', async () => (await doomed.count()) === 0);
      await waitUntil('focus on the Notes heading', async () => (await focused(page)) === 'Notes');
      await shot(page, 'person');

      const stored = await (await sessionClient(ownerEmail)).get(`/api/v1/people/${personId}`);
      assert.equal(stored.body.company, 'Analytical Engines');
      assert.equal(stored.body.properties.seats, 3, 'typed: a number');
    });

    it('records a consent and withdraws it, kept on record; shows the suppression state of each identity', async () => {
      const consents = card(page, 'Consents');
      await consents.getByText('No consent recorded.').waitFor();
      await consents.getByLabel('Purpose').fill('news letter!');
      await consents.getByLabel('Lawful basis').selectOption('consent');
      await consents.getByLabel('Source').fill('Sign-up form, newsletter checkbox');
      await consents.getByRole('button', { name: 'Record consent' }).click();
      await consents.getByText(/^A purpose is a short name/).waitFor();
      await consents.getByLabel('Purpose').fill('Newsletter');
      await consents.getByRole('button', { name: 'Record consent' }).click();
      await consents.getByText('Consent recorded.').waitFor();
      const consent = consents.locator('.rows li');
      await consent.locator('.row-title', { hasText: 'newsletter' }).waitFor();
      await consent.getByRole('button', { name: 'Withdraw' }).click();
      await consent.getByRole('button', { name: 'Withdraw consent' }).click();
      await consent.getByText('withdrawn', { exact: true }).waitFor();

      const suppression = card(page, 'Objection and suppression');
      // The email, the user id and both anonymous ids.
      await waitUntil('four identities', async () => (await suppression.getByText('not suppressed').count()) === 4);
      const stored = (await (await sessionClient(ownerEmail)).get(`/api/v1/people/${personId}/consents`)).body.consents;
      assert.equal(stored.length, 1);
      assert.equal(stored[0].purpose, 'newsletter');
      assert.equal(stored[0].source, 'Sign-up form, newsletter checkbox');
      assert.ok(stored[0].withdrawnAt, 'withdrawn, kept on record');
    });

    it('exports the person: the browser downloads a ZIP of CSV files with their profile and every event', async () => {
      const exporter = card(page, /^Export/);
      await exporter.getByRole('radio', { name: /ZIP of CSV files/ }).check();
      const file = await downloadOf(page, () => exporter.getByRole('button', { name: 'Export and download' }).click());
      assert.equal(file.name, `haven-export-${personId}.zip`);
      const files = await unzip(file.body);
      for (const name of ['README.txt', 'person.csv', 'identities.csv', 'properties.csv', 'notes.csv', 'consents.csv', 'events.csv']) assert.ok(files.has(name), `${name} in ${[...files.keys()].join(', ')}`);
      assert.match(files.get('person.csv')!, /Ada Lovelace/);
      assert.match(files.get('person.csv')!, /Analytical Engines/);
      assert.match(files.get('identities.csv')!, /ada@example\.test/);
      assert.match(files.get('notes.csv')!, /Asked about the pro plan\./);
      assert.match(files.get('consents.csv')!, /newsletter/);
      const events = files.get('events.csv')!.trim().split('\n');
      assert.equal(events.length, 1 + 5, 'a header and both visits’ five events');
      assert.match(files.get('events.csv')!, /Viewed pricing/);
      await exporter.getByText(`Downloaded haven-export-${personId}.zip`, { exact: false }).waitFor();
      // The request and its receipt, on the person's page.
      const requests = card(page, 'Privacy requests about this person');
      await requests.locator('.request', { hasText: 'Export' }).getByText('downloaded', { exact: true }).waitFor();
      await shot(page, 'person-privacy');
    });

    it('the audit log shows each step and the chain verifies', async () => {
      await page.getByRole('link', { name: 'Audit log' }).click();
      await page.getByText(/Chain verified: all \d+ entries are intact/).waitFor();
      assert.match(await page.locator('.chain code').innerText(), /^\d+:[0-9a-f]{64}$/);
      const list = page.locator('.audit-list');
      await list.waitFor();
      const actions = await list.locator('.audit-action').allInnerTexts();
      for (const action of ['team.created', 'api_key.created', 'person.merged', 'person.updated', 'note.created', 'auth.signed_in', 'consent.recorded', 'consent.withdrawn', 'person.export_requested', 'person.exported']) {
        assert.ok(actions.includes(action), `${action} in ${actions.join(', ')}`);
      }
      assert.equal(actions.filter((a) => a === 'api_key.created').length, 2);
      await shot(page, 'audit');
      await page.getByLabel('Action').fill('person');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await waitUntil('only person.* entries', async () => {
        const shown = await list.locator('.audit-action').allInnerTexts();
        return shown.length > 0 && shown.every((a) => a.startsWith('person.'));
      });
      await list.getByRole('link', { name: `person ${personId}` }).first().click();
      await page.getByRole('heading', { level: 1, name: 'Ada Lovelace' }).waitFor();
      // Back returns to the filtered log, the filter still in its field (and out of the address).
      await page.goBack();
      await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
      assert.equal(await page.getByLabel('Action').inputValue(), 'person');
      assert.equal(page.url(), `${origin}/audit`);
      await waitUntil('only person.* entries again', async () => {
        const shown = await list.locator('.audit-action').allInnerTexts();
        return shown.length > 0 && shown.every((a) => a.startsWith('person.'));
      });

      // An answer that comes late, for filters changed since, is dropped: the unfiltered list is held
      // until the filtered one is shown, then answers.
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      let asked = () => {};
      const askedOnce = new Promise<void>((resolve) => (asked = resolve));
      const unfiltered = (url: URL) => url.pathname === '/api/v1/audit' && !url.searchParams.has('action');
      await page.route(unfiltered, async (route) => {
        asked();
        await held;
        await route.continue();
      });
      await page.getByRole('button', { name: 'Clear' }).click();
      await askedOnce;
      await page.getByLabel('Action').fill('person.merged');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await waitUntil('only person.merged entries', async () => {
        const shown = await list.locator('.audit-action').allInnerTexts();
        return shown.length > 0 && shown.every((a) => a === 'person.merged');
      });
      const late = page.waitForResponse((response) => unfiltered(new URL(response.url())));
      release();
      await late;
      await page.unroute(unfiltered);
      await settled(page);
      await page.waitForTimeout(200);
      const shown = await list.locator('.audit-action').allInnerTexts();
      assert.ok(shown.every((a) => a === 'person.merged'), `the late unfiltered answer is not shown: ${shown.join(', ')}`);
      assert.equal(await page.getByLabel('Action').inputValue(), 'person.merged');
    });

    it('invites a viewer by link; the link opens the app, which takes the token out of the address', async () => {
      await visit(page, '/settings/invitations', 'Team settings');
      await page.getByLabel('Email').fill(viewerEmail);
      await page.getByLabel('Role', { exact: true }).selectOption('viewer');
      await page.getByRole('button', { name: 'Create invitation' }).click();
      const link = await page.getByLabel('Invitation link').inputValue();
      assert.match(link, new RegExp(`^${origin}/#invitation=hvi_`));
      await page.locator('.rows').getByText(viewerEmail).waitFor();
      await shot(page, 'settings-invitations');

      const viewer = await newContext();
      const v = await viewer.newPage();
      await v.goto(link);
      await v.getByRole('heading', { level: 1, name: 'Accept an invitation' }).waitFor();
      assert.equal(v.url(), `${origin}/invitation`, 'the token left the address bar');
      await shot(v, 'invitation');
      await v.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await v.getByRole('button', { name: 'Create account and join' }).click();
      await v.getByRole('heading', { level: 1, name: 'People' }).waitFor();
      await rows(v).first().waitFor();

      // What a viewer sees: reading, no editing.
      assert.equal(await v.getByRole('button', { name: 'Add a person' }).count(), 0);
      assert.equal(await v.getByRole('link', { name: 'Audit log' }).count(), 0);
      assert.equal(await v.getByRole('link', { name: 'Privacy centre', exact: true }).count(), 0);
      await rows(v).first().getByRole('link').click();
      await v.getByRole('heading', { level: 1, name: 'Ada Lovelace' }).waitFor();
      await v.locator('.notes').getByText('Asked about the pro plan.').waitFor();
      await card(v, 'Consents').locator('.row-title', { hasText: 'newsletter' }).waitFor();
      await settled(v);
      assert.equal(await v.getByRole('button', { name: /^Edit/ }).count(), 0, 'no edit buttons');
      assert.equal(await v.getByLabel('New note').count(), 0, 'no note form');
      assert.equal(await v.getByRole('button', { name: /Delete|Erase|Export|Record|Withdraw/ }).count(), 0, 'no delete, privacy or consent buttons');
      assert.equal(await v.getByLabel('Purpose').count(), 0, 'no consent form');
      await shot(v, 'person-as-viewer');
      await visit(v, '/settings', 'Team settings');
      assert.deepEqual(await v.locator('.tabs a').allInnerTexts(), ['Team', 'Members', 'Rejected data', 'Account']);
      assert.equal(await v.getByRole('button', { name: 'Rename the team' }).count(), 0);
      await v.getByRole('link', { name: 'Members' }).click();
      await v.locator('.rows').getByText(ownerEmail).waitFor();
      assert.equal(await v.locator('.rows select').count() + (await v.getByRole('button', { name: 'Remove' }).count()), 0);
      await visit(v, '/settings/api-keys', 'Team settings');
      await v.getByText('That part of the settings is not available to your role.').waitFor();
      assert.equal(await v.getByRole('button', { name: 'Create key' }).count(), 0);

      // The server stays the authority: the viewer's own session is refused each edit.
      const refused = await v.evaluate<{ permissions: string[]; statuses: number[]; codes: string[] }>(`(async () => {
        const session = await (await fetch('/api/v1/session')).json();
        const headers = { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken };
        const writes = await Promise.all([
          fetch('/api/v1/people/${personId}', { method: 'PATCH', headers, body: JSON.stringify({ company: 'X' }) }),
          fetch('/api/v1/people/${personId}/notes', { method: 'POST', headers, body: JSON.stringify({ body: 'x' }) }),
          fetch('/api/v1/api-keys', { method: 'POST', headers, body: JSON.stringify({ name: 'x', kind: 'write' }) }),
          fetch('/api/v1/people/${personId}/consents', { method: 'POST', headers, body: JSON.stringify({ purpose: 'x', source: 'x' }) }),
          fetch('/api/v1/privacy/erasures', { method: 'POST', headers, body: JSON.stringify({ personId: '${personId}' }) }),
          fetch('/api/v1/team/cancellation', { method: 'POST', headers, body: '{}' }),
        ]);
        const codes = await Promise.all(writes.map(async (w) => (await w.json()).error.code));
        return { permissions: session.permissions, statuses: writes.map((w) => w.status), codes };
      })()`);
      assert.deepEqual(refused.statuses, [403, 403, 403, 403, 403, 403]);
      assert.deepEqual(refused.codes, ['forbidden', 'forbidden', 'forbidden', 'forbidden', 'forbidden', 'forbidden']);
      assert.ok(refused.permissions.includes('people.read'));
      assert.ok(!refused.permissions.includes('people.write'));
      await viewer.close();

      // The owner changes the member's role, and back (the later steps need a viewer).
      await visit(page, '/settings/members', 'Team settings');
      const roleOf = async () => ((await (await sessionClient(ownerEmail)).get('/api/v1/members')).body.members as { email: string; role: string }[]).find((m) => m.email === viewerEmail)?.role;
      for (const role of ['member', 'viewer']) {
        await page.getByLabel(`Role of ${viewerEmail}`).selectOption(role);
        await page.getByRole('button', { name: 'Change role' }).click();
        await waitUntil(`the role changed to ${role}`, async () => (await page.getByRole('button', { name: 'Change role' }).count()) === 0);
        assert.equal(await roleOf(), role);
      }
      await shot(page, 'settings-members');

      await visit(page, '/audit', 'Audit log');
      await waitUntil('the invitation and the role changes in the audit log', async () => {
        const actions = await page.locator('.audit-action').allInnerTexts();
        return actions.includes('invitation.created') && actions.includes('invitation.accepted') && actions.filter((a) => a === 'member.role_changed').length === 2;
      });
    });

    it('at 390 px wide every main screen fits without sideways scrolling', async () => {
      const phone = await owner.newPage();
      await phone.setViewportSize(PHONE);
      // The server's style-src allows no inline styles, and every screen still renders without one.
      const documentCsp: string[] = [];
      phone.on('response', (response) => {
        if (response.request().resourceType() === 'document') documentCsp.push(response.headers()['content-security-policy'] ?? '');
      });
      const violations: string[] = [];
      phone.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      const screens: [string, string, RegExp | string][] = [
        ['people', '/people', 'People'],
        ['person', `/people/${personId}`, 'Ada Lovelace'],
        ['settings-team', '/settings/team', 'Team settings'],
        ['settings-snippet', '/settings/tracking', 'Team settings'],
        ['settings-api-keys', '/settings/api-keys', 'Team settings'],
        ['settings-members', '/settings/members', 'Team settings'],
        ['settings-invitations', '/settings/invitations', 'Team settings'],
        ['settings-restricted-data', '/settings/restricted-data', 'Team settings'],
        ['settings-rejected-data', '/settings/rejected-data', 'Team settings'],
        ['audit', '/audit', 'Audit log'],
        ['privacy-requests', '/privacy/requests', 'Privacy centre'],
        ['privacy-rejected-data', '/privacy/rejected-data', 'Privacy centre'],
        ['privacy-record', '/privacy/record', 'Privacy centre'],
        ['settings-privacy', '/settings/privacy', 'Team settings'],
        ['settings-account', '/settings/account', 'Team settings'],
      ];
      for (const [name, path, heading] of screens) {
        await visit(phone, path, heading);
        await settled(phone);
        await shot(phone, `${name}-390`);
        const width = await phone.evaluate<number>('document.documentElement.scrollWidth');
        assert.ok(width <= PHONE.width, `${name}: ${width} px wide at ${PHONE.width}`);
      }
      assert.deepEqual(violations, []);
      assert.ok(documentCsp.length > 0 && documentCsp.every((csp) => /style-src 'self'(;|$)/.test(csp)), documentCsp.join('\n'));
      await phone.close();
      // Signed out: sign in and sign up.
      const signedOut = await browser.newContext({ viewport: PHONE });
      const out = await signedOut.newPage();
      for (const [name, path, heading] of [['sign-in', '/sign-in', 'Sign in'], ['sign-up', '/sign-up', 'Create an account']] as const) {
        await visit(out, path, heading);
        await shot(out, `${name}-390`);
        const width = await out.evaluate<number>('document.documentElement.scrollWidth');
        assert.ok(width <= PHONE.width, `${name}: ${width} px wide at ${PHONE.width}`);
      }
      await signedOut.close();
    });

    it('restricted-data settings: a pattern RE2 cannot run is refused with the API’s reason beside it', async () => {
      // (And a name of only spaces reads as empty, not “At least 1 characters.”)
      await visit(page, '/settings/api-keys', 'Team settings');
      await page.getByLabel('Name').fill('   ');
      await page.getByRole('button', { name: 'Create key' }).click();
      await page.getByText('This cannot be empty.').waitFor();
      await visit(page, '/settings/restricted-data', 'Team settings');
      await page.getByRole('button', { name: 'Add a pattern' }).click();
      await page.getByLabel('Label').fill('Member numbers');
      await page.getByLabel('Pattern', { exact: true }).fill('M\\d+(?!\\d)');
      await page.getByRole('button', { name: 'Save restricted-data settings' }).click();
      await page.locator('.detector').getByRole('alert').getByText(/no backreferences or lookaround/).waitFor();
      await page.getByLabel('Pattern', { exact: true }).fill('M\\d{6}');
      await page.getByRole('button', { name: 'Save restricted-data settings' }).click();
      await page.getByText('Saved. Ingest applies these settings from now on.').waitFor();
      await shot(page, 'settings-restricted-data');
      const saved = await (await sessionClient(ownerEmail)).get('/api/v1/tracking/restricted-data');
      assert.deepEqual(saved.body.detectors, [{ id: 'member-numbers', label: 'Member numbers', kind: 'regex', pattern: 'M\\d{6}', flags: 'i' }]);

      // Reject mode: a card number and a member number are refused, and counted.
      const writeKey = /data-write-key="([^"]+)"/.exec(tag)![1]!;
      const ingest = TestClient.withKey(haven.server, writeKey);
      const refused = await ingest.post('/api/v1/events', {
        events: [
          { type: 'track', userId: 'user-7', event: 'Paid', properties: { card: '4111 1111 1111 1111' } },
          { type: 'track', userId: 'user-7', event: 'Joined', properties: { member: 'M123456' } },
        ],
      });
      assert.deepEqual([refused.body.accepted, refused.body.rejected], [0, 2], refused.raw.body);
      // Redact mode, chosen here: the member number is blanked and the event kept.
      await page.getByRole('radio', { name: /Redact the matched text/ }).check();
      await page.getByRole('button', { name: 'Save restricted-data settings' }).click();
      await waitUntil('redact mode saved', async () => (await (await sessionClient(ownerEmail)).get('/api/v1/tracking/restricted-data')).body.mode === 'redact');
      const redacted = await ingest.post('/api/v1/events', { events: [{ type: 'track', userId: 'user-7', event: 'Joined', properties: { member: 'M654321' } }] });
      assert.deepEqual([redacted.body.accepted, redacted.body.rejected], [1, 0], redacted.raw.body);

      await page.getByRole('link', { name: 'Rejected data' }).click();
      const byReason = page.locator('table').first();
      await byReason.waitFor();
      const reasons = await byReason.locator('tbody tr').allInnerTexts();
      assert.deepEqual(reasons.map((r) => r.split('\t').map((c) => c.trim())).sort(), [
        ['Detector: member-numbers', '1', '1'],
        ['Payment card numbers', '1', '0'],
      ]);
      const byDay = await page.locator('table').nth(1).locator('tbody tr').allInnerTexts();
      assert.equal(byDay.length, 3, byDay.join(' | '));
      for (const row of byDay) assert.match(row, /^\d{4}-\d{2}-\d{2}\t(Payment card numbers\trejected|Detector: member-numbers\t(rejected|redacted))\t1$/);
      await shot(page, 'settings-rejected-data');
    });

    it('restricted-data settings that a later Haven refuses: a notice says ingest is refusing events; saving valid ones clears it', async () => {
      const before = await (await sessionClient(ownerEmail)).get('/api/v1/tracking/restricted-data');
      const teamId = (await (await sessionClient(ownerEmail)).get('/api/v1/session')).body.activeTeamId as string;
      await haven.engine.ownerTransaction((tx) =>
        tx.query(`UPDATE tracking_settings SET detectors = $2::jsonb, updated_at = clock_timestamp() WHERE team_id = $1`, [
          teamId,
          JSON.stringify([{ id: 'member-numbers', label: 'Member numbers', kind: 'regex', pattern: 'M\\d{6}(?!\\d)', flags: 'i' }]),
        ]),
      );
      await visit(page, '/settings/restricted-data', 'Team settings');
      await page.getByRole('alert').getByText(/ingest is refusing every event until they are saved again/).waitFor();
      await page.getByLabel('Pattern', { exact: true }).fill('M\\d{6}');
      await page.getByRole('button', { name: 'Save restricted-data settings' }).click();
      await page.getByText('Saved. Ingest applies these settings from now on.').waitFor();
      assert.equal(await page.getByText(/ingest is refusing every event/).count(), 0);
      const after = await (await sessionClient(ownerEmail)).get('/api/v1/tracking/restricted-data');
      assert.deepEqual([after.body.problem, after.body.detectors], [null, before.body.detectors]);
    });

    it('a session that ends shows the sign-in page with a notice; signing in by keyboard returns to the page', async () => {
      await visit(page, `/people/${personId}`, 'Ada Lovelace');
      // Every request of the screen answered first: a 401 to a late one would end the session
      // before the click this test is about.
      await settled(page);
      await page.waitForLoadState('networkidle');
      const elsewhere = await sessionClient(ownerEmail);
      assert.equal((await elsewhere.post('/api/v1/auth/sign-out-everywhere')).status, 200);
      await page.getByRole('link', { name: 'Team settings' }).click();
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      await page.getByText('Your session has ended. Please sign in again.').waitFor();
      await shot(page, 'session-ended');

      await page.getByLabel('Email').focus();
      await page.keyboard.type(ownerEmail);
      await page.keyboard.press('Tab');
      await page.keyboard.type('not the password');
      await page.keyboard.press('Enter');
      await page.getByText('Wrong email or password.').waitFor();
      await page.getByLabel('Password').fill('');
      await page.getByLabel('Password').focus();
      await page.keyboard.type(PASSWORD);
      await page.keyboard.press('Tab');
      const focused = await page.evaluate<{ text: string; outline: string }>(`(() => {
        const style = getComputedStyle(document.activeElement);
        return { text: document.activeElement.textContent, outline: style.outlineStyle + ' ' + style.outlineWidth };
      })()`);
      assert.deepEqual(focused, { text: 'Sign in', outline: 'solid 3px' }, 'the focused button shows a visible outline');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Team settings' }).waitFor();
      assert.equal(page.url(), `${origin}/settings`);
    });

    it('a user in two teams switches between them from the header; People pages by keyset in each order', async () => {
      await visit(page, '/settings/team', 'Team settings');
      await page.getByLabel('New team name').fill('Second team');
      await page.getByRole('button', { name: 'Create team' }).click();
      await page.getByText('No people yet.').waitFor();
      // A write key made for this team's snippet, then a switch to the first team without a
      // reload: the first team's tag must not carry the second team's key.
      await page.getByRole('link', { name: 'Team settings' }).click();
      await page.getByRole('link', { name: 'Tracking snippet' }).click();
      await page.getByRole('button', { name: 'Create a write key for the snippet' }).click();
      const secondTag = await page.getByLabel('The tag, with your new write key').inputValue();
      await page.getByLabel('Team', { exact: true }).selectOption({ label: 'Acme (owner)' });
      // A switch ends on the new team's People page: a click before it lands would be undone.
      await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
      await page.getByRole('link', { name: 'Team settings' }).click();
      await page.getByRole('link', { name: 'Tracking snippet' }).click();
      const firstTag = await page.getByLabel('The tag', { exact: true }).inputValue();
      assert.match(firstTag, /data-write-key="hv_wk_YOUR_WRITE_KEY"/, `not ${secondTag}`);
      await page.getByLabel('Team', { exact: true }).selectOption({ label: 'Second team (owner)' });
      await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
      await page.getByRole('link', { name: 'Team settings' }).click();
      await page.getByRole('link', { name: 'Tracking snippet' }).click();
      assert.equal(await page.getByLabel('The tag, with your new write key').inputValue(), secondTag, 'its own team still gets it');

      // 27 people in the second team: a full page of 25 and two more.
      const api = await sessionClient(ownerEmail);
      const second = ((await api.get('/api/v1/session')).body.teams as { id: string; name: string }[]).find((t) => t.name === 'Second team')!;
      assert.equal((await api.put('/api/v1/session/team', { teamId: second.id })).status, 200);
      const ids: string[] = [];
      for (let i = 1; i <= 27; i++) {
        const res = await api.post('/api/v1/people', { name: `Person ${String(i).padStart(2, '0')}` });
        assert.equal(res.status, 201, res.raw.body);
        ids.push(res.body.id);
      }
      const pager = page.getByRole('navigation', { name: 'Pages of people' });
      /**
       * The names listed once the list has loaded and `done` holds for them. (The loading check and
       * the read are two steps: a load starting between them reads as an empty list, which no
       * caller's `done` accepts.)
       */
      const names = (what: string, done: (shown: string[]) => boolean) =>
        waitUntil(what, async () => {
          if ((await page.locator('.loading').count()) > 0) return undefined;
          const shown = await rows(page).locator('.person-name').allInnerTexts();
          return done(shown) ? shown : undefined;
        });
      await visit(page, '/people', 'People');
      let shown = await names('page 1, newest first', (n) => n.length === 25);
      assert.deepEqual([shown[0], shown[24]], ['Person 27', 'Person 03'], 'newest first');
      assert.equal(await pager.getByRole('button', { name: 'Previous' }).isDisabled(), true);
      await pager.getByRole('button', { name: 'Next' }).click();
      await pager.getByText('Page 2').waitFor();
      assert.deepEqual(await names('page 2', (n) => n.length > 0 && n.length !== 25), ['Person 02', 'Person 01']);
      assert.equal(await pager.getByRole('button', { name: 'Next' }).isDisabled(), true, 'the last page');
      assert.equal(page.url(), `${origin}/people`, 'the cursor stays out of the address');
      await shot(page, 'people-page-2');
      await pager.getByRole('button', { name: 'Previous' }).click();
      await pager.getByText('Page 1').waitFor();
      assert.equal((await names('page 1 again', (n) => n.length === 25))[0], 'Person 27');

      await page.getByLabel('Order').selectOption({ label: 'Oldest first' });
      shown = await names('oldest first', (n) => n.length > 0 && n[0] !== 'Person 27');
      assert.deepEqual([shown.length, shown[0], shown[24]], [25, 'Person 01', 'Person 25']);
      await pager.getByRole('button', { name: 'Next' }).click();
      await pager.getByText('Page 2').waitFor();
      assert.deepEqual(await names('page 2, oldest first', (n) => n.length > 0 && n.length !== 25), ['Person 26', 'Person 27']);
      // Back from a person returns to the same page in the same order (kept in the history entry, not the address).
      await rows(page).first().getByRole('link').click();
      await page.getByRole('heading', { level: 1, name: 'Person 26' }).waitFor();
      await page.goBack();
      await pager.getByText('Page 2').waitFor();
      assert.deepEqual(await names('page 2, oldest first, after Back', (n) => n.length > 0 && n.length !== 25), ['Person 26', 'Person 27']);
      assert.equal(await page.getByLabel('Order').inputValue(), 'created-asc');
      assert.equal(page.url(), `${origin}/people`);
      // A rectification makes a person the most recently updated.
      assert.equal((await api.patch(`/api/v1/people/${ids[4]}`, { company: 'Engines' })).status, 200);
      await page.getByLabel('Order').selectOption({ label: 'Recently updated' });
      await pager.getByText('Page 1').waitFor();
      shown = await names('recently updated', (n) => n.length === 25);
      assert.equal(shown[0], 'Person 05');
      assert.match(await rows(page).first().innerText(), /Updated /);

      // Name search pages like the list. Back keeps the search and its page too, out of the address.
      await page.getByLabel('Name', { exact: true }).fill('person');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await pager.getByText('Page 1').waitFor();
      assert.equal((await names('25 matches', (n) => n.length === 25))[0], 'Person 27');
      await pager.getByRole('button', { name: 'Next' }).click();
      await pager.getByText('Page 2').waitFor();
      assert.deepEqual(await names('the other matches', (n) => n.length > 0 && n.length !== 25), ['Person 02', 'Person 01']);
      assert.equal(await pager.getByRole('button', { name: 'Next' }).isDisabled(), true, 'the last page of matches');
      await rows(page).first().getByRole('link').click();
      await page.getByRole('heading', { level: 1, name: 'Person 02' }).waitFor();
      await page.goBack();
      await pager.getByText('Page 2').waitFor();
      assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'person');
      assert.equal(page.url(), `${origin}/people`, 'the search stays out of the address');
      // Cleared on its page 2: the list starts again at its own first page.
      await page.getByRole('button', { name: 'Clear search' }).click();
      await pager.getByText('Page 1').waitFor();
      assert.equal((await names('the list again, page 1', (n) => n.length === 25))[0], 'Person 05');
      await page.getByLabel('Name', { exact: true }).fill('person 27');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      assert.deepEqual(await names('one match', (n) => n.length === 1), ['Person 27']);
      assert.equal(await pager.count(), 0, 'one page: no pager');
      await page.getByRole('button', { name: 'Clear search' }).click();

      // The audit log says where a chain breaks: one entry of this team altered with the triggers off.
      await visit(page, '/audit', 'Audit log');
      await page.getByText(/Chain verified: all \d+ entries are intact/).waitFor();
      await haven.engine.ownerTransaction(async (tx) => {
        await tx.query(`SET LOCAL session_replication_role = replica`);
        await tx.query(`UPDATE audit_log SET actor_id = 'someone-else' WHERE team_id = $1 AND seq = 2`, [second.id]);
      });
      await page.getByRole('button', { name: 'Check again' }).click();
      await page.getByText(/^Chain broken at entry 2: .*columns differ.*Entries from there on cannot be trusted/).waitFor();
      await shot(page, 'audit-broken-chain');

      // Someone already on Haven accepts an invitation to this team by signing in on the invitation page.
      const existing = await signUp(haven.server, 'existing', 'Elsewhere');
      await visit(page, '/settings/invitations', 'Team settings');
      await page.getByLabel('Email').fill(existing.email);
      await page.getByLabel('Role', { exact: true }).selectOption('member');
      await page.getByRole('button', { name: 'Create invitation' }).click();
      const link = await page.getByLabel('Invitation link').inputValue();
      const joining = await newContext();
      const j = await joining.newPage();
      await j.goto(link);
      await j.getByRole('heading', { level: 1, name: 'Accept an invitation' }).waitFor();
      await j.getByLabel('Email').fill(existing.email);
      await j.getByLabel('Your password').fill(PASSWORD);
      await j.getByRole('button', { name: 'Sign in and join' }).click();
      await j.getByRole('heading', { level: 1, name: 'People' }).waitFor();
      await waitUntil('the second team’s people', async () => (await rows(j).count()) === 25);
      const joined = j.getByLabel('Team', { exact: true });
      assert.deepEqual((await joined.locator('option').allInnerTexts()).sort(), ['Elsewhere (owner)', 'Second team (member)']);
      assert.equal(await joined.locator('option:checked').innerText(), 'Second team (member)');

      // Removed by the owner while the page is open: the next request shows it, and the member picks their other team.
      assert.equal((await api.delete(`/api/v1/members/${existing.userId}`)).status, 204);
      await rows(j).first().getByRole('link').click();
      await j.getByRole('heading', { level: 1, name: 'You are not working in a team' }).waitFor();
      assert.deepEqual(await j.getByLabel('Team', { exact: true }).locator('option').allInnerTexts(), ['Choose a team', 'Elsewhere (owner)']);
      await shot(j, 'no-team');
      await j.getByRole('button', { name: 'Open Elsewhere (owner)' }).click();
      await j.getByRole('heading', { level: 1, name: 'People' }).waitFor();
      await j.locator('.team-name', { hasText: 'Elsewhere' }).waitFor();

      // Invited again, joining while signed in; then leaving: the header offers the team that is left.
      const again = await api.post('/api/v1/invitations', { email: existing.email, role: 'member' });
      assert.equal(again.status, 201, again.raw.body);
      await j.goto(`${origin}/#invitation=${again.body.token}`);
      await j.getByRole('button', { name: 'Join the team' }).click();
      await j.getByRole('heading', { level: 1, name: 'People' }).waitFor();
      await visit(j, '/settings/team', 'Team settings');
      await j.getByRole('button', { name: 'Leave the team' }).click();
      await j.getByRole('button', { name: 'Leave', exact: true }).click();
      await j.getByRole('heading', { level: 1, name: 'You are not working in a team' }).waitFor();
      await j.getByLabel('Team', { exact: true }).selectOption({ label: 'Elsewhere (owner)' });
      await j.getByRole('heading', { level: 1, name: 'People' }).waitFor();
      await j.reload();
      await j.locator('.team-name', { hasText: 'Elsewhere' }).waitFor();
      await joining.close();

      // Signing in to join with an invitation that no longer works: signed in, and told why not.
      const revoked = await api.post('/api/v1/invitations', { email: uniqueEmail('revoked'), role: 'member' });
      assert.equal((await api.delete(`/api/v1/invitations/${revoked.body.invitation.id}`)).status, 200);
      const late = await newContext();
      const l = await late.newPage();
      await l.goto(`${origin}/#invitation=${revoked.body.token}`);
      await l.getByLabel('Email').fill(existing.email);
      await l.getByLabel('Your password').fill(PASSWORD);
      await l.getByRole('button', { name: 'Sign in and join' }).click();
      await l.getByRole('alert').getByText('This invitation is not valid: it was used, revoked or has expired. Ask for a new one.').waitFor();
      await l.getByText(`You will join as ${existing.email}.`).waitFor();
      // Signed in, with a link sent to someone else: refused, and told why.
      const forOther = await api.post('/api/v1/invitations', { email: uniqueEmail('someone-else'), role: 'member' });
      await l.goto(`${origin}/#invitation=${forOther.body.token}`);
      await l.getByRole('button', { name: 'Join the team' }).click();
      await l.getByRole('alert').getByText('This invitation was sent to another email address. Sign out, then open the link again and join as that address.').waitFor();
      await late.close();

      const switcher = page.getByLabel('Team', { exact: true });
      assert.deepEqual((await switcher.locator('option').allInnerTexts()).sort(), ['Acme (owner)', 'Second team (owner)']);
      await switcher.selectOption({ label: 'Acme (owner)' });
      await waitUntil('Acme’s people', async () => (await rows(page).count()) === 1);
      await shot(page, 'team-switcher');
    });

    it('privacy and retention: the dry run of the saved policy shows before “Apply now”', async () => {
      // An event from 40 days ago, sent with the snippet's write key.
      const writeKey = /data-write-key="([^"]+)"/.exec(tag)![1]!;
      const old = await TestClient.withKey(haven.server, writeKey).post('/api/v1/events', {
        events: [{ type: 'track', userId: 'user-7', event: 'Old visit', timestamp: new Date(Date.now() - 40 * 86_400_000).toISOString() }],
      });
      assert.equal(old.body.accepted, 1, old.raw.body);

      await visit(page, '/settings/privacy', 'Team settings');
      const preview = card(page, 'Retention: what would be removed now');
      await preview.getByText(/^0 events/).waitFor();
      await page.getByRole('checkbox', { name: /Delete events after a number of days/ }).check();
      await page.getByLabel('Keep events for (days)').fill('30');
      await page.getByLabel('Export links work for (hours)').fill('48');
      await preview.getByText(/unsaved changes/).waitFor();
      assert.equal(await preview.getByRole('button', { name: 'Apply now' }).isDisabled(), true, 'no applying an unsaved policy');
      await page.getByRole('button', { name: 'Save the privacy policy' }).click();
      await page.getByText(/^Saved\. Ingest and the daily retention run/).waitFor();
      await preview.getByText(/^1 event to delete — from before/).waitFor();
      await shot(page, 'settings-privacy');
      await preview.getByRole('button', { name: 'Apply now' }).click();
      await preview.getByRole('button', { name: 'Apply the policy' }).click();
      await preview.getByText('Applied: 1 event deleted, 0 people erased, 0 export links closed.').waitFor();
      await preview.getByText(/^0 events to delete/).waitFor();

      const saved = (await (await sessionClient(ownerEmail)).get('/api/v1/privacy/settings')).body;
      assert.deepEqual([saved.consentRequiredFor, saved.eventRetentionDays, saved.inactivePeopleMonths, saved.exportLinkHours], [null, 30, null, 48]);
    });

    it('erases a person only after the typed confirmation, with suppression; the receipt follows the purge', async () => {
      await visit(page, `/people/${personId}`, 'Ada Lovelace');
      const erase = page.getByRole('button', { name: 'Erase person' });
      const typed = page.getByLabel('Type “erase” to confirm');
      await typed.fill('eras');
      assert.equal(await erase.isDisabled(), true);
      await page.getByRole('checkbox', { name: /Also suppress their identities/ }).check();
      await typed.fill('erase');
      await erase.click();
      await page.getByRole('heading', { level: 1, name: 'Person erased' }).waitFor();
      await page.getByText('keys destroyed, purge pending').waitFor();
      assert.match(await page.locator('dl.facts').innerText(), /Identities suppressed\s+4/);
      await shot(page, 'person-erased');

      assert.equal(await haven.jobs.runNow(PURGE_PERSON_JOB), 1);
      await page.getByRole('button', { name: 'Check the status again' }).click();
      await page.getByText(/Their rows have been purged\./).waitFor();
      assert.match(await page.locator('dl.facts').innerText(), /Rows purged/);
      await page.getByRole('link', { name: 'Back to People' }).click();
      await page.getByText('No people yet.').waitFor();
      await page.goto(`${origin}/people/${personId}`);
      await page.getByText('Not found. It may have been deleted, or belong to another team.').waitFor();
    });

    it('the privacy centre: requests with receipts, finding a subject by identity, rejected data, the record of processing', async () => {
      await page.getByRole('link', { name: 'Privacy centre', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Privacy centre' }).waitFor();
      // Someone Haven holds nothing about objects: found by no one, their identity is suppressed anyway.
      await page.getByLabel('Email address').fill('ada@example.test');
      await page.getByRole('button', { name: 'Find', exact: true }).click();
      await page.getByText('Nobody in this team has this identity.').waitFor();
      await page.getByLabel('Email address').fill('grace@example.test');
      await page.getByRole('button', { name: 'Find', exact: true }).click();
      await page.getByRole('button', { name: 'Record an objection for this identity' }).click();
      await page.getByRole('button', { name: 'Record objection' }).click();
      await page.getByText('Objection recorded: this identity is on the suppression list.').waitFor();
      assert.equal(page.url(), `${origin}/privacy`, 'the identity is not in the address');

      const requests = page.locator('.requests .request');
      // Newest first; receipts name the member who downloaded once the names have loaded.
      const [objection, erasure, exported] = await waitUntil('three requests with receipts', async () => {
        const texts = await requests.allInnerTexts();
        return texts.length === 3 && texts[2]!.includes(ownerEmail) ? texts : undefined;
      });
      assert.match(objection!, /^Objection\s+completed[\s\S]*not held by Haven[\s\S]*Identities\s+1/);
      assert.match(erasure!, new RegExp(`^Erasure\\s+completed[\\s\\S]*${personId}[\\s\\S]*Keys destroyed[\\s\\S]*Identities suppressed\\s+4[\\s\\S]*Rows purged`));
      assert.match(exported!, new RegExp(`^Export\\s+downloaded[\\s\\S]*ZIP of CSV files[\\s\\S]*Downloaded by\\s+${ownerEmail.replace(/[.+]/g, '\\$&')}`));
      await page.getByLabel('Show', { exact: true }).selectOption('erasure');
      await waitUntil('the erasure only', async () => (await requests.count()) === 1 && /^Erasure/.test(await requests.first().innerText()));
      await shot(page, 'privacy-requests');

      await page.getByRole('link', { name: 'Rejected data' }).click();
      await page.getByRole('heading', { name: 'Rejected data, last 30 days' }).waitFor();
      await settled(page);
      await page.getByRole('cell', { name: 'Payment card numbers' }).first().waitFor();
      await shot(page, 'privacy-rejected-data');

      await page.getByRole('link', { name: 'Record of processing' }).click();
      await page.getByRole('heading', { level: 2, name: 'Record of processing — Acme' }).waitFor();
      // Purposes are always a table; categories are one too, or say that nothing is held (everyone here may have been erased by now).
      const tables = await page.locator('.markdown table').count();
      const nothingHeld = await page.getByText('No personal data is held yet.').count();
      assert.ok(tables >= 2 || (tables >= 1 && nothingHeld === 1), 'the categories and purposes as tables');
      await page.locator('.markdown').getByRole('cell', { name: 'customer relationship management' }).waitFor();
      const json = await downloadOf(page, () => page.getByRole('button', { name: 'Download JSON' }).click());
      assert.match(json.name, /^record-of-processing-\d{4}-\d{2}-\d{2}\.json$/);
      const record = JSON.parse(json.body.toString('utf8'));
      assert.equal(record.controller, 'Acme');
      assert.equal(record.dataSubjects.count, 0, 'the erased person is not counted');
      const markdown = await downloadOf(page, () => page.getByRole('button', { name: 'Download Markdown' }).click());
      assert.match(markdown.name, /\.md$/);
      assert.match(markdown.body.toString('utf8'), /^# Record of processing — Acme\n/);
      await shot(page, 'privacy-record');
    });

    it('the audit log shows each privacy step and the chain verifies', async () => {
      await visit(page, '/audit', 'Audit log');
      await page.getByText(/Chain verified: all \d+ entries are intact/).waitFor();
      await page.locator('.audit-list').waitFor();
      const actions = await page.locator('.audit-action').allInnerTexts();
      for (const action of ['privacy.settings_changed', 'privacy.retention_applied', 'person.erased', 'person.purged', 'person.objection_recorded', 'person.exported']) {
        assert.ok(actions.includes(action), `${action} in ${actions.join(', ')}`);
      }
      assert.equal(actions[0], 'person.objection_recorded', 'newest first');
      // An erased person's entries stay, but no longer link to a page that is gone.
      await page.locator('.audit-list').getByText(personId).first().waitFor();
      assert.equal(await page.getByRole('link', { name: `person ${personId}` }).count(), 0);
      assert.ok((await page.locator('.audit-list').getByText('(erased)').count()) > 0);
    });

    it('an owner cancels the team: every member sees when it will be deleted, nothing can be changed, and the owner undoes it', async () => {
      // A page opened before the cancellation, with a form ready to save.
      const stale = await owner.newPage();
      await visit(stale, '/settings/team', 'Team settings');
      await stale.getByRole('button', { name: 'Rename the team' }).click();
      // Another, with a note typed on a person's page.
      const api = await sessionClient(ownerEmail);
      const acme = ((await api.get('/api/v1/session')).body.teams as { id: string; name: string }[]).find((t) => t.name === 'Acme')!;
      assert.equal((await api.put('/api/v1/session/team', { teamId: acme.id })).status, 200);
      const grace = await api.post('/api/v1/people', { name: 'Grace Hopper' });
      assert.equal(grace.status, 201, grace.raw.body);
      const noting = await owner.newPage();
      await visit(noting, `/people/${grace.body.id}`, 'Grace Hopper');
      await noting.getByLabel('New note').fill('Typed before the cancellation.');

      await visit(page, '/settings/account', 'Team settings');
      await page.getByRole('button', { name: 'Cancel the team' }).click();
      await page.getByRole('button', { name: 'Cancel and delete its data' }).click();
      await page.getByRole('heading', { name: 'The team is cancelled' }).waitFor();
      // The button that was pressed is gone: focus is on the new card's heading, not dropped.
      await waitUntil('focus on the cancelled card', async () => (await focused(page)) === 'The team is cancelled');
      await banner(page).waitFor();
      assert.match(await banner(page).innerText(), /It will be deleted for good on .+ \(in 23 h 59 min\)/);
      await shot(page, 'settings-account-cancelled');
      await visit(page, '/people', 'People');
      await settled(page);
      assert.equal(await page.getByRole('button', { name: 'Add a person' }).count(), 0, 'no edit controls while read-only');

      // A write from the page that did not know is refused with a clear message, and that page learns the state.
      await stale.getByLabel('Team name', { exact: true }).fill('Acme renamed');
      await stale.getByRole('button', { name: 'Save', exact: true }).click();
      await stale.getByRole('alert').getByText(/^This team was cancelled and is read-only: nothing can be changed unless an owner undoes the cancellation\. It will be deleted on /).waitFor();
      await banner(stale).waitFor();
      await stale.close();
      // The typed note stays on screen, read-only, with the reason it was not saved.
      await noting.getByRole('button', { name: 'Add note' }).click();
      await noting.getByRole('alert').getByText(/^This team was cancelled and is read-only/).waitFor();
      await banner(noting).waitFor();
      assert.equal(await noting.getByLabel('New note').inputValue(), 'Typed before the cancellation.');
      assert.equal(await noting.getByLabel('New note').isDisabled(), true);
      await noting.close();

      // Another member sees it too, with who can undo it.
      const { context: other, page: v } = await signedInBrowser(viewerEmail);
      await banner(v).getByText('Only an owner of the team can undo the cancellation.').waitFor();
      assert.match(await banner(v).innerText(), /You can still read its data; nothing can be changed\./, 'a viewer cannot export');
      await settled(v);
      await shot(v, 'read-only-banner');
      await v.setViewportSize(PHONE);
      await visit(v, '/settings/account', 'Team settings');
      await settled(v);
      assert.equal(await v.getByRole('button', { name: /Undo|Cancel/ }).count(), 0, 'only owners cancel or undo');
      await shot(v, 'read-only-banner-390');
      assert.ok((await v.evaluate<number>('document.documentElement.scrollWidth')) <= PHONE.width);

      await visit(page, '/settings/account', 'Team settings');
      await page.getByRole('button', { name: 'Undo the cancellation' }).click();
      await page.getByText('Cancellation undone: the team is writable again and nothing will be deleted.').waitFor();
      assert.equal(await banner(page).count(), 0);
      await waitUntil('focus on the card’s heading again', async () => (await page.evaluate<string>('document.activeElement.tagName')) === 'H2' && (await focused(page)) === 'Cancel the team');
      // The other member's open tab learns of the undo on its next move, without a reload.
      await v.getByRole('link', { name: 'People', exact: true }).click();
      await v.getByRole('heading', { level: 1, name: 'People' }).waitFor();
      await waitUntil('the banner gone', async () => (await banner(v).count()) === 0);
      await settled(v);
      // Signing out, by keyboard: the account menu opens with Enter.
      await v.locator('.account-menu summary').focus();
      await v.keyboard.press('Enter');
      await v.keyboard.press('Tab');
      assert.equal(await v.evaluate<string>('document.activeElement.textContent'), 'Sign out');
      await v.keyboard.press('Enter');
      await v.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      await v.getByText('You have signed out.').waitFor();
      assert.equal(await v.evaluate<number>("fetch('/api/v1/session').then((r) => r.status)"), 401);
      await other.close();
      const team = (await (await sessionClient(ownerEmail)).get('/api/v1/team')).body;
      assert.deepEqual([team.name, team.deletionDueAt], ['Acme', null]);
    });

    it('signs out everywhere from the account menu', async () => {
      await page.locator('.account-menu summary').click();
      await page.getByRole('button', { name: 'Sign out everywhere' }).click();
      await page.getByText(/You have signed out everywhere: \d+ sessions? ended\./).waitFor();
      const after = await page.evaluate<number>("fetch('/api/v1/session').then((r) => r.status)");
      assert.equal(after, 401);
    });

    it('a member deletes their account from the account menu, with their password', async () => {
      const { context, page: v } = await signedInBrowser(viewerEmail);
      await v.locator('.account-menu summary').click();
      await v.getByRole('link', { name: 'Your account' }).click();
      await v.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
      assert.equal(v.url(), `${origin}/account`);

      await v.getByLabel('Your password').fill('not the password');
      await v.getByRole('button', { name: 'Delete your account…' }).click();
      await v.getByRole('button', { name: 'Delete my account' }).click();
      await v.getByText('That is not your password.').waitFor();
      await shot(v, 'account-wrong-password');

      await v.getByLabel('Your password').fill(PASSWORD);
      await v.getByRole('button', { name: 'Delete your account…' }).click();
      await v.getByRole('button', { name: 'Delete my account' }).click();
      await v.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      await v.getByText(/^Your account has been deleted, and you have left your (team|\d+ teams)\.$/).waitFor();
      assert.equal(await v.evaluate<number>("fetch('/api/v1/session').then((r) => r.status)"), 401);
      await context.close();
      const members = (await (await sessionClient(ownerEmail)).get('/api/v1/members')).body.members as { email: string }[];
      assert.ok(members.some((m) => m.email === ownerEmail) && !members.some((m) => m.email === viewerEmail), 'gone from the team');
    });

    it('no address the app showed holds personal data or a token', () => {
      assert.ok(addresses.length > 10, `${addresses.length} addresses seen`);
      const ours = addresses.filter((a) => a.startsWith(origin));
      const leaks = ours.filter((a) => /@|lovelace|user-7|example|hvi_|hv_wk_|hv_sk_/i.test(decodeURIComponent(a)) && !a.includes('#invitation='));
      assert.deepEqual(leaks, []);
      for (const a of ours) assert.match(new URL(a).pathname, /^\/(|sign-in|sign-up|invitation|people|people\/[0-9a-f-]{36}|settings(\/[a-z-]+)?|privacy(\/[a-z-]+)?|audit|account)$/, a);
    });
  });
}
