import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AddressInfo } from 'node:net';
import { it } from 'node:test';
import { Analytics } from '@segment/analytics-node';
import fc from 'fast-check';
import { type Reply, TestClient, assertError, keyClient, signUp } from './support/client.js';
import type { ActivityView } from '../src/modules/tracking/timeline.js';
import { PURGE_PERSON_JOB } from '../src/modules/privacy/index.js';
import { type TestHaven, describeEngines, ownerSql } from './support/haven.js';

/**
 * Tracking: native ingest (/api/v1/events) with per-event results, the Segment-compatible
 * /v1/* endpoints (Basic-auth or body write key) and the official @segment/analytics-node
 * client against a listening Haven, dedupe by messageId, identify/alias merges (timeline joined,
 * traits merged, never across teams), erasure of merged people, encryption of event rows, and
 * refusals — on both engines.
 */

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EVENT_TYPES = ['track', 'page', 'screen', 'identify', 'group', 'alias'] as const;

type Activity = ActivityView;

interface Result {
  index: number;
  status: 'accepted' | 'rejected';
  eventId?: string;
  personId?: string;
  duplicate?: boolean;
  code?: string;
  message?: string;
  field?: string;
}


const basic = (key: string) => `Basic ${Buffer.from(`${key}:`, 'utf8').toString('base64')}`;
const iso = (ms: number) => new Date(ms).toISOString();
/** An object nested `levels` deep: nest(1) = {v: 1}, nest(2) = {a: {v: 1}}. */
const nest = (levels: number): Record<string, unknown> => (levels <= 1 ? { v: 1 } : { a: nest(levels - 1) });
const messageHash = (messageId: string) => createHash('sha256').update(messageId, 'utf8').digest();

