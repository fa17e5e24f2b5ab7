import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Tx } from '../../platform/db/engine.js';
import { type PersonInput, addPeople, addPerson } from './add-people.js';
import { notedSince } from './notes.js';
import { applyTraits } from './apply-traits.js';
import { countPersonalData } from './count-personal-data.js';
import { getPerson, requirePerson } from './get-person.js';
import type { IdentityKind } from './identities.js';
import { listPeople, unchangedSince } from './list-people.js';
import { type Unavailable, holdForEvents, lockForChange } from './lock-people.js';
import { type OnMerge, mergePeople, subjectsOf } from './merge-people.js';
import { openedIdentitiesOf } from './opened-identities.js';
import { findIdentities, findIdentity, lockIdentities } from './person-identities.js';
import { type PersonRow, type PersonView, personViews } from './person-view.js';
import type { Properties } from './properties.js';
import { resolvePerson } from './resolve-person.js';
import { findPeopleBy, searchByName } from './search-people.js';
import type { PeopleContext } from './sealed-fields.js';
import { isErased, purgeErased, shredPerson } from './shred-person.js';
import { type PersonPatch, updatePerson } from './update-person.js';

export type { OnMerge, PersonInput, PersonPatch, PersonView };

/**
 * People of one team: every personal field sealed under the person's subject key. The module's
 * facade: each use case lives in its own file; this instance holds what they share (the keyring,
 * and the process's cache of identity values already decrypted, one per keyring).
 */
export class PeopleService {
  private readonly ctx: PeopleContext;

  constructor(keyring: Keyring) {
    this.ctx = { keyring, openedIdentities: openedIdentitiesOf(keyring) };
  }

  findIdentity(tx: Tx, teamId: string, kind: IdentityKind, value: string): Promise<string | undefined> {
    return findIdentity(this.ctx, tx, teamId, kind, value);
  }

  findIdentities(tx: Tx, teamId: string, wanted: readonly { kind: IdentityKind; value: string }[]): Promise<Map<string, string>> {
    return findIdentities(this.ctx, tx, teamId, wanted);
  }

  lockIdentities(tx: Tx, teamId: string, keys: string[]): Promise<void> {
    return lockIdentities(tx, teamId, keys);
  }

  /** See lock-people.ts: profile changes to come, in id order; which people are erased or gone. */
  lockForChange(tx: Tx, teamId: string, ids: readonly string[], options: { merging?: boolean } = {}): Promise<Unavailable> {
    return lockForChange(tx, teamId, ids, options);
  }

  /** See lock-people.ts: events about to be stored; which people are erased or gone. */
  holdForEvents(tx: Tx, teamId: string, ids: readonly string[]): Promise<Unavailable> {
    return holdForEvents(tx, teamId, ids);
  }

  create(tx: Tx, teamId: string, input: PersonInput): Promise<PersonView> {
    return addPerson(this.ctx, tx, teamId, input);
  }

  importMany(tx: Tx, teamId: string, inputs: readonly PersonInput[], fieldPrefix?: (i: number) => string): Promise<string[]> {
    return addPeople(this.ctx, tx, teamId, inputs, fieldPrefix);
  }

  notedSince(tx: Tx, teamId: string, personIds: readonly string[], since: Date): Promise<Set<string>> {
    return notedSince(tx, teamId, personIds, since);
  }

  update(tx: Tx, teamId: string, id: string, patch: PersonPatch): Promise<{ person: PersonView; before: PersonView; fields: string[] }> {
    return updatePerson(this.ctx, tx, teamId, id, patch);
  }

  get(tx: Tx, teamId: string, id: string, options: { lock?: boolean } = {}): Promise<PersonView> {
    return getPerson(this.ctx, tx, teamId, id, options);
  }

  /** See requirePerson: `hold` before writing something for the person. */
  requireExists(tx: Tx, teamId: string, id: string, options: { hold?: boolean } = {}): Promise<void> {
    return requirePerson(tx, teamId, id, options);
  }

  subjectsOf(tx: Tx, teamId: string, id: string): Promise<string[]> {
    return subjectsOf(tx, teamId, id);
  }

  shred(tx: Tx, teamId: string, id: string): Promise<{ subjectIds: string[]; counts: Record<string, number> }> {
    return shredPerson(this.ctx, tx, teamId, id);
  }

  unchangedSince(tx: Tx, teamId: string, cutoff: Date): Promise<string[]> {
    return unchangedSince(tx, teamId, cutoff);
  }

  categoryCounts(tx: Tx, teamId: string): ReturnType<typeof countPersonalData> {
    return countPersonalData(tx, teamId);
  }

  isErased(tx: Tx, teamId: string, id: string): Promise<boolean> {
    return isErased(tx, teamId, id);
  }

  purgeErased(tx: Tx, teamId: string, id: string): Promise<boolean> {
    return purgeErased(tx, teamId, id);
  }

  merge(tx: Tx, teamId: string, fromId: string, intoId: string, moveRows?: OnMerge): Promise<void> {
    return mergePeople(this.ctx, tx, teamId, fromId, intoId, moveRows);
  }

  resolve(
    tx: Tx,
    teamId: string,
    ids: { externalId?: string | undefined; anonymousId?: string | undefined; distinctId?: string | undefined },
    options: { merge: boolean; previousMayBeUser?: boolean; mergeIdentified?: boolean; onMerge?: OnMerge },
  ): Promise<{ personId: string; mergedFrom: string | null; created: boolean }> {
    return resolvePerson(this.ctx, tx, teamId, ids, options);
  }

  applyTraits(tx: Tx, teamId: string, personId: string, traits: { set?: Properties; setOnce?: Properties; unset?: readonly string[] }): Promise<string[]> {
    return applyTraits(this.ctx, tx, teamId, personId, traits);
  }

  views(tx: Tx, teamId: string, rows: PersonRow[]): Promise<PersonView[]> {
    return personViews(this.ctx, tx, teamId, rows);
  }

  list(
    tx: Tx,
    teamId: string,
    q: { sort: 'created' | 'updated'; order: 'asc' | 'desc'; limit: number; cursor?: string | undefined },
  ): Promise<{ people: PersonView[]; nextCursor: string | null }> {
    return listPeople(this.ctx, tx, teamId, q);
  }

  findBy(tx: Tx, teamId: string, kind: IdentityKind, raw: string, field: string): Promise<PersonView[]> {
    return findPeopleBy(this.ctx, tx, teamId, kind, raw, field);
  }

  searchByName(tx: Tx, teamId: string, query: string, limit: number, cursor?: string): Promise<{ people: PersonView[]; nextCursor: string | null }> {
    return searchByName(this.ctx, tx, teamId, query, limit, cursor);
  }
}
