import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { type Browser, type BrowserContext, type Page, type Request, chromium } from 'playwright-core';
import { snippetPath } from '../src/modules/tracking/snippet.routes.js';
import { type TestClient, keyClient, signUp } from './support/client.js';
import { type TestHaven, startTestHaven } from './support/haven.js';

/**
 * The browser snippet (tracker/haven.js, served at /t.js) end to end: a real Haven listening on
 * loopback, a test site on another port (another origin, so CORS is real), and Debian's Chromium
 * driven by playwright-core. What the snippet sends is read back through Haven's API.
 * scripts/test.sh installs Chromium when it is missing; the browser half is skipped only when
 * there is still no binary.
 */

const CHROMIUM = process.env.HAVEN_CHROMIUM ?? '/usr/bin/chromium';
// The flags this machine needs: no GPU, no QUIC, and no background calls to Google's hosts.
const CHROMIUM_ARGS = ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const noBrowser = existsSync(CHROMIUM)
  ? false
  : `no Chromium at ${CHROMIUM} and it could not be installed (scripts/test.sh runs apt-get install chromium; set HAVEN_CHROMIUM to use another binary)`;

/** The stub from tracker/haven.js's header and docs/api.md. */
/** The stub from tracker/haven.js's header: each call noted with its time, address and title. */
const STUB = `window.haven=window.haven||{};haven.q=haven.q||[];['page','track','identify','reset'].forEach(function(m){haven[m]=haven[m]||function(){var c=[m].concat([].slice.call(arguments));c.t=Date.now();c.u=location.href;c.n=document.title;haven.q.push(c)}})`;
/** The stub as the guide gave it before it noted anything: pages that pasted it keep working. */
const FIRST_STUB = `window.haven=window.haven||{};haven.q=haven.q||[];['page','track','identify','reset'].forEach(function(m){haven[m]=haven[m]||function(){haven.q.push([m].concat([].slice.call(arguments)))}})`;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Activity {
  type: string;
  name: string | null;
  properties: Record<string, unknown>;
  url: string | null;
  referrer: string | null;
  title: string | null;
  occurredAt: string;
  context: Record<string, unknown>;
}
interface Person {
  id: string;
  name: string | null;
  externalIds: string[];
  anonymousIds: string[];
}

