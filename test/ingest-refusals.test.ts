import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import { it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { type Reply, TestClient, assertError, keyClient, signUp } from './support/client.js';
import { type TestHaven, describeEngines, ownerSql } from './support/haven.js';

/**
 * Ingest refuses bad input clearly and on its own (review findings): each event of a batch is
 * accepted or refused by itself — only the envelope fails a request; wrong types are 400
 * invalid_type everywhere, never spread or dropped into stored data; timestamps are RFC 3339 with
 * a zone; unsupported Content-Encodings are 415; GET on a capture path is 405 rather than a
 * 200 that stores nothing; a refused single PostHog event is a 400 like a refused Segment call;
 * and the start-up calls of posthog-js (remote config) and analytics-next (CDN settings) answer
 * with a configuration that enables nothing — on both engines.
 */

const CARD = '4111 1111 1111 1111';
const basic = (key: string) => `Basic ${Buffer.from(`${key}:`, 'utf8').toString('base64')}`;
const iso = (ms: number) => new Date(ms).toISOString();

interface Result {
  index: number;
  status: 'accepted' | 'rejected';
  code?: string;
  field?: string;
  personId?: string;
  eventId?: string;
}


describeEngines('ingest refusals', (haven: () => TestHaven) => {
  const server = () => haven().server;
  const { count } = ownerSql(haven);
  const eventsIn = (teamId: string) => count(`SELECT count(*)::int AS n FROM events WHERE team_id = $1`, [teamId]);
  const peopleIn = (teamId: string) => count(`SELECT count(*)::int AS n FROM people WHERE team_id = $1`, [teamId]);

  async function team(tag = 'refusals') {
    const a = await signUp(server(), tag);
    const w = await keyClient(server(), a.client, 'write');
    // An admin key ingests with answers that name each event's person.
    const admin = await keyClient(server(), a.client, 'secret', 'admin');
    return { owner: a.client, teamId: a.teamId, write: w.client, writeKey: w.token, ingestKey: admin.client, anon: new TestClient(server()) };
  }
  type Team = Awaited<ReturnType<typeof team>>;

  const no5xx = (res: Reply, what: string) => {
    assert.ok(res.status < 500, `${what}: ${res.status} ${res.raw.body}`);
    return res;
  };
  const segment = async (t: Team, path: string, body: unknown, headers: Record<string, string> = {}) =>
    no5xx(await t.anon.post(path, body, { authorization: basic(t.writeKey), ...headers }), `POST ${path}`);
  const native = async (t: Team, events: unknown[]) => {
    const res = no5xx(await t.ingestKey.post('/api/v1/events', { events }), 'native');
    assert.equal(res.status, 200, res.raw.body);
    assert.equal(res.body.results.length, events.length);
    return res.body as { accepted: number; rejected: number; results: Result[] };
  };
  const capture = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await server().inject({ method: 'POST', url: path, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });
    const reply = { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined, headers: res.headers, raw: res } as Reply;
    return no5xx(reply, `POST ${path}`);
  };
  const view = (r: Result) => (r.status === 'accepted' ? 'ok' : `${r.code}${r.field ? `@${r.field}` : ''}`);

  it('/v1/group: properties or traits that are not objects are 400 invalid_type, never spread one character per key', async () => {
    const t = await team('group');
    for (const [field, value] of [
      ['properties', CARD],
      ['properties', ['a', 'b']],
      ['properties', 7],
      ['traits', CARD],
      ['traits', [1, 2]],
    ] as const) {
      assertError(await segment(t, '/v1/group', { userId: 'group-user', groupId: 'acme', [field]: value }), 400, 'invalid_type', field);
      const batch = await segment(t, '/v1/batch', { batch: [{ type: 'group', userId: 'group-user', groupId: 'acme', [field]: value }] });
      assert.deepEqual([batch.status, batch.body], [200, { success: true, accepted: 0, rejected: 1 }], batch.raw.body);
    }
    assert.equal(await eventsIn(t.teamId), 0, 'nothing stored');
    assert.equal(await peopleIn(t.teamId), 0, 'no person made');
    // A proper group call still works.
    assert.equal((await segment(t, '/v1/group', { userId: 'group-user', groupId: 'acme', traits: { employees: 3 }, properties: { plan: 'pro' } })).status, 200);
    assert.equal(await eventsIn(t.teamId), 1);
  });

  it('native /api/v1/events: each event is accepted or refused on its own; only the envelope fails the request', async () => {
    const t = await team('native');
    const good = () => ({ type: 'track', anonymousId: 'native-ok', event: 'Good', messageId: randomUUID() });
    const r = await native(t, [
      good(),
      { type: 'track', anonymousId: 'native-bad', event: 'e'.repeat(201) },
      { type: 'track', anonymousId: '', event: 'Empty id' },
      { type: 'track', anonymousId: 'native-bad', event: 'Array props', properties: [] },
      { type: 'bogus', anonymousId: 'native-bad' },
      { anonymousId: 'native-bad', event: 'No type' },
      { type: 7, anonymousId: 'native-bad' },
      null,
      'track',
      [good()],
      { ...good(), unknown: 1 },
      { ...good(), [`card ${CARD}`]: 1 },
      { type: 'track', userId: { id: 7 }, event: 'Object id' },
      { type: 'track', anonymousId: 'native-bad', event: 7 },
      { type: 'page', anonymousId: 'native-bad', name: 12 },
      { type: 'track', anonymousId: 'native-bad', event: 'Bad ctx', context: 'ctx' },
      { type: 'track', anonymousId: 'native-bad', event: 'Bad time', timestamp: 1700000000000 },
      good(),
    ]);
    assert.deepEqual(r.results.map(view), [
      'ok',
      'too_long@event',
      'invalid_identity@anonymousId',
      'invalid_type@properties',
      'invalid_value@type',
      'missing_field@type',
      'invalid_type@type',
      'invalid_type',
      'invalid_type',
      'invalid_type',
      'unknown_field@unknown',
      'unknown_field@[redacted]',
      'invalid_type@userId',
      'invalid_type@event',
      'invalid_type@name',
      'invalid_type@context',
      'invalid_timestamp@timestamp',
      'ok',
    ]);
    assert.deepEqual(r.results.map((x) => x.index), r.results.map((_, i) => i));
    assert.deepEqual([r.accepted, r.rejected], [2, 16]);
    assert.equal(await eventsIn(t.teamId), 2, 'refused events are not stored');
    assert.equal(await peopleIn(t.teamId), 1);

    // The envelope still fails the whole request, and stores nothing.
    for (const [body, code, field] of [
      [{ events: 'x' }, 'invalid_type', 'events'],
      [{ events: {} }, 'invalid_type', 'events'],
      [{ events: [] }, 'out_of_range', 'events'],
      [{ events: Array.from({ length: 1001 }, good) }, 'out_of_range', 'events'],
      [{ events: [good()], extra: 1 }, 'unknown_field', 'extra'],
      [{ event: [good()] }, 'missing_field', 'events'],
      [[good()], 'invalid_type', undefined],
    ] as const) {
      assertError(no5xx(await t.write.post('/api/v1/events', body), 'envelope'), 400, code, field);
    }
    assert.equal(await eventsIn(t.teamId), 2);
  });

  it('/v1/batch: unknown or overlong types, non-object messages and a string context are dropped and counted, not a 400', async () => {
    const t = await team('segment-batch');
    const good = () => ({ type: 'track', anonymousId: 'seg-ok', event: 'Good', messageId: randomUUID() });
    for (const bad of [
      { type: 't'.repeat(21), anonymousId: 'seg-bad' },
      { type: 7, anonymousId: 'seg-bad' },
      { anonymousId: 'seg-bad', event: 'No type' },
      null,
      'track',
      42,
      [good()],
      { ...good(), context: 'ctx' },
      { ...good(), context: [1] },
      { type: 'alias', userId: 'seg-user' },
    ]) {
      const res = await segment(t, '/v1/batch', { batch: [good(), bad] });
      assert.deepEqual([res.status, res.body], [200, { success: true, accepted: 1, rejected: 1 }], `${JSON.stringify(bad)}: ${res.raw.body}`);
    }
    assert.equal(await eventsIn(t.teamId), 10);
    // The envelope: not a list, a batch context that is not an object, too many messages.
    assertError(await segment(t, '/v1/batch', { batch: 'x' }), 400, 'invalid_type', 'batch');
    assertError(await segment(t, '/v1/batch', { batch: [good()], context: 'ctx' }), 400, 'invalid_type', 'context');
    assertError(await segment(t, '/v1/batch', { batch: Array.from({ length: 1001 }, good) }), 400, 'out_of_range', 'batch');
    assertError(await segment(t, '/v1/batch', [good()]), 400, 'invalid_type');
    assert.equal(await eventsIn(t.teamId), 10);
  });

  it('timestamps: RFC 3339 with a zone only; impossible dates and zone-less or free-form times are invalid_timestamp', async () => {
    const t = await team('times');
    const day = new Date(Date.now() - 86_400_000);
    const y = day.getUTCFullYear();
    const ymd = day.toISOString().slice(0, 10);
    const r = await native(t, [
      ['foo 2024'],
      [`${y}-02-30T00:00:00Z`],
      [`${y}-04-31T00:00:00Z`],
      [`${y}`],
      [ymd],
      [`${ymd}T10:00:00`],
      ['March 7'],
      [`${ymd}T24:00:00Z`],
      [`${ymd}T10:00:60Z`],
      [`${ymd}T10:00:00+16:00`],
      [`${ymd}T10:00Z`],
      [`${ymd}T10:00:00.123456+01:00`],
      [`${ymd} 10:00:00z`],
      [`${ymd}T10:00:00.123456789-05:30`],
      [iso(day.getTime())],
    ].map(([timestamp], i) => ({ type: 'track', anonymousId: 'times', event: `T${i}`, timestamp })));
    assert.deepEqual(r.results.map(view), [
      ...Array.from({ length: 11 }, () => 'invalid_timestamp@timestamp'),
      'ok',
      'ok',
      'ok',
      'ok',
    ]);
    const personId = r.results.at(-1)!.personId!;
    const list = (await t.owner.get(`/api/v1/people/${personId}/activity?limit=200`)).body.activity as { name: string; occurredAt: string }[];
    const at = Object.fromEntries(list.map((a) => [a.name, a.occurredAt]));
    assert.equal(at.T11, `${ymd}T09:00:00.123Z`, 'the offset is applied, fractions beyond milliseconds dropped');
    assert.equal(at.T12, `${ymd}T10:00:00.000Z`);
    assert.equal(at.T13, `${ymd}T15:30:00.123Z`);
    // Segment and PostHog say the same.
    assertError(await segment(t, '/v1/track', { anonymousId: 'times', event: 'E', timestamp: 'March 7' }), 400, 'invalid_timestamp', 'timestamp');
    assertError(await segment(t, '/v1/track', { anonymousId: 'times', event: 'E', timestamp: `${ymd}T10:00:00` }), 400, 'invalid_timestamp', 'timestamp');
    const ph = await capture('/batch', { api_key: t.writeKey, batch: [{ event: 'E', distinct_id: 'times', timestamp: `${y}-02-30T00:00:00Z` }] });
    assert.deepEqual([ph.status, ph.body.accepted, ph.body.rejected], [200, 0, 1]);
    // The far past is still refused and the future clamped, as documented.
    const edges = await native(t, [
      { type: 'track', anonymousId: 'times', event: 'Old', timestamp: iso(Date.now() - 6 * 365 * 86_400_000) },
      { type: 'track', anonymousId: 'times', event: 'Future', timestamp: iso(Date.now() + 86_400_000) },
    ]);
    assert.deepEqual(edges.results.map(view), ['timestamp_out_of_range@timestamp', 'ok']);
  });

  it('minor: 1e400 is invalid_number (never stored as null); blank names; /v1/page name 12; alias without previousId; PostHog properties [1,2]', async () => {
    const t = await team('minor');
    const raw = (events: string) => t.ingestKey.request('POST', '/api/v1/events', `{"events":${events}}`, { 'content-type': 'application/json' });
    const inf = no5xx(
      await raw(
        '[{"type":"track","anonymousId":"num","event":"Inf","properties":{"c":1e400}},' +
          '{"type":"identify","anonymousId":"num","traits":{"score":-1e999}},' +
          '{"type":"page","anonymousId":"num","context":{"page":{"n":[1,2e400]}}},' +
          '{"type":"track","anonymousId":"num","event":"Fine","properties":{"c":1e300}}]',
      ),
      'inf',
    );
    assert.equal(inf.status, 200, inf.raw.body);
    assert.deepEqual((inf.body.results as Result[]).map(view), ['invalid_number@properties.c', 'invalid_number@traits.score', 'invalid_number@context.page.n.1', 'ok']);
    const infSeg = await t.anon.request('POST', '/v1/track', '{"anonymousId":"num","event":"Inf","properties":{"c":1e400}}', { 'content-type': 'application/json', authorization: basic(t.writeKey) });
    assertError(infSeg, 400, 'invalid_number', 'properties.c');
    const infPh = await server().inject({
      method: 'POST',
      url: '/batch',
      headers: { 'content-type': 'application/json' },
      payload: `{"api_key":"${t.writeKey}","batch":[{"event":"Inf","distinct_id":"num","properties":{"c":1e400}}]}`,
    });
    assert.deepEqual([infPh.statusCode, JSON.parse(infPh.body).rejected], [200, 1], infPh.body);
    assert.equal(await eventsIn(t.teamId), 1);

    // Event names: whitespace only is no name (a track call needs one); a blank page name is no page name.
    const names = await native(t, [
      { type: 'track', anonymousId: 'names', event: '   ' },
      { type: 'track', anonymousId: 'names', event: '' },
      { type: 'page', anonymousId: 'names', name: '' },
      { type: 'page', anonymousId: 'names', name: ' \t ' },
      { type: 'screen', anonymousId: 'names', name: '  ' },
    ]);
    assert.deepEqual(names.results.map(view), ['missing_field@event', 'missing_field@event', 'ok', 'ok', 'ok']);
    const pages = (await t.owner.get(`/api/v1/people/${names.results[2]!.personId}/activity`)).body.activity as { name: string | null }[];
    assert.deepEqual(pages.map((p) => p.name), [null, null, null]);
    assertError(await segment(t, '/v1/track', { anonymousId: 'names', event: '  ' }), 400, 'missing_field', 'event');
    assertError(await segment(t, '/v1/page', { anonymousId: 'names', name: 12 }), 400, 'invalid_type', 'name');
    assertError(await segment(t, '/v1/track', { anonymousId: 'names', event: 12 }), 400, 'invalid_type', 'event');

    // alias: both ids are required.
    const before = await eventsIn(t.teamId);
    assertError(await segment(t, '/v1/alias', { userId: 'alias-user' }), 400, 'missing_field', 'previousId');
    assertError(await segment(t, '/v1/alias', { previousId: 'alias-anon' }), 400, 'missing_field', 'userId');
    assertError(await segment(t, '/v1/alias', { userId: 'alias-user', previousId: false }), 400, 'invalid_type', 'previousId');
    const aliased = await native(t, [
      { type: 'alias', userId: 'alias-user' },
      { type: 'alias', userId: 'alias-user', previousId: 'alias-anon' },
    ]);
    assert.deepEqual(aliased.results.map(view), ['missing_field@previousId', 'ok']);
    assert.equal(await eventsIn(t.teamId), before + 1);

    // PostHog: properties that are not an object refuse the event, they are not dropped.
    const ph = await capture('/batch', {
      api_key: t.writeKey,
      batch: [
        { event: 'Arr', distinct_id: 'ph-minor', properties: [1, 2] },
        { event: 'Str', distinct_id: 'ph-minor', properties: 'x' },
        { event: 'Set', distinct_id: 'ph-minor', $set: [1] },
        { event: 7, distinct_id: 'ph-minor' },
        null,
        { event: 'Fine', distinct_id: 'ph-minor', properties: { a: 1 } },
      ],
    });
    assert.deepEqual([ph.status, ph.body.accepted, ph.body.rejected], [200, 1, 5], ph.raw.body);
  });

  it('PostHog: a refused single event is a 400 with code and field (like Segment); a batch answers 200 with counts', async () => {
    const t = await team('ph-single');
    const key = { api_key: t.writeKey };
    assertError(await capture('/capture', { ...key, event: 'Arr', distinct_id: 'ph-1', properties: [1, 2] }), 400, 'invalid_type', 'properties');
    assertError(await capture('/capture/', { ...key, event: 'Pay', distinct_id: 'ph-1', properties: { card: CARD } }), 400, 'restricted_data', 'properties.card');
    assertError(await capture('/i/v0/e/', { ...key, event: 'Late', distinct_id: 'ph-1', timestamp: 'soon' }), 400, 'invalid_timestamp', 'timestamp');
    assertError(await capture('/e/', { ...key, event: '   ', distinct_id: 'ph-1' }), 400, 'missing_field', 'event');
    // Under the names the PostHog sender wrote, not Haven's reading of them.
    const named = async (body: Record<string, unknown>, code: string, field: string) => {
      const res = await capture('/capture', { ...key, ...body });
      assertError(res, 400, code, field);
      assert.ok(!/userId|anonymousId|traits|messageId/.test(res.body.error.message), res.raw.body);
    };
    await named({ event: '$identify', distinct_id: 'ph-1', $set: { n: 1 }, properties: { $anon_distinct_id: ' ' } }, 'invalid_identity', 'properties.$anon_distinct_id');
    await named({ event: '$create_alias', distinct_id: 'ph-1', properties: { alias: 'x'.repeat(300) } }, 'invalid_identity', 'properties.alias');
    await named({ event: '$identify', distinct_id: 'x'.repeat(300) }, 'invalid_identity', 'distinct_id');
    // A long title is the page's: the view is kept, named by the title cut to 200 characters.
    const longTitle = await capture('/capture', { ...key, event: '$pageview', distinct_id: 'ph-1', properties: { $current_url: 'https://t.test/', $title: 't'.repeat(300) } });
    assert.deepEqual([longTitle.status, longTitle.body.accepted], [200, 1], longTitle.raw.body);
    const deep = [...'abcdefghijk'].reduceRight<unknown>((inner, k) => ({ [k]: inner }), 1);
    await named({ event: 'Deep', distinct_id: 'ph-1', $set: deep }, 'too_deep', '$set');
    const ok = await capture('/capture', { ...key, event: 'Fine', distinct_id: 'ph-1' });
    assert.deepEqual([ok.status, ok.body], [200, { status: 1, accepted: 1, rejected: 0 }]);
    const batch = await capture('/batch', { ...key, batch: [{ event: 'Pay', distinct_id: 'ph-1', properties: { card: CARD } }] });
    assert.deepEqual([batch.status, batch.body], [200, { status: 1, accepted: 0, rejected: 1 }]);
    assert.equal(await eventsIn(t.teamId), 2, 'the long-titled view and Fine');
  });

  it('text PostgreSQL cannot store (NUL, a lone surrogate) refuses only its event: invalid_text with the field, never a 5xx or the whole batch', async () => {
    const t = await team('unstorable');
    const key = { api_key: t.writeKey };
    for (const [label, bad] of Object.entries({ NUL: 'a\u0000b', 'lone high surrogate': 'a\ud800b', 'lone low surrogate': '\udfffz' })) {
      const before = await eventsIn(t.teamId);
      // Native: each bad event refused in its slot, under the field it holds the text in.
      const res = await native(t, [
        { type: 'track', anonymousId: 'text-ok', event: 'Fine' },
        { type: 'track', anonymousId: 'text-1', event: 'Note', properties: { note: bad } },
        { type: 'track', anonymousId: 'text-1', event: bad },
        { type: 'page', anonymousId: 'text-1', name: bad },
        { type: 'track', anonymousId: 'text-1', event: 'Deep', context: { page: { title: ['x', bad] } } },
        { type: 'track', anonymousId: 'text-1', event: 'Key', properties: { [bad]: 1 } },
        { type: 'identify', userId: bad, traits: { plan: 'pro' } },
        { type: 'identify', anonymousId: 'text-1', traits: { plan: bad } },
        { type: 'track', anonymousId: 'text-1', event: 'Time', timestamp: `2026-01-01T00:00:00Z${bad}` },
        { type: 'track', anonymousId: 'text-ok', event: 'Also fine' },
      ]);
      assert.deepEqual(res.results.map(view), [
        'ok',
        'invalid_text@properties.note',
        'invalid_text@event',
        'invalid_text@name',
        'invalid_text@context.page.title.1',
        'invalid_text@properties.[redacted]',
        'invalid_text@userId',
        'invalid_text@traits.plan',
        'invalid_text@timestamp',
        'ok',
      ], label);
      assert.equal(JSON.stringify(res).includes(bad), false, `${label}: the text is not echoed`);
      // Segment: a single call is a 400 naming the field; a batch counts it and stores the rest.
      assertError(await segment(t, '/v1/track', { anonymousId: 'text-1', event: 'Note', properties: { note: bad } }), 400, 'invalid_text', 'properties.note');
      assertError(await segment(t, '/v1/page', { anonymousId: 'text-1', name: bad }), 400, 'invalid_text', 'name');
      const batch = await segment(t, '/v1/batch', { batch: [{ type: 'track', anonymousId: 'text-ok', event: 'Fine' }, { type: 'screen', anonymousId: 'text-1', name: bad }] });
      assert.deepEqual([batch.status, batch.body], [200, { success: true, accepted: 1, rejected: 1 }], `${label}: ${batch.raw.body}`);
      // PostHog: a single event is a 400 under PostHog's names; a batch answers 200 with counts.
      assertError(await capture('/capture', { ...key, event: 'Note', distinct_id: 'text-1', properties: { note: bad } }), 400, 'invalid_text', 'properties.note');
      assertError(await capture('/capture', { ...key, event: '$pageview', distinct_id: 'text-1', properties: { $current_url: 'https://t.test/', $title: bad } }), 400, 'invalid_text', 'properties.$title');
      assertError(await capture('/capture', { ...key, event: 'Set', distinct_id: 'text-1', $set: { plan: bad } }), 400, 'invalid_text', '$set.plan');
      assertError(await capture('/capture', { ...key, event: 'Who', distinct_id: bad }), 400, 'invalid_text', 'distinct_id');
      const ph = await capture('/batch', { ...key, batch: [{ event: 'Fine', distinct_id: 'text-ok' }, { event: bad, distinct_id: 'text-1' }] });
      assert.deepEqual([ph.status, ph.body], [200, { status: 1, accepted: 1, rejected: 1 }], `${label}: ${ph.raw.body}`);
      assert.equal(await eventsIn(t.teamId), before + 4, `${label}: only the good events stored`);
    }
    assert.equal((await peopleIn(t.teamId)), 1, 'no person made for a refused event');
  });

  it('a card number in a page or screen name is refused naming `name` (a track call: `event`; PostHog: the title), and redacted there in redact mode', async () => {
    const t = await team('card-in-name');
    assertError(await segment(t, '/v1/page', { anonymousId: 'card-name', name: `Order ${CARD}` }), 400, 'restricted_data', 'name');
    assertError(await segment(t, '/v1/screen', { anonymousId: 'card-name', name: CARD }), 400, 'restricted_data', 'name');
    assertError(await segment(t, '/v1/track', { anonymousId: 'card-name', event: `Paid ${CARD}` }), 400, 'restricted_data', 'event');
    const batch = await segment(t, '/v1/batch', { batch: [{ type: 'page', anonymousId: 'card-name', name: CARD }, { type: 'page', anonymousId: 'card-name', name: 'Fine' }] });
    assert.deepEqual([batch.status, batch.body], [200, { success: true, accepted: 1, rejected: 1 }], batch.raw.body);
    const res = await native(t, [
      { type: 'page', anonymousId: 'card-name', name: CARD },
      { type: 'screen', anonymousId: 'card-name', name: CARD },
      { type: 'track', anonymousId: 'card-name', event: CARD },
    ]);
    assert.deepEqual(res.results.map(view), ['restricted_data@name', 'restricted_data@name', 'restricted_data@event']);
    for (const title of ['$title', 'title']) {
      const ph = await capture('/capture', { api_key: t.writeKey, event: '$pageview', distinct_id: 'card-name', properties: { $current_url: 'https://t.test/', [title]: CARD } });
      assertError(ph, 400, 'restricted_data', `properties.${title}`);
    }
    assert.equal(await eventsIn(t.teamId), 1);

    // Redact mode: the name is kept with the number replaced, under the field it was sent in.
    assert.equal((await t.owner.put('/api/v1/tracking/restricted-data', { mode: 'redact', detectors: [] })).status, 200);
    await segment(t, '/v1/page', { anonymousId: 'card-name', name: `Order ${CARD}` });
    const person = (await t.owner.get('/api/v1/people?anonymousId=card-name')).body.people[0];
    const activity = (await t.owner.get(`/api/v1/people/${person.id}/activity`)).body.activity as { name: string | null }[];
    assert.deepEqual(activity.map((a) => a.name).sort(), ['Fine', 'Order [redacted]']);
  });

  it('null is absent, as official libraries send it: analytics-python, analytics-next and posthog-go payloads are stored', async () => {
    const t = await team('nulls');
    // analytics-python: anonymousId, and a page's name and category, always present, null when unset.
    const batch = await segment(t, '/v1/batch', {
      batch: [
        { type: 'identify', userId: 'py-1', anonymousId: null, traits: { plan: 'pro' }, context: null, timestamp: iso(Date.now()), messageId: randomUUID() },
        { type: 'page', userId: 'py-1', anonymousId: null, name: null, category: null, properties: { url: 'https://x.test/' }, messageId: randomUUID() },
        { type: 'track', userId: 'py-1', anonymousId: null, event: 'Bought', properties: null, messageId: randomUUID() },
      ],
    });
    assert.deepEqual([batch.status, batch.body.accepted, batch.body.rejected], [200, 3, 0], batch.raw.body);
    // analytics-next: identify(traits) by an anonymous visitor sends userId null.
    assert.equal((await segment(t, '/v1/identify', { userId: null, anonymousId: 'next-anon', traits: { theme: 'dark' } })).status, 200);
    // posthog-go: Identify without properties sends "$set": null; a timestamp may be null.
    const ph = await capture('/batch', { api_key: t.writeKey, batch: [{ event: '$identify', distinct_id: 'go-1', $set: null, timestamp: null, properties: { $set: null } }] });
    assert.deepEqual([ph.status, ph.body], [200, { status: 1, accepted: 1, rejected: 0 }]);
    assert.equal(await eventsIn(t.teamId), 5);
  });

  it('GET on a capture path is 405 method_not_allowed (events in URLs are not taken), and stores nothing', async () => {
    const t = await team('get');
    const data = Buffer.from(JSON.stringify([{ event: 'In URL', distinct_id: 'get-anon', properties: { token: t.writeKey } }])).toString('base64');
    for (const path of ['/capture', '/e', '/batch', '/i/v0/e', '/track', '/engage']) {
      for (const url of [path, `${path}/`, `${path}/?data=${encodeURIComponent(data)}&ip=1`, `${path}?data=${encodeURIComponent(data)}&api_key=${t.writeKey}`]) {
        const res = await server().inject({ method: 'GET', url });
        assert.equal(res.statusCode, 405, `GET ${url}: ${res.body}`);
        assert.equal(JSON.parse(res.body).error.code, 'method_not_allowed');
        assert.match(String(res.headers.allow), /POST/);
      }
    }
    assert.equal(await eventsIn(t.teamId), 0);
  });

  it('Content-Encoding: gzip and x-gzip are read, identity is none, anything else is 415 unsupported_encoding on every ingest endpoint', async () => {
    const t = await team('encoding');
    const json = (body: unknown) => Buffer.from(JSON.stringify(body));
    const seg = { type: 'track', anonymousId: 'enc', event: 'Enc' };
    const endpoints: [string, (id: string) => unknown, Record<string, string>][] = [
      ['/v1/batch', (id) => ({ batch: [{ ...seg, messageId: id }] }), { authorization: basic(t.writeKey) }],
      ['/v1/track', (id) => ({ ...seg, messageId: id }), { authorization: basic(t.writeKey) }],
      ['/capture', (id) => ({ api_key: t.writeKey, event: 'Enc', distinct_id: 'enc', uuid: id }), {}],
      ['/batch', (id) => ({ api_key: t.writeKey, batch: [{ event: 'Enc', distinct_id: 'enc', uuid: id }] }), {}],
      ['/api/v1/events', (id) => ({ events: [{ ...seg, messageId: id }] }), { authorization: `Bearer ${t.writeKey}` }],
    ];
    let stored = 0;
    for (const [url, body, auth] of endpoints) {
      const send = (payload: Buffer, encoding: string | undefined) =>
        server().inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...auth, ...(encoding !== undefined ? { 'content-encoding': encoding } : {}) }, payload });
      for (const encoding of ['deflate', 'br', 'zstd', 'gzip, identity', 'gzip, gzip', 'compress', 'bogus']) {
        const res = await send(gzipSync(json(body(randomUUID()))), encoding);
        assert.equal(res.statusCode, 415, `${url} ${encoding}: ${res.body}`);
        assert.equal(JSON.parse(res.body).error.code, 'unsupported_encoding', `${url} ${encoding}`);
      }
      for (const encoding of ['gzip', 'x-gzip', ' GZip ']) {
        const res = await send(gzipSync(json(body(randomUUID()))), encoding);
        assert.equal(res.statusCode, 200, `${url} ${encoding}: ${res.body}`);
        stored++;
      }
      for (const encoding of ['identity', '']) {
        const res = await send(json(body(randomUUID())), encoding);
        assert.equal(res.statusCode, 200, `${url} ${JSON.stringify(encoding)}: ${res.body}`);
        stored++;
      }
      const broken = await send(Buffer.from('not gzip at all'), 'gzip');
      assert.equal(broken.statusCode, 400, `${url}: ${broken.body}`);
      assert.equal(JSON.parse(broken.body).error.code, 'invalid_compression');
    }
    assert.equal(await eventsIn(t.teamId), stored);
    // Native ingest with gzip: the 512 KiB limit counts the inflated bytes (a gzip bomb stops there).
    const bomb = gzipSync(Buffer.alloc(16 * 1024 * 1024, 32));
    const res = await server().inject({ method: 'POST', url: '/api/v1/events', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${t.writeKey}` }, payload: bomb });
    assertError({ status: res.statusCode, body: JSON.parse(res.body), headers: res.headers, raw: res } as Reply, 413, 'payload_too_large');
  });

  it('posthog-js start-up: /array/{key}/config and /config.js answer a configuration that enables nothing; the key is not logged', async () => {
    const t = await team('remote-config');
    const json = await server().inject({ method: 'GET', url: `/array/${t.writeKey}/config` });
    assert.equal(json.statusCode, 200, json.body);
    assert.match(String(json.headers['content-type']), /^application\/json/);
    assert.equal(json.headers['access-control-allow-origin'], '*');
    const config = JSON.parse(json.body);
    for (const off of ['sessionRecording', 'heatmaps', 'surveys', 'hasFeatureFlags', 'capturePerformance', 'autocaptureExceptions', 'captureDeadClicks']) {
      assert.equal(config[off], false, off);
    }
    assert.equal(config.autocapture_opt_out, true);
    assert.deepEqual(config.supportedCompression, ['gzip', 'gzip-js']);

    const js = await server().inject({ method: 'GET', url: `/array/${t.writeKey}/config.js` });
    assert.equal(js.statusCode, 200, js.body);
    assert.match(String(js.headers['content-type']), /^(text|application)\/javascript/);
    assert.equal(js.headers['cross-origin-resource-policy'], 'cross-origin');
    const window: { _POSTHOG_REMOTE_CONFIG?: Record<string, { config: Record<string, unknown>; siteApps: unknown[] }> } = {};
    runInNewContext(js.body, { window });
    // (Through JSON: objects made in the script's context have that context's prototypes.)
    assert.deepEqual(JSON.parse(JSON.stringify(window._POSTHOG_REMOTE_CONFIG?.[t.writeKey])), { config, siteApps: [] }, 'the script sets the same configuration under the key');

    // A key that cannot be one is refused, not echoed into a script.
    for (const bad of ["a'b", 'a%3Cscript%3E', 'x'.repeat(201)]) {
      const res = await server().inject({ method: 'GET', url: `/array/${bad}/config.js` });
      assert.equal(res.statusCode, 400, `${bad}: ${res.body}`);
    }
    const preflight = await server().inject({ method: 'OPTIONS', url: `/array/${t.writeKey}/config`, headers: { origin: 'https://site.test', 'access-control-request-method': 'GET' } });
    assert.equal(preflight.statusCode, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], 'https://site.test', "posthog-js's XHR sends credentials: the origin, not *");
    assert.equal(preflight.headers['access-control-allow-credentials'], 'true');
    assert.ok(!haven().logs.some((l) => l.includes(t.writeKey)), 'the key is not logged');
    assert.equal(await eventsIn(t.teamId), 0);
  });

  it('analytics-next start-up: /v1/projects/{writeKey}/settings answers Segment.io pointed back at Haven and nothing else enabled', async () => {
    const t = await team('cdn-settings');
    const res = await server().inject({ method: 'GET', url: `/v1/projects/${t.writeKey}/settings`, headers: { host: 'haven.example.test', origin: 'https://shop.test' } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['access-control-allow-origin'], '*');
    const settings = JSON.parse(res.body);
    assert.deepEqual(Object.keys(settings.integrations), ['Segment.io'], 'no other destination is loaded');
    assert.deepEqual(settings.integrations['Segment.io'], { apiKey: t.writeKey, apiHost: 'haven.example.test/v1', protocol: 'http' });
    assert.equal(settings.metrics.sampleRate, 0, 'no metrics sent to Segment');
    assert.deepEqual(settings.remotePlugins, []);
    assert.deepEqual(settings.enabledMiddleware, {});
    assert.equal(settings.legacyVideoPluginsEnabled, false);
    const bad = await server().inject({ method: 'GET', url: `/v1/projects/${encodeURIComponent("a'b")}/settings` });
    assert.equal(bad.statusCode, 400, bad.body);
    assert.ok(!haven().logs.some((l) => l.includes(t.writeKey)), 'the key is not logged');
    // analytics-next then posts each call to /v1/t, /v1/p, /v1/i, /v1/g, /v1/a, /v1/s (or batches to
    // /v1/b) as text/plain with the write key in the body: those answer as their long names do.
    const writeKey = settings.integrations['Segment.io'].apiKey as string;
    const sentAt = new Date().toISOString();
    const short = async (path: string, body: Record<string, unknown>) => {
      const r = await server().inject({ method: 'POST', url: `/v1/${path}`, headers: { 'content-type': 'text/plain' }, payload: JSON.stringify({ ...body, writeKey, sentAt, messageId: randomUUID() }) });
      assert.equal(r.statusCode, 200, `/v1/${path}: ${r.body}`);
      return JSON.parse(r.body);
    };
    await short('p', { type: 'page', anonymousId: 'next-anon', name: 'Home', properties: { url: 'https://shop.test/' } });
    await short('t', { type: 'track', anonymousId: 'next-anon', event: 'From next' });
    await short('s', { type: 'screen', anonymousId: 'next-anon', name: 'Cart' });
    await short('i', { type: 'identify', anonymousId: 'next-anon', userId: 'next-user', traits: { plan: 'pro' } });
    await short('g', { type: 'group', userId: 'next-user', groupId: 'acme' });
    await short('a', { type: 'alias', userId: 'next-user', previousId: 'next-old' });
    const b = await short('b', { batch: [{ type: 'track', anonymousId: 'next-anon', event: 'Batched', messageId: randomUUID() }] });
    assert.deepEqual(b, { success: true, accepted: 1, rejected: 0 });
    assert.equal(await eventsIn(t.teamId), 7);
    assert.ok(!haven().logs.some((l) => l.includes(t.writeKey)), 'the key is not logged');
  });
});
