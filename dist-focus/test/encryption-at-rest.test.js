import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { createHaven } from '../src/app.js';
import { configFromEnv } from '../src/platform/config.js';
import { createLogger } from '../src/platform/log.js';
import { TestClient, addMember, signUp } from './support/client.js';
import { ENGINES, describeEngines, freshEngine, ownerSql } from './support/haven.js';
/** Every encoding of `secret` a leak could take: case variants × utf8/utf16/hex/base64. */
function needlesFor(secret) {
    const out = new Map();
    const add = (encoding, bytes) => {
        if (bytes.length < 6)
            return;
        const k = bytes.toString('hex');
        if (!out.has(k))
            out.set(k, { secret, encoding, bytes });
    };
    const forms = [
        ['plain', secret],
        ['lower', secret.toLowerCase()],
        ['upper', secret.toUpperCase()],
        ['nfd', secret.normalize('NFD')],
        ['nfc', secret.normalize('NFC')],
    ];
    for (const [form, s] of forms) {
        const utf8 = Buffer.from(s, 'utf8');
        add(`${form} utf8`, utf8);
        add(`${form} utf16le`, Buffer.from(s, 'utf16le'));
        add(`${form} utf16be`, Buffer.from(s, 'utf16le').swap16());
        add(`${form} hex`, Buffer.from(utf8.toString('hex'), 'latin1'));
        add(`${form} HEX`, Buffer.from(utf8.toString('hex').toUpperCase(), 'latin1'));
        // base64 at each of the three alignments the value can have inside a larger encoded blob:
        // only whole 3-byte groups of the value encode to the same characters wherever it sits.
        for (let skip = 0; skip < 3; skip++) {
            const whole = Math.floor((utf8.length - skip) / 3) * 3;
            const part = utf8.subarray(skip, skip + whole);
            add(`${form} base64+${skip}`, Buffer.from(part.toString('base64'), 'latin1'));
            add(`${form} base64url+${skip}`, Buffer.from(part.toString('base64url'), 'latin1'));
        }
    }
    return [...out.values()];
}
function scan(haystacks, needles) {
    const hits = [];
    for (const h of haystacks) {
        for (const n of needles) {
            const offset = h.bytes.indexOf(n.bytes);
            if (offset >= 0)
                hits.push({ secret: n.secret, encoding: n.encoding, where: h.name, offset });
        }
    }
    return hits;
}
function filesUnder(dir) {
    const out = [];
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory())
            out.push(...filesUnder(path));
        else if (entry.isFile())
            out.push(path);
    }
    return out;
}
function readTree(dir) {
    return filesUnder(dir).map((path) => ({ name: relative(dir, path), bytes: readFileSync(path) }));
}
function newestPgBin() {
    const root = '/usr/lib/postgresql';
    const versions = readdirSync(root).filter((v) => /^\d+(\.\d+)?$/.test(v) && existsSync(join(root, v, 'bin', 'pg_dump')));
    versions.sort((x, y) => Number(y) - Number(x));
    assert.ok(versions[0], `no pg_dump under ${root}`);
    return join(root, versions[0], 'bin');
}
const upperLetters = (n) => Array.from(randomBytes(n), (b) => String.fromCharCode(65 + (b % 26))).join('');
const digits = (n) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');
/** Sign up a team with a distinctive (clear-by-design) name and write distinctive people into it. */
async function plant(server) {
    const R = upperLetters(6);
    const r = R.toLowerCase();
    const teamName = `Control Team Marmalade ${R}`;
    const owner = await signUp(server, 'owner', teamName);
    const c = owner.client;
    // Haven's own users: a member's sign-in email (they joined by invitation), a pending invitee's.
    const member = await addMember(server, c, 'member', `member${r}`);
    const inviteeEmail = `invitee.${r}@pendingpost.example`;
    assert.equal((await c.post('/api/v1/invitations', { email: inviteeEmail, role: 'viewer' })).status, 201);
    // A failed sign-in leaves throttle rows keyed by the account and the address.
    assert.equal((await new TestClient(server).post('/api/v1/auth/sign-in', { email: member.email, password: 'not the password' })).status, 401);
    const phoneTail = digits(3);
    const fr = digits(8);
    const s = {
        name: `Perpetua Quix${r}whistle`,
        surname: `Quix${r}whistle`,
        accented: `Zoë Brønnikov${r}`,
        accentedSurname: `Brønnikov${r}`,
        renamed: `Marisol Thundergrove${r}`,
        company: `Vexhammer Lighthouse Supplies ${R}`,
        company2: `Obsidian Kettle Works ${R}`,
        email: `perpetua.${r}@quixmail.example`,
        email2: `zoe.bronnikov.${r}@fjordpost.example`,
        phoneInput: `+44 20 7946 0${phoneTail}`,
        phone: `+442079460${phoneTail}`,
        phone2Input: `+33 6 ${fr.slice(0, 2)} ${fr.slice(2, 4)} ${fr.slice(4, 6)} ${fr.slice(6)}`,
        phone2: `+336${fr}`,
        externalId: `ext-${r}-ledger-0042`,
        anonymousId: `anon-${r}-cookie-9f8e7d`,
        propKey: `hobby_${r}_private`,
        propValue: `Collects blue marzipan ${R}`,
        propNumber: `86753${digits(5)}`,
        propNested: `Nested treasure ${R} chest`,
        propArray: `ArrayItem${R}Glimmer`,
        propPatched: `Rectified opinion ${R} value`,
        note1: `Met at the ${R} glassblowing fair; prefers Thursdays.`,
        note2: `Allergic to ${R} walnuts, mention to catering`,
        deletedNote: `This note ${R} was deleted later on`,
    };
    const p1 = await c.post('/api/v1/people', {
        name: s.name,
        company: s.company,
        emails: [s.email.toUpperCase()],
        phones: [s.phoneInput],
        externalIds: [s.externalId],
        anonymousIds: [s.anonymousId],
        properties: { [s.propKey]: s.propValue, lucky: Number(s.propNumber), deep: { inner: { text: s.propNested } }, list: ['x', s.propArray] },
    });
    assert.equal(p1.status, 201, p1.raw.body);
    const p2 = await c.post('/api/v1/people', { name: s.accented, company: s.company2, emails: [s.email2], phones: [s.phone2Input] });
    assert.equal(p2.status, 201, p2.raw.body);
    for (const body of [s.note1, s.note2, s.deletedNote]) {
        assert.equal((await c.post(`/api/v1/people/${p1.body.id}/notes`, { body })).status, 201);
    }
    const notes = (await c.get(`/api/v1/people/${p1.body.id}/notes`)).body.notes;
    const gone = notes.find((n) => n.body === s.deletedNote);
    assert.equal((await c.delete(`/api/v1/people/${p1.body.id}/notes/${gone.id}`)).status, 204);
    // Rectification: the old values stay behind as dead row versions; those must be ciphertext too.
    const patched = await c.patch(`/api/v1/people/${p2.body.id}`, { name: s.renamed, properties: { opinion: s.propPatched } });
    assert.equal(patched.status, 200, patched.raw.body);
    // Reading back proves the values were really stored (and decrypt).
    const back = (await c.get(`/api/v1/people/${p1.body.id}`)).body;
    assert.equal(back.name, s.name);
    assert.deepEqual(back.phones, [s.phone]);
    assert.equal(back.properties[s.propKey], s.propValue);
    assert.equal((await c.get(`/api/v1/people/${p2.body.id}`)).body.name, s.renamed);
    assert.deepEqual((await c.get(`/api/v1/people/${p2.body.id}`)).body.phones, [s.phone2]);
    const members = (await c.get('/api/v1/members')).body.members;
    assert.deepEqual(members.map((m) => m.email).sort(), [owner.email, member.email].sort());
    assert.equal((await c.get('/api/v1/invitations')).body.invitations.filter((i) => i.email === inviteeEmail).length, 1);
    const secrets = [
        ...Object.values(s),
        owner.email,
        member.email,
        inviteeEmail,
        s.phone.slice(3), // the national numbers, without the country code
        s.phone2.slice(3),
    ];
    return { teamName, secrets };
}
function assertNoLeak(haystacks, planted, what) {
    assert.ok(haystacks.length > 0, `${what}: nothing to scan`);
    const total = haystacks.reduce((n, h) => n + h.bytes.length, 0);
    assert.ok(total > 10_000, `${what}: only ${total} bytes to scan`);
    const control = scan(haystacks, needlesFor(planted.teamName));
    assert.ok(control.some((h) => h.encoding === 'plain utf8'), `${what}: positive control failed — the team name, stored in clear by design, was not found, so the scan proves nothing`);
    const leaks = scan(haystacks, planted.secrets.flatMap(needlesFor));
    assert.deepEqual(leaks.map((l) => `${l.secret} (${l.encoding}) in ${l.where} at ${l.offset}`), [], `${what}: personal data found at rest`);
}
// ── the scanner works ────────────────────────────────────────────────────────────────────────────
describe('encryption at rest (I2): the scanner', () => {
    it('finds a value in each encoding, at any alignment, inside binary noise', () => {
        const secret = 'Zoë Quixwhistle 42';
        const needles = needlesFor(secret);
        const wrap = (payload) => Buffer.concat([randomBytes(100), payload, randomBytes(100)]);
        const samples = [
            ['plain utf8', Buffer.from(`{"name":"${secret}"}`)],
            ['lower utf8', Buffer.from(`x${secret.toLowerCase()}y`)],
            ['upper utf8', Buffer.from(secret.toUpperCase())],
            ['plain utf16le', Buffer.from(`ab${secret}`, 'utf16le')],
            ['plain utf16be', Buffer.from(`ab${secret}`, 'utf16le').swap16()],
            ['nfd utf8', Buffer.from(secret.normalize('NFD'))],
            ['plain hex', Buffer.from(`\\x00ff${Buffer.from(secret).toString('hex')}00`)],
            ['plain HEX', Buffer.from(`0x${Buffer.from(secret).toString('hex').toUpperCase()}`)],
        ];
        for (let prefix = 0; prefix < 3; prefix++) {
            samples.push([`base64 after ${prefix} bytes`, Buffer.from(Buffer.from(`${'#'.repeat(prefix)}${secret}!!`).toString('base64'))]);
            samples.push([`lower base64url after ${prefix} bytes`, Buffer.from(Buffer.from(`${'#'.repeat(prefix)}${secret.toLowerCase()}`).toString('base64url'))]);
        }
        for (const [label, payload] of samples) {
            const hits = scan([{ name: label, bytes: wrap(payload) }], needles);
            assert.ok(hits.length > 0, `${label}: not found`);
        }
        assert.deepEqual(scan([{ name: 'noise', bytes: randomBytes(1 << 20) }], needles), []);
    });
});
// ── the raw database ─────────────────────────────────────────────────────────────────────────────
describe('encryption at rest (I2): raw database contents', () => {
    for (const kind of ENGINES) {
        if (kind === 'pglite') {
            it('[pglite] no personal value in any file of the data directory (WAL included), nor in dumpDataDir()', async () => {
                const dataDir = mkdtempSync(join(tmpdir(), 'haven-at-rest-'));
                try {
                    const config = { ...configFromEnv({}), dataDir, databaseUrl: undefined, rateLimitPerMinute: 1_000_000, masterKey: randomBytes(32).toString('base64') };
                    const haven = await createHaven(config, createLogger({ level: 'silent' }));
                    let planted;
                    try {
                        planted = await plant(haven.server);
                    }
                    finally {
                        await haven.close();
                    }
                    const pgdata = join(dataDir, 'pgdata');
                    const files = readTree(pgdata);
                    assert.ok(files.some((f) => f.name.startsWith(`pg_wal/`) && statSync(join(pgdata, f.name)).size > 0), 'the WAL is scanned');
                    assert.ok(files.some((f) => f.name.startsWith('base/')), 'the relation files are scanned');
                    assertNoLeak(files, planted, 'PGlite data directory');
                    // The WAL was really read: the team name is found in it alone (it was scanned for secrets above).
                    const wal = files.filter((f) => f.name.startsWith('pg_wal/'));
                    assert.ok(scan(wal, needlesFor(planted.teamName)).length > 0, 'positive control: the team name is in the WAL');
                    const db = new PGlite(pgdata);
                    try {
                        await db.waitReady;
                        const tarball = Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer());
                        assertNoLeak([{ name: 'dumpDataDir.tar', bytes: tarball }], planted, 'PGlite dumpDataDir()');
                    }
                    finally {
                        await db.close();
                    }
                }
                finally {
                    rmSync(dataDir, { recursive: true, force: true });
                }
            });
        }
        else {
            it('[postgres] no personal value in pg_dump of the whole database, nor in its relation files', async (t) => {
                const db = await freshEngine('postgres');
                try {
                    const config = { ...configFromEnv({}), databaseUrl: db.url, rateLimitPerMinute: 1_000_000, masterKey: randomBytes(32).toString('base64') };
                    const haven = await createHaven(config, createLogger({ level: 'silent' }), { engine: db.engine });
                    let planted;
                    try {
                        planted = await plant(haven.server);
                    }
                    finally {
                        await haven.close(); // closes db.engine too
                    }
                    const bin = newestPgBin();
                    for (const format of ['plain', 'custom']) {
                        const dump = spawnSync(join(bin, 'pg_dump'), ['--no-password', `--format=${format}`, '--compress=0', `--dbname=${db.url}`], { maxBuffer: 1 << 30 });
                        assert.equal(dump.status, 0, `pg_dump --format=${format} failed: ${dump.stderr?.toString()}`);
                        const bytes = dump.stdout;
                        if (format === 'plain') {
                            assert.match(bytes.toString('utf8'), /CREATE TABLE public\.people/, 'the dump holds the people table');
                            assert.match(bytes.toString('utf8'), /COPY public\.person_notes/, 'the dump holds the notes');
                        }
                        assertNoLeak([{ name: `pg_dump --format=${format}`, bytes }], planted, `pg_dump (${format})`);
                    }
                    // The relation files themselves, after a checkpoint, when this process may read them.
                    const client = new pg.Client({ connectionString: db.url });
                    await client.connect();
                    let dir;
                    try {
                        await client.query('CHECKPOINT');
                        const r = await client.query(`SELECT current_setting('data_directory') AS dir, (SELECT oid::text FROM pg_database WHERE datname = current_database()) AS oid`);
                        dir = join(r.rows[0].dir, 'base', r.rows[0].oid);
                    }
                    finally {
                        await client.end();
                    }
                    let files;
                    try {
                        files = readTree(dir);
                    }
                    catch (error) {
                        t.diagnostic(`relation files not readable here (${error.message}); pg_dump was scanned`);
                        return;
                    }
                    assertNoLeak(files, planted, 'PostgreSQL relation files');
                }
                finally {
                    await db.drop();
                }
            });
        }
    }
});
// ── ciphertext is bound to its row ───────────────────────────────────────────────────────────────
describeEngines('encryption at rest (I2): ciphertext moved between rows does not decrypt', (haven) => {
    const { owner } = ownerSql(haven);
    const make = async (c, body) => {
        const res = await c.post('/api/v1/people', body);
        assert.equal(res.status, 201, res.raw.body);
        return res.body.id;
    };
    const GENERIC_500 = { error: { code: 'internal_error', message: 'Something went wrong on our side. It has been logged with the request id.' } };
    it("another person's name_sealed copied into a row makes that person unreadable (500), the source stays fine", async () => {
        const a = await signUp(haven().server);
        const victim = await make(a.client, { name: 'Victor Victim' });
        const source = await make(a.client, { name: 'Sophie Source' });
        await owner(`UPDATE people SET name_sealed = (SELECT name_sealed FROM people WHERE team_id = $1 AND id = $3) WHERE team_id = $1 AND id = $2`, [a.teamId, victim, source]);
        const same = await haven().engine.ownerTransaction((tx) => tx.query(`SELECT (SELECT name_sealed FROM people WHERE id = $1) = (SELECT name_sealed FROM people WHERE id = $2) AS same`, [victim, source]));
        assert.equal(same.rows[0].same, true, 'the bytes were copied');
        const res = await a.client.get(`/api/v1/people/${victim}`);
        assert.equal(res.status, 500, res.raw.body);
        assert.deepEqual(res.body, GENERIC_500);
        assert.equal(res.raw.body.includes('Sophie'), false);
        assert.equal((await a.client.get(`/api/v1/people/${source}`)).body.name, 'Sophie Source');
        assert.equal((await a.client.get(`/api/v1/people?name=sophie`)).body.people.length, 1);
    });
    it("a column's ciphertext moved to another column of the same row does not decrypt either", async () => {
        const a = await signUp(haven().server);
        const p = await make(a.client, { name: 'Colin Column', company: 'Columns Inc' });
        await owner(`UPDATE people SET name_sealed = company_sealed WHERE team_id = $1 AND id = $2`, [a.teamId, p]);
        const res = await a.client.get(`/api/v1/people/${p}`);
        assert.equal(res.status, 500);
        assert.deepEqual(res.body, GENERIC_500);
    });
    it("an identity's ciphertext moved to another person's identity row does not decrypt", async () => {
        const a = await signUp(haven().server);
        const victim = await make(a.client, { emails: ['victim@rows.test'] });
        await make(a.client, { emails: ['source@rows.test'] });
        await owner(`UPDATE person_identities SET value_sealed = (SELECT value_sealed FROM person_identities i JOIN people p ON p.id = i.person_id WHERE i.team_id = $1 AND i.person_id <> $2 LIMIT 1)
        WHERE team_id = $1 AND person_id = $2`, [a.teamId, victim]);
        const res = await a.client.get(`/api/v1/people/${victim}`);
        assert.equal(res.status, 500);
        assert.deepEqual(res.body, GENERIC_500);
    });
    it("a person's ciphertext copied into another team's person does not decrypt", async () => {
        const a = await signUp(haven().server);
        const b = await signUp(haven().server);
        const inA = await make(a.client, { name: 'Team A Person' });
        const inB = await make(b.client, { name: 'Team B Person' });
        await owner(`UPDATE people SET name_sealed = (SELECT name_sealed FROM people WHERE id = $1) WHERE id = $2`, [inA, inB]);
        assert.equal((await b.client.get(`/api/v1/people/${inB}`)).status, 500);
        assert.equal((await a.client.get(`/api/v1/people/${inA}`)).body.name, 'Team A Person');
    });
});
//# sourceMappingURL=encryption-at-rest.test.js.map