import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import yazl from 'yazl';
import { audit } from '../../platform/audit/index.js';
import { withTeam } from '../../platform/db/with-team.js';
import { PeopleService } from '../people/index.js';
import { listNotes } from '../people/notes.js';
import { countEventsOfPerson, personActivity } from '../tracking/index.js';
import { listConsents } from './consents.js';
import { listRequests } from './privacy-requests.js';
import { suppressionStateOf } from './suppression-list.js';
/** Documented in docs/privacy-export.md; docs/privacy-export.schema.json is its JSON Schema. */
export const EXPORT_FORMAT = { format: 'haven.person-export', version: 1 };
const EVENT_PAGE = 1_000;
export async function collectPersonExport(ctx, teamId, personId) {
    return withTeam(ctx.engine, teamId, (tx) => collectPersonExportIn(tx, ctx, teamId, personId));
}
/**
 * The export's small sections read in `tx` (a caller may claim the download in the same
 * transaction: if the person is gone, nothing was claimed); its events stream afterwards, page
 * by page, each in a short transaction of its own.
 */
export async function collectPersonExportIn(tx, ctx, teamId, personId) {
    const people = new PeopleService(ctx.keyring);
    const person = await people.get(tx, teamId, personId);
    // The person and everyone merged into them: a visitor's consents and notes moved over, and so
    // do the records of who made them.
    const ids = await people.subjectsOf(tx, teamId, personId);
    const auditEntries = [];
    for (let before;;) {
        const page = await audit.list(tx, teamId, { targetIds: ids, before, limit: 500 });
        auditEntries.push(...page);
        if (page.length < 500)
            break;
        before = page.at(-1).seq;
    }
    const privacyRequests = [];
    for (let cursor;;) {
        const page = await listRequests(tx, teamId, { personIds: ids, cursor, limit: 500 });
        privacyRequests.push(...page.requests);
        if (!page.nextCursor)
            break;
        cursor = page.nextCursor;
    }
    return {
        teamId,
        exportedAt: new Date().toISOString(),
        person,
        notes: await listNotes(tx, ctx.keyring, teamId, personId),
        consents: await listConsents(tx, ctx.keyring, teamId, personId),
        suppression: await suppressionStateOf(ctx.keyring, tx, teamId, person),
        privacyRequests,
        audit: auditEntries,
        eventCount: await countEventsOfPerson(tx, teamId, personId),
        async *events() {
            for (let cursor;;) {
                const page = await withTeam(ctx.engine, teamId, (tx) => personActivity(tx, ctx.keyring, teamId, personId, { limit: EVENT_PAGE, cursor }));
                if (page.activity.length > 0)
                    yield page.activity;
                if (!page.nextCursor)
                    return;
                cursor = page.nextCursor;
            }
        },
    };
}
/** The export as one JSON document, produced in chunks: memory stays flat however many events. */
export async function* exportAsJson(exp, onEvents) {
    const head = {
        ...EXPORT_FORMAT,
        exportedAt: exp.exportedAt,
        teamId: exp.teamId,
        person: exp.person,
        notes: exp.notes,
        consents: exp.consents,
        suppression: exp.suppression,
        privacyRequests: exp.privacyRequests,
        audit: exp.audit,
        messages: [],
        eventCount: exp.eventCount,
    };
    const text = JSON.stringify(head, null, 2);
    yield `${text.slice(0, -2)},\n  "events": [`;
    let first = true;
    for await (const page of exp.events()) {
        yield (first ? '\n    ' : ',\n    ') + page.map((e) => JSON.stringify(e)).join(',\n    ');
        first = false;
        onEvents?.(page.length);
    }
    yield first ? ']\n}\n' : '\n  ]\n}\n';
}
function csv(columns, rows) {
    const out = stringify({ header: true, columns, cast: { boolean: (b) => String(b), object: (o) => JSON.stringify(o) } });
    Readable.from(rows).pipe(out);
    return out;
}
const README = `This archive holds everything Haven stored about one person, as CSV files (UTF-8, RFC 4180).
person.csv          profile fields
identities.csv      emails, phones, external ids, anonymous ids, with their suppression (objection) state
properties.csv      custom properties, values as JSON
notes.csv           notes written about the person
consents.csv        consents: purpose, lawful basis, source, given and withdrawn times
events.csv          activity (page views, events), newest first; properties, traits and context as JSON
privacy_requests.csv  access, erasure and objection requests about the person
audit.csv           audit log entries that name the person (ids only)
The same export is available as one JSON document; see docs/privacy-export.md.
`;
/** The export as a ZIP of CSV files, streamed entry by entry (events last, page by page). */
export function exportAsZip(exp, onEvents) {
    const zip = new yazl.ZipFile();
    const p = exp.person;
    const lazy = (name, make) => zip.addReadStreamLazy(name, (cb) => cb(null, make()));
    zip.addBuffer(Buffer.from(README), 'README.txt');
    lazy('person.csv', () => csv(['field', 'value'], [['id', p.id], ['name', p.name ?? ''], ['company', p.company ?? ''], ['createdAt', p.createdAt], ['updatedAt', p.updatedAt], ['exportedAt', exp.exportedAt]]));
    lazy('identities.csv', () => csv(['kind', 'value', 'suppressed', 'suppressionReason', 'suppressedSince'], exp.suppression.map((s) => [s.kind, s.value, s.suppressed, s.reason ?? '', s.since ?? ''])));
    lazy('properties.csv', () => csv(['key', 'value'], Object.entries(p.properties).map(([k, v]) => [k, JSON.stringify(v)])));
    lazy('notes.csv', () => csv(['id', 'createdAt', 'authorId', 'body'], exp.notes.map((n) => [n.id, n.createdAt, n.authorId ?? '', n.body])));
    lazy('consents.csv', () => csv(['id', 'purpose', 'lawfulBasis', 'source', 'givenAt', 'withdrawnAt'], exp.consents.map((c) => [c.id, c.purpose, c.lawfulBasis, c.source, c.givenAt, c.withdrawnAt ?? ''])));
    lazy('privacy_requests.csv', () => csv(['id', 'kind', 'status', 'createdAt', 'completedAt', 'receipt'], exp.privacyRequests.map((r) => [r.id, r.kind, r.status, r.createdAt, r.completedAt ?? '', JSON.stringify(r.receipt)])));
    lazy('audit.csv', () => csv(['seq', 'at', 'action', 'actorType', 'actorId', 'targetType', 'targetId', 'details'], exp.audit.map((a) => [a.seq, a.at, a.action, a.actor.type, a.actor.id ?? '', a.target?.type ?? '', a.target?.id ?? '', JSON.stringify(a.details ?? {})])));
    lazy('events.csv', () => csv(['id', 'type', 'name', 'occurredAt', 'receivedAt', 'url', 'referrer', 'title', 'properties', 'traits', 'traitsOnce', 'context'], (async function* () {
        for await (const page of exp.events()) {
            for (const e of page) {
                const json = [e.properties, e.traits, e.traitsOnce, e.context].map((o) => JSON.stringify(o));
                yield [e.id, e.type, e.name ?? '', e.occurredAt, e.receivedAt, e.url ?? '', e.referrer ?? '', e.title ?? '', ...json];
            }
            onEvents?.(page.length);
        }
    })()));
    zip.end();
    return zip.outputStream;
}
//# sourceMappingURL=export-person.js.map