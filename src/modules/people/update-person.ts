import { NAME_FOLD_VERSION } from '../../platform/crypto/blind-index.js';
import type { Tx } from '../../platform/db/engine.js';
import { HavenError } from '../../platform/http/errors.js';
import type { PersonInput } from './add-people.js';
import { getPerson } from './get-person.js';
import { IDENTITY_FIELDS, IDENTITY_KINDS, type IdentityKind, normaliseIdentity } from './identities.js';
import { lockForChange } from './lock-people.js';
import { addIdentity, findIdentity, identitiesOf, lockIdentities } from './person-identities.js';
import type { PersonView } from './person-view.js';
import { type Properties, checkProperties } from './properties.js';
import { type PeopleContext, indexName, sealText } from './sealed-fields.js';

export interface PersonPatch extends PersonInput {
  unsetProperties?: string[] | undefined;
}

/** Rectify: returns the person after the change, as they were before it, and the names of the fields that changed. */
export async function updatePerson(
  ctx: PeopleContext,
  tx: Tx,
  teamId: string,
  id: string,
  patch: PersonPatch,
): Promise<{ person: PersonView; before: PersonView; fields: string[] }> {
  // Identities are locked before the person's row, in one sorted call: the order ingest's merges
  // take them in (ids, then people), so a rectification and a merge cannot deadlock. (Ingest's
  // traits can: they lock the person first and learn the ids from its profile; the routes run a
  // deadlock's victim again.)
  const identities = normaliseIdentities(patch);
  await lockIdentities(tx, teamId, [...identities].flatMap(([kind, values]) => values.map((value) => `${kind}|${value}`)));
  // FOR NO KEY UPDATE: events may still be stored for the person meanwhile (lock-people.ts).
  await lockForChange(tx, teamId, [id]);
  const current = await getPerson(ctx, tx, teamId, id);
  await refuseHeldByOthers(ctx, tx, teamId, identities, id);
  const fields: string[] = [];
  const sets: string[] = [];
  const params: unknown[] = [teamId, id];
  const set = (column: string, value: unknown) => {
    params.push(value);
    sets.push(`${column} = $${params.length}`);
  };
  // Every check before the first write: a refused update changes nothing.
  let merged: Properties | null = null;
  if (patch.properties !== undefined || patch.unsetProperties !== undefined) {
    merged = { ...current.properties, ...(patch.properties ? checkProperties(patch.properties) : {}) };
    for (const key of patch.unsetProperties ?? []) delete merged[key];
    checkProperties(merged);
  }
  if (patch.name !== undefined && patch.name !== current.name) {
    set('name_sealed', patch.name ? await sealText(ctx, tx, teamId, id, 'name_sealed', patch.name) : null);
    set('name_fold', NAME_FOLD_VERSION);
    await indexName(ctx, tx, teamId, id, patch.name);
    fields.push('name');
  }
  if (patch.company !== undefined && patch.company !== current.company) {
    set('company_sealed', patch.company ? await sealText(ctx, tx, teamId, id, 'company_sealed', patch.company) : null);
    fields.push('company');
  }
  if (merged) {
    const changed = [...new Set([...Object.keys(merged), ...Object.keys(current.properties)])].filter(
      (k) => JSON.stringify(merged[k]) !== JSON.stringify(current.properties[k]),
    );
    if (changed.length > 0) {
      set('properties_sealed', await sealText(ctx, tx, teamId, id, 'properties_sealed', JSON.stringify(merged)));
      // Only "properties": a property's name is the team's free text, sealed with its value, and
      // the audit log is kept in clear for as long as the team exists.
      fields.push('properties');
    }
  }
  for (const [kind, values] of identities) {
    const field = IDENTITY_FIELDS[kind];
    const existing = await identitiesOf(ctx, tx, teamId, [id], kind);
    const keep = new Set(values);
    let changed = false;
    for (const e of existing) {
      if (!keep.has(e.value)) {
        await tx.query(`DELETE FROM person_identities WHERE team_id = $1 AND id = $2`, [teamId, e.id]);
        ctx.openedIdentities.forget(e.id);
        changed = true;
      }
    }
    // The list's new order is the order given: kept identities move, new ones are added in place.
    const have = new Map(existing.map((e) => [e.value, e]));
    for (const [position, v] of values.entries()) {
      const kept = have.get(v);
      if (!kept) {
        await addIdentity(ctx, tx, teamId, id, kind, v, position);
        changed = true;
      } else if (kept.position !== position) {
        await tx.query(`UPDATE person_identities SET position = $3 WHERE team_id = $1 AND id = $2`, [teamId, kept.id, position]);
        changed = true;
      }
    }
    if (changed) fields.push(field);
  }
  if (fields.length > 0) {
    sets.push('updated_at = now()');
    await tx.query(`UPDATE people SET ${sets.join(', ')} WHERE team_id = $1 AND id = $2`, params);
  }
  return { person: await getPerson(ctx, tx, teamId, id), before: current, fields };
}

/** Normalise every identity of the input, refusing duplicates within it. */
function normaliseIdentities(input: PersonInput): Map<IdentityKind, string[]> {
  const out = new Map<IdentityKind, string[]>();
  for (const kind of IDENTITY_KINDS) {
    const field = IDENTITY_FIELDS[kind];
    const raw = input[field];
    if (raw === undefined) continue;
    const values: string[] = [];
    for (const [i, r] of raw.entries()) {
      const value = normaliseIdentity(kind, r, `${field}.${i}`);
      if (values.includes(value)) throw new HavenError('duplicate_identity', 409, 'The same identity is listed twice.', `${field}.${i}`);
      values.push(value);
    }
    out.set(kind, values);
  }
  return out;
}

/** Refuse identities another person of the team holds (they are locked: the answer holds until commit). */
async function refuseHeldByOthers(ctx: PeopleContext, tx: Tx, teamId: string, identities: Map<IdentityKind, string[]>, self: string): Promise<void> {
  for (const [kind, values] of identities) {
    for (const [i, value] of values.entries()) {
      const owner = await findIdentity(ctx, tx, teamId, kind, value);
      if (owner !== undefined && owner !== self) {
        throw new HavenError('duplicate_identity', 409, 'Another person in this team already has this identity.', `${IDENTITY_FIELDS[kind]}.${i}`);
      }
    }
  }
}

/**
 * A change to a person that is not a field of the profile row — identities moved in by a merge, an
 * id attached by ingest — still changes the profile: `updatedAt` (listing by `sort=updated`, and
 * retention of people unchanged for months) says so.
 */
export async function touchPerson(tx: Tx, teamId: string, id: string): Promise<void> {
  await tx.query(`UPDATE people SET updated_at = now() WHERE team_id = $1 AND id = $2`, [teamId, id]);
}