/** Poll until `check` returns a value (not undefined/false), or fail after `ms`. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('snippet: /t.js and the Segment endpoints it posts to', () => {
  let haven: TestHaven;
  let writeKey: string;

  before(async () => {
    haven = await startTestHaven('pglite');
    const { client } = await signUp(haven.server);
    writeKey = (await keyClient(haven.server, client, 'write')).token;
  });
  after(async () => {
    await haven?.close();
  });

  it('serves the snippet minified, its licence header kept: JavaScript, cross-origin, cached with an ETag, < 5 KB gzipped', async () => {
    const source = readFileSync(snippetPath());
    const res = await haven.server.inject({ method: 'GET', url: '/t.js' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/javascript/);
    assert.equal(res.headers['cross-origin-resource-policy'], 'cross-origin');
    assert.equal(res.headers['access-control-allow-origin'], '*');
    assert.match(String(res.headers['cache-control']), /public, max-age=\d+/);
    const served = res.rawPayload.toString('utf8');
    assert.ok(served.startsWith('/*! haven.js'), 'the header comment stays');
    assert.ok(res.rawPayload.length < source.length / 1.5, `minified: ${res.rawPayload.length} of ${source.length} bytes`);
    assert.doesNotThrow(() => new Function(served), 'valid JavaScript');
    assert.doesNotMatch(served, /=>|\blet |\bconst |`/, 'ES5, as the source: no arrows, let, const or template strings');
    const etag = String(res.headers.etag);
    assert.match(etag, /^"[\w-]+"$/);

    const again = await haven.server.inject({ method: 'GET', url: '/t.js', headers: { 'if-none-match': etag } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.rawPayload.length, 0);

    const gz = await haven.server.inject({ method: 'GET', url: '/t.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.match(String(gz.headers.vary), /accept-encoding/i);
    assert.notEqual(gz.headers.etag, etag, 'each encoding has its own ETag');
    assert.ok(gz.rawPayload.length < 5000, `served gzipped: ${gz.rawPayload.length} bytes`);
    assert.equal(gunzipSync(gz.rawPayload).equals(res.rawPayload), true);
  });

  it('/v1/batch answers a CORS preflight from any origin; /api/v1 does not', async () => {
    const preflight = await haven.server.inject({
      method: 'OPTIONS',
      url: '/v1/batch',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
    });
    assert.equal(preflight.statusCode, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], '*');
    assert.match(String(preflight.headers['access-control-allow-methods']), /POST/);
    assert.match(String(preflight.headers['access-control-allow-headers']), /content-type/i);
    assert.match(String(preflight.headers['access-control-allow-headers']), /authorization/i);
    assert.equal(preflight.headers['access-control-allow-credentials'], undefined);

    const api = await haven.server.inject({
      method: 'OPTIONS',
      url: '/api/v1/people',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(api.headers['access-control-allow-origin'], undefined, 'CORS is for the Segment endpoints only');
  });

  it('/v1/batch takes JSON sent as text/plain (sendBeacon) with the key in the body; the API still refuses text/plain', async () => {
    const batch = { writeKey, batch: [{ type: 'track', event: 'Beaconed', anonymousId: 'anon-plain', properties: { a: 1 } }] };
    const res = await haven.server.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: 'https://shop.example' },
      payload: JSON.stringify(batch),
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { success: true, accepted: 1, rejected: 0 });
    assert.equal(res.headers['access-control-allow-origin'], '*');

    const bad = await haven.server.inject({ method: 'POST', url: '/v1/batch', headers: { 'content-type': 'text/plain' }, payload: '{"batch": [' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'malformed_json');

    const native = await haven.server.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${writeKey}` },
      payload: JSON.stringify({ events: [{ type: 'track', event: 'x', anonymousId: 'a' }] }),
    });
    assert.equal(native.statusCode, 415);
  });
});

describe('snippet in Chromium: page views, track, identify, reset, privacy signals', { skip: noBrowser }, () => {
  let haven: TestHaven;
  let owner: TestClient;
  let writeKey: string;
  let havenOrigin: string;
  let site: Server;
  let siteOrigin: string;
  let browser: Browser;
  /** Requests the browser made to Haven, other than for the snippet itself. */
  const sent: Request[] = [];

  function html(title: string, head: string): string {
    return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>${head}</head><body>
<button id="buy" onclick="haven.track('Bought', { plan: 'pro', seats: 3 })">Buy</button>
<a id="cart" href="/shop/cart" onclick="history.pushState({}, '', '/shop/cart'); document.title = 'Cart'; return false">Cart</a>
</body></html>`;
  }

  /** The test site, on its own port: pages that load Haven's snippet in the ways teams paste it. */
  function sitePage(path: string): string | undefined {
    const tag = (extra = '') => `<script src="${havenOrigin}/t.js" data-write-key="${writeKey}"${extra} defer></script>`;
    if (path.startsWith('/shop')) return html('Shop', tag());
    if (path.startsWith('/consent')) return html('Consent', tag(' data-respect-gpc="false"'));
    if (path.startsWith('/queued')) {
      // The guide's first stub, calls made through it, then the snippet, async.
      const stub = FIRST_STUB;
      const calls = `haven.page({ section: 'early' }); haven.track('Queued early', { step: 1 }); haven.identify('queued-user', { name: 'Early Bird' });`;
      return html('Queued', `<script>${stub}; ${calls}</script><script src="${havenOrigin}/t.js" data-write-key="${writeKey}" async></script>`);
    }
    if (path.startsWith('/signed-in')) {
      // A page whose app identifies its user through the stub, before the snippet has loaded.
      return html('Signed in', `<script>${STUB}; haven.identify('second-user'); haven.track('After sign-in');</script><script src="${havenOrigin}/t.js" data-write-key="${writeKey}" async></script>`);
    }
    if (path.startsWith('/stub-configured')) {
      // Configuration and stub together, as the guide allows; the page keeps its own reference.
      const config = `window.haven = { writeKey: ${JSON.stringify(writeKey)}, host: ${JSON.stringify(havenOrigin)} }; window.kept = window.haven;`;
      return html('Stub configured', `<script>${config} ${STUB}; haven.track('Before load'); window.keptTrack = haven.track;</script><script src="${havenOrigin}/t.js" async></script>`);
    }
    if (path.startsWith('/early-spa')) {
      // A single-page app that moves on before the snippet has loaded: each call is as of when it was made.
      const calls = `haven.page(); history.pushState({}, '', '/early-spa/checkout'); document.title = 'Checkout'; haven.page(); haven.track('Checkout started');`;
      return html('Early', `<script>${STUB}; ${calls}</script><script src="${havenOrigin}/t.js" data-write-key="${writeKey}" data-auto-page="false" async></script>`);
    }
    if (path.startsWith('/keep')) return html('Keep', tag(' data-keep-query="q"'));
    if (path === '/plain') return '<!doctype html><title>Plain</title><p>No snippet here.</p>';
    if (path.startsWith('/configured')) {
      return html('Configured', `<script>window.haven = { writeKey: ${JSON.stringify(writeKey)}, host: ${JSON.stringify(havenOrigin)} };</script><script src="${havenOrigin}/t.js" defer></script>`);
    }
    return undefined;
  }

  async function newPage(initScript?: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext();
    if (initScript) await context.addInitScript(initScript);
    context.on('request', (r) => {
      if (r.url().startsWith(havenOrigin) && !r.url().endsWith('/t.js')) sent.push(r);
    });
    const page = await context.newPage();
    return { context, page };
  }

  /** A page in a browser context of its own (its own storage), closed afterwards. */
  async function inNewPage(fn: (page: Page) => Promise<void>): Promise<void> {
    const { context, page } = await newPage();
    try {
      await fn(page);
    } finally {
      await context.close();
    }
  }

  /** The person Haven made of the page's visitor, by the snippet's anonymous id. */
  async function visitorOn(page: Page): Promise<Person> {
    return personWithAnonymousId((await page.evaluate<string>('haven.anonymousId()'))!);
  }

  async function open(page: Page, path: string): Promise<void> {
    await page.goto(`${siteOrigin}${path}`);
    await page.waitForFunction('window.haven && window.haven.__haven === true');
  }

  async function peopleBy(query: string): Promise<Person[]> {
    const res = await owner.get(`/api/v1/people?${query}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.people as Person[];
  }

  async function personWithAnonymousId(anonymousId: string): Promise<Person> {
    return waitFor(`a person with anonymous id ${anonymousId}`, async () => (await peopleBy(`anonymousId=${encodeURIComponent(anonymousId)}`))[0]);
  }

  async function activity(personId: string): Promise<Activity[]> {
    const res = await owner.get(`/api/v1/people/${personId}/activity?limit=200`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body.activity as Activity[]).slice().reverse(); // oldest first
  }

  async function activityUntil(personId: string, what: string, done: (list: Activity[]) => boolean): Promise<Activity[]> {
    return waitFor(what, async () => {
      const list = await activity(personId);
      return done(list) ? list : undefined;
    });
  }

  before(async () => {
    haven = await startTestHaven('pglite');
    await haven.server.listen({ host: '127.0.0.1', port: 0 });
    havenOrigin = `http://127.0.0.1:${(haven.server.server.address() as AddressInfo).port}`;
    owner = (await signUp(haven.server)).client;
    writeKey = (await keyClient(haven.server, owner, 'write')).token;

    site = createServer((req, res) => {
      const body = sitePage(new URL(req.url ?? '/', 'http://site').pathname);
      res.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' }).end(body ?? 'not found');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    assert.notEqual(new URL(siteOrigin).origin, new URL(havenOrigin).origin);

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
    await haven?.close();
  });

  describe('a visitor', () => {
    let context: BrowserContext;
    let page: Page;
    let anonymousId: string;
    let personId: string;

    before(async () => {
      ({ context, page } = await newPage());
    });
    after(async () => {
      await context?.close();
    });

    it('loading the page records a page view (sent by the 2 s batch timer, cross-origin, as text/plain)', async () => {
      const before = sent.length;
      await open(page, '/shop');
      anonymousId = (await page.evaluate<string>('haven.anonymousId()'))!;
      assert.match(anonymousId, UUID_RE);
      personId = (await personWithAnonymousId(anonymousId)).id;
      const [view] = await activityUntil(personId, 'the page view', (l) => l.length === 1);
      assert.equal(view!.type, 'page');
      assert.equal(view!.url, `${siteOrigin}/shop`);
      assert.equal(view!.title, 'Shop');
      assert.equal(view!.referrer, '');
      assert.equal(view!.properties.path, '/shop');

      // The browser reports its requests over its own pipe, which may trail Haven's answer.
      const request = await waitFor('a request to /v1/batch', async () => sent.slice(before).find((r) => r.url() === `${havenOrigin}/v1/batch`));
      assert.equal(request.method(), 'POST');
      assert.match(String(await request.headerValue('content-type')), /^text\/plain/);
      const body = JSON.parse(request.postData() ?? '{}');
      assert.equal(body.writeKey, writeKey);
      assert.deepEqual(body.context, { library: { name: 'haven.js', version: '0.1.0' } });
      const [message] = body.batch;
      assert.deepEqual(Object.keys(message).sort(), ['anonymousId', 'context', 'messageId', 'properties', 'timestamp', 'type']);
      assert.match(message.messageId, UUID_RE);
      assert.deepEqual(Object.keys(message.context), ['page'], 'no user agent, screen, locale or other fingerprinting inputs');
      assert.deepEqual(Object.keys(message.properties).sort(), ['path', 'referrer', 'title', 'url']);
    });

    it('stores only a random id in localStorage, and no cookies', async () => {
      const stored = await page.evaluate<Record<string, string>>('Object.fromEntries(Object.entries(localStorage))');
      assert.deepEqual(stored, { haven_anonymous_id: anonymousId });
      assert.deepEqual(await context.cookies(), []);
    });

    it('a click that calls haven.track records the event', async () => {
      await page.click('#buy');
      const list = await activityUntil(personId, 'the track event', (l) => l.some((a) => a.type === 'track'));
      const event = list.find((a) => a.type === 'track')!;
      assert.equal(event.name, 'Bought');
      assert.deepEqual(event.properties, { plan: 'pro', seats: 3 });
    });

    it('single-page-app navigation (history.pushState) records a second page view', async () => {
      await page.click('#cart');
      const list = await activityUntil(personId, 'the second page view', (l) => l.filter((a) => a.type === 'page').length === 2);
      const second = list.filter((a) => a.type === 'page')[1]!;
      assert.equal(second.url, `${siteOrigin}/shop/cart`);
      assert.equal(second.properties.path, '/shop/cart');
      assert.equal(second.title, 'Cart', 'the title the router set after pushState');
      assert.equal(second.referrer, `${siteOrigin}/shop`, 'the previous page');
      // replaceState to the same URL is not a new page view.
      await page.evaluate("history.replaceState({ step: 2 }, ''); haven.flush()");
      await sleep(300);
      assert.equal((await activity(personId)).filter((a) => a.type === 'page').length, 2);
    });

    it("haven.identify('user-1', {name: 'Ada'}) identifies the anonymous person", async () => {
      await page.evaluate("haven.identify('user-1', { name: 'Ada' }); haven.flush()");
      const person = await waitFor('user-1', async () => (await peopleBy('externalId=user-1'))[0]);
      assert.equal((await peopleBy('externalId=user-1')).length, 1);
      assert.equal(person.id, personId, 'the same person: the visit and the user are one');
      assert.deepEqual(person.externalIds, ['user-1']);
      assert.ok(person.anonymousIds.includes(anonymousId), 'the anonymous id is kept');
      assert.equal(person.name, 'Ada');
      assert.equal((await peopleBy(`anonymousId=${anonymousId}`))[0]?.id, personId);
      const types = (await activity(personId)).map((a) => a.type);
      assert.deepEqual(types, ['page', 'track', 'page', 'identify']);
    });

    it('a reload keeps the anonymous id and the user id', async () => {
      await page.reload();
      await page.waitForFunction('window.haven && window.haven.__haven === true');
      assert.equal(await page.evaluate('haven.anonymousId()'), anonymousId);
      assert.equal(await page.evaluate('haven.userId()'), 'user-1');
      await page.evaluate('haven.flush()');
      const list = await activityUntil(personId, 'the page view after reload', (l) => l.filter((a) => a.type === 'page').length === 3);
      assert.equal(list.at(-1)!.url, `${siteOrigin}/shop/cart`);
    });

    it('haven.reset() starts a new anonymous id and forgets the user', async () => {
      await page.evaluate('haven.reset()');
      const fresh = (await page.evaluate<string>('haven.anonymousId()'))!;
      assert.match(fresh, UUID_RE);
      assert.notEqual(fresh, anonymousId);
      assert.equal(await page.evaluate('haven.userId()'), null);
      await page.evaluate("haven.track('After reset'); haven.flush()");
      const stranger = await personWithAnonymousId(fresh);
      assert.notEqual(stranger.id, personId);
      assert.deepEqual(stranger.externalIds, []);
      anonymousId = fresh;
      personId = stranger.id;
    });

    it('an event whose properties are not JSON (a cycle, a BigInt) is dropped alone: the rest of its batch and later calls go through', async () => {
      const warned = await page.evaluate<number>(`(() => {
        let warnings = 0;
        const warn = console.warn;
        console.warn = () => warnings++;
        const cycle = {};
        cycle.self = cycle;
        haven.track('Before bad', { n: 1 });
        haven.track('Cyclic', cycle);
        haven.track('Big', { n: 10n });
        haven.track('After bad', { n: 2 });
        haven.flush();
        haven.track('Later', { n: 3 });
        haven.flush();
        console.warn = warn;
        return warnings;
      })()`);
      assert.equal(warned, 2, 'one warning per dropped event');
      const list = await activityUntil(personId, 'the events around the bad ones', (l) => l.some((a) => a.name === 'Later') && l.some((a) => a.name === 'After bad'));
      const names = list.map((a) => a.name);
      assert.ok(names.includes('Before bad'));
      assert.ok(!names.includes('Cyclic') && !names.includes('Big'));
    });

    it('events still waiting when the page is left are sent with sendBeacon', async () => {
      // Note each sendBeacon call where it outlives the page: in the site's localStorage.
      await page.evaluate(`{
        const send = navigator.sendBeacon.bind(navigator);
        navigator.sendBeacon = (url, data) => {
          const ok = send(url, data);
          localStorage.setItem('test_beacon', JSON.stringify({ url, type: data.type, ok }));
          return ok;
        };
      }`);
      await page.evaluate("haven.track('Leaving', { step: 'last' })");
      await page.goto(`${siteOrigin}/plain`); // pagehide, well before the 2 s timer; no snippet there
      const list = await activityUntil(personId, 'the event sent on leaving', (l) => l.some((a) => a.name === 'Leaving'));
      assert.deepEqual(list.find((a) => a.name === 'Leaving')!.properties, { step: 'last' });
      const beacon = JSON.parse((await page.evaluate<string>("localStorage.getItem('test_beacon')")) ?? 'null');
      assert.deepEqual(beacon, { url: `${havenOrigin}/v1/batch`, type: 'text/plain', ok: true });
    });
  });

  describe('privacy signals', () => {
    const signals = {
      'Global Privacy Control': "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });",
      'Do Not Track': "Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1', configurable: true });",
      'Do Not Track on window (older Safari and Edge)': "Object.defineProperty(window, 'doNotTrack', { get: () => '1', configurable: true });",
    };

    for (const [signal, init] of Object.entries(signals)) {
      it(`with ${signal}, the snippet sends and stores nothing, and forgets ids an earlier visit stored`, async () => {
        // Ids an earlier visit stored, and events it kept for the next page: this key's, another team's.
        const entry = (k: string) => JSON.stringify(JSON.stringify({ k, h: havenOrigin, u: 0, j: ['{}'] }));
        const earlier = `try { localStorage.setItem('haven_anonymous_id', 'from-an-earlier-visit'); localStorage.setItem('haven_user_id', 'u-0');
          localStorage.setItem('haven_unsent.1.mine', ${entry(writeKey)}); localStorage.setItem('haven_unsent.2.foreign', ${entry('hv_wk_another-team')}); } catch {}`;
        const { context, page } = await newPage(`${init} ${earlier}`);
        try {
          const before = sent.length;
          await open(page, '/shop');
          assert.equal(await page.evaluate('haven.enabled'), false);
          await page.click('#buy');
          await page.click('#cart');
          await page.evaluate("haven.identify('user-2', { name: 'Grace' }); haven.track('Anything'); haven.flush()");
          assert.equal(await page.evaluate('haven.anonymousId()'), null);
          await sleep(2_500); // past the batch timer
          assert.deepEqual(await page.evaluate('Object.keys(localStorage)'), ['haven_unsent.2.foreign'], "only another team's kept events are left");
          await page.goto('about:blank'); // pagehide
          await sleep(300);
          assert.deepEqual(
            sent.slice(before).map((r) => r.url()),
            [],
            'no request to Haven beyond the script',
          );
          assert.deepEqual(await context.cookies(), []);
          assert.deepEqual(await peopleBy('externalId=user-2'), []);
        } finally {
          await context.close();
        }
      });
    }

    it('with data-respect-gpc="false" (a team that records consent), GPC does not stop it', async () => {
      const { context, page } = await newPage(signals['Global Privacy Control']);
      try {
        await open(page, '/consent');
        assert.equal(await page.evaluate('navigator.globalPrivacyControl'), true);
        assert.equal(await page.evaluate('haven.enabled'), true);
        const anonymousId = (await page.evaluate<string>('haven.anonymousId()'))!;
        await page.evaluate('haven.flush()');
        const person = await personWithAnonymousId(anonymousId);
        const [view] = await activityUntil(person.id, 'the page view', (l) => l.length === 1);
        assert.equal(view!.title, 'Consent');
      } finally {
        await context.close();
      }
    });
  });

  it('calls made through the stub before the script loaded are made once it has loaded', async () => {
    await inNewPage(async (page) => {
      await open(page, '/queued');
      await page.evaluate('haven.flush()');
      const person = await waitFor('the person identified through the stub', async () => (await peopleBy('externalId=queued-user'))[0]);
      assert.equal(person.name, 'Early Bird');
      const list = await activityUntil(person.id, 'the page view, the queued track and identify', (l) => l.length >= 3);
      // Events of the same millisecond have no set order in the timeline: compare as a set. The
      // page() queued through the stub is the page's view: no automatic one besides.
      assert.deepEqual(list.map((a) => `${a.type}:${a.name}`).sort(), ['identify:null', 'page:null', 'track:Queued early']);
      assert.equal(list.find((a) => a.type === 'page')!.properties.section, 'early');
      assert.deepEqual(list.find((a) => a.type === 'track')!.properties, { step: 1 });
    });
  });

  it('configuration and stub together: the early call is made, and the page\'s reference to its object is the API', async () => {
    await inNewPage(async (page) => {
      await open(page, '/stub-configured');
      assert.equal(await page.evaluate('window.kept === window.haven'), true);
      await page.evaluate("kept.track('Through the kept reference'); haven.flush()");
      const person = await visitorOn(page);
      const list = await activityUntil(person.id, 'the view and both events', (l) => l.length === 3);
      assert.deepEqual(list.map((a) => a.name ?? a.type).sort(), ['Before load', 'Through the kept reference', 'page']);
    });
  });

  it('query strings keep only utm_* and the parameters a team names; fragments only routes, without their query', async () => {
    await inNewPage(async (page) => {
      await open(page, '/shop?utm_source=news&reset_token=SECRET123&email=ada%40example.test&=bare-token');
      const person = await visitorOn(page);
      await page.evaluate("history.pushState({}, '', '/shop/cart?step=2#/verify?code=HASHCODE&utm_term=x')");
      // A search box writing its state into the URL: the same place, no new view.
      await page.evaluate("history.replaceState({}, '', '/shop/cart?q=a#/verify'); history.replaceState({}, '', '/shop/cart?q=ada#/verify')");
      await page.evaluate("history.replaceState({}, '', '/shop/done'); haven.flush()");
      const views = await activityUntil(person.id, 'three page views', (l) => l.length >= 3);
      await sleep(300);
      assert.deepEqual(
        (await activity(person.id)).map((a) => [a.url, a.referrer]),
        [
          [`${siteOrigin}/shop?utm_source=news`, ''],
          [`${siteOrigin}/shop/cart#/verify?utm_term=x`, `${siteOrigin}/shop?utm_source=news`],
          [`${siteOrigin}/shop/done`, `${siteOrigin}/shop/cart#/verify?utm_term=x`],
        ],
        JSON.stringify(views),
      );

      await open(page, '/keep/search?q=boots&session=abc');
      await page.evaluate("history.replaceState({}, '', '/keep/search?q=red+boots&session=abc'); history.pushState({}, '', '/keep/item?q=red+boots&id=7'); haven.flush()");
      const kept = await activityUntil(person.id, 'the two views with kept queries', (l) => l.length >= 5);
      await sleep(300);
      assert.deepEqual(
        (await activity(person.id)).slice(3).map((a) => a.url),
        [`${siteOrigin}/keep/search?q=boots`, `${siteOrigin}/keep/item?q=red+boots`],
        JSON.stringify(kept),
      );
    });
  });

  it('a batch over the browsers\' 64 KiB limit is sent in parts: every event arrives', async () => {
    await inNewPage(async (page) => {
      await open(page, '/shop');
      const person = await visitorOn(page);
      const before = sent.length;
      await page.evaluate("for (let i = 0; i < 20; i++) haven.track('Big ' + i, { blob: 'x'.repeat(4000) })");
      const list = await activityUntil(person.id, 'the 20 big events', (l) => l.filter((a) => a.type === 'track').length === 20);
      assert.equal(new Set(list.map((a) => a.name)).size, 21);
      const bodies = sent.slice(before).filter((r) => r.url() === `${havenOrigin}/v1/batch`).map((r) => Buffer.byteLength(r.postData() ?? ''));
      assert.ok(bodies.length >= 2 && bodies.every((n) => n < 64 * 1024), JSON.stringify(bodies));
    });
  });

  it('an event tracked while the page is being hidden (the page\'s own visibilitychange) still arrives', async () => {
    await inNewPage(async (page) => {
      await open(page, '/shop');
      const person = await visitorOn(page);
      await page.evaluate("document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') haven.track('Time on page', { seconds: 12 }); })");
      await page.goto(`${siteOrigin}/plain`);
      const list = await activityUntil(person.id, 'the event tracked on leaving', (l) => l.some((a) => a.name === 'Time on page'));
      assert.deepEqual(list.find((a) => a.name === 'Time on page')!.properties, { seconds: 12 });
    });
  });

  it('back to a page kept in the back/forward cache is a page view', async () => {
    // Playwright turns the back/forward cache off; browsers have it on. A browser of its own here.
    const cached = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS, '--enable-features=BackForwardCache'],
      ignoreDefaultArgs: ['--disable-back-forward-cache'],
    });
    try {
      const page = await (await cached.newContext()).newPage();
      await open(page, '/shop');
      const person = await visitorOn(page);
      await page.evaluate("addEventListener('pageshow', (e) => { window.restored = e.persisted; })");
      await page.goto(`${siteOrigin}/plain`);
      await page.goBack({ waitUntil: 'commit' });
      await page.waitForFunction('window.restored !== undefined');
      assert.equal(await page.evaluate('window.restored'), true, 'restored from the back/forward cache, not loaded again');
      await page.evaluate('haven.flush()');
      const list = await activityUntil(person.id, 'two page views', (l) => l.filter((a) => a.type === 'page').length === 2);
      assert.deepEqual(list.map((a) => a.url), [`${siteOrigin}/shop`, `${siteOrigin}/shop`]);
    } finally {
      await cached.close();
    }
  });

  it('identify with another user (no reset between) starts a new anonymous id: the two users stay apart', async () => {
    await inNewPage(async (page) => {
      await open(page, '/shop');
      const first = (await page.evaluate<string>('haven.anonymousId()'))!;
      await page.evaluate("haven.identify('alice-1'); haven.identify('alice-1', { plan: 'pro' })");
      assert.equal(await page.evaluate('haven.anonymousId()'), first, 'the same user again keeps it');
      await page.evaluate("haven.identify('bob-2'); haven.flush()");
      const second = (await page.evaluate<string>('haven.anonymousId()'))!;
      assert.notEqual(second, first);
      const alice = await waitFor('alice', async () => (await peopleBy('externalId=alice-1'))[0]);
      const bob = await waitFor('bob', async () => (await peopleBy('externalId=bob-2'))[0]);
      assert.notEqual(alice.id, bob.id);
      assert.deepEqual([alice.anonymousIds, bob.anonymousIds], [[first], [second]]);
    });
  });

  /** Haven as a page sees it while down: /v1/batch answers 503 with Retry-After: 3 s while `down`, counting the refusals. */
  async function refusing(context: BrowserContext, down: boolean): Promise<{ down: boolean; refused: number }> {
    const server = { down, refused: 0 };
    await context.route(`${havenOrigin}/v1/batch`, async (route) => {
      if (!server.down) return route.continue();
      server.refused++;
      await route.fulfill({ status: 503, headers: { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'retry-after', 'retry-after': '3' }, body: '{}' });
    });
    return server;
  }

  it('a server down for a while: the snippet waits as told (not on every new event), keeps what waits, and sends it once it is back', async () => {
    const { context, page } = await newPage();
    try {
      const server = await refusing(context, true);
      await open(page, '/shop');
      const person = page.evaluate<string>('haven.anonymousId()');
      // A busy page: 20 events at once (a batch, refused), then one every 100 ms.
      await page.evaluate("for (let i = 0; i < 20; i++) haven.track('Busy ' + i)");
      for (let i = 0; i < 15; i++) {
        await page.evaluate(`haven.track('Then ${i}')`);
        await sleep(100);
      }
      assert.ok(server.refused <= 2, `sent ${server.refused} times while refused (Retry-After: 3 s)`);
      server.down = false;
      const found = await personWithAnonymousId((await person)!);
      const list = await activityUntil(found.id, 'every event, once the server is back', (l) => l.filter((a) => a.type === 'track').length === 35);
      assert.equal(new Set(list.map((a) => a.name)).size, 36, 'each once');
    } finally {
      await context.close();
    }
  });

  /** What pages of the site kept for the next (the snippet's localStorage entries), as [key, value]. */
  const kept = (page: Page) =>
    page.evaluate<[string, string][]>("Object.keys(localStorage).filter((k) => k.startsWith('haven_unsent')).sort().map((k) => [k, localStorage.getItem(k)])");

  it('two tabs keeping what they could not send at the same instant: neither loses the other\'s', async () => {
    const { context, page } = await newPage();
    try {
      const server = await refusing(context, true);
      await open(page, '/shop');
      const anonymousId = (await page.evaluate<string>('haven.anonymousId()'))!;
      await page.evaluate("for (let i = 0; i < 3; i++) haven.track('Tab A ' + i); haven.flush()");
      await waitFor('a refused send', async () => (server.refused > 0 ? true : undefined));
      // Another tab of the site goes (hidden as the visitor switches to it from this one) between
      // this tab's reading what is kept and its writing: its entry must survive this tab's write.
      const event = (name: string) => JSON.stringify({ type: 'track', event: name, messageId: randomUUID(), anonymousId, timestamp: new Date().toISOString(), properties: {} });
      const entry = (name: string) => JSON.stringify({ k: writeKey, h: havenOrigin, u: 0, j: [event(name)] });
      await page.evaluate(`localStorage.setItem('haven_unsent.1.earlier', ${JSON.stringify(entry('Earlier tab'))});
        const get = Storage.prototype.getItem;
        let raced = false;
        Storage.prototype.getItem = function (k) {
          const value = get.call(this, k);
          if (!raced && k.startsWith('haven_unsent')) {
            raced = true;
            localStorage.setItem('haven_unsent.2.tab-b', ${JSON.stringify(entry('Tab B'))});
          }
          return value;
        };
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
        document.dispatchEvent(new Event('visibilitychange'));`);
      assert.equal((await kept(page)).length, 3, 'each going kept an entry of its own');
      server.down = false;
      const next = await context.newPage();
      await open(next, '/shop/next');
      const person = await personWithAnonymousId(anonymousId);
      const list = await activityUntil(person.id, "both tabs' events", (l) => l.filter((a) => a.type === 'track').length === 5);
      assert.deepEqual(list.filter((a) => a.type === 'track').map((a) => a.name).sort(), ['Earlier tab', 'Tab A 0', 'Tab A 1', 'Tab A 2', 'Tab B']);
      assert.deepEqual(await kept(next), [], 'all taken');
    } finally {
      await context.close();
    }
  });

  it('leaving with more than a beacon holds: the rest is kept, and the next page of the site sends it', async () => {
    await inNewPage(async (page) => {
      await open(page, '/shop');
      const person = await visitorOn(page);
      // What another tab of the site kept as it went, not sent yet: kept alongside, not overwritten.
      // And what a page with another team's write key kept: never sent with this one's.
      const anonymousId = await page.evaluate<string>('haven.anonymousId()');
      const event = (name: string) => JSON.stringify({ type: 'track', event: name, messageId: randomUUID(), anonymousId, timestamp: new Date().toISOString(), properties: {} });
      const foreign = JSON.stringify({ k: 'hv_wk_another-team', h: havenOrigin, u: 0, j: [event('Another team')] });
      const otherTab = JSON.stringify({ k: writeKey, h: havenOrigin, u: 0, j: [event('From another tab')] });
      await page.evaluate(`localStorage.setItem('haven_unsent.1.other-tab', ${JSON.stringify(otherTab)}); localStorage.setItem('haven_unsent.2.foreign', ${JSON.stringify(foreign)})`);
      await page.evaluate("for (let i = 0; i < 16; i++) haven.track('Heavy ' + i, { blob: 'x'.repeat(5000) })");
      await page.goto(`${siteOrigin}/shop/next`); // at once: some still waiting, some on their way
      const list = await activityUntil(person.id, 'all 16 heavy events and the other tab\'s', (l) => l.filter((a) => a.name?.startsWith('Heavy')).length === 16 && l.some((a) => a.name === 'From another tab'));
      assert.equal(new Set(list.filter((a) => a.type === 'track').map((a) => a.name)).size, 17, 'none lost, none twice');
      assert.deepEqual(await kept(page), [['haven_unsent.2.foreign', foreign]], "nothing of this key's left waiting; the other key's untouched");
      assert.ok(!list.some((a) => a.name === 'Another team'));
    });
  });

  it('leaving while a batch is still on its way by fetch: it is beaconed again, so it arrives though the page is gone', async () => {
    const { context, page } = await newPage();
    try {
      let held = 0;
      // The first batch's answer is slow; the page leaves the site before it comes.
      await context.route('**/v1/batch', async (route) => {
        if (held++ === 0) {
          await sleep(3000);
          await route.continue().catch(() => {}); // the page, and its fetch, are gone by now
        } else await route.continue();
      });
      await open(page, '/shop');
      const anonymousId = (await page.evaluate<string>('haven.anonymousId()'))!;
      await page.evaluate("haven.track('On its way'); haven.flush()");
      await sleep(200);
      await page.goto(`${siteOrigin}/plain`); // off the snippet's pages: nothing kept is sent again
      const person = await personWithAnonymousId(anonymousId);
      const list = await activityUntil(person.id, 'the view and the event', (l) => l.length === 2);
      assert.deepEqual(list.map((a) => (a.type === 'page' ? a.title : a.name)).sort(), ['On its way', 'Shop'].sort());
    } finally {
      await context.close();
    }
  });

  it('leaving while the server asked to wait: nothing is beaconed to it, all is kept, and the next page sends it once the wait is over', async () => {
    const { context, page } = await newPage();
    try {
      const server = await refusing(context, false);
      await open(page, '/shop');
      const person = await visitorOn(page);
      server.down = true;
      await page.evaluate("for (let i = 0; i < 5; i++) haven.track('During the wait ' + i); haven.flush()");
      await waitFor('the refused batch', async () => (server.refused >= 1 ? true : undefined));
      await page.goto(`${siteOrigin}/plain`); // leaves during the 3 s wait
      assert.equal(server.refused, 1, 'nothing sent while told to wait');
      const entries = (await kept(page)).map(([, value]) => JSON.parse(value));
      assert.equal(entries.length, 1);
      assert.equal(entries[0].j.length, 5);
      assert.ok(entries[0].u > Date.now() - 1000, 'the wait travels with them');
      server.down = false;
      await open(page, '/shop/again');
      const list = await activityUntil(person.id, 'the five kept events', (l) => l.filter((a) => a.name?.startsWith('During the wait')).length === 5);
      assert.equal(new Set(list.map((a) => a.name)).size, list.length - 1, 'each once (two page views)');
    } finally {
      await context.close();
    }
  });

  it('a prerendered page whose router rewrites history before it is shown has one page view, once shown', async () => {
    const prerender = `let pre = true;
      Object.defineProperty(Document.prototype, 'prerendering', { get: () => pre, configurable: true });
      window.activate = () => { pre = false; document.dispatchEvent(new Event('prerenderingchange')); };
      document.addEventListener('DOMContentLoaded', () => history.replaceState({ router: 1 }, ''));`;
    const { context, page } = await newPage(prerender);
    try {
      const before = sent.length;
      await page.goto(`${siteOrigin}/shop/pre`);
      await page.waitForFunction('window.haven && window.haven.__haven === true');
      await sleep(300);
      assert.equal(sent.length, before, 'nothing sent while prerendered');
      await page.evaluate('activate(); haven.flush()');
      const person = await personWithAnonymousId((await page.evaluate<string>('haven.anonymousId()'))!);
      await sleep(500);
      await page.evaluate('haven.flush()');
      const list = await activityUntil(person.id, 'the page view', (l) => l.length >= 1);
      assert.deepEqual(list.map((a) => [a.type, a.url]), [['page', `${siteOrigin}/shop/pre`]]);
    } finally {
      await context.close();
    }
  });

  it("a view still waiting for its title when the user signs out is theirs, and goes before the reset's new id", async () => {
    await inNewPage(async (page) => {
      await open(page, '/shop');
      await page.evaluate("haven.identify('pending-view-user')");
      await page.evaluate("history.pushState({}, '', '/shop/goodbye'); setTimeout(() => haven.reset(), 30)");
      await sleep(300);
      await page.evaluate('haven.flush()');
      const user = await waitFor('the user', async () => (await peopleBy('externalId=pending-view-user'))[0]);
      const list = await activityUntil(user.id, 'the goodbye view', (l) => l.some((a) => a.url === `${siteOrigin}/shop/goodbye`));
      assert.ok(list.some((a) => a.type === 'page' && a.url === `${siteOrigin}/shop/goodbye`));
    });
  });

  it('a stub function the page kept before the script loaded still works afterwards', async () => {
    await inNewPage(async (page) => {
      await open(page, '/stub-configured');
      const person = await visitorOn(page);
      // The page kept the stub's own function (keptTrack), from before the snippet replaced it.
      assert.equal(await page.evaluate('window.keptTrack === haven.track'), false);
      await page.evaluate("keptTrack('Through the old stub', { late: true }); haven.flush()");
      const list = await activityUntil(person.id, 'the late stub call', (l) => l.some((a) => a.name === 'Through the old stub'));
      assert.deepEqual(list.find((a) => a.name === 'Through the old stub')!.properties, { late: true });
    });
  });

  it('with localStorage full, identify of another user is sent under the new id, not the stored one', async () => {
    await inNewPage(async (page) => {
      await open(page, '/shop');
      await page.evaluate("haven.identify('al-full'); haven.flush()");
      await page.evaluate("Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); }");
      await page.evaluate("haven.identify('bob-full', { name: 'Bob' }); haven.flush()");
      assert.equal(await page.evaluate('haven.userId()'), 'bob-full');
      const bob = await waitFor('bob', async () => (await peopleBy('externalId=bob-full'))[0]);
      assert.equal(bob.name, 'Bob');
      const al = await waitFor('al', async () => (await peopleBy('externalId=al-full'))[0]);
      assert.notEqual(al.name, 'Bob', "Bob's traits are not Al's");
    });
  });

  it("a reset() in one tab reaches the site's other tabs: their next events carry the new id and no user", async () => {
    const { context, page: a } = await newPage();
    try {
      await open(a, '/shop');
      const b = await context.newPage();
      await open(b, '/shop');
      await b.evaluate("haven.identify('tab-user')");
      await a.evaluate('haven.reset()');
      const fresh = await a.evaluate<string>('haven.anonymousId()');
      assert.deepEqual(await b.evaluate('[haven.userId(), haven.anonymousId()]'), [null, fresh]);
    } finally {
      await context.close();
    }
  });

  it("an identify() queued before the script loaded comes before the automatic page view: the view is that user's", async () => {
    await inNewPage(async (page) => {
      await open(page, '/shop');
      await page.evaluate("haven.identify('first-user'); haven.flush()");
      const first = await waitFor('the first user', async () => (await peopleBy('externalId=first-user'))[0]);
      await open(page, '/signed-in');
      await page.evaluate('haven.flush()');
      const second = await waitFor('the second user', async () => (await peopleBy('externalId=second-user'))[0]);
      const list = await activityUntil(second.id, 'the identify, the view and the track', (l) => l.length >= 3);
      assert.deepEqual(list.map((a) => a.type).sort(), ['identify', 'page', 'track']);
      assert.equal(list.find((a) => a.type === 'page')!.title, 'Signed in');
      assert.ok((await activity(first.id)).every((a) => a.title !== 'Signed in'), "not the first user's");
    });
  });

  it('a route fragment is sent as its path only: not what follows a second #, & or ;', async () => {
    await inNewPage(async (page) => {
      await open(page, '/shop');
      const person = await visitorOn(page);
      await page.evaluate("history.pushState({}, '', '/shop/cb#/callback#access_token=SECRET1')");
      await sleep(300);
      await page.evaluate("history.pushState({}, '', '/shop/x#!/item&token=SECRET2')");
      await sleep(300);
      // A route's query ends at a second # too: what follows is no part of it.
      await page.evaluate("history.pushState({}, '', '/shop/q#/callback?utm_source=mail#access_token=SECRET3')");
      await sleep(300);
      await page.evaluate('haven.flush()');
      const list = await activityUntil(person.id, 'four page views', (l) => l.length >= 4);
      assert.deepEqual(list.slice(1).map((a) => a.url), [`${siteOrigin}/shop/cb#/callback`, `${siteOrigin}/shop/x#!/item`, `${siteOrigin}/shop/q#/callback?utm_source=mail`]);
      assert.ok(sent.every((r) => !(r.postData() ?? '').includes('SECRET')), 'no token sent');
    });
  });

  it('a page hidden while its events wait, with storage refusing to keep them, keeps them in memory and sends them when shown again', async () => {
    const { context, page } = await newPage();
    try {
      const server = await refusing(context, true);
      await open(page, '/shop');
      const anonymousId = (await page.evaluate<string>('haven.anonymousId()'))!;
      await page.evaluate("for (let i = 0; i < 5; i++) haven.track('Waiting ' + i); haven.flush()");
      await waitFor('a refused send', async () => (server.refused > 0 ? true : undefined));
      const shown = (state: string) =>
        `Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => '${state}' }); document.dispatchEvent(new Event('visibilitychange'))`;
      await page.evaluate(`const set = Storage.prototype.setItem; Storage.prototype.setItem = function (k, v) { if (k.startsWith('haven_unsent')) throw new DOMException('full', 'QuotaExceededError'); return set.call(this, k, v); }; ${shown('hidden')}`);
      server.down = false;
      await page.evaluate(shown('visible'));
      const person = await personWithAnonymousId(anonymousId);
      const list = await activityUntil(person.id, 'the five events', (l) => l.filter((a) => a.type === 'track').length === 5);
      assert.equal(new Set(list.map((a) => a.name)).size, 6, 'the view and each event once');
    } finally {
      await context.close();
    }
  });

  it('events kept as a page is hidden keep their count of sends: shown and hidden again, a server still down is not sent them more', async () => {
    const { context, page } = await newPage();
    try {
      const server = await refusing(context, true);
      await open(page, '/shop');
      // Counts the answers the snippet has dealt with: a macrotask after its own handler has run.
      await page.evaluate("const f = window.fetch; window.answered = 0; window.fetch = (...a) => f(...a).then((r) => { setTimeout(() => window.answered++, 0); return r; })");
      await page.evaluate("for (let i = 0; i < 3; i++) haven.track('Counted ' + i); haven.flush()");
      await waitFor('a refused send, dealt with', async () => (server.refused > 0 && (await page.evaluate<number>('window.answered')) > 0 ? true : undefined));
      const visibility = (state: string) =>
        page.evaluate(`Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => '${state}' }); document.dispatchEvent(new Event('visibilitychange'))`);
      await visibility('hidden');
      const sends = async () => (await kept(page)).flatMap(([, value]) => JSON.parse(value).a as number[]);
      const first = await sends();
      assert.ok(first.length >= 3 && first.some((n) => n >= 1), `the refused send is counted: ${JSON.stringify(first)}`);
      await visibility('visible');
      await visibility('hidden');
      assert.deepEqual(await sends(), first, 'taken back and kept again: the counts travel with the events');
    } finally {
      await context.close();
    }
  });

  it('more kept than a page holds (200 events): whole entries are taken while they fit, the rest stay kept for later', async () => {
    const { context, page } = await newPage();
    try {
      await page.goto(`${siteOrigin}/plain`); // the site's origin, no snippet yet
      const anonymousId = randomUUID();
      const entry = (tab: number) =>
        JSON.stringify({
          k: writeKey,
          h: havenOrigin,
          u: 0,
          j: Array.from({ length: 150 }, (_, i) => JSON.stringify({ type: 'track', event: `Tab ${tab} event ${i}`, messageId: randomUUID(), anonymousId, timestamp: new Date(Date.now() - (4 - tab) * 60_000).toISOString(), properties: {} })),
        });
      await page.evaluate(`[1, 2, 3].forEach((n, i) => localStorage.setItem('haven_unsent.' + n + '.tab', [${[1, 2, 3].map((n) => JSON.stringify(entry(n))).join(',')}][i]))`);
      await open(page, '/shop');
      await page.evaluate('haven.flush()');
      assert.deepEqual((await kept(page)).map(([key]) => key), ['haven_unsent.2.tab', 'haven_unsent.3.tab'], 'the oldest taken whole; two left kept');
      const person = await personWithAnonymousId(anonymousId);
      const list = await activityUntil(person.id, "the first tab's 150 events", (l) => l.length === 150);
      assert.ok(list.every((a) => a.name?.startsWith('Tab 1 ')));
      // The next page of the site takes the next.
      await open(page, '/shop/next');
      await activityUntil(person.id, "the second tab's too", (l) => l.filter((a) => a.name?.startsWith('Tab 2 ')).length === 150); // (of the newest 200)
      assert.deepEqual((await kept(page)).map(([key]) => key), ['haven_unsent.3.tab']);
    } finally {
      await context.close();
    }
  });

  it('a single-page app that sets the title a frame after the URL: the view has the new title', async () => {
    await inNewPage(async (page) => {
      await open(page, '/shop');
      const person = await visitorOn(page);
      // Navigation after navigation, each title set a frame late: each view has its own.
      for (const [path, title] of [['/shop/item', 'Item'], ['/shop/b', 'B'], ['/shop/c', 'C']]) {
        await page.evaluate(`history.pushState({}, '', '${path}'); requestAnimationFrame(() => { document.title = '${title}' })`);
        await sleep(300);
      }
      await page.evaluate("history.back()");
      await sleep(300);
      await page.evaluate('haven.flush()');
      const list = await activityUntil(person.id, 'five page views', (l) => l.filter((a) => a.type === 'page').length === 5);
      assert.deepEqual(
        list.map((a) => [a.url, a.title]),
        [[`${siteOrigin}/shop`, 'Shop'], [`${siteOrigin}/shop/item`, 'Item'], [`${siteOrigin}/shop/b`, 'B'], [`${siteOrigin}/shop/c`, 'C'], [`${siteOrigin}/shop/b`, 'C']],
        'back to /shop/b, whose app did not set its title again: the title there is',
      );
    });
  });

  it('an app that tidies its address as it starts (a hash router writing #/, a trailing slash) has one view', async () => {
    await inNewPage(async (page) => {
      await open(page, '/shop');
      const person = await visitorOn(page);
      await page.evaluate("history.replaceState({}, '', location.pathname + '#/')");
      await sleep(100);
      await page.evaluate("history.replaceState({}, '', '/shop/#!/')");
      await sleep(100);
      // A real route after it is a view, sent without a root route's #/.
      await page.evaluate("history.pushState({}, '', '/shop/#/cart'); document.title = 'Cart'");
      await sleep(300);
      await page.evaluate('haven.flush()');
      const list = await activityUntil(person.id, 'the route view', (l) => l.some((a) => a.url === `${siteOrigin}/shop/#/cart`));
      await sleep(300);
      assert.deepEqual((await activity(person.id)).filter((a) => a.type === 'page').map((a) => a.url), [`${siteOrigin}/shop`, `${siteOrigin}/shop/#/cart`]);
      assert.equal(list.length, 2);
    });
  });

  it('two navigations within the wait for a title (a guard redirecting at once): each view has its own title', async () => {
    await inNewPage(async (page) => {
      await open(page, '/shop');
      const person = await visitorOn(page);
      await page.evaluate(`history.pushState({}, '', '/shop/login'); setTimeout(() => { document.title = 'Login' }, 10);
        setTimeout(() => { history.replaceState({}, '', '/shop/dashboard'); setTimeout(() => { document.title = 'Dashboard' }, 10) }, 40)`);
      await sleep(400);
      await page.evaluate('haven.flush()');
      const list = await activityUntil(person.id, 'three views', (l) => l.filter((a) => a.type === 'page').length === 3);
      assert.deepEqual(
        list.filter((a) => a.type === 'page').map((a) => [a.url, a.title]),
        [[`${siteOrigin}/shop`, 'Shop'], [`${siteOrigin}/shop/login`, 'Login'], [`${siteOrigin}/shop/dashboard`, 'Dashboard']],
      );
    });
  });

  it('navigations through the Navigation API (navigation.navigate, intercepted links) are views, once each', async () => {
    await inNewPage(async (page) => {
      await open(page, '/shop');
      const person = await visitorOn(page);
      const hasNavigation = await page.evaluate('typeof window.navigation === "object" && window.navigation !== null');
      assert.ok(hasNavigation, 'this Chromium has the Navigation API');
      await page.evaluate(`navigation.addEventListener('navigate', (e) => {
        if (e.canIntercept) e.intercept({ handler: async () => { await new Promise((r) => setTimeout(r, 20)); document.title = new URL(e.destination.url).pathname.slice(6) } });
      })`);
      await page.evaluate("navigation.navigate('/shop/first')");
      await sleep(300);
      await page.evaluate("navigation.navigate('/shop/second')");
      await sleep(300);
      await page.evaluate("history.pushState({}, '', '/shop/third'); document.title = 'third'");
      await sleep(300);
      await page.evaluate('haven.flush()');
      const list = await activityUntil(person.id, 'four views', (l) => l.filter((a) => a.type === 'page').length >= 4);
      await sleep(300);
      assert.deepEqual(
        (await activity(person.id)).filter((a) => a.type === 'page').map((a) => [a.url, a.title]),
        [[`${siteOrigin}/shop`, 'Shop'], [`${siteOrigin}/shop/first`, 'first'], [`${siteOrigin}/shop/second`, 'second'], [`${siteOrigin}/shop/third`, 'third']],
      );
      assert.equal(list.length, 4);
    });
  });

  it('calls made through the stub are recorded with the address, title and time they were made at', async () => {
    const { context, page } = await newPage();
    try {
      // The snippet arrives a second and a half after the page made its calls.
      await context.route('**/t.js', async (route) => {
        await sleep(1500);
        await route.continue();
      });
      await open(page, '/early-spa');
      const loadedAt = (await page.evaluate<number>('Date.now()'))!;
      const anonymousId = (await page.evaluate<string>('haven.anonymousId()'))!;
      await page.evaluate('haven.flush()');
      const person = await personWithAnonymousId(anonymousId);
      const list = await activityUntil(person.id, 'two views and the event', (l) => l.length === 3);
      assert.deepEqual(
        list.map((a) => [a.type, a.url, a.type === 'page' ? a.title : a.name]).sort(),
        [
          ['page', `${siteOrigin}/early-spa`, 'Early'],
          ['page', `${siteOrigin}/early-spa/checkout`, 'Checkout'],
          ['track', `${siteOrigin}/early-spa/checkout`, 'Checkout started'],
        ].sort(),
      );
      const track = list.find((a) => a.type === 'track')!;
      assert.equal((track.context.page as { title: string }).title, 'Checkout');
      for (const a of list) assert.ok(Date.parse(a.occurredAt) < loadedAt - 1000, `${a.occurredAt} is when the call was made, not when the snippet ran`);
    } finally {
      await context.close();
    }
  });

  it("a new visitor's tabs opened together are one visitor: a tab whose id lost the race in storage takes the stored one before it sends", async () => {
    await inNewPage(async (page) => {
      await open(page, '/shop');
      const made = (await page.evaluate<string>('haven.anonymousId()'))!;
      // Another tab of the same new visitor, a moment later, wrote the id it made up over this one's.
      const other = randomUUID();
      await page.evaluate(`localStorage.setItem('haven_anonymous_id', '${other}')`);
      const person = await personWithAnonymousId(other); // sent within 2 s of the view
      await activityUntil(person.id, 'the view', (l) => l.length === 1);
      assert.deepEqual(person.anonymousIds, [other], 'the view went under the stored id');
      assert.deepEqual(await peopleBy(`anonymousId=${made}`), [], 'nobody holds the id that lost');
    });
  });

  it('window.haven = { writeKey, host } configures it without data- attributes', async () => {
    await inNewPage(async (page) => {
      await open(page, '/configured');
      const anonymousId = (await page.evaluate<string>('haven.anonymousId()'))!;
      await page.evaluate('haven.flush()');
      const person = await personWithAnonymousId(anonymousId);
      const [view] = await activityUntil(person.id, 'the page view', (l) => l.length === 1);
      assert.equal(view!.url, `${siteOrigin}/configured`);
    });
  });
});
