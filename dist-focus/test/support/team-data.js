import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { addMember, keyClient, signUp } from './client.js';
const letters = (n) => Array.from(randomBytes(n), (b) => String.fromCharCode(65 + (b % 26))).join('');
export async function plantTeam(server, tag, options = {}) {
    const R = letters(6);
    const teamName = `Control Team ${tag} ${R}`;
    const owner = await signUp(server, tag, teamName);
    const c = owner.client;
    const member = await addMember(server, c, 'member', `${tag}-member`);
    assert.equal((await c.post('/api/v1/invitations', { email: `pending-${R.toLowerCase()}@invite.test`, role: 'viewer' })).status, 201);
    const write = await keyClient(server, c, 'write');
    await keyClient(server, c, 'secret', 'read');
    const people = [];
    const eventsPerPerson = options.eventsPerPerson ?? 3;
    for (let i = 0; i < (options.people ?? 2); i++) {
        const r = `${R}${letters(4)}`.toLowerCase();
        const s = {
            name: `Philippa Quorn${r}`,
            company: `Mossbank Lantern Works ${r}`,
            email: `philippa.${r}@quornmail.example`,
            externalId: `ext-${r}-0042`,
            propValue: `Keeps blue herons ${r}`,
            note: `Met at the ${r} ferry terminal`,
            eventSecret: `Viewed the ${r} brochure`,
        };
        const p = await c.post('/api/v1/people', { name: s.name, company: s.company, emails: [s.email], externalIds: [s.externalId], properties: { hobby: s.propValue } });
        assert.equal(p.status, 201, p.raw.body);
        assert.equal((await c.post(`/api/v1/people/${p.body.id}/notes`, { body: s.note })).status, 201);
        const events = Array.from({ length: eventsPerPerson }, (_, k) => ({
            type: 'track',
            userId: s.externalId,
            event: 'Viewed brochure',
            properties: { detail: s.eventSecret, k },
            timestamp: new Date(Date.now() - k * 60_000).toISOString(),
        }));
        if (events.length > 0) {
            const ingested = await write.client.post('/api/v1/events', { events });
            assert.equal(ingested.status, 200, ingested.raw.body);
            assert.equal(ingested.body.accepted, events.length, ingested.raw.body);
        }
        people.push({ id: p.body.id, externalId: s.externalId, secrets: Object.values(s) });
    }
    return { ...owner, teamName, member, people, events: people.length * eventsPerPerson };
}
/** Every (schema, table, column) whose type is uuid or uuid[], outside PostgreSQL's own schemas. */
export async function uuidColumns(tx) {
    const r = await tx.query(`SELECT n.nspname AS schema, c.relname AS table, a.attname AS column, t.typname = '_uuid' AS array
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_type t ON t.oid = a.atttypid
      WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND t.typname IN ('uuid', '_uuid')
        AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
      ORDER BY 1, 2, 3`);
    return r.rows;
}
/** Tables (schema.table) holding `id` in any uuid or uuid[] column, from the catalogue — no hand-kept list. */
export async function tablesHolding(tx, id, except = new Set()) {
    const found = [];
    for (const col of await uuidColumns(tx)) {
        const name = `${col.schema}.${col.table}`;
        if (except.has(col.table))
            continue;
        const q = `"${col.schema}"."${col.table}"`;
        const where = col.array ? `$1::uuid = ANY("${col.column}")` : `"${col.column}" = $1::uuid`;
        const hit = await tx.query(`SELECT 1 FROM ${q} WHERE ${where} LIMIT 1`, [id]);
        if (hit.rowCount > 0)
            found.push(`${name}.${col.column}`);
    }
    return found;
}
//# sourceMappingURL=team-data.js.map