describeEngines('tracking', (haven: () => TestHaven) => {
  const server = () => haven().server;
  const { owner, count } = ownerSql(haven);
  const eventsIn = (teamId: string) => count(`SELECT count(*)::int AS n FROM events WHERE team_id = $1`, [teamId]);
  const peopleIn = (teamId: string) => count(`SELECT count(*)::int AS n FROM people WHERE team_id = $1`, [teamId]);

  interface Team {
    owner: TestClient;
    teamId: string;
    write: TestClient;
    writeKey: string;
    writeKeyId: string;
    secret: TestClient;
    secretKey: string;
    /** No credentials: Segment calls add their own Authorization header or body key. */
    anon: TestClient;
  }

  async function team(tag = 'owner'): Promise<Team> {
    const a = await signUp(server(), tag);
    const w = await keyClient(server(), a.client, 'write');
    const s = await keyClient(server(), a.client, 'secret', 'admin');
    return { owner: a.client, teamId: a.teamId, write: w.client, writeKey: w.token, writeKeyId: w.id, secret: s.client, secretKey: s.token, anon: new TestClient(server()) };
  }

  /** Every response is checked for 5xx. */
  function no5xx<T>(res: Reply<T>, what: string): Reply<T> {
    assert.ok(res.status < 500, `${what}: ${res.status} ${res.raw.body}`);
    return res;
  }

  /** Native ingest with the team's admin key, whose answers name each event and person (the write key's do not). */
  async function ingest(t: Team, events: unknown[]): Promise<{ accepted: number; rejected: number; results: Result[] }> {
    const res = no5xx(await t.secret.post('/api/v1/events', { events }), 'ingest');
    assert.equal(res.status, 200, `ingest: ${res.status} ${res.raw.body}`);
    assert.equal(res.body.results.length, events.length);
    return res.body;
  }

  async function segment(t: Team, path: string, body: unknown, how: 'basic' | 'body' = 'basic'): Promise<Reply> {
    const payload = how === 'body' ? { ...(body as object), writeKey: t.writeKey } : body;
    const headers: Record<string, string> = how === 'basic' ? { authorization: basic(t.writeKey) } : {};
    return no5xx(await t.anon.post(path, payload, headers), `POST ${path}`);
  }

  async function segmentOk(t: Team, path: string, body: unknown, how: 'basic' | 'body' = 'basic'): Promise<Reply> {
    const res = await segment(t, path, body, how);
    assert.equal(res.status, 200, `POST ${path}: ${res.status} ${res.raw.body}`);
    assert.equal(res.body.success, true);
    return res;
  }

  async function personBy(t: Team, kind: 'anonymousId' | 'externalId', value: string): Promise<any[]> {
    const res = no5xx(await t.owner.get(`/api/v1/people?${kind}=${encodeURIComponent(value)}`), 'find person');
    assert.equal(res.status, 200, res.raw.body);
    return res.body.people;
  }

  async function onePersonBy(t: Team, kind: 'anonymousId' | 'externalId', value: string): Promise<any> {
    const found = await personBy(t, kind, value);
    assert.equal(found.length, 1, `exactly one person with ${kind} ${value}: ${JSON.stringify(found)}`);
    return found[0];
  }

  async function activity(t: Team, personId: string, query = ''): Promise<{ activity: Activity[]; nextCursor: string | null }> {
    const res = no5xx(await t.owner.get(`/api/v1/people/${personId}/activity${query ? `?${query}` : ''}`), 'activity');
    assert.equal(res.status, 200, `activity ?${query}: ${res.status} ${res.raw.body}`);
    return res.body;
  }

  /** All of a person's activity, following nextCursor with pages of `limit`. */
  async function allActivity(t: Team, personId: string, query = '', limit = 200): Promise<Activity[]> {
    const out: Activity[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 100; guard++) {
      const page = await activity(t, personId, [query, `limit=${limit}`, cursor ? `cursor=${encodeURIComponent(cursor)}` : ''].filter(Boolean).join('&'));
      assert.ok(page.activity.length <= limit);
      out.push(...page.activity);
      cursor = page.nextCursor;
      if (!cursor) return out;
      assert.equal(page.activity.length, limit, 'a page with a next cursor is full');
    }
    throw new Error('paging did not end');
  }

  async function auditOf(t: Team, query: string) {
    const res = no5xx(await t.owner.get(`/api/v1/audit?limit=500&${query}`), 'audit');
    assert.equal(res.status, 200, res.raw.body);
    return res.body.entries as { action: string; target: { type: string; id: string } | null; details: Record<string, unknown> }[];
  }

  // ---------------------------------------------------------------------------------------------
  // Native ingest and the timeline
  // ---------------------------------------------------------------------------------------------

  it('native ingest answers per event: accepted ones stored and readable, rejected ones refused with code and field', async () => {
    const t = await team();
    const base = Date.now() - 60 * 60_000;
    const r = await ingest(t, [
      { type: 'page', anonymousId: 'anon-native', name: 'Pricing', properties: { url: 'https://shop.test/pricing', title: 'Pricing', referrer: 'https://search.test/' }, timestamp: iso(base) },
      { type: 'track', anonymousId: 'anon-native', event: 'Signed Up', properties: { plan: 'pro', seats: 3 }, timestamp: iso(base + 60_000) },
      { type: 'identify', traits: { name: 'Nobody' } },
      { type: 'track', anonymousId: 'anon-native' },
      { type: 'page', anonymousId: 'anon-native', timestamp: 'last tuesday' },
      { type: 'screen', anonymousId: 'anon-native', name: 'Settings', context: { page: { url: 'app://settings', title: 'Settings screen' } }, timestamp: iso(base + 120_000) },
    ]);
    assert.equal(r.accepted, 3);
    assert.equal(r.rejected, 3);
    assert.deepEqual(r.results.map((x) => [x.index, x.status]), [
      [0, 'accepted'],
      [1, 'accepted'],
      [2, 'rejected'],
      [3, 'rejected'],
      [4, 'rejected'],
      [5, 'accepted'],
    ]);
    assert.deepEqual(
      r.results.filter((x) => x.status === 'rejected').map((x) => [x.code, x.field]),
      [
        ['missing_identity', 'userId'],
        ['missing_field', 'event'],
        ['invalid_timestamp', 'timestamp'],
      ],
    );
    for (const x of r.results.filter((y) => y.status === 'rejected')) assert.equal(typeof x.message, 'string');
    const accepted = r.results.filter((x) => x.status === 'accepted');
    for (const x of accepted) {
      assert.match(x.eventId!, UUID_RE);
      assert.match(x.personId!, UUID_RE);
      assert.equal(x.duplicate, false);
    }
    assert.equal(new Set(accepted.map((x) => x.personId)).size, 1, 'one anonymous person');
    assert.equal(await eventsIn(t.teamId), 3, 'rejected events are not stored');

    const person = await onePersonBy(t, 'anonymousId', 'anon-native');
    assert.equal(person.id, accepted[0]!.personId);
    const { activity: list, nextCursor } = await activity(t, person.id);
    assert.equal(nextCursor, null);
    assert.deepEqual(
      list.map((a) => [a.type, a.name, a.occurredAt]),
      [
        ['screen', 'Settings', iso(base + 120_000)],
        ['track', 'Signed Up', iso(base + 60_000)],
        ['page', 'Pricing', iso(base)],
      ],
      'newest first',
    );
    assert.deepEqual(list.map((a) => a.id), [accepted[2]!.eventId, accepted[1]!.eventId, accepted[0]!.eventId]);
    const [screen, track, page] = list as [Activity, Activity, Activity];
    assert.deepEqual(track.properties, { plan: 'pro', seats: 3 });
    assert.equal(page.url, 'https://shop.test/pricing');
    assert.equal(page.title, 'Pricing');
    assert.equal(page.referrer, 'https://search.test/');
    assert.equal(screen.url, 'app://settings', 'URL from context.page');
    assert.equal(screen.title, 'Settings screen');
    for (const a of list) assert.ok(Math.abs(Date.parse(a.receivedAt) - Date.now()) < 60_000);
  });

  it("a sender's clock off by minutes or years: sentAt dates each event by how long before its sending it happened (native, Segment, PostHog)", async () => {
    const t = await team('skew');
    const iso = (ms: number) => new Date(ms).toISOString();
    const now = Date.now();
    const years = 6 * 365 * 86_400_000;
    // A device six years slow: an event a minute before sending. Without sentAt it would be refused as too old.
    const native = await ingest(t, [{ type: 'track', userId: 'skew-1', event: 'Slow clock', timestamp: iso(now - years - 60_000), sentAt: iso(now - years) }]);
    assert.equal(native.results[0]!.status, 'accepted', JSON.stringify(native.results));
    // Segment: the batch's sentAt, or a message's own; a device ten minutes fast.
    await segmentOk(t, '/v1/batch', {
      sentAt: iso(now + 600_000),
      batch: [
        { type: 'track', userId: 'skew-1', event: 'Fast clock', timestamp: iso(now + 600_000 - 3_600_000) },
        { type: 'track', userId: 'skew-1', event: 'Own sentAt', timestamp: iso(now - years - 120_000), sentAt: iso(now - years) },
        { type: 'track', userId: 'skew-1', event: 'Unreadable sentAt', timestamp: iso(now - 7_200_000), sentAt: 'yesterday' },
      ],
    });
    // PostHog: posthog-node's batch sent_at.
    const ph = await t.anon.post('/batch/', {
      api_key: t.writeKey,
      sent_at: iso(now - years),
      batch: [
        { event: 'PostHog slow', distinct_id: 'skew-1', timestamp: iso(now - years - 30_000) },
        // posthog-node's disable_skew_correction: the timestamp as sent (an import of past events).
        { event: 'PostHog as sent', distinct_id: 'skew-1', timestamp: iso(now - 86_400_000), properties: { $ignore_sent_at: true } },
      ],
    });
    assert.equal(ph.status, 200, ph.raw.body);
    const person = (await personBy(t, 'externalId', 'skew-1'))[0]!;
    const at = Object.fromEntries((await activity(t, person.id)).activity.map((a) => [a.name, Date.parse(a.occurredAt)]));
    const near = (name: string, ago: number) => assert.ok(Math.abs(at[name]! - (now - ago)) < 20_000, `${name}: ${iso(at[name]!)}, expected about ${iso(now - ago)}`);
    near('Slow clock', 60_000);
    near('Fast clock', 3_600_000);
    near('Own sentAt', 120_000);
    near('Unreadable sentAt', 7_200_000);
    near('PostHog slow', 30_000);
    near('PostHog as sent', 86_400_000);
  });

  it('a card number sent as a JSON number is refused at any length (a double rounds 17–19 digits); long ids keep their digits', async () => {
    const t = await team();
    // Raw JSON text: JSON.stringify cannot write these numbers. Luhn-valid PANs of 19, 17 and 16
    // digits; a 19-digit order id (not Luhn-valid) that a double would round.
    const body = (mode: string) =>
      `{"events":[` +
      `{"type":"track","anonymousId":"numbers-${mode}","event":"Pay","properties":{"card":4111111111111111110}},` +
      `{"type":"track","anonymousId":"numbers-${mode}","event":"Pay","properties":{"nested":[{"card":62123456789012347}]}},` +
      `{"type":"track","anonymousId":"numbers-${mode}","event":"Pay","properties":{"card":6011000990139424}},` +
      `{"type":"track","anonymousId":"numbers-${mode}","event":"Order","properties":{"orderId":1234567890123456789,"total":19.99,"count":3}}]}`;
    const rejected = no5xx(await t.secret.post('/api/v1/events', body('reject')), 'ingest');
    assert.equal(rejected.status, 200, rejected.raw.body);
    assert.deepEqual(
      rejected.body.results.map((r: Result) => [r.status, r.code, r.field]),
      [
        ['rejected', 'restricted_data', 'properties.card'],
        ['rejected', 'restricted_data', 'properties.nested.0.card'],
        ['rejected', 'restricted_data', 'properties.card'],
        ['accepted', undefined, undefined],
      ],
    );
    assert.equal(await eventsIn(t.teamId), 1);
    const [order] = (await activity(t, rejected.body.results[3].personId)).activity;
    assert.deepEqual(order!.properties, { orderId: '1234567890123456789', total: 19.99, count: 3 }, 'the id as sent, not rounded to 1234567890123456800');
    // The Segment endpoints parse alike: JSON, and text/plain as the browser snippet sends it.
    for (const contentType of ['application/json', 'text/plain']) {
      const segmentBody = `{"anonymousId":"numbers-segment","event":"Pay","properties":{"card":4111111111111111110}}`;
      assertError(await t.anon.post('/v1/track', segmentBody, { authorization: basic(t.writeKey), 'content-type': contentType }), 400, 'restricted_data', 'properties.card');
    }
    assert.equal(await eventsIn(t.teamId), 1, 'the Segment calls stored nothing');

    // Redact mode stores the events with the numbers replaced.
    assert.equal((await t.owner.put('/api/v1/tracking/restricted-data', { mode: 'redact', detectors: [] })).status, 200);
    const redacted = no5xx(await t.secret.post('/api/v1/events', body('redact')), 'ingest');
    assert.deepEqual(redacted.body.results.map((r: Result) => r.status), ['accepted', 'accepted', 'accepted', 'accepted'], redacted.raw.body);
    // Events of the same moment come in id order: compared as a sorted list.
    const stored = (await activity(t, redacted.body.results[0].personId)).activity.map((a) => JSON.stringify(a.properties)).sort();
    assert.deepEqual(stored, ['{"card":"[redacted]"}', '{"card":"[redacted]"}', '{"nested":[{"card":"[redacted]"}]}', '{"orderId":"1234567890123456789","total":19.99,"count":3}']);
    const rows = await owner<{ row: string }>(`SELECT e::text AS row FROM events e WHERE team_id = $1`, [t.teamId]);
    for (const row of rows.rows) assert.ok(!/4111111111111111|62123456789012347|6011000990139424/.test(row.row.replace(/\D/g, '')));
  });

  it('stored detectors that today\'s checks refuse: shown with the problem, every event refused and counted until saved again', async () => {
    const t = await team();
    assert.equal((await t.owner.put('/api/v1/tracking/restricted-data', { mode: 'redact', detectors: [{ id: 'ids', label: 'Ids', kind: 'regex', pattern: 'X\\d{6}' }] })).status, 200);
    const fine = await t.owner.get('/api/v1/tracking/restricted-data');
    assert.equal(fine.body.problem, null);
    // As an earlier Haven (on V8's regex engine) could have stored it: a lookahead, which RE2 does not have.
    await owner(`UPDATE tracking_settings SET detectors = $2::jsonb, updated_at = clock_timestamp() WHERE team_id = $1`, [
      t.teamId,
      JSON.stringify([{ id: 'ids', label: 'Ids', kind: 'regex', pattern: '\\d{6}(?!\\d)' }]),
    ]);
    const shown = await t.owner.get('/api/v1/tracking/restricted-data');
    assert.equal(shown.status, 200, shown.raw.body);
    assert.equal(shown.body.detectors[0].pattern, '\\d{6}(?!\\d)', 'the stored settings are shown as they are');
    assert.equal(shown.body.problem.field, 'detectors.ids.pattern');
    assert.equal(typeof shown.body.problem.message, 'string');

    // Ingest fails closed: the guard cannot run what the team set, so nothing is stored.
    const refused = await ingest(t, [
      { type: 'track', anonymousId: 'stale-detectors', event: 'A' },
      { type: 'page', anonymousId: 'stale-detectors', name: 'B' },
    ]);
    assert.deepEqual(refused.results.map((r) => [r.status, r.code]), [
      ['rejected', 'detectors_invalid'],
      ['rejected', 'detectors_invalid'],
    ]);
    assertError(await segment(t, '/v1/track', { anonymousId: 'stale-detectors', event: 'C' }), 400, 'detectors_invalid');
    assert.equal(await eventsIn(t.teamId), 0);
    assert.equal(await peopleIn(t.teamId), 0);
    const counts = (await t.owner.get('/api/v1/tracking/restricted-data/counts')).body.counts as { day: string; reason: string; outcome: string; events: number }[];
    assert.deepEqual(counts.map((c) => [c.reason, c.outcome, c.events]), [['detectors_invalid', 'rejected', 3]]);
    // A window that ends within today counts today, as /activity/daily does.
    const midday = `${counts[0]!.day}T12:00:00Z`;
    const today = await t.owner.get(`/api/v1/tracking/restricted-data/counts?from=${encodeURIComponent(`${counts[0]!.day}T00:00:00Z`)}&to=${encodeURIComponent(midday)}`);
    assert.deepEqual(today.body.counts.map((c: { events: number }) => c.events), [3], today.raw.body);

    // Saving valid detectors clears the problem, and ingest goes on.
    const saved = await t.owner.put('/api/v1/tracking/restricted-data', { mode: 'redact', detectors: [{ id: 'ids', label: 'Ids', kind: 'regex', pattern: 'a{1,20}$' }] });
    assert.equal(saved.status, 200, saved.raw.body);
    assert.equal(saved.body.problem, null);
    assert.equal((await t.owner.get('/api/v1/tracking/restricted-data')).body.problem, null);
    assert.equal((await ingest(t, [{ type: 'track', anonymousId: 'stale-detectors', event: 'A' }])).accepted, 1);
  });

  it('activity: newest first, type filter (repeatable), from/to, keyset paging, invalid cursor', async () => {
    const t = await team();
    const base = Date.now() - 3 * 3_600_000;
    const types = ['page', 'track', 'screen', 'page', 'track', 'page', 'group', 'track', 'page', 'screen', 'page', 'track'] as const;
    const events = types.map((type, i) => ({
      type,
      anonymousId: 'anon-paging',
      ...(type === 'track' ? { event: `Event ${i}` } : { name: `Name ${i}` }),
      properties: { i },
      timestamp: iso(base + i * 60_000),
    }));
    // Two events at the very same instant: paging must still visit both (ties broken by id).
    events.push({ type: 'track', anonymousId: 'anon-paging', event: 'Tie A', properties: { i: 100 }, timestamp: iso(base + 5 * 60_000) });
    events.push({ type: 'track', anonymousId: 'anon-paging', event: 'Tie B', properties: { i: 101 }, timestamp: iso(base + 5 * 60_000) });
    const r = await ingest(t, events);
    assert.equal(r.accepted, events.length);
    const personId = r.results[0]!.personId!;

    const all = await allActivity(t, personId);
    assert.equal(all.length, events.length);
    for (let i = 1; i < all.length; i++) {
      const [prev, cur] = [all[i - 1]!, all[i]!];
      assert.ok(prev.occurredAt > cur.occurredAt || (prev.occurredAt === cur.occurredAt && prev.id > cur.id), 'ordered by (time, id) descending');
    }
    assert.deepEqual(all.map((a) => a.properties.i).slice(0, 3), [11, 10, 9]);

    for (const limit of [1, 2, 3, 5, 13, 14]) {
      const paged = await allActivity(t, personId, '', limit);
      assert.deepEqual(paged.map((a) => a.id), all.map((a) => a.id), `limit ${limit}`);
    }
    const first = await activity(t, personId, 'limit=14');
    assert.equal(first.nextCursor, null, 'no cursor when everything fits');

    // type, repeated
    const pt = await allActivity(t, personId, 'type=page&type=track', 2);
    assert.deepEqual(pt.map((a) => a.id), all.filter((a) => a.type === 'page' || a.type === 'track').map((a) => a.id));
    assert.ok(pt.length > 0);
    assertError(await t.owner.get(`/api/v1/people/${personId}/activity?type=page&type=nonsense`), 400, 'invalid_value');

    // from (inclusive) / to (exclusive)
    const from = iso(base + 3 * 60_000);
    const to = iso(base + 8 * 60_000);
    const window = await allActivity(t, personId, `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, 2);
    assert.deepEqual(window.map((a) => a.id), all.filter((a) => a.occurredAt >= from && a.occurredAt < to).map((a) => a.id));
    assert.equal(window.length, 7);
    const combined = await allActivity(t, personId, `type=track&from=${encodeURIComponent(from)}`, 1);
    assert.deepEqual(combined.map((a) => a.id), all.filter((a) => a.type === 'track' && a.occurredAt >= from).map((a) => a.id));
    assert.deepEqual((await activity(t, personId, `from=${encodeURIComponent(iso(Date.now() + 3_600_000))}`)).activity, []);
    assertError(await t.owner.get(`/api/v1/people/${personId}/activity?from=yesterday`), 400, 'invalid_format', 'query.from');

    // cursors
    for (const bad of ['garbage', Buffer.from('abc|def').toString('base64url'), Buffer.from(`123|${'x'.repeat(36)}`).toString('base64url'), '!!!']) {
      assertError(await t.owner.get(`/api/v1/people/${personId}/activity?cursor=${encodeURIComponent(bad)}`), 400, 'invalid_cursor', 'query.cursor');
    }
    // A cursor is this person's under these filters: under others it would page on silently wrong.
    const pageCursor = (await activity(t, personId, 'type=page&limit=1')).nextCursor!;
    assertError(await t.owner.get(`/api/v1/people/${personId}/activity?type=track&cursor=${pageCursor}`), 400, 'invalid_cursor', 'query.cursor');
    assertError(await t.owner.get(`/api/v1/people/${personId}/activity?cursor=${pageCursor}`), 400, 'invalid_cursor', 'query.cursor');
    assert.equal((await t.owner.get(`/api/v1/people/${personId.toUpperCase()}/activity?type=page&cursor=${pageCursor}`)).status, 200, 'however the id is spelled');
    // A well-formed cursor for a time/id not in the list still answers (it is only a position).
    const plainList = Buffer.from((await activity(t, personId, 'limit=1')).nextCursor!, 'base64url').toString('utf8').split('|')[0];
    const made = Buffer.from(`${plainList}|${(base + 6 * 60_000) * 1000}|${randomUUID()}`).toString('base64url');
    const fromMade = await activity(t, personId, `cursor=${made}&limit=200`);
    assert.ok(fromMade.activity.every((a) => a.occurredAt <= iso(base + 6 * 60_000)));

    // Someone else's / no person
    assertError(await t.owner.get(`/api/v1/people/${randomUUID()}/activity`), 404, 'not_found');
    const other = await team('other');
    assertError(await other.owner.get(`/api/v1/people/${personId}/activity`), 404, 'not_found');
    assertError(await other.owner.get(`/api/v1/people/${personId}/pages`), 404, 'not_found');
    // Secret keys read it too.
    assert.equal((await t.secret.get(`/api/v1/people/${personId}/activity`)).status, 200);
  });

  it('activity: a single ?type=… filter (not repeated) works like the repeated form', async () => {
    const t = await team();
    const r = await ingest(t, [
      { type: 'page', anonymousId: 'single-type', timestamp: iso(Date.now() - 3_000) },
      { type: 'screen', anonymousId: 'single-type', name: 'S', timestamp: iso(Date.now() - 2_000) },
      { type: 'track', anonymousId: 'single-type', event: 'T', timestamp: iso(Date.now() - 1_000) },
    ]);
    const personId = r.results[0]!.personId!;
    const res = await t.owner.get(`/api/v1/people/${personId}/activity?type=screen`);
    assert.equal(res.status, 200, `?type=screen: ${res.status} ${res.raw.body}`);
    assert.deepEqual(res.body.activity.map((a: Activity) => a.id), [r.results[1]!.eventId]);
  });

  it('pages viewed: views per URL, most viewed first; daily counts per UTC day and type', async () => {
    const t = await team();
    const now = Date.now();
    const ago = (min: number) => iso(now - min * 60_000);
    const r = await ingest(t, [
      { type: 'page', anonymousId: 'anon-pages', properties: { url: 'https://x.test/a', title: 'A old' }, timestamp: ago(50) },
      { type: 'page', anonymousId: 'anon-pages', properties: { url: 'https://x.test/a', title: 'A' }, timestamp: ago(10) },
      { type: 'page', anonymousId: 'anon-pages', context: { page: { url: 'https://x.test/a', title: 'A ctx' } }, timestamp: ago(30) },
      { type: 'page', anonymousId: 'anon-pages', properties: { url: 'https://x.test/c' }, timestamp: ago(40) },
      { type: 'page', anonymousId: 'anon-pages', context: { page: { url: 'https://x.test/c', title: 'C' } }, timestamp: ago(5) },
      { type: 'page', anonymousId: 'anon-pages', properties: { url: 'https://x.test/b', title: 'B' }, timestamp: ago(20) },
      { type: 'page', anonymousId: 'anon-pages', name: 'no url', timestamp: ago(25) },
      // A page whose address is literally the placeholder an earlier build gave views without one.
      { type: 'page', anonymousId: 'anon-pages', properties: { url: '(unknown)' }, timestamp: ago(26) },
      { type: 'track', anonymousId: 'anon-pages', event: 'Not a page', properties: { url: 'https://x.test/track' }, timestamp: ago(1) },
    ]);
    assert.equal(r.accepted, 9);
    const personId = r.results[0]!.personId!;
    const res = await t.owner.get(`/api/v1/people/${personId}/pages`);
    assert.equal(res.status, 200, res.raw.body);
    assert.deepEqual(res.body.pages, [
      { url: 'https://x.test/a', title: 'A', views: 3, lastViewedAt: ago(10) },
      { url: 'https://x.test/c', title: 'C', views: 2, lastViewedAt: ago(5) },
      { url: 'https://x.test/b', title: 'B', views: 1, lastViewedAt: ago(20) },
      { url: null, title: null, views: 1, lastViewedAt: ago(25) },
      { url: '(unknown)', title: null, views: 1, lastViewedAt: ago(26) },
    ]);
    assertError(await t.owner.get(`/api/v1/people/${randomUUID()}/pages`), 404, 'not_found');
    assertError(await t.write.get(`/api/v1/people/${personId}/pages`), 403, 'write_key_not_allowed');

    // Daily counts, on a team of its own so the numbers are exact.
    const d = await team('daily');
    const day = (n: number) => {
      const x = new Date(now - n * 86_400_000);
      return { at: (h: number) => iso(Date.UTC(x.getUTCFullYear(), x.getUTCMonth(), x.getUTCDate(), h)), name: x.toISOString().slice(0, 10) };
    };
    const [d2, d1] = [day(2), day(1)];
    const e = await ingest(d, [
      { type: 'page', anonymousId: 'd-1', timestamp: d2.at(1) },
      { type: 'page', anonymousId: 'd-1', timestamp: d2.at(23) },
      { type: 'track', anonymousId: 'd-2', event: 'X', timestamp: d2.at(12) },
      { type: 'identify', userId: 'd-user', timestamp: d1.at(0) },
      { type: 'page', anonymousId: 'd-2', timestamp: d1.at(8) },
      { type: 'page', anonymousId: 'd-1', timestamp: day(40).at(12) },
      { type: 'page', timestamp: d1.at(9) },
    ]);
    assert.equal(e.accepted, 6);
    const daily = await d.owner.get('/api/v1/activity/daily');
    assert.equal(daily.status, 200, daily.raw.body);
    assert.deepEqual(daily.body.days, [
      { day: d2.name, total: 3, counts: { page: 2, track: 1 } },
      { day: d1.name, total: 2, counts: { identify: 1, page: 1 } },
    ], 'the last 30 days by default: the 40-day-old event is out');
    const ranged = await d.owner.get(`/api/v1/activity/daily?from=${encodeURIComponent(day(41).at(0))}&to=${encodeURIComponent(d2.at(12))}`);
    assert.equal(ranged.status, 200, ranged.raw.body);
    assert.deepEqual(ranged.body.days, [
      { day: day(40).name, total: 1, counts: { page: 1 } },
      { day: d2.name, total: 1, counts: { page: 1 } },
    ], 'from inclusive, to exclusive');
    // A from after the default end (the coming midnight) is refused like one after an explicit to.
    assertError(await d.owner.get(`/api/v1/activity/daily?from=${encodeURIComponent(iso(now + 86_400_000 * 3))}`), 400, 'out_of_range', 'query.from');
    assertError(await d.owner.get('/api/v1/activity/daily?from=monday'), 400, 'invalid_format', 'query.from');
    assertError(await d.owner.get(`/api/v1/activity/daily?from=${encodeURIComponent(d1.at(0))}&to=${encodeURIComponent(d2.at(0))}`), 400, 'out_of_range', 'query.to');
    assertError(await d.owner.get('/api/v1/activity/daily?from=1000-01-01T00:00:00Z'), 400, 'out_of_range', 'query.from');
    // Days of another time zone: Tokyo is UTC+9 all year, so d2 23:00 UTC is d1 there.
    const tokyo = await d.owner.get(`/api/v1/activity/daily?tz=Asia/Tokyo&from=${encodeURIComponent(day(3).at(0))}&to=${encodeURIComponent(iso(now))}`);
    assert.equal(tokyo.status, 200, tokyo.raw.body);
    assert.deepEqual(tokyo.body.days, [
      { day: d2.name, total: 2, counts: { page: 1, track: 1 } },
      { day: d1.name, total: 3, counts: { identify: 1, page: 2 } },
    ]);
    const tokyoDefault = await d.owner.get('/api/v1/activity/daily?tz=Asia/Tokyo');
    assert.equal(tokyoDefault.status, 200, tokyoDefault.raw.body);
    assert.ok(!tokyoDefault.body.days.some((x: { day: string }) => x.day === day(40).name), 'the default window is 31 local days');
    for (const bad of ['Mars/Olympus', '%2B01:00', 'UTC%27;--']) assertError(await d.owner.get(`/api/v1/activity/daily?tz=${bad}`), 400, 'invalid_time_zone', 'query.tz');
    assertError(await d.write.get('/api/v1/activity/daily'), 403, 'write_key_not_allowed');
    // Another team sees none of it.
    assert.deepEqual((await t.owner.get(`/api/v1/activity/daily?from=${encodeURIComponent(day(3).at(0))}&to=${encodeURIComponent(day(1).at(0))}`)).body.days, []);
  });

  it('daily windows: 400 days to the microsecond, from the default end too; query times finer than a microsecond select as written', async () => {
    const t = await team('windows');
    const DAY = 86_400_000;
    const comingMidnight = Math.floor(Date.now() / DAY) * DAY + DAY;
    const q = (x: string) => encodeURIComponent(x);
    for (const route of ['/api/v1/activity/daily', '/api/v1/tracking/restricted-data/counts']) {
      // A from alone, exactly 400 days before the default end (the coming UTC midnight): taken.
      const longest = await t.owner.get(`${route}?from=${q(iso(comingMidnight - 400 * DAY))}`);
      assert.equal(longest.status, 200, `${route}: ${longest.raw.body}`);
      assertError(await t.owner.get(`${route}?from=${q(iso(comingMidnight - 401 * DAY))}`), 400, 'out_of_range', 'query.from');
      assertError(await t.owner.get(`${route}?from=${q(iso(comingMidnight + DAY))}`), 400, 'out_of_range', 'query.from');
      // Bounds a microsecond apart are in order; the same instant written twice is not.
      assert.equal((await t.owner.get(`${route}?from=2026-12-07T00:00:00Z&to=2026-12-07T00:00:00.000001Z`)).status, 200, route);
      assertError(await t.owner.get(`${route}?from=2026-12-07T00:00:00Z&to=2026-12-07T01:00:00.000000000%2B01:00`), 400, 'out_of_range', 'query.to');
    }
    const at = '2026-12-01T10:00:00.000Z';
    const r = await ingest(t, [{ type: 'track', anonymousId: 'fine-times', event: 'At ten', timestamp: at }]);
    const personId = r.results[0]!.personId!;
    const names = async (query: string) => ((await t.owner.get(`/api/v1/people/${personId}/activity?${query}`)).body.activity as { name: string }[]).map((e) => e.name);
    // 0.4 µs after the event: an inclusive from there leaves it out; an exclusive to there keeps it.
    assert.deepEqual(await names(`from=${q('2026-12-01T10:00:00.0000004Z')}`), []);
    assert.deepEqual(await names(`from=${q('2026-12-01T09:00:00Z')}&to=${q('2026-12-01T10:00:00.0000004Z')}`), ['At ten']);
    assert.deepEqual(await names(`from=${q('2026-12-01T10:00:00.000000000Z')}`), ['At ten']);
    assert.deepEqual(await names(`from=${q('2026-12-01T09:00:00Z')}&to=${q('2026-12-01T10:00:00.000000000Z')}`), []);
    assertError(await t.owner.get(`/api/v1/people/${personId}/activity?from=${q(at)}&to=${q('2026-12-01T11:00:00+01:00')}`), 400, 'out_of_range', 'query.to');
  });

  it('keys holding line ends (U+2028, U+2029, \\n) are read back as stored', async () => {
    const t = await team();
    const keys = ['k\u2028', 'k\u2029', 'k\nl'];
    const bag = Object.fromEntries(keys.map((k, i) => [k, i]));
    const r = await ingest(t, [
      { type: 'identify', userId: 'line-ends', traits: bag },
      { type: 'track', userId: 'line-ends', event: 'Keys', properties: bag, context: bag },
    ]);
    assert.equal(r.accepted, 2);
    const personId = r.results[0]!.personId!;
    const person = (await t.owner.get(`/api/v1/people/${personId}`)).body;
    for (const k of keys) assert.equal(person.properties[k], bag[k], `profile property ${JSON.stringify(k)}`);
    const activity = await allActivity(t, personId);
    const [track, identify] = [activity.find((a) => a.type === 'track'), activity.find((a) => a.type === 'identify')];
    for (const k of keys) {
      assert.equal(track!.properties[k], bag[k], `event property ${JSON.stringify(k)}`);
      assert.equal(track!.context[k], bag[k], `context ${JSON.stringify(k)}`);
      assert.equal(identify!.traits[k], bag[k], `trait ${JSON.stringify(k)}`);
    }
  });

  it('rejects bad query dates without a server error (year 0000, the far past, leap seconds, offsets PostgreSQL refuses)', async () => {
    const t = await team();
    const r = await ingest(t, [{ type: 'page', anonymousId: 'dates' }]);
    const personId = r.results[0]!.personId!;
    const failures: string[] = [];
    for (const url of [
      `/api/v1/activity/daily?to=0001-01-01T00:00:00Z`,
      `/api/v1/activity/daily?from=0000-01-01T00:00:00Z`,
      `/api/v1/people/${personId}/activity?from=0000-01-01T00:00:00Z`,
      `/api/v1/people/${personId}/activity?to=0000-01-01T00:00:00Z`,
    ]) {
      const res = await t.owner.get(url);
      if (res.status !== 200 && res.status !== 400) failures.push(`${url}: ${res.status} ${res.raw.body}`);
    }
    assert.deepEqual(failures, []);
    // Valid RFC 3339 that JavaScript or PostgreSQL cannot read: refused as a bad query, never a 500.
    const unreadable: string[] = [];
    for (const time of ['2026-06-30T23:59:60Z', '2026-01-01T00:00:00+16:00', '2026-01-01T00:00:00-23:59']) {
      for (const path of ['/api/v1/activity/daily', `/api/v1/people/${personId}/activity`, '/api/v1/tracking/restricted-data/counts']) {
        for (const bound of ['from', 'to']) {
          const res = await t.owner.get(`${path}?${bound}=${encodeURIComponent(time)}`);
          if (res.status !== 400) unreadable.push(`${path}?${bound}=${time}: ${res.status} ${res.raw.body}`);
        }
      }
    }
    assert.deepEqual(unreadable, []);
    // The offsets and fractions PostgreSQL does read still work.
    for (const time of ['2026-01-01T00:00:00+15:59', '2026-01-01 00:00:00.123456z', '2026-01-01T00:00:00-09:30']) {
      const res = await t.owner.get(`/api/v1/activity/daily?from=${encodeURIComponent(time)}`);
      assert.equal(res.status, 200, `${time}: ${res.raw.body}`);
    }
    // The ends of the documented range, with fractions: before 1970 (a negative time) and a
    // rounding up into year 10000. The person's activity takes any; daily windows refuse the far
    // past (400 days at most) as a bad query.
    for (const [bound, time] of [['from', '1969-12-31T23:59:59.5Z'], ['from', '1000-01-01T00:00:00.5Z'], ['to', '9999-12-31T23:59:59.9999999Z']] as const) {
      const res = await t.owner.get(`/api/v1/people/${personId}/activity?${bound}=${encodeURIComponent(time)}`);
      assert.equal(res.status, 200, `${bound}=${time}: ${res.raw.body}`);
      const daily = await t.owner.get(`/api/v1/activity/daily?${bound}=${encodeURIComponent(time)}`);
      assert.ok(daily.status === 200 || (daily.status === 400 && daily.body.error.code === 'out_of_range'), `daily ${bound}=${time}: ${daily.status} ${daily.raw.body}`);
    }
  });

  // ---------------------------------------------------------------------------------------------
  // Segment-compatible endpoints
  // ---------------------------------------------------------------------------------------------

  it("Segment's Ruby and Python libraries: batches posted to /v1/import, ids sent as numbers stored as their text", async () => {
    const t = await team();
    const res = await segmentOk(t, '/v1/import', {
      batch: [
        { type: 'identify', userId: 42, traits: { plan: 'pro' }, messageId: 'ruby-1' },
        { type: 'track', userId: 42, event: 'Signed In', messageId: 'ruby-2' },
        { type: 'alias', userId: 42, previousId: 7, messageId: 'python-alias' },
      ],
    });
    assert.deepEqual([res.body.accepted, res.body.rejected], [3, 0]);
    const [person] = await personBy(t, 'externalId', '42');
    assert.ok(person, 'found by the id as text');
    assert.equal((await allActivity(t, person.id)).length, 3);
  });

  it('Segment endpoints: every call with the write key as Basic user name or as body writeKey answers {"success": true}', async () => {
    const t = await team();
    const base = Date.now() - 30 * 60_000;
    const at = (i: number) => iso(base + i * 60_000);
    const calls: [string, Record<string, unknown>][] = [
      ['/v1/page', { anonymousId: 'seg-anon', name: 'Home', properties: { url: 'https://seg.test/', title: 'Home' }, timestamp: at(0), messageId: 'seg-1' }],
      ['/v1/track', { anonymousId: 'seg-anon', event: 'Clicked', properties: { button: 'buy' }, timestamp: at(1), messageId: 'seg-2', integrations: { All: true }, _metadata: { x: 1 } }],
      ['/v1/screen', { anonymousId: 'seg-anon', name: 'Cart', properties: { items: 2 }, timestamp: at(2), messageId: 'seg-3' }],
      ['/v1/identify', { userId: 'seg-user', anonymousId: 'seg-anon', traits: { name: 'Seg Person', email: 'seg@person.test', plan: 'team' }, timestamp: at(3), messageId: 'seg-4' }],
      ['/v1/group', { userId: 'seg-user', groupId: 'acme', traits: { employees: 40 }, timestamp: at(4), messageId: 'seg-5' }],
      ['/v1/alias', { userId: 'seg-user', previousId: 'seg-old-id', timestamp: at(5), messageId: 'seg-6' }],
    ];
    for (const [i, [path, body]] of calls.entries()) {
      const res = await segmentOk(t, path, { ...body, sentAt: iso(Date.now()), context: { library: { name: 'test', version: '1' }, ip: '203.0.113.9' } }, i % 2 === 0 ? 'basic' : 'body');
      assert.deepEqual(res.body, { success: true });
    }
    const person = await onePersonBy(t, 'externalId', 'seg-user');
    assert.deepEqual(person.anonymousIds.sort(), ['seg-anon', 'seg-old-id']);
    assert.equal(person.name, 'Seg Person');
    assert.deepEqual(person.emails, ['seg@person.test']);
    assert.equal(person.properties.plan, 'team');
    const list = await allActivity(t, person.id);
    assert.deepEqual(list.map((a) => [a.type, a.name]), [
      ['alias', null],
      ['group', null],
      ['identify', null],
      ['screen', 'Cart'],
      ['track', 'Clicked'],
      ['page', 'Home'],
    ]);
    const byType = Object.fromEntries(list.map((a) => [a.type, a]));
    assert.deepEqual(byType.track!.properties, { button: 'buy' });
    assert.deepEqual(byType.group!.properties, { groupId: 'acme', groupTraits: { employees: 40 } });
    assert.deepEqual(byType.identify!.traits, { name: 'Seg Person', email: 'seg@person.test', plan: 'team' });
    assert.equal(byType.page!.url, 'https://seg.test/');

    // Batch: Basic and body key; the batch context applies to each message (the message's own wins).
    const b1 = await segmentOk(t, '/v1/batch', {
      batch: [
        { type: 'page', anonymousId: 'seg-batch', name: 'Docs', timestamp: at(10) },
        { type: 'track', anonymousId: 'seg-batch', event: 'Read', timestamp: at(11), context: { page: { url: 'https://seg.test/own' } } },
        { type: 'track', anonymousId: 'seg-batch', timestamp: at(12) },
      ],
      context: { page: { url: 'https://seg.test/docs', title: 'Docs' } },
      sentAt: iso(Date.now()),
    });
    assert.deepEqual(b1.body, { success: true, accepted: 2, rejected: 1 });
    const b2 = await segmentOk(t, '/v1/batch', { batch: [{ type: 'identify', userId: 'seg-batch-user', anonymousId: 'seg-batch', traits: { plan: 'free' } }] }, 'body');
    assert.deepEqual(b2.body, { success: true, accepted: 1, rejected: 0 });
    const bp = await onePersonBy(t, 'externalId', 'seg-batch-user');
    const blist = await allActivity(t, bp.id);
    assert.deepEqual(blist.map((a) => [a.type, a.name, a.url]), [
      ['identify', null, null],
      ['track', 'Read', 'https://seg.test/own'],
      ['page', 'Docs', 'https://seg.test/docs'],
    ]);
    assert.deepEqual((await segmentOk(t, '/v1/batch', { batch: [] })).body, { success: true, accepted: 0, rejected: 0 });
    // A field sent as null is absent, the envelope's too (writeKey, context).
    await segmentOk(t, '/v1/track', { userId: 'seg-null', event: 'Null context', context: null, writeKey: null });
    assert.deepEqual((await segmentOk(t, '/v1/batch', { batch: [{ type: 'track', userId: 'seg-null', event: 'In batch' }], context: null, writeKey: null })).body, {
      success: true,
      accepted: 1,
      rejected: 0,
    });

    // Refusals on the Segment endpoints
    assertError(await segment(t, '/v1/track', { anonymousId: 'x' }), 400, 'missing_field', 'event');
    assertError(await segment(t, '/v1/track', { event: 'No one' }), 400, 'missing_identity', 'userId');
    assertError(await segment(t, '/v1/page', { anonymousId: 'x', timestamp: iso(Date.now() - 6 * 365 * 86_400_000) }), 400, 'timestamp_out_of_range', 'timestamp');
    // A message of an unknown type is dropped and counted, as Segment does; the rest of its batch is stored.
    const beforeUnknown = await eventsIn(t.teamId);
    assert.deepEqual((await segmentOk(t, '/v1/batch', { batch: [{ type: 'pageview', anonymousId: 'x' }] })).body, { success: true, accepted: 0, rejected: 1 });
    assert.deepEqual((await segmentOk(t, '/v1/batch', { batch: [{ type: 'page', anonymousId: 'known-type' }, {}] })).body, { success: true, accepted: 1, rejected: 1 });
    assert.equal(await eventsIn(t.teamId), beforeUnknown + 1);
    assertError(await t.anon.post('/v1/track', { anonymousId: 'x', event: 'y' }), 401, 'unauthenticated');
    assertError(await t.anon.post('/v1/track', { anonymousId: 'x', event: 'y', writeKey: 'hv_wk_not-a-key' }), 401, 'invalid_api_key');
    assertError(await t.anon.post('/v1/track', { anonymousId: 'x', event: 'y', writeKey: t.secretKey }), 403, 'write_key_required');
    assertError(await t.anon.post('/v1/track', { anonymousId: 'x', event: 'y' }, { authorization: basic(t.secretKey) }), 403, 'write_key_required');
    assertError(await t.anon.post('/v1/batch', { batch: [] }, { authorization: basic('hv_wk_wrong') }), 401, 'invalid_api_key');
    assertError(await t.anon.post('/v1/track', { anonymousId: 'x', event: 'y' }, { authorization: 'Basic !!!' }), 401, 'invalid_authorization');
    assertError(await t.anon.post('/v1/track', { anonymousId: 'x', event: 'y' }, { authorization: `Basic ${Buffer.from(':').toString('base64')}` }), 401, 'invalid_authorization');
    assert.equal(await personBy(t, 'anonymousId', 'x').then((p) => p.length), 0, 'nothing refused was stored');
  });

  it('page and screen names are sealed with the payload, never stored in clear: a title can name the person', async () => {
    const t = await team('sealed-names');
    const titles = {
      page: 'Invoice for Ada Lovelace',
      screen: 'Profile of Grace Hopper',
      batchPage: 'Statement for Alan Turing',
      nativeScreen: 'Messages with Edsger Dijkstra',
      identify: 'Identify named Barbara Liskov',
    };
    await segmentOk(t, '/v1/page', { anonymousId: 'sealed-anon', name: titles.page, properties: { url: 'https://s.test/invoice' } });
    await segmentOk(t, '/v1/screen', { anonymousId: 'sealed-anon', name: titles.screen });
    await segmentOk(t, '/v1/batch', { batch: [{ type: 'page', anonymousId: 'sealed-anon', name: titles.batchPage }] });
    // A name on any type but track (the native API takes `name` on every type) is sealed too.
    const native = await ingest(t, [
      { type: 'screen', anonymousId: 'sealed-anon', name: titles.nativeScreen },
      { type: 'identify', anonymousId: 'sealed-anon', name: titles.identify },
      { type: 'track', anonymousId: 'sealed-anon', event: 'Paid' },
    ]);
    assert.equal(native.accepted, 3, JSON.stringify(native.results));

    // Raw rows: the clear name is a track event's only, and no title is anywhere in clear.
    const rows = (await owner<{ type: string; name: string | null; payload_sealed: Buffer }>(`SELECT type, name, payload_sealed FROM events WHERE team_id = $1`, [t.teamId])).rows;
    assert.equal(rows.length, 6);
    assert.deepEqual(rows.map((r) => [r.type, r.name]).sort(), [['identify', null], ['page', null], ['page', null], ['screen', null], ['screen', null], ['track', 'Paid']]);
    for (const title of Object.values(titles)) {
      for (const r of rows) assert.ok(!Buffer.from(r.payload_sealed).includes(Buffer.from(title, 'utf8')), `${title} sealed`);
    }

    // The timeline reads them back, decrypted.
    const person = await onePersonBy(t, 'anonymousId', 'sealed-anon');
    const names = (await allActivity(t, person.id)).map((a) => [a.type, a.name]).sort();
    assert.deepEqual(names, [
      ['identify', titles.identify],
      ['page', titles.batchPage],
      ['page', titles.page],
      ['screen', titles.nativeScreen],
      ['screen', titles.screen],
      ['track', 'Paid'],
    ].sort());
  });

  it('the official @segment/analytics-node client delivers identify, track and page to a listening Haven', async () => {
    const t = await team();
    await server().listen({ host: '127.0.0.1', port: 0 });
    const { port } = server().server.address() as AddressInfo;
    const analytics = new Analytics({ writeKey: t.writeKey, host: `http://127.0.0.1:${port}`, path: '/v1/batch', flushAt: 2, flushInterval: 200, maxRetries: 0, httpRequestTimeout: 5_000 });
    const requests: { url: string; headers: Record<string, string>; body: string }[] = [];
    const responses: { status: number; body: string }[] = [];
    const errors: unknown[] = [];
    analytics.on('http_request', (r) => requests.push(r));
    analytics.on('http_response', (r) => responses.push(r));
    analytics.on('error', (e) => errors.push(e));
    const done: Promise<void>[] = [];
    const cb = () => {
      let resolve!: () => void;
      let reject!: (e: unknown) => void;
      done.push(new Promise<void>((res, rej) => ((resolve = res), (reject = rej))));
      return (err?: unknown) => (err ? reject(err) : resolve());
    };
    analytics.page({ anonymousId: 'sdk-anon', name: 'Landing', properties: { url: 'https://sdk.test/landing', title: 'Landing' } }, cb());
    analytics.track({ anonymousId: 'sdk-anon', event: 'Viewed Pricing', properties: { tier: 'pro', price: 49 } }, cb());
    analytics.identify({ userId: 'sdk-user', anonymousId: 'sdk-anon', traits: { name: 'SDK Person', plan: 'pro' } }, cb());
    analytics.track({ userId: 'sdk-user', event: 'Subscribed', properties: { tier: 'pro' } }, cb());
    analytics.page({ userId: 'sdk-user', name: 'Dashboard', properties: { url: 'https://sdk.test/dashboard' } }, cb());
    await analytics.closeAndFlush({ timeout: 10_000 });
    await Promise.all(done);
    assert.deepEqual(errors, []);
    assert.ok(requests.length >= 1);
    for (const r of requests) {
      assert.equal(r.url, `http://127.0.0.1:${port}/v1/batch`);
      const auth = r.headers.Authorization ?? r.headers.authorization;
      assert.equal(auth, basic(t.writeKey), 'the write key travels as the Basic user name');
    }
    assert.deepEqual(responses.map((r) => r.status), requests.map(() => 200), JSON.stringify(responses));

    const person = await onePersonBy(t, 'externalId', 'sdk-user');
    assert.deepEqual(person.anonymousIds, ['sdk-anon']);
    assert.equal(person.name, 'SDK Person');
    assert.equal(person.properties.plan, 'pro');
    assert.equal(await peopleIn(t.teamId), 1);
    const list = await allActivity(t, person.id);
    assert.deepEqual(list.map((a) => a.type).sort(), ['identify', 'page', 'page', 'track', 'track']);
    const names = list.map((a) => a.name).sort();
    assert.deepEqual(names.filter((n) => n !== null), ['Dashboard', 'Landing', 'Subscribed', 'Viewed Pricing']);
    const pricing = list.find((a) => a.name === 'Viewed Pricing')!;
    assert.deepEqual(pricing.properties, { tier: 'pro', price: 49 });
    const landing = list.find((a) => a.name === 'Landing')!;
    assert.equal(landing.url, 'https://sdk.test/landing');
    assert.equal(landing.title, 'Landing');
    const pages = (await t.owner.get(`/api/v1/people/${person.id}/pages`)).body.pages as { url: string; views: number }[];
    assert.deepEqual(pages.map((p) => [p.url, p.views]).sort(), [['https://sdk.test/dashboard', 1], ['https://sdk.test/landing', 1]]);
    // The SDK's messageIds dedupe a redelivery of the same batch.
    const firstBatch = requests[0]!;
    const again = await t.anon.post('/v1/batch', JSON.parse(firstBatch.body), { authorization: basic(t.writeKey) });
    assert.equal(again.status, 200, again.raw.body);
    assert.equal(await eventsIn(t.teamId), 5, 'redelivered batch stored once');
  });

  // ---------------------------------------------------------------------------------------------
  // Dedupe
  // ---------------------------------------------------------------------------------------------

  it('a redelivery beside the identify that merges its person is answered with the person it merged into', async () => {
    const t = await team();
    const first = await ingest(t, [{ type: 'identify', anonymousId: 'dedupe-anon', traits: { plan: 'free' }, messageId: 'msg-traits' }]);
    const u = await ingest(t, [{ type: 'identify', userId: 'dedupe-user', messageId: 'msg-u' }]);
    const beside = await ingest(t, [
      { type: 'identify', anonymousId: 'dedupe-anon', traits: { plan: 'free' }, messageId: 'msg-traits' },
      { type: 'identify', userId: 'dedupe-user', anonymousId: 'dedupe-anon', messageId: 'msg-join' },
    ]);
    assert.notEqual(first.results[0]!.personId, u.results[0]!.personId);
    assert.deepEqual(
      beside.results.map((r) => [r.duplicate, r.personId]),
      [
        [true, u.results[0]!.personId],
        [false, u.results[0]!.personId],
      ],
    );
    assert.equal(await peopleIn(t.teamId), 1);
  });

  it('dedupes by messageId: sequentially, within a batch, concurrently, per team', async () => {
    const t = await team();
    const e = { type: 'track', anonymousId: 'dedupe-anon', event: 'Paid', messageId: 'msg-1', properties: { amount: 10 } };
    const first = await ingest(t, [e]);
    assert.equal(first.results[0]!.duplicate, false);
    const second = await ingest(t, [{ ...e, properties: { amount: 99 } }]);
    assert.equal(second.results[0]!.status, 'accepted');
    assert.equal(second.results[0]!.duplicate, true);
    assert.equal(second.results[0]!.eventId, first.results[0]!.eventId);
    assert.equal(second.results[0]!.personId, first.results[0]!.personId);
    const list = await allActivity(t, first.results[0]!.personId!);
    assert.equal(list.length, 1);
    assert.deepEqual(list[0]!.properties, { amount: 10 }, 'the first delivery is kept');

    // within one batch
    const inBatch = await ingest(t, [
      { ...e, messageId: 'msg-2' },
      { ...e, messageId: 'msg-2' },
      { ...e, messageId: 'msg-3' },
    ]);
    assert.deepEqual(inBatch.results.map((r) => r.duplicate), [false, true, false]);
    assert.equal(inBatch.results[1]!.eventId, inBatch.results[0]!.eventId);

    // Segment endpoints too
    await segmentOk(t, '/v1/track', { ...e, messageId: 'msg-4' });
    await segmentOk(t, '/v1/track', { ...e, messageId: 'msg-4' }, 'body');
    await segmentOk(t, '/v1/batch', { batch: [{ ...e, messageId: 'msg-4' }, { ...e, messageId: 'msg-1' }] });
    assert.equal(await eventsIn(t.teamId), 4);

    // concurrently: native, for a new anonymous person (the person is created once too)
    const c = { type: 'page', anonymousId: 'dedupe-concurrent', messageId: 'msg-c', properties: { url: 'https://x.test/c' } };
    const replies = await Promise.all(Array.from({ length: 8 }, () => t.secret.post('/api/v1/events', { events: [c] })));
    for (const r of replies) assert.equal(r.status, 200, r.raw.body);
    const results = replies.map((r) => r.body.results[0] as Result);
    assert.ok(results.every((r) => r.status === 'accepted'));
    assert.equal(results.filter((r) => !r.duplicate).length, 1, JSON.stringify(results));
    assert.equal(new Set(results.map((r) => r.eventId)).size, 1);
    assert.equal(await count(`SELECT count(*)::int AS n FROM events WHERE team_id = $1 AND message_hash = $2`, [t.teamId, messageHash('msg-c')]), 1);
    assert.equal((await personBy(t, 'anonymousId', 'dedupe-concurrent')).length, 1, 'one person');

    // concurrently: Segment track and batch mixed
    const s = { type: 'track', anonymousId: 'dedupe-anon', event: 'Seg', messageId: 'msg-s' };
    const segReplies = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? segment(t, '/v1/track', s) : segment(t, '/v1/batch', { batch: [s] }))),
    );
    for (const r of segReplies) assert.equal(r.status, 200, r.raw.body);
    assert.equal(await count(`SELECT count(*)::int AS n FROM events WHERE team_id = $1 AND message_hash = $2`, [t.teamId, messageHash('msg-s')]), 1);

    // The same messageId in another team is that team's own event.
    const other = await team('other');
    const o = await ingest(other, [e]);
    assert.equal(o.results[0]!.duplicate, false);
    assert.notEqual(o.results[0]!.eventId, first.results[0]!.eventId);
    assert.equal(await eventsIn(other.teamId), 1);
  });

  // ---------------------------------------------------------------------------------------------
  // Identity merge
  // ---------------------------------------------------------------------------------------------

  it('identify joins anonymous visits to a known person, merges later anonymous ids, alias merges, never across teams', async () => {
    const t = await team();
    const base = Date.now() - 2 * 3_600_000;
    const at = (i: number) => iso(base + i * 60_000);
    const U = 'user-grace';

    // Anonymous page views (A), then identify {U, A}: the same person, now with both ids.
    const a = await ingest(t, [
      { type: 'page', anonymousId: 'anon-A', properties: { url: 'https://m.test/1' }, timestamp: at(0) },
      { type: 'page', anonymousId: 'anon-A', properties: { url: 'https://m.test/2' }, timestamp: at(1) },
    ]);
    const pa = a.results[0]!.personId!;
    assert.equal(a.results[1]!.personId, pa);
    const id1 = await ingest(t, [{ type: 'identify', userId: U, anonymousId: 'anon-A', traits: { name: 'Grace', plan: 'free', role: 'dev' }, traitsOnce: { source: 'ads' }, timestamp: at(2) }]);
    assert.equal(id1.results[0]!.personId, pa);
    assert.equal(await peopleIn(t.teamId), 1);
    let person = (await t.owner.get(`/api/v1/people/${pa}`)).body;
    assert.deepEqual(person.externalIds, [U]);
    assert.deepEqual(person.anonymousIds, ['anon-A']);
    assert.equal(person.name, 'Grace');
    assert.deepEqual(person.properties, { plan: 'free', role: 'dev', source: 'ads' });
    assert.equal((await allActivity(t, pa)).length, 3);

    // A new anonymous id B with events (and anonymous traits): a separate person until identified.
    const b = await ingest(t, [
      { type: 'page', anonymousId: 'anon-B', properties: { url: 'https://m.test/b' }, timestamp: at(3), messageId: 'b-page' },
      { type: 'track', anonymousId: 'anon-B', event: 'Added To Cart', properties: { sku: 'b-1' }, timestamp: at(4) },
      { type: 'identify', anonymousId: 'anon-B', traits: { color: 'blue', plan: 'trial' }, timestamp: at(5) },
    ]);
    const pb = b.results[0]!.personId!;
    assert.notEqual(pb, pa);
    assert.equal(await peopleIn(t.teamId), 2);
    // A track naming both U and B does not merge (only identify and alias do): it goes to U.
    const tr = await ingest(t, [{ type: 'track', userId: U, anonymousId: 'anon-B', event: 'Both ids', timestamp: at(6) }]);
    assert.equal(tr.results[0]!.personId, pa);
    assert.equal(await peopleIn(t.teamId), 2);

    // identify {U, B}: B's person merges into U's.
    const id2 = await ingest(t, [
      { type: 'identify', userId: U, anonymousId: 'anon-B', traits: { plan: 'pro' }, traitsOnce: { source: 'organic', firstSeen: 'today', role: 'ignored' }, timestamp: at(7) },
    ]);
    assert.equal(id2.results[0]!.personId, pa);
    assert.equal(await peopleIn(t.teamId), 1, 'B merged away');
    assertError(await t.owner.get(`/api/v1/people/${pb}`), 404, 'not_found');
    assertError(await t.owner.get(`/api/v1/people/${pb}/activity`), 404, 'not_found');
    person = (await t.owner.get(`/api/v1/people/${pa}`)).body;
    assert.deepEqual(person.externalIds, [U]);
    assert.deepEqual([...person.anonymousIds].sort(), ['anon-A', 'anon-B']);
    assert.equal(person.name, 'Grace');
    assert.deepEqual(person.properties, { plan: 'pro', role: 'dev', source: 'ads', color: 'blue', firstSeen: 'today' }, 'set overwrites, traitsOnce only fills, merged-in traits kept');
    let timeline = await allActivity(t, pa);
    assert.equal(timeline.length, 8, 'A, identify, B (3), track, identify');
    assert.deepEqual(timeline.map((x) => x.occurredAt), [7, 6, 5, 4, 3, 2, 1, 0].map(at));
    assert.deepEqual(timeline.find((x) => x.name === 'Added To Cart')!.properties, { sku: 'b-1' }, "B's events stay readable after the merge");
    assert.deepEqual((await onePersonBy(t, 'anonymousId', 'anon-B')).id, pa);
    // A redelivered pre-merge event is a duplicate, now of the merged person.
    const redo = await ingest(t, [{ type: 'page', anonymousId: 'anon-B', properties: { url: 'https://m.test/b' }, timestamp: at(3), messageId: 'b-page' }]);
    assert.deepEqual([redo.results[0]!.duplicate, redo.results[0]!.personId], [true, pa]);

    let merged = await auditOf(t, 'action=person.merged');
    assert.equal(merged.length, 1);
    assert.deepEqual(merged[0]!.target, { type: 'person', id: pa });
    assert.equal(merged[0]!.details.mergedFrom, pb);

    // alias {previousId: C, userId: U} merges C's person too (Segment endpoint).
    const c = await ingest(t, [{ type: 'track', anonymousId: 'anon-C', event: 'From C', timestamp: at(8) }]);
    const pc = c.results[0]!.personId!;
    assert.equal(await peopleIn(t.teamId), 2);
    await segmentOk(t, '/v1/alias', { previousId: 'anon-C', userId: U, timestamp: iso(base + 9 * 60_000) });
    assert.equal(await peopleIn(t.teamId), 1, 'C merged away');
    person = (await t.owner.get(`/api/v1/people/${pa}`)).body;
    assert.deepEqual([...person.anonymousIds].sort(), ['anon-A', 'anon-B', 'anon-C']);
    timeline = await allActivity(t, pa);
    assert.deepEqual(timeline.slice(0, 2).map((x) => [x.type, x.name]), [
      ['alias', null],
      ['track', 'From C'],
    ]);
    merged = await auditOf(t, 'action=person.merged');
    assert.deepEqual(merged.map((m) => m.details.mergedFrom).sort(), [pb, pc].sort());
    // alias of an id nobody has yet just attaches it.
    await segmentOk(t, '/v1/alias', { previousId: 'anon-D', userId: U });
    assert.equal(await peopleIn(t.teamId), 1);
    assert.deepEqual([...(await t.owner.get(`/api/v1/people/${pa}`)).body.anonymousIds].sort(), ['anon-A', 'anon-B', 'anon-C', 'anon-D']);
    const subjects = (await owner<{ subject_id: string }>(`SELECT subject_id FROM person_subjects WHERE team_id = $1 AND person_id = $2`, [t.teamId, pa])).rows.map((r) => r.subject_id);
    assert.deepEqual(subjects.sort(), [pb, pc].sort());
    // alias whose previousId is an earlier user id (Segment: "the previous id, anonymous or user").
    // Sent with the public write key it joins no two identified people (PostHog's rule: anyone
    // may hold that key, and user ids are often guessable), nor takes the other's id.
    const old = await ingest(t, [{ type: 'identify', userId: 'old-user-id', traits: { legacyPlan: 'gold' }, timestamp: at(9) }]);
    const pOld = old.results[0]!.personId!;
    assert.equal(await peopleIn(t.teamId), 2);
    await segmentOk(t, '/v1/alias', { previousId: 'old-user-id', userId: U });
    assert.equal(await peopleIn(t.teamId), 2, 'a write key joins no two identified people');
    assert.deepEqual((await t.owner.get(`/api/v1/people/${pOld}`)).body.externalIds, ['old-user-id']);
    assert.equal((await t.owner.get(`/api/v1/people/${pa}`)).body.anonymousIds.includes('old-user-id'), false);
    assert.equal((await allActivity(t, pOld)).length, 1, "the alias is not stored on the other person's timeline");
    // The team's own back end, with a secret key, says they are one person: the earlier user is merged.
    await ingest(t, [{ type: 'alias', previousId: 'old-user-id', userId: U }]);
    assert.equal(await peopleIn(t.teamId), 1, 'the earlier user merged away');
    person = (await t.owner.get(`/api/v1/people/${pa}`)).body;
    assert.deepEqual([...person.externalIds].sort(), [U, 'old-user-id'].sort());
    assert.deepEqual(person.anonymousIds.includes('old-user-id'), false, 'not attached as an anonymous id');
    assert.equal(person.properties.legacyPlan, 'gold');
    merged = await auditOf(t, 'action=person.merged');
    assert.ok(merged.some((m) => m.details.mergedFrom === pOld));

    // Team 2 with the very same ids: its own people, nothing merged across.
    const t2 = await team('team2');
    const before = await eventsIn(t.teamId);
    const x = await ingest(t2, [
      { type: 'page', anonymousId: 'anon-A', properties: { url: 'https://other.test/' } },
      { type: 'identify', userId: U, anonymousId: 'anon-A', traits: { plan: 'other-team' } },
      { type: 'page', anonymousId: 'anon-B' },
      { type: 'identify', userId: U, anonymousId: 'anon-B' },
    ]);
    assert.equal(x.accepted, 4);
    const p2 = x.results[1]!.personId!;
    assert.notEqual(p2, pa);
    assert.equal(x.results[3]!.personId, p2);
    assert.equal(await peopleIn(t2.teamId), 1);
    assert.equal(await peopleIn(t.teamId), 1);
    assert.equal(await eventsIn(t.teamId), before, 'team 1 untouched');
    assert.equal((await allActivity(t2, p2)).length, 4);
    assert.equal((await t.owner.get(`/api/v1/people/${pa}`)).body.properties.plan, 'pro');
    assert.deepEqual((await t2.owner.get(`/api/v1/people/${p2}`)).body.properties, { plan: 'other-team' });
    assertError(await t2.owner.get(`/api/v1/people/${pa}`), 404, 'not_found');
    assert.equal((await auditOf(t2, 'action=person.merged')).length, 1);
  });

  it("a merge, or an id attached by ingest, changes the person's updatedAt (listing by sort=updated, retention of people unchanged)", async () => {
    const t = await team('touched');
    const user = (await ingest(t, [{ type: 'identify', userId: 'touched-user', traits: { plan: 'pro' } }])).results[0]!.personId!;
    const updatedAt = async () => Date.parse((await t.owner.get(`/api/v1/people/${user}`)).body.updatedAt as string);
    let before = await updatedAt();
    await sleep(20);
    // A known user on a new device: the id is attached, nothing else changes.
    await ingest(t, [{ type: 'track', userId: 'touched-user', anonymousId: 'touched-device', event: 'Opened' }]);
    assert.ok((await updatedAt()) > before, 'an attached id');
    before = await updatedAt();
    await sleep(20);
    // An anonymous visitor with no properties of their own merged in: only identities and events move.
    await ingest(t, [{ type: 'page', anonymousId: 'touched-visit' }]);
    await ingest(t, [{ type: 'identify', userId: 'touched-user', anonymousId: 'touched-visit' }]);
    assert.equal(await peopleIn(t.teamId), 1);
    assert.ok((await updatedAt()) > before, 'a merge');
  });

  it('a new user on a shared device gets a person of their own: the identified holder of the anonymous id keeps it', async () => {
    const t = await team('shared');
    await ingest(t, [{ type: 'page', anonymousId: 'device-1', properties: { url: 'https://s.test/' } }]);
    const alice = (await ingest(t, [{ type: 'identify', userId: 'alice', anonymousId: 'device-1', traits: { name: 'Alice', email: 'alice@s.test' } }])).results[0]!.personId!;
    // Bob signs in for the first time on Alice's device (no reset), in the same request as more events.
    const bob = await ingest(t, [
      { type: 'identify', userId: 'bob', anonymousId: 'device-1', traits: { name: 'Bob', email: 'bob@s.test', plan: 'bob-only' } },
      { type: 'track', userId: 'bob', anonymousId: 'device-1', event: 'Signed In' },
      { type: 'page', anonymousId: 'device-1', properties: { url: 'https://s.test/later' } },
    ]);
    const [bobId, bobTrack, anonymousPage] = bob.results.map((r) => r.personId!);
    assert.notEqual(bobId, alice, "Bob is not folded into Alice's person");
    assert.equal(bobTrack, bobId, 'events naming Bob go to Bob');
    assert.equal(anonymousPage, alice, 'the device id alone is still Alice’s');
    assert.equal(await peopleIn(t.teamId), 2);
    const a = (await t.owner.get(`/api/v1/people/${alice}`)).body;
    const b = (await t.owner.get(`/api/v1/people/${bobId}`)).body;
    assert.deepEqual([a.name, a.emails, a.externalIds, a.anonymousIds], ['Alice', ['alice@s.test'], ['alice'], ['device-1']]);
    assert.deepEqual([b.name, b.emails, b.externalIds, b.anonymousIds], ['Bob', ['bob@s.test'], ['bob'], []]);
    assert.equal(a.properties.plan, undefined, "Bob's traits stay Bob's");
    // Later requests agree. An alias sent with the write key joins no two identified people; one
    // the team sends with a secret key says the two ids are one person, and merges.
    assert.equal((await ingest(t, [{ type: 'identify', userId: 'bob', anonymousId: 'device-1' }])).results[0]!.personId, bobId);
    assert.equal(await peopleIn(t.teamId), 2);
    await segmentOk(t, '/v1/alias', { previousId: 'device-1', userId: 'bob' });
    assert.equal(await peopleIn(t.teamId), 2, 'a write key joins no two identified people');
    await ingest(t, [{ type: 'alias', previousId: 'device-1', userId: 'bob' }]);
    assert.equal(await peopleIn(t.teamId), 1, 'alias merges identified people');
  });

  it('erasing a merged person removes all their events and shreds every subject key they hold', async () => {
    const t = await team();
    const U = 'erase-me';
    await ingest(t, [
      { type: 'page', anonymousId: 'e-A', properties: { url: 'https://e.test/a' } },
      { type: 'identify', userId: U, anonymousId: 'e-A', traits: { name: 'Erased Person' } },
      { type: 'page', anonymousId: 'e-B', properties: { url: 'https://e.test/b' } },
      { type: 'track', anonymousId: 'e-C', event: 'C event' },
      { type: 'identify', userId: U, anonymousId: 'e-B' },
    ]);
    await segmentOk(t, '/v1/alias', { previousId: 'e-C', userId: U });
    // A bystander in the same team stays.
    const keep = await ingest(t, [{ type: 'track', anonymousId: 'bystander', event: 'Stay' }]);
    const person = await onePersonBy(t, 'externalId', U);
    const subjects = (await owner<{ subject_id: string }>(`SELECT subject_id FROM person_subjects WHERE team_id = $1 AND person_id = $2`, [t.teamId, person.id])).rows.map((r) => r.subject_id);
    assert.equal(subjects.length, 2);
    const all = [person.id, ...subjects];
    const eventSubjects = (await owner<{ subject_id: string }>(`SELECT DISTINCT subject_id FROM events WHERE team_id = $1 AND person_id = $2`, [t.teamId, person.id])).rows.map((r) => r.subject_id);
    // Events stored before a merge stay sealed under the merged-away person's key (C: merged by a
    // later alias); events of the same batch as the merge are sealed under the final person's key.
    // Either way every key they are under belongs to the person and is shredded with them.
    for (const subject of eventSubjects) assert.ok(all.includes(subject), `event key ${subject} belongs to the person`);
    assert.ok(eventSubjects.length >= 2, 'events under more than one of the person’s keys');
    assert.equal(await count(`SELECT count(*)::int AS n FROM subject_keys WHERE team_id = $1 AND subject_id = ANY($2::uuid[])`, [t.teamId, all]), 3);
    assert.equal(await count(`SELECT count(*)::int AS n FROM events WHERE team_id = $1 AND person_id = $2`, [t.teamId, person.id]), 6);

    const del = await t.owner.delete(`/api/v1/people/${person.id}`);
    assert.equal(del.status, 204, del.raw.body);
    assert.equal(await count(`SELECT count(*)::int AS n FROM subject_keys WHERE team_id = $1 AND subject_id = ANY($2::uuid[])`, [t.teamId, all]), 0, 'keys shredded at once');
    assert.ok((await haven().jobs.runNow(PURGE_PERSON_JOB)) >= 1, 'then the purge job deletes the rows');
    assert.equal(await count(`SELECT count(*)::int AS n FROM events WHERE team_id = $1 AND (person_id = ANY($2::uuid[]) OR subject_id = ANY($2::uuid[]))`, [t.teamId, all]), 0);
    assert.equal(await count(`SELECT count(*)::int AS n FROM subject_keys WHERE team_id = $1 AND subject_id = ANY($2::uuid[])`, [t.teamId, all]), 0, 'every subject key shredded');
    assert.equal(await count(`SELECT count(*)::int AS n FROM person_subjects WHERE team_id = $1`, [t.teamId]), 0);
    assert.equal(await count(`SELECT count(*)::int AS n FROM person_identities WHERE team_id = $1 AND person_id = $2`, [t.teamId, person.id]), 0);
    assert.equal(await eventsIn(t.teamId), 1, 'only the bystander');
    assert.equal((await allActivity(t, keep.results[0]!.personId!)).length, 1);
    for (const [kind, v] of [['externalId', U], ['anonymousId', 'e-A'], ['anonymousId', 'e-B'], ['anonymousId', 'e-C']] as const) {
      assert.deepEqual(await personBy(t, kind, v), []);
    }
    assertError(await t.owner.get(`/api/v1/people/${person.id}/activity`), 404, 'not_found');
    // Coming back with the same ids makes a new, empty person.
    const back = await ingest(t, [{ type: 'page', anonymousId: 'e-A' }]);
    assert.notEqual(back.results[0]!.personId, person.id);
    assert.equal((await allActivity(t, back.results[0]!.personId!)).length, 1);
  });

  // ---------------------------------------------------------------------------------------------
  // Encryption at rest
  // ---------------------------------------------------------------------------------------------

  it('event rows hold no URL, property, trait, page name or payload text in the clear; a track event\'s name and the type stay clear', async () => {
    const t = await team();
    const secrets = {
      url: 'https://private-host.test/secret-path-7f3a',
      referrer: 'https://referrer-9c1d.test/',
      title: 'Title-e81b',
      prop: 'prop-value-4b2c',
      nested: 'nested-value-d00d',
      trait: 'trait-value-a11e',
      traitOnce: 'trait-once-5ee5',
      ctx: 'user-agent-c0ffee',
      group: 'group-id-b33f',
      anon: 'anon-id-face',
      user: 'user-id-beef',
      propKey: 'propkey_f00d',
      pageName: 'Page-Name-3d4e',
    };
    await ingest(t, [
      { type: 'page', anonymousId: secrets.anon, name: secrets.pageName, properties: { url: secrets.url, referrer: secrets.referrer, title: secrets.title }, context: { userAgent: secrets.ctx, ip: '198.51.100.77' } },
      { type: 'track', anonymousId: secrets.anon, event: 'Clear Event Name', properties: { p: secrets.prop, deep: { n: [secrets.nested] }, [secrets.propKey]: 1, amount: 123456.789 } },
      { type: 'identify', userId: secrets.user, anonymousId: secrets.anon, traits: { t: secrets.trait }, traitsOnce: { o: secrets.traitOnce } },
    ]);
    await segmentOk(t, '/v1/group', { userId: secrets.user, groupId: secrets.group, traits: { g: secrets.trait } });
    const rows = (await owner<Record<string, unknown>>(`SELECT * FROM events WHERE team_id = $1`, [t.teamId])).rows;
    assert.equal(rows.length, 4);
    assert.deepEqual(rows.map((r) => [r.type, r.name]).sort(), [
      ['group', null],
      ['identify', null],
      ['page', null],
      ['track', 'Clear Event Name'],
    ].sort());
    const parts: string[] = [JSON.stringify(rows)];
    for (const r of rows) {
      for (const v of Object.values(r)) {
        if (Buffer.isBuffer(v) || v instanceof Uint8Array) {
          const buf = Buffer.from(v);
          parts.push(buf.toString('hex'), buf.toString('latin1'), buf.toString('utf8'));
        } else parts.push(String(v));
      }
    }
    const haystack = parts.join('\n');
    for (const [what, s] of Object.entries({ ...secrets, ip: '198.51.100.77', amount: '123456.789' })) {
      assert.equal(haystack.includes(s), false, `${what} in clear`);
      assert.equal(haystack.includes(Buffer.from(s).toString('hex')), false, `${what} as hex`);
    }
    // Positive control: the marker text is findable when it is there.
    assert.ok(haystack.includes('Clear Event Name'));
    // Identities are not in the clear either.
    const ids = JSON.stringify((await owner(`SELECT * FROM person_identities WHERE team_id = $1`, [t.teamId])).rows);
    assert.equal(ids.includes(secrets.anon) || ids.includes(secrets.user), false);
    // And the IP address was not kept, even sealed.
    const person = await onePersonBy(t, 'externalId', secrets.user);
    const list = await allActivity(t, person.id);
    assert.equal(JSON.stringify(list).includes('198.51.100.77'), false);
  });

  // ---------------------------------------------------------------------------------------------
  // Keys and bad input
  // ---------------------------------------------------------------------------------------------

  it('keys: only write keys and admin keys ingest, write keys cannot read, wrong or revoked keys are 401, a key writes only to its team', async () => {
    const t = await team();
    const ev = { type: 'track', anonymousId: 'keys-anon', event: 'E' };
    const readKey = await keyClient(server(), t.owner, 'secret', 'read');
    assertError(await readKey.client.post('/api/v1/events', { events: [ev] }), 403, 'insufficient_scope');
    assertError(await t.owner.post('/api/v1/events', { events: [ev] }), 403, 'write_key_required');
    assertError(await t.anon.post('/api/v1/events', { events: [ev] }), 401, 'unauthenticated');
    assertError(await t.write.get('/api/v1/people'), 403, 'write_key_not_allowed');
    assertError(await t.write.get(`/api/v1/people/${randomUUID()}/activity`), 403, 'write_key_not_allowed');
    assertError(await TestClient.withKey(server(), 'hv_wk_definitely-wrong').post('/api/v1/events', { events: [ev] }), 401, 'invalid_api_key');
    assertError(await TestClient.withKey(server(), `${t.writeKey}x`).post('/api/v1/events', { events: [ev] }), 401, 'invalid_api_key');
    // Basic auth on the native endpoint works like Bearer.
    const viaBasic = await t.anon.post('/api/v1/events', { events: [ev] }, { authorization: basic(t.writeKey) });
    assert.equal(viaBasic.status, 200, viaBasic.raw.body);
    assert.equal(await eventsIn(t.teamId), 1);

    // Another team's write key writes to that team only.
    const t2 = await team('team2');
    const r2 = await ingest(t2, [{ type: 'track', anonymousId: 'only-team-2', event: 'T2' }]);
    await segmentOk(t2, '/v1/track', { anonymousId: 'only-team-2', event: 'T2 seg' });
    await segmentOk(t2, '/v1/page', { anonymousId: 'only-team-2-body' }, 'body');
    assert.deepEqual(await personBy(t, 'anonymousId', 'only-team-2'), []);
    assert.deepEqual(await personBy(t, 'anonymousId', 'only-team-2-body'), []);
    assert.equal((await personBy(t2, 'anonymousId', 'only-team-2')).length, 1);
    assert.equal(await eventsIn(t.teamId), 1);
    assert.equal(await eventsIn(t2.teamId), 3);
    assertError(await t.owner.get(`/api/v1/people/${r2.results[0]!.personId}/activity`), 404, 'not_found');
    // A team-1 Basic header with a team-2 body key: the header decides.
    await segmentOk(t, '/v1/track', { anonymousId: 'header-wins', event: 'H', writeKey: t2.writeKey });
    assert.equal((await personBy(t, 'anonymousId', 'header-wins')).length, 1);
    assert.equal((await personBy(t2, 'anonymousId', 'header-wins')).length, 0);

    // Revoked: 401 everywhere, nothing stored.
    const revoke = await t.owner.delete(`/api/v1/api-keys/${t.writeKeyId}`);
    assert.equal(revoke.status, 200, revoke.raw.body);
    const before = await eventsIn(t.teamId);
    assertError(await t.write.post('/api/v1/events', { events: [ev] }), 401, 'invalid_api_key');
    assertError(await t.anon.post('/v1/track', ev, { authorization: basic(t.writeKey) }), 401, 'invalid_api_key');
    assertError(await t.anon.post('/v1/track', { ...ev, writeKey: t.writeKey }), 401, 'invalid_api_key');
    assertError(await t.anon.post('/v1/batch', { batch: [ev], writeKey: t.writeKey }), 401, 'invalid_api_key');
    assert.equal(await eventsIn(t.teamId), before);
  });

  it('event checks: identity, timestamps (clamped future, too old, malformed), depth, size, batch and body limits, bad JSON', async () => {
    const t = await team();
    const now = Date.now();
    const nested = (levels: number) => ({ type: 'track', anonymousId: 'limits', event: 'Deep', properties: nest(levels) });
    const r = await ingest(t, [
      { type: 'track', event: 'No one' },
      { type: 'track', anonymousId: 'limits', event: 'Future', timestamp: iso(now + 86_400_000) },
      { type: 'track', anonymousId: 'limits', event: 'Slightly future', timestamp: iso(now + 2 * 60_000) },
      { type: 'track', anonymousId: 'limits', event: 'Too old', timestamp: iso(now - 5 * 365 * 86_400_000 - 3 * 86_400_000) },
      { type: 'track', anonymousId: 'limits', event: 'Old but fine', timestamp: iso(now - 4 * 365 * 86_400_000) },
      { type: 'track', anonymousId: 'limits', event: 'Bad time', timestamp: '2024-13-45T99:99:99Z' },
      nested(10),
      nested(11),
      { type: 'identify', anonymousId: 'limits', traits: nest(11) },
      { type: 'page', anonymousId: 'limits', context: nest(11) },
      { type: 'track', anonymousId: 'limits', event: 'Big', properties: { blob: 'x'.repeat(33 * 1024) } },
      { type: 'track', anonymousId: 'limits', event: 'Just fits', properties: { blob: 'x'.repeat(31 * 1024) } },
      { type: 'track', anonymousId: 'limits', event: 'x'.repeat(200) },
    ]);
    const view = r.results.map((x) => (x.status === 'accepted' ? 'ok' : `${x.code}${x.field ? `@${x.field}` : ''}`));
    assert.deepEqual(view, [
      'missing_identity@userId',
      'ok',
      'ok',
      'timestamp_out_of_range@timestamp',
      'ok',
      'invalid_timestamp@timestamp',
      'ok',
      'too_deep@properties',
      'too_deep@traits',
      'too_deep@context',
      'event_too_large',
      'ok',
      'ok',
    ]);
    const personId = r.results[1]!.personId!;
    const list = await allActivity(t, personId);
    const byName = Object.fromEntries(list.map((a) => [a.name, a]));
    const future = byName.Future!;
    assert.ok(Math.abs(Date.parse(future.occurredAt) - now) < 60_000, `future clamped to receive time: ${future.occurredAt}`);
    assert.ok(Math.abs(Date.parse(future.occurredAt) - Date.parse(future.receivedAt)) < 60_000);
    assert.equal(byName['Slightly future']!.occurredAt, iso(now + 2 * 60_000), 'small clock skew kept');
    assert.equal(byName['Old but fine']!.occurredAt, iso(now - 4 * 365 * 86_400_000));
    assert.deepEqual(byName.Deep!.properties, nest(10));
    assert.equal(list.length, 6);
    assert.equal(await eventsIn(t.teamId), 6);

    // Segment single calls refuse with the same codes.
    assertError(await segment(t, '/v1/track', { anonymousId: 'limits', event: 'Deep', properties: nest(11) }), 400, 'too_deep', 'properties');
    assertError(await segment(t, '/v1/identify', { anonymousId: 'limits', timestamp: 'soon' }), 400, 'invalid_timestamp', 'timestamp');
    assertError(await segment(t, '/v1/track', { anonymousId: 'limits', event: 'Big', properties: { blob: 'x'.repeat(33 * 1024) } }), 400, 'event_too_large');
    assertError(await segment(t, '/v1/track', { anonymousId: 'limits', event: 'Huge', properties: { blob: 'x'.repeat(40 * 1024) } }), 413, 'payload_too_large');

    // Batch sizes
    const one = { type: 'track', anonymousId: 'limits-batch', event: 'B' };
    assertError(await t.write.post('/api/v1/events', { events: Array.from({ length: 1001 }, () => one) }), 400, 'out_of_range', 'events');
    assertError(await t.write.post('/api/v1/events', { events: [] }), 400, 'out_of_range', 'events');
    assertError(await segment(t, '/v1/batch', { batch: Array.from({ length: 1001 }, () => one) }), 400, 'out_of_range', 'batch');
    const thousand = await ingest(t, Array.from({ length: 1000 }, (_, i) => ({ ...one, properties: { i } })));
    assert.equal(thousand.accepted, 1000);
    assert.equal(await eventsIn(t.teamId), 1006);

    // Body limits: 512 KiB for batches
    const big = (n: number) => Array.from({ length: n }, () => ({ ...one, properties: { pad: 'y'.repeat(30 * 1024) } }));
    assertError(await t.write.post('/api/v1/events', { events: big(20) }), 413, 'payload_too_large');
    assertError(await segment(t, '/v1/batch', { batch: big(20) }), 413, 'payload_too_large');
    // Gzip bodies (Segment's HTTP API takes Content-Encoding: gzip): the limit counts what they inflate to.
    const gz = (body: unknown, url = '/v1/batch') =>
      t.anon.request('POST', url, gzipSync(JSON.stringify(body)), { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: basic(t.writeKey) });
    const zipped = await gz({ batch: [{ ...one, messageId: 'gzip-1' }, { ...one, messageId: 'gzip-2' }] });
    assert.deepEqual([zipped.status, zipped.body], [200, { success: true, accepted: 2, rejected: 0 }], zipped.raw.body);
    assert.equal((await gz({ ...one, messageId: 'gzip-3' }, '/v1/track')).status, 200);
    assertError(await gz({ batch: big(20) }), 413, 'payload_too_large');
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 32));
    assertError(await t.anon.request('POST', '/v1/batch', bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: basic(t.writeKey) }), 413, 'payload_too_large');
    assertError(await t.anon.request('POST', '/v1/batch', Buffer.from('not gzip'), { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: basic(t.writeKey) }), 400, 'invalid_compression');
    assert.equal((await t.write.post('/api/v1/events', { events: big(15) })).status, 200, 'under 512 KiB is fine');

    // Malformed / truncated JSON, wrong media type, wrong shapes
    const raw = async (url: string, payload: string, contentType = 'application/json', auth = `Bearer ${t.writeKey}`) =>
      no5xx(await t.anon.request('POST', url, payload, { 'content-type': contentType, authorization: auth }), `raw ${url}`);
    for (const [url, auth] of [
      ['/api/v1/events', `Bearer ${t.writeKey}`],
      ['/v1/batch', basic(t.writeKey)],
      ['/v1/track', basic(t.writeKey)],
    ] as const) {
      for (const body of ['{"events": [', '{"batch": [{"type": "track"', '{', 'not json', '[1,2', '{"a":1}}']) {
        assertError(await raw(url, body, 'application/json', auth), 400, 'malformed_json');
      }
      assertError(await raw(url, '', 'application/json', auth), 400, 'malformed_json');
      // The native API takes JSON only; Segment's endpoints also take text/plain (sendBeacon).
      if (url.startsWith('/api/')) assert.equal((await raw(url, '{"events":[]}', 'text/plain', auth)).status, 415);
      const arr = await raw(url, '[]', 'application/json', auth);
      assert.equal(arr.status, 400, arr.raw.body);
      // Pathologically deep JSON (well under the body limits) is refused, not a stack overflow.
      const deep = `{"events":[{"type":"track","event":"x","anonymousId":"d","properties":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}}],"batch":[]}`;
      assert.equal((await raw(url, deep, 'application/json', auth)).status, 400);
    }
    // Each event's own shape refuses that event alone, in its slot of the results.
    const refusedAs = async (event: unknown) => {
      const r = await ingest(t, [event]);
      assert.equal(r.results[0]!.status, 'rejected', JSON.stringify(r));
      return [r.results[0]!.code, r.results[0]!.field];
    };
    assert.deepEqual(await refusedAs({ ...one, unknown: 1 }), ['unknown_field', 'unknown']);
    // Names the sender chose are echoed only when harmless: never a card number or an address.
    assert.deepEqual(await refusedAs({ ...one, 'card 4111 1111 1111 1111': 1 }), ['unknown_field', '[redacted]']);
    const longKey = `pan_4111111111111111_${'x'.repeat(60)}`;
    const refusedTrait = await t.write.post('/api/v1/events', { events: [{ type: 'identify', userId: 'u-echo', traits: { [longKey]: 1 } }] });
    assert.equal(refusedTrait.body.results[0].code, 'invalid_property_name');
    assert.equal(refusedTrait.body.results[0].field, 'traits.[redacted]');
    const bigValue = await t.write.post('/api/v1/events', { events: [{ type: 'identify', userId: 'u-echo', traits: { 'ada@example.com': 'x'.repeat(3000), plan: 'x'.repeat(3000) } }] });
    assert.deepEqual([bigValue.body.results[0].code, bigValue.body.results[0].field], ['property_too_large', 'traits.[redacted]']);
    assert.deepEqual(await refusedAs({ ...one, type: 'pageview' }), ['invalid_value', 'type']);
    // A field of another event type's is refused, not dropped on the way in.
    assert.deepEqual(await refusedAs({ type: 'track', anonymousId: 'a', event: 'E', traits: { plan: 'pro' } }), ['unknown_field', 'traits']);
    assert.deepEqual(await refusedAs({ type: 'track', anonymousId: 'a', event: 'E', name: 'x' }), ['unknown_field', 'name']);
    assert.deepEqual(await refusedAs({ type: 'page', anonymousId: 'a', event: 'x' }), ['unknown_field', 'event']);
    assert.deepEqual(await refusedAs({ type: 'alias', userId: 'u', previousId: 'p', traits: {} }), ['unknown_field', 'traits']);
    assert.deepEqual(await refusedAs({ type: 'identify', userId: 'u', traitsOnce: {}, previousId: 'p' }), ['unknown_field', 'previousId']);
    assert.deepEqual(await refusedAs({ type: 'group', anonymousId: 'a', traitsOnce: { a: 1 } }), ['unknown_field', 'traitsOnce']);
    assert.equal((await ingest(t, [{ type: 'track', anonymousId: 'a', event: 'E', traits: null, name: null }])).results[0]!.status, 'accepted', 'null is absent');
    assert.deepEqual(await refusedAs({ ...one, properties: [1, 2] }), ['invalid_type', 'properties']);
    assert.deepEqual(await refusedAs({ ...one, userId: true }), ['invalid_type', 'userId']);
    assert.deepEqual(await refusedAs({ ...one, anonymousId: '' }), ['invalid_identity', 'anonymousId']);
    assert.deepEqual(await refusedAs({ ...one, anonymousId: 'z'.repeat(201) }), ['invalid_identity', 'anonymousId']);
    assertError(await segment(t, '/v1/track', { anonymousId: ['a'], event: 'E' }), 400, 'invalid_type', 'anonymousId');
    assertError(await segment(t, '/v1/track', { anonymousId: 'a', event: 7 }), 400, 'invalid_type', 'event');
    assertError(await segment(t, '/v1/page', { anonymousId: 'a', properties: 'nope' }), 400, 'invalid_type', 'properties');
    assertError(await segment(t, '/v1/page', { anonymousId: 'a', timestamp: 1700000000000 }), 400, 'invalid_timestamp', 'timestamp');
    assert.equal(await eventsIn(t.teamId), 1025); // four more: the gzip ones and the one with null fields
  });

  it('one bad event in a batch does not sink its neighbours (each is accepted or refused on its own)', async () => {
    const t = await team();
    const good = { type: 'track', anonymousId: 'neighbour', event: 'Good' };
    const bad: [string, Record<string, unknown>][] = [
      ['blank userId', { type: 'track', userId: '   ', event: 'Blank id' }],
      ['trait value over 2 KiB', { type: 'identify', anonymousId: 'neighbour-2', traits: { bio: 'b'.repeat(3000) } }],
      ['trait nested 5 deep', { type: 'identify', anonymousId: 'neighbour-3', traits: { deep: nest(5) } }],
      ['empty trait name', { type: 'identify', anonymousId: 'neighbour-4', traits: { '': 1 } }],
    ];
    const failures: string[] = [];
    for (const [what, b] of bad) {
      const before = await eventsIn(t.teamId);
      const res = no5xx(await t.write.post('/api/v1/events', { events: [{ ...good, messageId: randomUUID() }, b] }), what);
      if (res.status !== 200) {
        failures.push(`${what}: whole batch refused, ${res.status} ${res.raw.body}`);
        continue;
      }
      assert.equal(res.body.results[0].status, 'accepted', what);
      assert.ok(await eventsIn(t.teamId) > before, what);
      const seg = await segment(t, '/v1/batch', { batch: [{ ...good, messageId: randomUUID() }, b] });
      if (seg.status !== 200) failures.push(`${what} (/v1/batch): whole batch refused, ${seg.status} ${seg.raw.body}`);
    }
    assert.deepEqual(failures, []);
    const empty = await t.write.post('/api/v1/events', { events: [bad[3]![1]] });
    assert.equal(empty.body.results[0].field, 'traits.""', 'an empty name is shown, not left as a bare dot');
  });

  it('profile changes made by ingest (identify traits, $set) are audited like rectifications: field names only, none when nothing changed', async () => {
    const t = await team();
    const first = await ingest(t, [
      { type: 'identify', userId: 'audited-1', traits: { name: 'Nora Audit', email: 'nora@audit.test', plan: 'pro' } },
      { type: 'identify', userId: 'audited-2', traits: { name: 'Other' } },
    ]);
    const personId = first.results[0]!.personId!;
    const updates = async () => (await auditOf(t, `targetId=${personId}`)).filter((e) => e.action === 'person.updated');
    assert.deepEqual((await updates()).map((e) => e.details), [{ via: 'ingest', fields: ['name', 'properties', 'emails'] }]);
    await ingest(t, [{ type: 'identify', userId: 'audited-1', traits: { name: 'Nora Audit', plan: 'pro' } }]);
    assert.equal((await updates()).length, 1, 'the same traits again change nothing and record nothing');
    await ingest(t, [{ type: 'identify', userId: 'audited-1', traits: { plan: 'tier-team' } }]);
    assert.deepEqual((await updates()).map((e) => e.details.fields), [['properties'], ['name', 'properties', 'emails']]);
    const log = JSON.stringify(await auditOf(t, `targetId=${personId}`));
    for (const value of ['Nora', 'nora@audit.test', 'plan', 'tier-team']) assert.ok(!log.includes(value), `${value} not in the audit log`);
    assert.equal((await t.owner.get('/api/v1/audit/verify')).body.valid, true);
  });

  it('traitsOnce fills a missing trait even when its name is an Object.prototype member', async () => {
    const t = await team();
    const r = await ingest(t, [{ type: 'identify', userId: 'proto-user', traitsOnce: { valueOf: 'v', toString: 's', plain: 'p' } }]);
    const person = (await t.owner.get(`/api/v1/people/${r.results[0]!.personId}`)).body;
    assert.deepEqual(person.properties, { valueOf: 'v', toString: 's', plain: 'p' });
  });

  // ---------------------------------------------------------------------------------------------
  // Property-based: random messages never cause a 5xx, and refused events are not stored
  // ---------------------------------------------------------------------------------------------

  const junk = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.double(),
    fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  );
  const identity = fc.oneof(
    fc.constant(undefined),
    fc.constantFrom('anon-1', 'anon-2', 'user-1', 'user-2', '  ', '', ' padded ', 'x'.repeat(200), 'x'.repeat(201), 'é\u0301'),
    fc.string({ maxLength: 12 }),
    junk,
  );
  const objectish = fc.oneof(
    fc.constant(undefined),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }),
    fc.integer({ min: 1, max: 9 }).map(nest),
    fc.constant({ url: 'https://r.test/', title: 't', page: { url: 'https://r.test/p' } }),
    fc.constant({ big: 'x'.repeat(33_000) }),
    junk,
  );
  const timestamp = fc.oneof(
    fc.constant(undefined),
    fc.date({ noInvalidDate: true, min: new Date(-8e15), max: new Date(8e15) }).map((d) => d.toISOString()),
    fc.integer({ min: -10 * 365 * 1440, max: 10 * 1440 }).map((m) => iso(Date.now() + m * 60_000)),
    fc.constantFrom('yesterday', '2024-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '+275760-09-13T00:00:00.000Z', '1970-01-01', ''),
    junk,
  );
  const messageId = fc.oneof(fc.constant(undefined), fc.constant('UNIQUE'), fc.constantFrom('', 'm'.repeat(201)), junk);
  const name = fc.oneof(fc.constant(undefined), fc.string({ minLength: 1, maxLength: 20 }), fc.constant('n'.repeat(201)), junk);
  /** Types Segment does not know, a type too long to be one among them. */
  const badType = fc.oneof(junk, fc.string({ minLength: 21, maxLength: 40 }));
  const segmentMessage = fc.record(
    {
      type: fc.oneof(fc.constantFrom(...EVENT_TYPES), badType),
      messageId,
      userId: identity,
      anonymousId: identity,
      previousId: identity,
      groupId: junk,
      event: name,
      name,
      properties: objectish,
      traits: objectish,
      traitsOnce: objectish,
      context: objectish,
      timestamp,
      integrations: junk,
    },
    { requiredKeys: [] },
  );
  const nativeMessage = fc.record(
    {
      type: fc.oneof(fc.constantFrom(...EVENT_TYPES), fc.constantFrom(...EVENT_TYPES), badType),
      previousId: identity,
      messageId,
      userId: identity,
      anonymousId: identity,
      event: name,
      name,
      properties: objectish,
      traits: objectish,
      traitsOnce: objectish,
      context: objectish,
      timestamp,
    },
    { requiredKeys: ['type'] },
  );
  /** Give 'UNIQUE' messageIds a fresh value per run, so accepted counts equal stored rows. */
  const fresh = (m: unknown) =>
    m && typeof m === 'object' && !Array.isArray(m) ? ((m as Record<string, unknown>).messageId === 'UNIQUE' ? { ...m, messageId: randomUUID() } : { ...m }) : m;
  /** Now and then an element that is no message at all: each is refused alone, never the batch. */
  const orNotAMessage = <T,>(message: fc.Arbitrary<T>) => fc.oneof({ arbitrary: message, weight: 6 }, { arbitrary: junk, weight: 1 }, { arbitrary: fc.constant(null), weight: 1 });
  const hasNonFinite = (v: unknown): boolean =>
    typeof v === 'number' ? !Number.isFinite(v) : v !== null && typeof v === 'object' && Object.values(v).some(hasNonFinite);
  /** Put a placeholder for a huge number first in the first properties object of a JSON text. */
  const hugeIn = (_match: string, empty: string) => (empty ? '"properties":{"n":"__HUGE__"}' : '"properties":{"n":"__HUGE__",');
  /** A fraction of the raw JSON bodies get a number a double cannot hold (1e400 reads as Infinity). */
  const withHugeNumber = (json: string, huge: boolean) => (huge ? json.replace(/"__HUGE__"/g, '1e400') : json);

  it('property: random /v1/batch messages are each stored or dropped and counted, never failing the batch; refused ones are not stored', async () => {
    const t = await team('fuzz');
    await fc.assert(
      fc.asyncProperty(fc.array(orNotAMessage(segmentMessage), { minLength: 0, maxLength: 6 }), fc.boolean(), fc.boolean(), async (messages, bodyKey, huge) => {
        const batch = messages.map(fresh);
        const before = await eventsIn(t.teamId);
        const payload = { batch, ...(bodyKey ? { writeKey: t.writeKey } : {}) };
        const json = withHugeNumber(JSON.stringify(payload).replace(/"properties":\{(\}?)/, hugeIn), huge);
        const res = no5xx(await t.anon.request('POST', '/v1/batch', json, { 'content-type': 'application/json', ...(bodyKey ? {} : { authorization: basic(t.writeKey) }) }), 'segment fuzz');
        const after = await eventsIn(t.teamId);
        assert.equal(res.status, 200, `a well-formed envelope is never refused whole: ${res.raw.body}`);
        assert.equal(res.body.success, true);
        assert.equal(res.body.accepted + res.body.rejected, batch.length);
        assert.equal(after - before, res.body.accepted, 'accepted events stored, refused ones not');
      }),
      { numRuns: 80 },
    );
  });

  it('property: random /api/v1/events events are each answered in their own slot, never failing the request; refused ones are not stored', async () => {
    const t = await team('fuzz');
    await fc.assert(
      fc.asyncProperty(fc.array(orNotAMessage(nativeMessage), { minLength: 1, maxLength: 6 }), fc.boolean(), async (messages, huge) => {
        const events = messages.map(fresh);
        const before = await eventsIn(t.teamId);
        const json = withHugeNumber(JSON.stringify({ events }).replace(/"properties":\{(\}?)/, hugeIn), huge);
        const res = no5xx(await t.secret.request('POST', '/api/v1/events', json, { 'content-type': 'application/json' }), 'native fuzz');
        const after = await eventsIn(t.teamId);
        assert.equal(res.status, 200, `a well-formed envelope is never refused whole: ${res.raw.body}`);
        const results = res.body.results as Result[];
        assert.equal(results.length, events.length);
        assert.deepEqual(results.map((r) => r.index), events.map((_, i) => i));
        const stored = results.filter((r) => r.status === 'accepted' && !r.duplicate);
        assert.equal(after - before, stored.length);
        for (const [i, r] of results.entries()) {
          const e = events[i] as Record<string, unknown> | null;
          if (r.status === 'rejected') assert.equal(typeof r.code, 'string');
          else {
            assert.match(r.eventId!, UUID_RE);
            assert.ok(e && typeof e === 'object' && (EVENT_TYPES as readonly unknown[]).includes(e.type), `only a known type is accepted: ${JSON.stringify(e)}`);
          }
        }
        // No accepted event carried a number JSON cannot hold (it would be stored as null).
        const sent = (JSON.parse(json) as { events: unknown[] }).events;
        for (const [i, r] of results.entries()) if (r.status === 'accepted') assert.ok(!hasNonFinite(sent[i]), `accepted with 1e400: ${json}`);
        const ids = stored.map((r) => r.eventId!);
        if (ids.length) assert.equal(await count(`SELECT count(*)::int AS n FROM events WHERE team_id = $1 AND id = ANY($2::uuid[])`, [t.teamId, ids]), ids.length);
      }),
      { numRuns: 80 },
    );
  });
});
