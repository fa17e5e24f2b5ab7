import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { it } from 'node:test';
import { createGzip, gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { PostHog, type PostHogOptions } from 'posthog-node';
import { type Reply, type TestClient, assertError, keyClient, signUp } from './support/client.js';

/** LZString.compressToBase64('{}'), as old posthog-js would send it with compression=lz64. */
const LZ64_OF_EMPTY_OBJECT = 'N4XyA===';
import { type TestHaven, describeEngines, ownerSql } from './support/haven.js';

/**
 * PostHog compatibility: the official posthog-node client against a listening Haven (gzip
 * batches to /batch/), the raw capture API (/capture, /batch, /e, /i/v0/e; JSON, text/plain,
 * gzip by header or ?compression=gzip-js; the key as api_key or properties.token), identity
 * ($identify, $create_alias, $set / $set_once), dedupe by uuid, $ip never kept, key and
 * compression refusals (gzip bombs stop at the limit), /decide, /flags and the flag definitions
 * of local evaluation, the restricted-data
 * guard, and random bodies — on both engines.
 */

const CARD = '4111 1111 1111 1111';

interface Activity {
  id: string;
  type: string;
  name: string | null;
  occurredAt: string;
  properties: Record<string, unknown>;
  traits: Record<string, unknown>;
  url: string | null;
  referrer: string | null;
  title: string | null;
}

interface Capture {
  status: number;
  accepted: number;
  rejected: number;
}


/** A PostHog event as the libraries send it (fresh uuid and timestamp unless given). */
const ev = (event: string, distinctId: string, properties: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  event,
  distinct_id: distinctId,
  properties,
  uuid: randomUUID(),
  timestamp: new Date().toISOString(),
  ...extra,
});

/** Gzip `size` bytes of zeros without ever holding them: a small body that inflates enormously. */
async function gzipBomb(size: number): Promise<Buffer> {
  const gz = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gz.on('data', (c: Buffer) => out.push(c));
  const done = new Promise<void>((resolve, reject) => {
    gz.on('end', resolve);
    gz.on('error', reject);
  });
  const chunk = Buffer.alloc(1024 * 1024);
  for (let written = 0; written < size; written += chunk.length) {
    if (!gz.write(chunk)) await new Promise((r) => gz.once('drain', r));
  }
  gz.end();
  await done;
  return Buffer.concat(out);
}

