import { identitiesOf } from './person-identities.js';
import { openText } from './sealed-fields.js';
export const PERSON_COLUMNS = `id, name_sealed, company_sealed, properties_sealed, created_at, updated_at`;
/** Decrypt rows into views, identities included (one query for the whole page). */
export async function personViews(ctx, tx, teamId, rows) {
    await ctx.keyring.subjectKeysFor(tx, teamId, rows.map((r) => r.id), { create: false });
    const identities = rows.length ? await identitiesOf(ctx, tx, teamId, rows.map((r) => r.id)) : [];
    const views = [];
    for (const row of rows) {
        const mine = identities.filter((i) => i.personId === row.id);
        const of = (kind) => mine.filter((i) => i.kind === kind).map((i) => i.value);
        const props = await openText(ctx, tx, teamId, row.id, 'people', 'properties_sealed', row.id, row.properties_sealed);
        views.push({
            id: row.id,
            name: await openText(ctx, tx, teamId, row.id, 'people', 'name_sealed', row.id, row.name_sealed),
            company: await openText(ctx, tx, teamId, row.id, 'people', 'company_sealed', row.id, row.company_sealed),
            emails: of('email'),
            phones: of('phone'),
            externalIds: of('external_id'),
            anonymousIds: of('anonymous_id'),
            properties: props ? JSON.parse(props) : {},
            createdAt: row.created_at.toISOString(),
            updatedAt: row.updated_at.toISOString(),
        });
    }
    return views;
}
//# sourceMappingURL=person-view.js.map