describeEngines('posthog', (haven: () => TestHaven) => {
  const server = () => haven().server;
  const { owner, count } = ownerSql(haven);
  const eventsIn = (teamId: string) => count(`SELECT count(*)::int AS n FROM events WHERE team_id = $1`, [teamId]);
  const peopleIn = (teamId: string) => count(`SELECT count(*)::int AS n FROM people WHERE team_id = $1`, [teamId]);

  interface Team {
    owner: TestClient;
    teamId: string;
    writeKey: string;
    secretKey: string;
  }

  async function team(tag = 'owner'): Promise<Team> {
    const a = await signUp(server(), tag);
    const w = await keyClient(server(), a.client, 'write');
    const s = await keyClient(server(), a.client, 'secret', 'admin');
    return { owner: a.client, teamId: a.teamId, writeKey: w.token, secretKey: s.token };
  }

  /**
   * POST a raw body to a capture path. `gzip: 'header'` sends Content-Encoding: gzip; 'body' only
   * gzips (the path carries ?compression=gzip-js, as posthog-js does).
   */
  async function send(
    path: string,
    body: unknown,
    opts: { gzip?: 'header' | 'body'; contentType?: string | null; raw?: Buffer; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    const json = () => Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
    const payload = opts.raw ?? (opts.gzip ? gzipSync(json()) : json());
    const headers: Record<string, string> = { ...(opts.contentType === null ? {} : { 'content-type': opts.contentType ?? 'application/json' }), ...(opts.gzip === 'header' ? { 'content-encoding': 'gzip' } : {}), ...opts.headers };
    const res = await server().inject({ method: 'POST', url: path, headers, payload });
    let parsed: unknown;
    try {
      parsed = JSON.parse(res.body);
    } catch {
      parsed = res.body;
    }
    assert.ok(res.statusCode < 500, `POST ${path}: ${res.statusCode} ${res.body}`);
    return { status: res.statusCode, body: parsed, headers: res.headers, raw: res };
  }

  async function captureOk(path: string, body: unknown, opts: Parameters<typeof send>[2] = {}): Promise<Capture> {
    const res = await send(path, body, opts);
    assert.equal(res.status, 200, `POST ${path}: ${res.status} ${res.raw.body}`);
    assert.equal(res.body.status, 1);
    return res.body as Capture;
  }

  async function personBy(t: Team, kind: 'anonymousId' | 'externalId', value: string): Promise<any[]> {
    const res = await t.owner.get(`/api/v1/people?${kind}=${encodeURIComponent(value)}`);
    assert.equal(res.status, 200, res.raw.body);
    return res.body.people;
  }

  async function onePersonBy(t: Team, kind: 'anonymousId' | 'externalId', value: string): Promise<any> {
    const found = await personBy(t, kind, value);
    assert.equal(found.length, 1, `exactly one person with ${kind} ${value}: ${JSON.stringify(found)}`);
    return found[0];
  }

  async function timeline(t: Team, personId: string): Promise<Activity[]> {
    const res = await t.owner.get(`/api/v1/people/${personId}/activity?limit=200`);
    assert.equal(res.status, 200, res.raw.body);
    assert.equal(res.body.nextCursor, null);
    return res.body.activity;
  }

  // ---------------------------------------------------------------------------------------------
  // The official client
  // ---------------------------------------------------------------------------------------------

  it('the official posthog-node client: gzip batches to /batch/, page view, event, identify with $anon_distinct_id, $set/$set_once, alias', async () => {
    const t = await team('sdk');
    await server().listen({ host: '127.0.0.1', port: 0 });
    const { port } = server().server.address() as AddressInfo;
    const host = `http://127.0.0.1:${port}`;

    // What the client sends (through its fetch option) and what Haven's HTTP server receives.
    const sent: { url: string; method: string; headers: Record<string, string>; body: Buffer; status: number; response: string }[] = [];
    const received: { method: string; url: string; encoding: string | undefined; type: string | undefined }[] = [];
    const onRequest = (req: IncomingMessage) =>
      received.push({ method: req.method ?? '', url: req.url ?? '', encoding: req.headers['content-encoding'], type: req.headers['content-type'] });
    server().server.on('request', onRequest);
    const recordingFetch: NonNullable<PostHogOptions['fetch']> = async (url, options) => {
      const body = options.body === undefined ? Buffer.alloc(0) : typeof options.body === 'string' ? Buffer.from(options.body) : Buffer.from(options.body as Uint8Array);
      const res = await fetch(url, { method: options.method, headers: options.headers, body: options.method === 'GET' ? undefined : body, signal: options.signal ?? null });
      const text = await res.text();
      sent.push({ url, method: options.method, headers: options.headers, body, status: res.status, response: text });
      return { status: res.status, text: async () => text, json: async () => JSON.parse(text), headers: res.headers };
    };
    const errors: unknown[] = [];
    const anon = `ph-anon-${randomUUID()}`;
    const client = new PostHog(t.writeKey, {
      host,
      flushAt: 2,
      flushInterval: 0,
      fetchRetryCount: 0,
      requestTimeout: 5_000,
      featureFlagsPollingInterval: null,
      enableExceptionAutocapture: false,
      fetch: recordingFetch,
    });
    client.on('error', (e: unknown) => errors.push(e));
    try {
      client.capture({
        distinctId: anon,
        event: '$pageview',
        properties: { $current_url: 'https://ph.test/pricing?plan=pro', $title: 'Pricing', $referrer: 'https://search.test/', $ip: '203.0.113.9' },
      });
      client.capture({ distinctId: anon, event: 'Viewed Plan', properties: { plan: 'pro', seats: 3, $set_once: { first_plan: 'pro' } } });
      client.identify({ distinctId: 'user-1', properties: { $anon_distinct_id: anon, $set: { name: 'Ada Lovelace', plan: 'pro' }, $set_once: { source: 'ads' } } });
      client.capture({ distinctId: 'user-1', event: 'Subscribed', properties: { tier: 'pro', $set: { plan: 'enterprise' } } });
      client.setPersonProperties({ distinctId: 'user-1', properties: { company: 'Analytical Engines' }, propertiesOnce: { source: 'organic' } });
      client.alias({ distinctId: 'user-1', alias: 'legacy-42' });
      await client.shutdown(10_000);
    } finally {
      server().server.off('request', onRequest);
    }
    assert.deepEqual(errors, []);

    // The wire: every request a gzip JSON POST to /batch/ carrying the key as api_key.
    assert.ok(sent.length >= 1, 'the client sent something');
    const uuids: string[] = [];
    for (const r of sent) {
      assert.equal(r.url, `${host}/batch/`);
      assert.equal(r.method, 'POST');
      assert.equal(r.headers['Content-Encoding'], 'gzip', 'posthog-node gzips its batches');
      assert.equal(r.headers['Content-Type'], 'application/json');
      assert.equal(r.status, 200, r.response);
      assert.deepEqual({ ...JSON.parse(r.response), accepted: 0 }, { status: 1, accepted: 0, rejected: 0 }, r.response);
      const body = JSON.parse(gunzipSync(r.body).toString('utf8'));
      assert.equal(body.api_key, t.writeKey);
      for (const e of body.batch) uuids.push(e.uuid);
    }
    assert.equal(uuids.length, 6, 'six events sent');
    assert.deepEqual(sent.map((r) => JSON.parse(r.response).accepted).reduce((a: number, b: number) => a + b, 0), 6);
    assert.deepEqual(
      received.map((r) => [r.method, r.url, r.encoding, r.type]),
      sent.map(() => ['POST', '/batch/', 'gzip', 'application/json']),
      'Haven received gzip bodies at /batch/',
    );

    // One person: user-1, with the anonymous id and the alias.
    const person = await onePersonBy(t, 'externalId', 'user-1');
    assert.deepEqual([...person.anonymousIds].sort(), [anon, 'legacy-42'].sort());
    assert.equal((await onePersonBy(t, 'anonymousId', 'legacy-42')).id, person.id);
    assert.equal(person.name, 'Ada Lovelace');
    assert.equal(person.company, 'Analytical Engines');
    assert.deepEqual(person.properties, { plan: 'enterprise', first_plan: 'pro', source: 'ads' }, '$set overwrites, $set_once only fills');

    // The timeline: the page view with its URL, the events, identify, alias.
    const list = await timeline(t, person.id);
    assert.deepEqual(list.map((a) => [a.type, a.name]).sort(), [
      ['alias', null],
      ['identify', null],
      ['page', 'Pricing'],
      ['track', '$set'],
      ['track', 'Subscribed'],
      ['track', 'Viewed Plan'],
    ]);
    const page = list.find((a) => a.type === 'page')!;
    assert.equal(page.url, 'https://ph.test/pricing?plan=pro');
    assert.equal(page.title, 'Pricing');
    assert.equal(page.referrer, 'https://search.test/');
    assert.equal(page.properties.$ip, undefined, '$ip dropped');
    const viewed = list.find((a) => a.name === 'Viewed Plan')!;
    assert.equal(viewed.properties.plan, 'pro');
    assert.equal(viewed.properties.seats, 3);
    assert.equal(viewed.properties.$set_once, undefined, '$set_once is a profile update, not an event property');
    assert.equal(viewed.properties.$lib, 'posthog-node');
    assert.equal(list.find((a) => a.name === 'Subscribed')!.properties.tier, 'pro');
    const identify = list.find((a) => a.type === 'identify')!;
    // The identify's traits are what it set; its properties are what the library sent with it.
    assert.deepEqual(identify.traits, { name: 'Ada Lovelace', plan: 'pro' });
    assert.equal(identify.properties.$lib, 'posthog-node');
    const pages = (await t.owner.get(`/api/v1/people/${person.id}/pages`)).body.pages as { url: string; views: number }[];
    assert.deepEqual(pages.map((p) => [p.url, p.views]), [['https://ph.test/pricing?plan=pro', 1]]);

    // A redelivery of the client's very bytes (gzip) is stored once (uuid = messageId).
    const before = await eventsIn(t.teamId);
    assert.equal(before, 6);
    for (const r of sent) await captureOk('/batch/', undefined, { raw: r.body, headers: { 'content-encoding': 'gzip' } });
    assert.equal(await eventsIn(t.teamId), before, 'redelivered batches stored once');

    // Feature flags from the client: Haven answers that nothing is enabled.
    const flagsClient = new PostHog(t.writeKey, { host, flushAt: 1, flushInterval: 0, fetchRetryCount: 0, featureFlagsPollingInterval: null, fetch: recordingFetch });
    const flagErrors: unknown[] = [];
    flagsClient.on('error', (e: unknown) => flagErrors.push(e));
    const flag = await flagsClient.getFeatureFlag('beta', 'user-1');
    const enabled = await flagsClient.isFeatureEnabled('beta', 'user-1');
    const all = await flagsClient.getAllFlags('user-1');
    await flagsClient.shutdown(10_000);
    assert.deepEqual(flagErrors, []);
    assert.ok(flag === undefined || flag === false, `no flag: ${String(flag)}`);
    assert.ok(!enabled);
    assert.deepEqual(all, {});
    const flagCalls = sent.filter((r) => new URL(r.url).pathname === '/flags/');
    assert.ok(flagCalls.length >= 1, JSON.stringify(sent.map((r) => r.url)));
    for (const r of flagCalls) {
      assert.equal(r.status, 200);
      assert.match(r.url, /\/flags\/\?v=2/);
    }

    // Last (so the checks above run regardless): the batch made exactly one person.
    const order = sent.filter((r) => new URL(r.url).pathname === '/batch/').map((r) => (JSON.parse(gunzipSync(r.body).toString('utf8')).batch as { event: string; distinct_id: string }[]).map((e) => `${e.event}:${e.distinct_id}`));
    const everyone = (await t.owner.get('/api/v1/people?limit=10')).body.people as { externalIds: string[]; anonymousIds: string[] }[];
    assert.equal(everyone.length, 1, `one person; batches as sent: ${JSON.stringify(order)}; people: ${JSON.stringify(everyone.map((p) => [p.externalIds, p.anonymousIds]))}`);
  });

  // ---------------------------------------------------------------------------------------------
  // The raw capture API
  // ---------------------------------------------------------------------------------------------

  it('capture paths: /capture, /batch, /e?compression=gzip-js (text/plain gzip), /i/v0/e (Content-Encoding gzip); key as api_key or properties.token', async () => {
    const t = await team('raw');
    const anon = 'raw-anon';
    const cases: [string, unknown, Parameters<typeof send>[2]][] = [
      ['/capture', { api_key: t.writeKey, ...ev('Single', anon, { n: 1 }) }, {}],
      ['/capture/', ev('Token in properties', anon, { n: 2, token: t.writeKey }), {}],
      ['/batch', { api_key: t.writeKey, batch: [ev('Batch A', anon, { n: 3 }), ev('Batch B', anon, { n: 4 })] }, {}],
      ['/batch/', [ev('Array body', anon, { n: 5, token: t.writeKey })], {}],
      ['/e/?compression=gzip-js&ver=1.200.0', [ev('$pageview', anon, { $current_url: 'https://raw.test/e', $title: 'E', token: t.writeKey })], { gzip: 'body', contentType: 'text/plain' }],
      ['/e', { api_key: t.writeKey, batch: [ev('Text plain', anon, { n: 6 })] }, { contentType: 'text/plain;charset=UTF-8' }],
      ['/i/v0/e/', { api_key: t.writeKey, batch: [ev('Gzip header', anon, { n: 7 })] }, { gzip: 'header' }],
      ['/i/v0/e', { token: t.writeKey, batch: [ev('Token field', anon, { n: 8 })] }, { gzip: 'header', contentType: 'text/plain' }],
      // posthog-js names the page's document.title plain `title`.
      ['/e/', [ev('$pageview', anon, { $current_url: 'https://raw.test/js', title: 'From posthog-js', token: t.writeKey })], {}],
      // posthog-js's sendBeacon of a gzip body (an ArrayBuffer) carries no Content-Type at all.
      ['/e/?compression=gzip-js&beacon=1', [ev('Beacon gzip', anon, { n: 9, token: t.writeKey })], { gzip: 'body', contentType: null }],
      ['/e/?beacon=1', [ev('Beacon plain', anon, { n: 10, token: t.writeKey })], { contentType: null }],
    ];
    let expected = 0;
    for (const [path, body, opts] of cases) {
      const r = await captureOk(path, body, opts);
      const n = Array.isArray(body) ? body.length : Array.isArray((body as { batch?: unknown[] }).batch) ? (body as { batch: unknown[] }).batch.length : 1;
      assert.deepEqual([r.accepted, r.rejected], [n, 0], `${path}: ${JSON.stringify(r)}`);
      expected += n;
    }
    assert.equal(await eventsIn(t.teamId), expected);
    const person = await onePersonBy(t, 'anonymousId', anon);
    const list = await timeline(t, person.id);
    assert.equal(list.length, expected);
    const names = list.filter((a) => a.type === 'track').map((a) => a.name).sort();
    assert.deepEqual(names, ['Array body', 'Batch A', 'Batch B', 'Beacon gzip', 'Beacon plain', 'Gzip header', 'Single', 'Text plain', 'Token field', 'Token in properties']);
    const pages = list.filter((a) => a.type === 'page').map((a) => [a.url, a.title, a.name]).sort();
    assert.deepEqual(pages, [['https://raw.test/e', 'E', 'E'], ['https://raw.test/js', 'From posthog-js', 'From posthog-js']]);
    for (const a of list) assert.equal(a.properties.token, undefined, 'the key is not stored as a property');
    assert.equal(list.find((a) => a.name === 'Single')!.properties.n, 1);
    // GET on a capture path is refused (events are never taken from a URL), and stores nothing.
    const get = await server().inject({ method: 'GET', url: '/capture/' });
    assert.equal(get.statusCode, 405);
    assert.equal(await eventsIn(t.teamId), expected);
  });

  it('$identify merges the anonymous person ($anon_distinct_id), $set/$set_once update the profile, later events by distinct_id join', async () => {
    const t = await team('identify');
    const key = { api_key: t.writeKey };
    await captureOk('/batch', {
      ...key,
      batch: [
        ev('$pageview', 'id-anon', { $current_url: 'https://id.test/1' }),
        ev('Clicked', 'id-anon', { button: 'signup', $set: { color: 'blue' }, $set_once: { first_touch: 'ad' } }),
      ],
    });
    // A known person with another anonymous history, then the identify.
    const r = await captureOk('/capture', {
      ...key,
      ...ev('$identify', 'id-user', { $anon_distinct_id: 'id-anon', $set: { name: 'Grace Hopper', email: 'grace@id.test', plan: 'pro' }, $set_once: { first_touch: 'ignored', cohort: '2024' } }),
    });
    assert.deepEqual([r.accepted, r.rejected], [1, 0]);
    await captureOk('/capture', { ...key, ...ev('After', 'id-user', { step: 2 }) });
    await captureOk('/capture', { ...key, ...ev('$set', 'id-user', { $set: { plan: 'enterprise' }, $set_once: { plan: 'ignored' } }) });
    assert.equal(await peopleIn(t.teamId), 1, 'merged into one person');
    const person = await onePersonBy(t, 'externalId', 'id-user');
    assert.equal((await onePersonBy(t, 'anonymousId', 'id-anon')).id, person.id);
    assert.deepEqual(person.externalIds, ['id-user']);
    assert.deepEqual(person.emails, ['grace@id.test']);
    assert.equal(person.name, 'Grace Hopper');
    assert.deepEqual(person.properties, { color: 'blue', first_touch: 'ad', plan: 'enterprise', cohort: '2024' });
    const list = await timeline(t, person.id);
    assert.deepEqual(list.map((a) => a.type).sort(), ['identify', 'page', 'track', 'track', 'track']);
    assert.equal(list.find((a) => a.type === 'page')!.url, 'https://id.test/1');
    assert.deepEqual(list.find((a) => a.name === 'Clicked')!.properties, { button: 'signup' });
  });

  it('one batch of $pageview (anonymous), $identify, then an event by the identified distinct_id makes exactly one person', async () => {
    const t = await team('one-batch');
    const r = await captureOk('/batch', {
      api_key: t.writeKey,
      batch: [ev('$pageview', 'ob-anon', { $current_url: 'https://ob.test/' }), ev('$identify', 'ob-user', { $anon_distinct_id: 'ob-anon' }), ev('Paid', 'ob-user')],
    });
    assert.deepEqual([r.accepted, r.rejected], [3, 0]);
    const everyone = (await t.owner.get('/api/v1/people?limit=10')).body.people as { externalIds: string[]; anonymousIds: string[] }[];
    assert.deepEqual(everyone.map((p) => [p.externalIds, p.anonymousIds]), [[['ob-user'], ['ob-anon']]], 'no empty person left behind for the distinct_id');
    const person = await onePersonBy(t, 'externalId', 'ob-user');
    assert.equal((await timeline(t, person.id)).length, 3);
  });

  it('$create_alias: attaches an unknown alias, merges an existing anonymous person', async () => {
    const t = await team('alias');
    const key = { api_key: t.writeKey };
    await captureOk('/capture', { ...key, ...ev('$identify', 'al-user', { $set: { name: 'Alias User' } }) });
    await captureOk('/capture', { ...key, ...ev('Before', 'al-anon', { x: 1 }) });
    assert.equal(await peopleIn(t.teamId), 2);
    await captureOk('/capture', { ...key, ...ev('$create_alias', 'al-user', { distinct_id: 'al-user', alias: 'al-anon' }) });
    assert.equal(await peopleIn(t.teamId), 1, 'the anonymous person merged');
    await captureOk('/capture', { ...key, ...ev('$create_alias', 'al-user', { alias: 'al-new' }) });
    const person = await onePersonBy(t, 'externalId', 'al-user');
    assert.deepEqual([...person.anonymousIds].sort(), ['al-anon', 'al-new']);
    assert.equal(person.name, 'Alias User');
    const list = await timeline(t, person.id);
    assert.deepEqual(list.map((a) => a.type).sort(), ['alias', 'alias', 'identify', 'track']);
    assert.deepEqual(list.find((a) => a.name === 'Before')!.properties, { x: 1 });
    for (const a of list) assert.equal(a.properties.alias, undefined, 'alias is an identity, not a property');
    // An alias that is another identified user's id is not merged, as PostHog refuses it: the
    // write key is public, and a stranger could otherwise join someone's profile to their own.
    await captureOk('/capture', { ...key, ...ev('$identify', 'al-other', { $set: { name: 'Other User' } }) });
    await captureOk('/capture', { ...key, ...ev('$create_alias', 'al-user', { alias: 'al-other' }) });
    assert.equal(await peopleIn(t.teamId), 2, 'two identified people stay apart');
    const other = await onePersonBy(t, 'externalId', 'al-other');
    assert.deepEqual([other.name, other.anonymousIds], ['Other User', []]);
    assert.deepEqual([...(await onePersonBy(t, 'externalId', 'al-user')).anonymousIds].sort(), ['al-anon', 'al-new']);
  });

  it('$pageview and $screen: the title or screen name is sealed with the payload, never the clear event name (it can name the person)', async () => {
    const t = await team('pageview-title');
    const title = 'Invoice for Ada Lovelace';
    const url = 'https://ph.test/invoices/ada-lovelace';
    await captureOk('/batch/', {
      api_key: t.writeKey,
      batch: [
        ev('$pageview', 'ph-title', { $current_url: url, title }),
        ev('$pageview', 'ph-title', { $current_url: url, $title: `${title} (2)` }),
        ev('$screen', 'ph-title', { $screen_name: `Screen of ${title}` }),
      ],
    });
    const rows = (await owner<{ type: string; name: string | null; payload_sealed: Buffer }>(`SELECT type, name, payload_sealed FROM events WHERE team_id = $1`, [t.teamId])).rows;
    // $screen (the mobile libraries') is a screen view: its name is sealed like a page's title.
    assert.deepEqual(rows.map((r) => [r.type, r.name]).sort(), [['page', null], ['page', null], ['screen', null]]);
    for (const r of rows) {
      for (const secret of [title, 'ada-lovelace']) assert.ok(!Buffer.from(r.payload_sealed).includes(Buffer.from(secret, 'utf8')), `${secret} sealed`);
    }
    const person = await onePersonBy(t, 'anonymousId', 'ph-title');
    const list = await timeline(t, person.id);
    assert.deepEqual(list.map((a) => [a.type, a.name]).sort(), [['page', title], ['page', `${title} (2)`], ['screen', `Screen of ${title}`]]);
    assert.deepEqual(list.filter((a) => a.type === 'page').map((a) => a.url), [url, url]);
  });

  it('$pageview of a long title or a long address is kept: the name is the title cut to 200 characters, the address counts once toward the size', async () => {
    const t = await team('pageview-long');
    const title = `${'Lorem ipsum '.repeat(16)}dolor s😀 and the rest`; // 214 characters, the emoji the 200th and 201st
    const longUrl = `https://ph.test/search?q=${'abcdefghij'.repeat(2_000)}`; // ~20 KB: twice that would pass 32 KiB
    const r = await captureOk('/batch/', {
      api_key: t.writeKey,
      batch: [ev('$pageview', 'ph-long', { $current_url: 'https://ph.test/long-title', title }), ev('$pageview', 'ph-long', { $current_url: longUrl, $referrer: 'https://ref.test/' })],
    });
    assert.deepEqual([r.accepted, r.rejected], [2, 0]);
    const person = await onePersonBy(t, 'anonymousId', 'ph-long');
    const list = await timeline(t, person.id);
    const titled = list.find((a) => a.url === 'https://ph.test/long-title')!;
    assert.equal(titled.title, title, 'the title itself is kept whole');
    assert.equal(titled.name, `${'Lorem ipsum '.repeat(16)}dolor s`, 'cut before the emoji, not inside it');
    const long = list.find((a) => a.url === longUrl)!;
    assert.equal(long.referrer, 'https://ref.test/');
    assert.deepEqual(Object.keys(long.properties).sort(), ['$current_url', '$referrer'], 'the properties as sent, nothing copied');
  });

  it('$groupidentify is refused as unsupported_event: no person is made of a group, its neighbours are stored', async () => {
    const t = await team('groups');
    const group = (extra: Record<string, unknown> = {}) =>
      ev('$groupidentify', '$company_acme', { $group_type: 'company', $group_key: 'acme', $group_set: { name: 'Acme Ltd', plan: 'enterprise' } }, extra);
    const batch = await captureOk('/batch/', { api_key: t.writeKey, batch: [group(), ev('Joined', 'grp-user', { $groups: { company: 'acme' } })] });
    assert.deepEqual([batch.accepted, batch.rejected], [1, 1]);
    assertError(await send('/capture/', { api_key: t.writeKey, ...group() }), 400, 'unsupported_event', 'event');
    assert.equal(await eventsIn(t.teamId), 1);
    assert.deepEqual(await personBy(t, 'externalId', '$company_acme'), [], 'no person for the group');
    assert.deepEqual(await personBy(t, 'anonymousId', '$company_acme'), []);
    assert.equal(await peopleIn(t.teamId), 1);
  });

  it('$ip is never stored: not in event rows, not in the decrypted timeline, not in logs', async () => {
    const t = await team('ip');
    const ip = '198.51.100.213';
    const r = await captureOk('/batch', {
      api_key: t.writeKey,
      batch: [
        ev('$pageview', 'ip-anon', { $current_url: 'https://ip.test/', $ip: ip }),
        ev('Paid', 'ip-anon', { amount: 5, $ip: ip }),
        ev('$identify', 'ip-user', { $anon_distinct_id: 'ip-anon', $ip: ip, $set: { plan: 'x' } }),
      ],
    });
    assert.deepEqual([r.accepted, r.rejected], [3, 0]);
    const rows = await owner<{ row: string; payload: string }>(`SELECT e::text AS row, encode(payload_sealed, 'escape') AS payload FROM events e WHERE team_id = $1`, [t.teamId]);
    assert.equal(rows.rows.length, 3);
    for (const row of rows.rows) {
      assert.ok(!row.row.includes(ip), 'no IP in the row');
      assert.ok(!row.payload.includes(ip));
    }
    const person = await onePersonBy(t, 'externalId', 'ip-user');
    for (const a of await timeline(t, person.id)) {
      assert.ok(!JSON.stringify(a).includes(ip), `IP in the timeline: ${JSON.stringify(a)}`);
      assert.equal(a.properties.$ip, undefined);
    }
    assert.ok(!JSON.stringify(person).includes(ip));
    assert.ok(!haven().logs.some((l) => l.includes(ip)), 'no IP in logs');
  });

  it('duplicates by uuid are stored once: within a batch, across requests, across paths and encodings', async () => {
    const t = await team('dedupe');
    const e = ev('Paid', 'dd-anon', { amount: 10 });
    const first = await captureOk('/batch', { api_key: t.writeKey, batch: [e, e, { ...e, properties: { amount: 99 } }] });
    assert.deepEqual([first.accepted, first.rejected], [3, 0], 'duplicates are accepted');
    assert.equal(await eventsIn(t.teamId), 1);
    await captureOk('/capture', { api_key: t.writeKey, ...e });
    await captureOk('/e/?compression=gzip-js', [{ ...e, properties: { amount: 1, token: t.writeKey } }], { gzip: 'body', contentType: 'text/plain' });
    await captureOk('/i/v0/e/', { api_key: t.writeKey, batch: [e] }, { gzip: 'header' });
    assert.equal(await eventsIn(t.teamId), 1);
    const person = await onePersonBy(t, 'anonymousId', 'dd-anon');
    const list = await timeline(t, person.id);
    assert.equal(list.length, 1);
    assert.deepEqual(list[0]!.properties, { amount: 10 }, 'the first delivery is kept');
    // Without a uuid, each delivery is its own event.
    const { uuid: _u, ...noUuid } = ev('No uuid', 'dd-anon');
    await captureOk('/capture', { api_key: t.writeKey, ...noUuid });
    await captureOk('/capture', { api_key: t.writeKey, ...noUuid });
    assert.equal(await eventsIn(t.teamId), 3);
  });

  it('keys: none → 401 unauthenticated, wrong → 401 invalid_api_key, secret → 403 write_key_required; nothing stored', async () => {
    const t = await team('keys');
    const e = ev('Nope', 'key-anon');
    assertError(await send('/capture', e), 401, 'unauthenticated');
    assertError(await send('/batch', { batch: [e] }), 401, 'unauthenticated');
    assertError(await send('/capture', { ...e, api_key: 'hv_wk_wrong' }), 401, 'invalid_api_key');
    assertError(await send('/batch', { api_key: 'phc_not_haven', batch: [e] }), 401, 'invalid_api_key');
    assertError(await send('/e/?compression=gzip-js', [{ ...e, properties: { token: 'hv_wk_wrong' } }], { gzip: 'body', contentType: 'text/plain' }), 401, 'invalid_api_key');
    assertError(await send('/capture', { ...e, api_key: t.secretKey }), 403, 'write_key_required');
    assertError(await send('/i/v0/e', { token: t.secretKey, batch: [e] }, { gzip: 'header' }), 403, 'write_key_required');
    assertError(await send('/batch', [{ ...e, properties: { token: t.secretKey } }]), 403, 'write_key_required');
    assertError(await send('/batch', { api_key: t.writeKey, batch: [] }), 400, 'missing_field');
    assert.equal(await eventsIn(t.teamId), 0);
    assert.equal(await peopleIn(t.teamId), 0);
  });

  it('the form body of older posthog-js (data=<base64 JSON>, or the JSON itself) is stored; lz64 and bad forms are refused', async () => {
    const t = await team('form');
    const form = (fields: Record<string, string>) => ({ raw: Buffer.from(new URLSearchParams(fields).toString()), contentType: 'application/x-www-form-urlencoded' });
    const batch = { api_key: t.writeKey, batch: [ev('Form base64 ✓', 'form-anon')] };
    await captureOk('/batch', undefined, form({ data: Buffer.from(JSON.stringify(batch), 'utf8').toString('base64') }));
    await captureOk('/e/?compression=base64', undefined, form({ data: JSON.stringify({ api_key: t.writeKey, ...ev('Form JSON', 'form-anon') }) }));
    assert.equal(await eventsIn(t.teamId), 2);
    assertError(await send('/batch', undefined, form({ data: LZ64_OF_EMPTY_OBJECT, compression: 'lz64' })), 415, 'unsupported_compression');
    assertError(await send('/batch?compression=lz64', undefined, form({ data: LZ64_OF_EMPTY_OBJECT })), 415, 'unsupported_compression');
    assertError(await send('/batch', undefined, form({ other: 'x' })), 400, 'missing_field');
    assertError(await send('/batch', undefined, form({ data: 'not base64 at all!' })), 400, 'malformed_json');
    assertError(await send('/batch', undefined, form({ data: Buffer.from('{"truncated": ').toString('base64') })), 400, 'malformed_json');
    assert.equal(await eventsIn(t.teamId), 2);
  });

  it("posthog-js's queued events carry an offset instead of a timestamp; AI events and 5 MiB batches are taken", async () => {
    const t = await team('offset');
    const { timestamp: _a, ...viewed } = ev('$pageview', 'offset-anon', { $current_url: 'https://site.test/a', token: t.writeKey }, { offset: 60_000 });
    const { timestamp: _b, ...clicked } = ev('Clicked', 'offset-anon', { token: t.writeKey }, { offset: 1_000 });
    const before = Date.now();
    await captureOk('/e/?compression=gzip-js', [viewed, clicked], { gzip: 'body', contentType: 'text/plain' });
    const person = await onePersonBy(t, 'anonymousId', 'offset-anon');
    const times = (await timeline(t, person.id)).map((a) => [a.type, Date.parse(a.occurredAt)] as const);
    assert.deepEqual(times.map(([type]) => type), ['track', 'page'], 'the click after the page view');
    assert.ok(Math.abs(before - 1_000 - times[0]![1]) < 5_000, 'dated by its offset');
    assert.ok(Math.abs(before - 60_000 - times[1]![1]) < 5_000, 'dated by its offset');

    const ai = await captureOk('/i/v0/ai/batch/', { api_key: t.writeKey, batch: [ev('$ai_generation', 'offset-anon', { $ai_model: 'm' })] });
    assert.equal(ai.accepted, 1);

    // posthog-python fills batches up to 5 MiB: 100 events of 20 KB each (2 MB) is one request.
    const padded = Array.from({ length: 100 }, (_, i) => ev('Big', 'offset-anon', { n: i, pad: 'p'.repeat(20_000) }));
    const big = await captureOk('/batch/', { api_key: t.writeKey, batch: padded });
    assert.equal(big.accepted, 100);
  });

  it("$unset (posthog-node's unsetPersonProperties) removes profile properties, after $set; a list that is not names is refused", async () => {
    const t = await team('unset');
    await captureOk('/batch/', { api_key: t.writeKey, batch: [ev('$set', 'unset-user', { $set: { plan: 'pro', color: 'blue', name: 'Una' } })] });
    const before = await onePersonBy(t, 'anonymousId', 'unset-user');
    assert.deepEqual([before.name, before.properties], ['Una', { plan: 'pro', color: 'blue' }]);
    await captureOk('/batch/', { api_key: t.writeKey, batch: [ev('$set', 'unset-user', { $set: { size: 'L' }, $unset: ['color', 'name', 'size', 'never-set'] })] });
    const after = await onePersonBy(t, 'anonymousId', 'unset-user');
    assert.deepEqual([after.name, after.properties], [null, { plan: 'pro' }]);
    const bad = await send('/capture/', { api_key: t.writeKey, ...ev('$set', 'unset-user', { $unset: 'color' }) });
    assert.deepEqual([bad.status, bad.body.error.code, bad.body.error.field], [400, 'invalid_type', 'properties.$unset']);
  });

  it('compression: malformed or truncated gzip → 400, lz64 → 415, gzip bombs → 413 without buffering the inflated body', async () => {
    const t = await team('gzip');
    const body = { api_key: t.writeKey, batch: [ev('Zip', 'gz-anon')] };
    assertError(await send('/batch', undefined, { raw: Buffer.from('this is not gzip'), headers: { 'content-encoding': 'gzip' } }), 400, 'invalid_compression');
    const good = gzipSync(Buffer.from(JSON.stringify(body)));
    assertError(await send('/batch', undefined, { raw: good.subarray(0, good.length - 12), headers: { 'content-encoding': 'gzip' } }), 400, 'invalid_compression');
    assertError(await send('/e/?compression=gzip-js', undefined, { raw: Buffer.from(JSON.stringify(body)), contentType: 'text/plain' }), 400, 'invalid_compression');
    assertError(await send('/e/?compression=lz64', body, { contentType: 'text/plain' }), 415, 'unsupported_compression');
    assertError(await send('/batch?compression=br', body), 415, 'unsupported_compression');
    assert.equal(await eventsIn(t.teamId), 0);

    // 20 MB of zeros, gzipped (about 20 KB), and 512 MiB streamed (about 500 KB): both stop at the limit.
    const small = gzipSync(Buffer.alloc(20 * 1024 * 1024));
    const big = await gzipBomb(512 * 1024 * 1024);
    assert.ok(big.length < 600 * 1024, `bomb is ${big.length} bytes`);
    global.gc?.();
    const before = process.memoryUsage();
    const started = Date.now();
    assertError(await send('/batch', undefined, { raw: small, headers: { 'content-encoding': 'gzip' } }), 413, 'payload_too_large');
    assertError(await send('/e/?compression=gzip-js', undefined, { raw: small, contentType: 'text/plain' }), 413, 'payload_too_large');
    assertError(await send('/i/v0/e/', undefined, { raw: big, headers: { 'content-encoding': 'gzip' } }), 413, 'payload_too_large');
    const after = process.memoryUsage();
    const grew = Math.max(after.rss - before.rss, after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers));
    assert.ok(grew < 128 * 1024 * 1024, `memory grew by ${Math.round(grew / 1024 / 1024)} MiB`);
    assert.ok(Date.now() - started < 20_000, 'answered promptly');
    // Just under the limit after inflation, the same endpoint still works.
    const ok = await captureOk('/batch', body, { gzip: 'header' });
    assert.equal(ok.accepted, 1);
  });

  it("CORS: a page's request gets its origin back with credentials allowed (posthog-js's XHR sends them, and a browser hides a credentialed answer allowed as *); others get *", async () => {
    const t = await team('cors');
    const body = JSON.stringify({ api_key: t.writeKey, ...ev('Clicked', 'cors-anon') });
    const fromPage = await server().inject({ method: 'POST', url: '/e/', headers: { origin: 'https://shop.test', 'content-type': 'text/plain' }, payload: body });
    assert.equal(fromPage.statusCode, 200, fromPage.body);
    assert.equal(fromPage.headers['access-control-allow-origin'], 'https://shop.test');
    assert.equal(fromPage.headers['access-control-allow-credentials'], 'true');
    assert.match(String(fromPage.headers.vary), /\bOrigin\b/);
    const preflight = await server().inject({
      method: 'OPTIONS',
      url: '/decide/',
      headers: { origin: 'https://shop.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(preflight.statusCode, 204);
    assert.deepEqual([preflight.headers['access-control-allow-origin'], preflight.headers['access-control-allow-credentials']], ['https://shop.test', 'true']);
    for (const headers of [{}, { origin: 'null' }]) {
      const res = await server().inject({ method: 'POST', url: '/e/', headers: { ...headers, 'content-type': 'text/plain' }, payload: body });
      assert.equal(res.headers['access-control-allow-origin'], '*', JSON.stringify(headers));
      assert.equal(res.headers['access-control-allow-credentials'], undefined);
    }
  });

  it('/decide and /flags answer 200 with no flags and no session recording', async () => {
    const t = await team('decide');
    for (const [method, url] of [
      ['POST', '/decide/?v=3'],
      ['POST', '/decide?v=4'],
      ['GET', '/decide/'],
      ['POST', '/flags/?v=2'],
      ['POST', '/flags/?v=2&config=true'],
      ['GET', '/flags'],
    ] as const) {
      const payload = method === 'POST' ? JSON.stringify({ token: t.writeKey, distinct_id: 'flag-anon', groups: {} }) : undefined;
      const res = await server().inject({ method, url, headers: { 'content-type': 'application/json' }, ...(payload ? { payload } : {}) });
      assert.equal(res.statusCode, 200, `${method} ${url}: ${res.body}`);
      const b = JSON.parse(res.body);
      assert.deepEqual(b.featureFlags, {}, url);
      assert.deepEqual(b.flags, {}, url);
      assert.equal(b.sessionRecording, false, url);
      assert.equal(b.errorsWhileComputingFlags, false);
    }
    // posthog-js sends /decide gzipped as text/plain.
    const gz = await send('/decide/?v=3&compression=gzip-js', { token: t.writeKey, distinct_id: 'x' }, { gzip: 'body', contentType: 'text/plain' });
    assert.equal(gz.status, 200, gz.raw.body);
    assert.equal(gz.body.sessionRecording, false);
    assert.equal(await eventsIn(t.teamId), 0, 'asking for flags stores nothing');
  });

  it('posthog-node with a secret key (local evaluation) starts cleanly: flag definitions answer no flags, the foreign key is no 401', async () => {
    const t = await team('local-eval');
    if (!server().server.listening) await server().listen({ host: '127.0.0.1', port: 0 });
    const host = `http://127.0.0.1:${(server().server.address() as AddressInfo).port}`;
    const calls: { path: string; status: number; body: string }[] = [];
    const recordingFetch: NonNullable<PostHogOptions['fetch']> = async (url, options) => {
      const res = await fetch(url, { method: options.method, headers: options.headers, body: options.method === 'GET' ? undefined : (options.body as string), signal: options.signal ?? null });
      const text = await res.text();
      calls.push({ path: new URL(url).pathname, status: res.status, body: text });
      return { status: res.status, text: async () => text, json: async () => JSON.parse(text), headers: res.headers };
    };
    // What the client reports: its error events, and anything it writes to the console.
    const errors: unknown[] = [];
    const logged: unknown[][] = [];
    const console_ = { error: console.error, warn: console.warn };
    console.error = (...args: unknown[]) => void logged.push(args);
    console.warn = (...args: unknown[]) => void logged.push(args);
    const secret = 'phx_not-a-haven-key-0123456789';
    try {
      const client = new PostHog(t.writeKey, { host, secretKey: secret, featureFlagsPollingInterval: 60_000, fetchRetryCount: 0, flushAt: 1, flushInterval: 0, fetch: recordingFetch });
      client.on('error', (e: unknown) => errors.push(e));
      await client.reloadFeatureFlags();
      const flags = await client.evaluateFlags('user-1');
      assert.equal(flags.getFlag('beta'), undefined);
      assert.equal(flags.isEnabled('beta'), false);
      assert.deepEqual(await client.getAllFlags('user-1'), {});
      await client.shutdown(10_000);
    } finally {
      Object.assign(console, console_);
    }
    assert.deepEqual(errors, []);
    assert.deepEqual(logged, []);
    const definitions = calls.filter((c) => c.path === '/flags/definitions');
    assert.ok(definitions.length >= 1, JSON.stringify(calls));
    for (const c of calls) assert.equal(c.status, 200, `${c.path}: ${c.body}`);

    // Each start-up flag call, as every client version makes it, with a key Haven does not know.
    const auth = { authorization: `Bearer ${secret}` };
    for (const url of [`/flags/definitions?token=${t.writeKey}&send_cohorts`, `/api/feature_flag/local_evaluation/?token=${t.writeKey}&send_cohorts`, '/api/feature_flag/local_evaluation?token=x']) {
      const res = await server().inject({ method: 'GET', url, headers: auth });
      assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
      assert.deepEqual(JSON.parse(res.body), { flags: [], group_type_mapping: {}, cohorts: {} });
    }
    for (const [method, url] of [['POST', '/flags/?v=2'], ['POST', '/decide/?v=3'], ['GET', '/decide/'], ['POST', '/flags']] as const) {
      const res = await server().inject({ method, url, headers: { ...auth, 'content-type': 'application/json' }, ...(method === 'POST' ? { payload: JSON.stringify({ token: t.writeKey, distinct_id: 'u' }) } : {}) });
      assert.equal(res.statusCode, 200, `${method} ${url}: ${res.body}`);
      const body = JSON.parse(res.body);
      assert.deepEqual([body.flags, body.featureFlags, body.errorsWhileComputingFlags], [{}, {}, false], url);
    }
    const logs = haven().logs.join('');
    assert.equal(logs.includes(secret) || logs.includes(t.writeKey), false, 'neither key is logged');
  });

  it("posthog-node's captureException is stored: its stack frames with their context lines nest seven levels deep", async () => {
    const t = await team('exception');
    if (!server().server.listening) await server().listen({ host: '127.0.0.1', port: 0 });
    const host = `http://127.0.0.1:${(server().server.address() as AddressInfo).port}`;
    const answers: string[] = [];
    const recordingFetch: NonNullable<PostHogOptions['fetch']> = async (url, options) => {
      const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : Buffer.from(options.body as Uint8Array);
      const res = await fetch(url, { method: options.method, headers: options.headers, body: options.method === 'GET' ? undefined : body, signal: options.signal ?? null });
      const text = await res.text();
      answers.push(text);
      return { status: res.status, text: async () => text, json: async () => JSON.parse(text), headers: res.headers };
    };
    const client = new PostHog(t.writeKey, { host, flushAt: 1, flushInterval: 0, fetchRetryCount: 0, featureFlagsPollingInterval: null, enableExceptionAutocapture: false, fetch: recordingFetch });
    client.captureException(new Error('Checkout failed'), 'exc-user');
    await client.shutdown(10_000);
    assert.ok(answers.length >= 1, 'the client sent its batch');
    for (const a of answers) assert.equal(JSON.parse(a).rejected, 0, a);
    const person = await onePersonBy(t, 'anonymousId', 'exc-user');
    const [exception] = await timeline(t, person.id);
    assert.equal(exception!.name, '$exception');
    const frames = (exception!.properties.$exception_list as { stacktrace: { frames: { pre_context?: string[] }[] } }[])[0]!.stacktrace.frames;
    assert.ok(frames.some((f) => Array.isArray(f.pre_context)), 'context lines of the frames in this file are kept');
  });

  it('Capture V1 (posthog-node with POSTHOG_CAPTURE_MODE=v1): gzip batches to /i/v1/analytics/events with a Bearer key, answered per uuid', async () => {
    const t = await team('capture-v1');
    if (!server().server.listening) await server().listen({ host: '127.0.0.1', port: 0 });
    const host = `http://127.0.0.1:${(server().server.address() as AddressInfo).port}`;
    const calls: { path: string; headers: Record<string, string>; sent: Buffer; status: number; body: string }[] = [];
    const recordingFetch: NonNullable<PostHogOptions['fetch']> = async (url, options) => {
      const body = options.body as unknown;
      const sent = body instanceof Blob ? Buffer.from(await body.arrayBuffer()) : Buffer.from((body ?? '') as string);
      const res = await fetch(url, { method: options.method, headers: options.headers, body: options.method === 'GET' ? undefined : sent, signal: options.signal ?? null });
      const text = await res.text();
      calls.push({ path: new URL(url).pathname, headers: options.headers, sent, status: res.status, body: text });
      return new Response(text, { status: res.status, headers: res.headers }) as unknown as Awaited<ReturnType<NonNullable<PostHogOptions['fetch']>>>;
    };
    const errors: any[] = [];
    const previousMode = process.env.POSTHOG_CAPTURE_MODE;
    process.env.POSTHOG_CAPTURE_MODE = 'v1';
    const anon = `v1-anon-${randomUUID()}`;
    try {
      const client = new PostHog(t.writeKey, { host, flushAt: 10, flushInterval: 0, fetchRetryCount: 0, featureFlagsPollingInterval: null, enableExceptionAutocapture: false, fetch: recordingFetch });
      client.on('error', (e: unknown) => errors.push(e));
      client.capture({ distinctId: anon, event: '$pageview', properties: { $current_url: 'https://v1.test/pricing', $title: 'Pricing', $session_id: 'session-1' } });
      client.capture({ distinctId: anon, event: 'Paid', properties: { card: CARD } });
      client.identify({ distinctId: 'v1-user', properties: { $anon_distinct_id: anon, $set: { name: 'Grace Hopper' } } });
      client.capture({ distinctId: 'v1-user', event: 'Subscribed', properties: { tier: 'pro' } });
      await client.shutdown(10_000);
    } finally {
      if (previousMode === undefined) delete process.env.POSTHOG_CAPTURE_MODE;
      else process.env.POSTHOG_CAPTURE_MODE = previousMode;
    }

    // The wire: one gzip batch to the V1 path, the key as a Bearer token, an answer per uuid.
    const batches = calls.filter((c) => c.path === '/i/v1/analytics/events');
    assert.equal(batches.length, 1, JSON.stringify(calls.map((c) => c.path)));
    const [batch] = batches;
    assert.equal(batch!.status, 200, batch!.body);
    assert.equal(batch!.headers.Authorization, `Bearer ${t.writeKey}`);
    assert.equal(batch!.headers['Content-Encoding'], 'gzip');
    const results = JSON.parse(batch!.body).results as Record<string, { result: string; details?: string }>;
    assert.deepEqual(Object.values(results).map((r) => r.result).sort(), ['drop', 'ok', 'ok', 'ok']);
    const dropped = Object.values(results).find((r) => r.result === 'drop')!;
    assert.match(dropped.details!, /^restricted_data: /);
    assert.equal(dropped.details!.includes('4111'), false, 'the refusal never repeats the value');
    // The client reports the drop, and nothing else.
    assert.equal(errors.length, 1, String(errors));
    assert.equal(errors[0].name, 'CaptureV1Error');
    assert.deepEqual([errors[0].drops.length, errors[0].retryExhausted], [1, []]);

    // Stored as by v0: one person, the page view with its URL and session, the events, the identify.
    const person = await onePersonBy(t, 'externalId', 'v1-user');
    assert.deepEqual(person.anonymousIds, [anon]);
    assert.equal(person.name, 'Grace Hopper');
    const list = await timeline(t, person.id);
    assert.deepEqual(list.map((a) => [a.type, a.name]).sort(), [['identify', null], ['page', 'Pricing'], ['track', 'Subscribed']]);
    const page = list.find((a) => a.type === 'page')!;
    assert.equal(page.url, 'https://v1.test/pricing');
    assert.equal(page.properties.$session_id, 'session-1', 'session_id is back among the properties, as v0 sends it');
    assert.equal(page.properties.$lib, undefined, 'V1 carries the library in a header, not in each event');
    assert.equal(await eventsIn(t.teamId), 3);

    // The client's very bytes again (its retry after a lost answer): each event stored once.
    const again = await send('/i/v1/analytics/events', undefined, { raw: batch!.sent, headers: { 'content-encoding': 'gzip', authorization: `Bearer ${t.writeKey}` } });
    assert.deepEqual(again.body, JSON.parse(batch!.body));
    assert.equal(await eventsIn(t.teamId), 3);
    const v1 = (batchOf: unknown[], headers: Record<string, string> = { authorization: `Bearer ${t.writeKey}` }) =>
      send('/i/v1/analytics/events/', { created_at: new Date().toISOString(), batch: batchOf }, { headers });
    const repeated = { event: 'Subscribed', uuid: randomUUID(), distinct_id: 'v1-user', timestamp: new Date().toISOString(), options: {}, properties: { tier: 'pro' } };
    for (let i = 0; i < 2; i++) {
      const res = await v1([repeated, repeated]);
      assert.equal(res.status, 200, res.raw.body);
      assert.deepEqual(res.body, { results: { [repeated.uuid]: { result: 'ok' } } });
    }
    assert.equal(await eventsIn(t.teamId), 4, 'a repeated uuid is stored once');

    // disable_skew_correction takes the timestamp as sent; otherwise created_at corrects it.
    const sentLongAgo = { created_at: new Date(Date.now() - 3_600_000).toISOString() };
    const skewed = { ...repeated, uuid: randomUUID(), event: 'Skewed', timestamp: new Date(Date.now() - 3_600_000).toISOString() };
    const asSent = { ...skewed, uuid: randomUUID(), event: 'As sent', options: { disable_skew_correction: true, process_person_profile: true } };
    const dated = await send('/i/v1/analytics/events', { ...sentLongAgo, batch: [skewed, asSent] }, { headers: { authorization: `Bearer ${t.writeKey}` } });
    assert.equal(dated.status, 200, dated.raw.body);
    const times = Object.fromEntries((await timeline(t, person.id)).map((a) => [a.name, a]));
    assert.ok(Math.abs(Date.parse(times.Skewed!.occurredAt) - Date.now()) < 60_000, 'corrected by created_at: the clock that dated it was an hour behind');
    assert.ok(Math.abs(Date.parse(times['As sent']!.occurredAt) - (Date.now() - 3_600_000)) < 60_000, 'taken as sent');
    assert.equal(times['As sent']!.properties.$process_person_profile, true);

    // Refusals: per event (drop, with the field as PostHog names it), or of the envelope (4xx).
    const bad = await v1([{ ...repeated, uuid: 'u-1', options: 'x' }, { ...repeated, uuid: 'u-2', properties: { $set: 'not an object' } }, 'not an event']);
    assert.equal(bad.status, 200, bad.raw.body);
    assert.deepEqual(bad.body.results, {
      'u-1': { result: 'drop', details: 'invalid_type: options must be an object.' },
      'u-2': { result: 'drop', details: 'invalid_type: properties.$set must be an object.' },
    });
    const before = await eventsIn(t.teamId);
    assertError(await v1([]), 400, 'missing_field', 'batch');
    assertError(await v1([repeated], {}), 401, 'unauthenticated');
    assertError(await v1([repeated], { authorization: 'Bearer hv_wk_not-a-key' }), 401, 'invalid_api_key');
    assertError(await v1([repeated], { authorization: `Bearer ${t.secretKey}` }), 403, 'write_key_required');
    assertError(await v1(Array.from({ length: 1001 }, () => repeated)), 400, 'out_of_range', 'batch');
    assertError(await send('/i/v1/analytics/events', [repeated], { headers: { authorization: `Bearer ${t.writeKey}` } }), 400, 'missing_field', 'batch');
    const get = await server().inject({ method: 'GET', url: '/i/v1/analytics/events' });
    assert.equal(get.statusCode, 405);
    assert.equal(await eventsIn(t.teamId), before, 'nothing stored by a refused request');
    assert.equal(haven().logs.join('').includes(t.writeKey), false, 'the key is never logged');
  });

  it('restricted data: a payment card number anywhere refuses the event (alone: 400 restricted_data; in a batch: 200, rejected: 1), nothing stored, counted', async () => {
    const t = await team('card');
    const key = { api_key: t.writeKey };
    const refusedAlone = async (path: string, body: unknown, opts: Parameters<typeof send>[2] = {}, what = path, field?: string) => {
      const res = await send(path, body, opts);
      assertError(res, 400, 'restricted_data', field);
      assert.ok(!res.raw.body.replace(/\D/g, '').includes('4111111111111111'), `${what}: the number is not repeated back`);
    };
    // Each refusal names the field as the PostHog sender wrote it.
    const refused: [ReturnType<typeof ev>, string | undefined][] = [
      [ev('Pay', 'card-anon', { card: CARD }), 'properties.card'],
      [ev('Pay', 'card-anon', { note: `card 4111-1111-1111-1111 please` }), 'properties.note'],
      [ev('$pageview', 'card-anon', { $current_url: 'https://card.test/pay?cc=4111%201111%201111%201111' }), 'properties.$current_url'],
      [ev('$pageview', 'card-anon', { $title: `Paid ${CARD}` }), 'properties.$title'],
      [ev('Pay', 'card-anon', { $set: { card: CARD } }), 'properties.$set.card'],
      [ev('Pay', 'card-anon', {}, { $set_once: { card: CARD } }), '$set_once.card'],
      [ev(`Paid with ${CARD}`, 'card-anon'), 'event'],
      [ev('Pay', `anon-${CARD}`), 'distinct_id'],
      [ev('$identify', `user-${CARD}`), 'distinct_id'],
      [ev('$identify', 'card-user', { $anon_distinct_id: CARD }), 'properties.$anon_distinct_id'],
      [ev('$create_alias', 'card-user', { alias: CARD }), 'properties.alias'],
      [ev('Pay', 'card-anon', { [CARD]: true }), undefined],
    ];
    for (const [i, [e, field]] of refused.entries()) {
      await refusedAlone('/capture', { ...key, ...e }, {}, `case ${i}: ${JSON.stringify(e)}`, field);
      const r = await captureOk('/batch', { ...key, batch: [e] });
      assert.deepEqual([r.accepted, r.rejected], [0, 1], `case ${i} in a batch: ${JSON.stringify(e)}`);
    }
    const gz = await captureOk('/e/?compression=gzip-js', [ev('Pay', 'card-anon', { card: CARD, token: t.writeKey })], { gzip: 'body', contentType: 'text/plain' });
    assert.deepEqual([gz.accepted, gz.rejected], [0, 1]);
    // A 19-digit card number as a JSON number (a double would round it): as JSON, as text/plain
    // gzip, and in the form body of older posthog-js.
    const numeric = JSON.stringify({ ...key, ...ev('Pay', 'card-anon', { card: '__PAN__' }) }).replace('"__PAN__"', '4111111111111111110');
    for (const [path, opts] of [
      ['/capture', {}],
      ['/e/?compression=gzip-js', { gzip: 'body', contentType: 'text/plain' }],
      ['/e/', { raw: Buffer.from(`data=${encodeURIComponent(Buffer.from(numeric).toString('base64'))}`), contentType: 'application/x-www-form-urlencoded' }],
    ] as const) {
      await refusedAlone(path, numeric, opts, `${path}: a PAN as a long number`);
    }
    assert.equal(await eventsIn(t.teamId), 0);
    assert.equal(await peopleIn(t.teamId), 0, 'no person created for a refused event');
    // In a batch, only the offending event is refused.
    const mixed = await captureOk('/batch', { ...key, batch: [ev('Fine', 'card-anon', { ok: true }), ev('Pay', 'card-anon', { card: CARD })] });
    assert.deepEqual([mixed.accepted, mixed.rejected], [1, 1]);
    assert.equal(await eventsIn(t.teamId), 1);
    const rows = await owner<{ row: string }>(`SELECT e::text AS row FROM events e WHERE team_id = $1`, [t.teamId]);
    for (const row of rows.rows) assert.ok(!row.row.replace(/\D/g, '').includes('4111111111111111'));
    const counts = (await t.owner.get('/api/v1/tracking/restricted-data/counts')).body.counts as { reason: string; outcome?: string; events: number }[];
    assert.ok(counts.some((c) => c.reason === 'payment_card'), JSON.stringify(counts));
  });

  it('restricted data: a payment card number as the uuid is refused too (its unkeyed hash would be stored)', async () => {
    const t = await team('card-uuid');
    assertError(await send('/capture', { api_key: t.writeKey, ...ev('Pay', 'card-uuid-anon', {}, { uuid: CARD }) }), 400, 'restricted_data', 'uuid');
    const r = await captureOk('/batch', { api_key: t.writeKey, batch: [ev('Pay', 'card-uuid-anon', {}, { uuid: CARD })] });
    assert.deepEqual([r.accepted, r.rejected], [0, 1], 'a card number in the uuid (messageId) is restricted data like any other id');
    assert.equal(await eventsIn(t.teamId), 0);
  });

  it('a distinct_id captured before its $identify (server-side usage) stays one person', async () => {
    const t = await team('server-side');
    const key = { api_key: t.writeKey };
    await captureOk('/capture', { ...key, ...ev('Order Placed', 'srv-user', { total: 12 }) });
    await captureOk('/capture', { ...key, ...ev('$identify', 'srv-user', { $set: { name: 'Server User' } }) });
    await captureOk('/capture', { ...key, ...ev('Order Shipped', 'srv-user') });
    assert.equal(await peopleIn(t.teamId), 1, 'PostHog has one person per distinct_id; identify must not start a second one');
    const person = await onePersonBy(t, 'externalId', 'srv-user');
    assert.equal(person.name, 'Server User');
    const names = (await timeline(t, person.id)).map((a) => a.name);
    assert.ok(names.includes('Order Placed') && names.includes('Order Shipped'), JSON.stringify(names));
  });

  it('a distinct_id captured server-side, then $identify from the browser with its anonymous id: one person, known by the user id', async () => {
    const t = await team('server-then-browser');
    const key = { api_key: t.writeKey };
    await captureOk('/capture', { ...key, ...ev('Signed Up', 'user-d') });
    await captureOk('/capture', { ...key, ...ev('$pageview', 'anon-d', { $current_url: 'https://d.test/' }) });
    await captureOk('/capture', { ...key, ...ev('$identify', 'user-d', { $anon_distinct_id: 'anon-d', $set: { email: 'd@server-browser.test' } }) });
    assert.equal(await peopleIn(t.teamId), 1);
    const person = await onePersonBy(t, 'externalId', 'user-d');
    assert.deepEqual(person.externalIds, ['user-d']);
    const found = await t.owner.post('/api/v1/privacy/subjects/find', { externalId: 'user-d' });
    assert.deepEqual(found.body.people.map((p: { id: string }) => p.id), [person.id], 'a data-subject search by the user id finds them');
    // Another user on the same device is someone else: the device's person is identified.
    await captureOk('/capture', { ...key, ...ev('$identify', 'user-e', { $anon_distinct_id: 'anon-d', $set: { email: 'e@server-browser.test' } }) });
    assert.equal(await peopleIn(t.teamId), 2);
    assert.deepEqual((await onePersonBy(t, 'externalId', 'user-d')).emails, ['d@server-browser.test']);
  });

  it('$identify never merges two already identified people (a shared device), as PostHog refuses to', async () => {
    const t = await team('shared');
    const key = { api_key: t.writeKey };
    await captureOk('/capture', { ...key, ...ev('$pageview', 'shared-device', { $current_url: 'https://shared.test/' }) });
    await captureOk('/capture', { ...key, ...ev('$identify', 'alice', { $anon_distinct_id: 'shared-device', $set: { name: 'Alice' } }) });
    await captureOk('/capture', { ...key, ...ev('$identify', 'bob', { $set: { name: 'Bob' } }) });
    assert.equal(await peopleIn(t.teamId), 2);
    // Bob logs in on Alice's device: the anonymous id is Alice's, and Alice is identified.
    await captureOk('/capture', { ...key, ...ev('$identify', 'bob', { $anon_distinct_id: 'shared-device' }) });
    assert.equal(await peopleIn(t.teamId), 2, "Alice's person must not be merged into Bob's");
    const alice = await onePersonBy(t, 'externalId', 'alice');
    const bob = await onePersonBy(t, 'externalId', 'bob');
    assert.notEqual(alice.id, bob.id);
    assert.equal(alice.name, 'Alice');
    assert.deepEqual(bob.externalIds, ['bob']);
    // Carol, new to Haven, logs in on the same device: a person of her own, not an id of Alice's.
    await captureOk('/capture', { ...key, ...ev('$identify', 'carol', { $anon_distinct_id: 'shared-device', $set: { name: 'Carol' } }) });
    assert.equal(await peopleIn(t.teamId), 3);
    const carol = await onePersonBy(t, 'externalId', 'carol');
    assert.deepEqual([carol.name, carol.externalIds, carol.anonymousIds], ['Carol', ['carol'], []]);
    assert.deepEqual((await onePersonBy(t, 'externalId', 'alice')).externalIds, ['alice']);
    assert.equal((await onePersonBy(t, 'anonymousId', 'shared-device')).id, alice.id);
  });

  // ---------------------------------------------------------------------------------------------
  // Random bodies
  // ---------------------------------------------------------------------------------------------

  const ID_KEYS = ['$current_url', '$anon_distinct_id', 'alias', '$set', '$set_once', '$ip', 'distinct_id', '$title', '$referrer', 'plain'];
  const anyValue = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 3 }));
  const phEvent = fc.record(
    {
      event: fc.oneof(fc.constantFrom('$pageview', '$identify', '$create_alias', '$set', '$screen', 'Clicked', ''), fc.string({ maxLength: 30 }), fc.integer(), fc.jsonValue({ maxDepth: 2 })),
      distinct_id: fc.oneof(fc.constantFrom('fz-a', 'fz-b', 'fz-user', ' '), fc.string({ maxLength: 40 }), fc.integer(), fc.double(), fc.constant(null), fc.jsonValue({ maxDepth: 1 })),
      properties: fc.oneof(
        fc.dictionary(fc.oneof(fc.constantFrom(...ID_KEYS), fc.string({ maxLength: 10 })), fc.oneof(anyValue, fc.constantFrom('fz-a', 'fz-user')), { maxKeys: 6 }),
        fc.jsonValue({ maxDepth: 2 }),
      ),
      uuid: fc.oneof(fc.uuid(), fc.string({ maxLength: 10 }), fc.integer()),
      timestamp: fc.oneof(
        fc.date({ min: new Date(Date.now() - 30 * 86_400_000), max: new Date(Date.now() + 86_400_000), noInvalidDate: true }).map((d) => d.toISOString()),
        fc.string({ maxLength: 30 }),
        fc.integer(),
      ),
      $set: fc.jsonValue({ maxDepth: 2 }),
      $set_once: fc.dictionary(fc.string({ maxLength: 8 }), anyValue, { maxKeys: 4 }),
    },
    { requiredKeys: [] },
  );
  /** Mostly well-formed events, so that the random bodies also reach storage, merges and traits. */
  const goodEvent = fc.record({
    event: fc.constantFrom('$pageview', '$identify', '$create_alias', '$set', 'Clicked'),
    distinct_id: fc.constantFrom('fz-a', 'fz-b', 'fz-user', 'fz-other'),
    properties: fc.dictionary(fc.constantFrom(...ID_KEYS), fc.oneof(fc.constantFrom('fz-a', 'fz-b', 'fz-user'), fc.string({ maxLength: 10 })), { maxKeys: 4 }),
    uuid: fc.uuid(),
  });
  const phBody = fc.record({
    shape: fc.oneof({ arbitrary: fc.constantFrom('batch', 'array', 'single'), weight: 4 }, { arbitrary: fc.constant('junk'), weight: 1 }),
    keyAt: fc.oneof({ arbitrary: fc.constantFrom('api_key', 'token', 'properties.token'), weight: 4 }, { arbitrary: fc.constantFrom('none', 'wrong'), weight: 1 }),
    events: fc.array(
      fc.oneof({ arbitrary: goodEvent, weight: 2 }, { arbitrary: phEvent, weight: 3 }, { arbitrary: fc.oneof(fc.constant(null), fc.jsonValue({ maxDepth: 1 })), weight: 1 }),
      { minLength: 0, maxLength: 5 },
    ),
    junk: fc.jsonValue({ maxDepth: 3 }),
  });
  type PhBody = typeof phBody extends fc.Arbitrary<infer T> ? T : never;

  function build(b: PhBody, writeKey: string): { body: unknown; events: number } {
    const keyValue = b.keyAt === 'wrong' ? 'hv_wk_wrong' : writeKey;
    const events = b.events.map((e) => {
      if (b.keyAt !== 'properties.token' || !e || typeof e !== 'object' || Array.isArray(e)) return e;
      const p = (e as { properties?: unknown }).properties;
      if (!p || typeof p !== 'object' || Array.isArray(p)) return e;
      return { ...e, properties: { ...(p as object), token: keyValue } };
    });
    const top = b.keyAt === 'api_key' || b.keyAt === 'wrong' ? { api_key: keyValue } : b.keyAt === 'token' ? { token: keyValue } : {};
    switch (b.shape) {
      case 'batch':
        return { body: { ...top, batch: events }, events: events.length };
      case 'array':
        return { body: events, events: events.length };
      case 'single': {
        const first = events[0];
        return { body: { ...top, ...(first && typeof first === 'object' && !Array.isArray(first) ? first : {}) }, events: 1 };
      }
      default:
        return { body: b.junk, events: -1 };
    }
  }

  async function fuzz(path: string, gzip: 'header' | 'body' | undefined, contentType: string) {
    const t = await team('fuzz');
    let storedSome = 0;
    await fc.assert(
      fc.asyncProperty(phBody, async (b) => {
        const { body, events } = build(b, t.writeKey);
        const before = await eventsIn(t.teamId);
        const res = await send(path, JSON.stringify(body), { ...(gzip ? { gzip } : {}), contentType });
        const after = await eventsIn(t.teamId);
        assert.ok(res.status < 500, `${res.status} ${res.raw.body}`);
        // A batch with a good key is answered whole, each event accepted or refused on its own.
        if (b.shape === 'batch' && (b.keyAt === 'api_key' || b.keyAt === 'token') && events > 0) assert.equal(res.status, 200, res.raw.body);
        if (res.status === 200) {
          assert.equal(res.body.status, 1);
          if (events >= 0 && b.shape !== 'single') assert.equal(res.body.accepted + res.body.rejected, events, res.raw.body);
          if (b.shape === 'single') assert.deepEqual([res.body.accepted, res.body.rejected], [1, 0], 'a refused single event is a 400');
          assert.ok(after - before <= res.body.accepted, 'only accepted events are stored');
          storedSome += after - before;
        } else {
          assert.ok([400, 401, 403, 413, 415].includes(res.status), `${res.status} ${res.raw.body}`);
          assert.equal(after, before, 'a refused request stores nothing');
        }
      }),
      { numRuns: 60 },
    );
    assert.ok(storedSome > 0, 'the random bodies reached storage at least once');
  }

  it('property: random /batch bodies never answer 5xx and refused requests store nothing', async () => {
    await fuzz('/batch', undefined, 'application/json');
  });

  it('property: random /e?compression=gzip-js bodies (text/plain, gzip) never answer 5xx', async () => {
    await fuzz('/e/?compression=gzip-js', 'body', 'text/plain');
  });

  /** A Capture V1 event: a v0 event with V1's own fields, well-formed or not. */
  const v1Event = fc
    .tuple(
      fc.oneof({ arbitrary: goodEvent, weight: 2 }, { arbitrary: phEvent, weight: 3 }, { arbitrary: fc.oneof(fc.constant(null), fc.jsonValue({ maxDepth: 1 })), weight: 1 }),
      fc.record(
        {
          options: fc.oneof(fc.record({ disable_skew_correction: anyValue, process_person_profile: anyValue, cookieless_mode: anyValue, product_tour_id: anyValue }, { requiredKeys: [] }), anyValue),
          session_id: anyValue,
          window_id: anyValue,
        },
        { requiredKeys: [] },
      ),
    )
    .map(([event, v1]) => (event && typeof event === 'object' && !Array.isArray(event) ? { ...event, ...v1 } : event));

  it('property: random Capture V1 bodies never answer 5xx; each answer is for a uuid sent, and only events answered ok are stored', async () => {
    const t = await team('fuzz-v1');
    let storedSome = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({ key: fc.constantFrom('write', 'write', 'write', 'none', 'wrong'), createdAt: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), anyValue), batch: fc.array(v1Event, { maxLength: 5 }), junk: fc.boolean() }),
        async ({ key, createdAt, batch, junk }) => {
          const headers: Record<string, string> = key === 'none' ? {} : { authorization: `Bearer ${key === 'wrong' ? 'hv_wk_wrong' : t.writeKey}` };
          const before = await eventsIn(t.teamId);
          const res = await send('/i/v1/analytics/events', junk ? batch : { created_at: createdAt, batch }, { gzip: 'header', headers });
          const after = await eventsIn(t.teamId);
          if (res.status !== 200) {
            assert.ok([400, 401].includes(res.status), `${res.status} ${res.raw.body}`);
            assert.equal(after, before, 'a refused request stores nothing');
            return;
          }
          assert.equal(key, 'write');
          const sentUuids = new Set(batch.map((e) => (e && typeof e === 'object' && !Array.isArray(e) ? (e as { uuid?: unknown }).uuid : undefined)));
          const results = Object.entries(res.body.results as Record<string, { result: string }>);
          for (const [uuid, r] of results) {
            assert.ok(sentUuids.has(uuid), `an answer for ${uuid}, which was not sent`);
            assert.ok(r.result === 'ok' || r.result === 'drop', JSON.stringify(r));
          }
          const answeredOk = results.filter(([, r]) => r.result === 'ok').length;
          const withoutUuid = batch.filter((e) => !(e && typeof e === 'object' && typeof (e as { uuid?: unknown }).uuid === 'string')).length;
          assert.ok(after - before <= answeredOk + withoutUuid, 'only events answered ok (or not answerable) are stored');
          storedSome += after - before;
        },
      ),
      { numRuns: 60 },
    );
    assert.ok(storedSome > 0, 'the random bodies reached storage at least once');
  });
});
