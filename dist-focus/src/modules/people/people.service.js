import { addPeople, addPerson } from './add-people.js';
import { notedSince } from './notes.js';
import { applyTraits } from './apply-traits.js';
import { countPersonalData } from './count-personal-data.js';
import { getPerson, requirePerson } from './get-person.js';
import { listPeople, unchangedSince } from './list-people.js';
import { holdForEvents, lockForChange } from './lock-people.js';
import { mergePeople, subjectsOf } from './merge-people.js';
import { openedIdentitiesOf } from './opened-identities.js';
import { findIdentities, findIdentity, lockIdentities } from './person-identities.js';
import { personViews } from './person-view.js';
import { resolvePerson } from './resolve-person.js';
import { findPeopleBy, searchByName } from './search-people.js';
import { isErased, purgeErased, shredPerson } from './shred-person.js';
import { updatePerson } from './update-person.js';
/**
 * People of one team: every personal field sealed under the person's subject key. The module's
 * facade: each use case lives in its own file; this instance holds what they share (the keyring,
 * and the process's cache of identity values already decrypted, one per keyring).
 */
export class PeopleService {
    ctx;
    constructor(keyring) {
        this.ctx = { keyring, openedIdentities: openedIdentitiesOf(keyring) };
    }
    findIdentity(tx, teamId, kind, value) {
        return findIdentity(this.ctx, tx, teamId, kind, value);
    }
    findIdentities(tx, teamId, wanted) {
        return findIdentities(this.ctx, tx, teamId, wanted);
    }
    lockIdentities(tx, teamId, keys) {
        return lockIdentities(tx, teamId, keys);
    }
    /** See lock-people.ts: profile changes to come, in id order; which people are erased or gone. */
    lockForChange(tx, teamId, ids, options = {}) {
        return lockForChange(tx, teamId, ids, options);
    }
    /** See lock-people.ts: events about to be stored; which people are erased or gone. */
    holdForEvents(tx, teamId, ids) {
        return holdForEvents(tx, teamId, ids);
    }
    create(tx, teamId, input) {
        return addPerson(this.ctx, tx, teamId, input);
    }
    importMany(tx, teamId, inputs, fieldPrefix) {
        return addPeople(this.ctx, tx, teamId, inputs, fieldPrefix);
    }
    notedSince(tx, teamId, personIds, since) {
        return notedSince(tx, teamId, personIds, since);
    }
    update(tx, teamId, id, patch) {
        return updatePerson(this.ctx, tx, teamId, id, patch);
    }
    get(tx, teamId, id, options = {}) {
        return getPerson(this.ctx, tx, teamId, id, options);
    }
    /** See requirePerson: `hold` before writing something for the person. */
    requireExists(tx, teamId, id, options = {}) {
        return requirePerson(tx, teamId, id, options);
    }
    subjectsOf(tx, teamId, id) {
        return subjectsOf(tx, teamId, id);
    }
    shred(tx, teamId, id) {
        return shredPerson(this.ctx, tx, teamId, id);
    }
    unchangedSince(tx, teamId, cutoff) {
        return unchangedSince(tx, teamId, cutoff);
    }
    categoryCounts(tx, teamId) {
        return countPersonalData(tx, teamId);
    }
    isErased(tx, teamId, id) {
        return isErased(tx, teamId, id);
    }
    purgeErased(tx, teamId, id) {
        return purgeErased(tx, teamId, id);
    }
    merge(tx, teamId, fromId, intoId, moveRows) {
        return mergePeople(this.ctx, tx, teamId, fromId, intoId, moveRows);
    }
    resolve(tx, teamId, ids, options) {
        return resolvePerson(this.ctx, tx, teamId, ids, options);
    }
    applyTraits(tx, teamId, personId, traits) {
        return applyTraits(this.ctx, tx, teamId, personId, traits);
    }
    views(tx, teamId, rows) {
        return personViews(this.ctx, tx, teamId, rows);
    }
    list(tx, teamId, q) {
        return listPeople(this.ctx, tx, teamId, q);
    }
    findBy(tx, teamId, kind, raw, field) {
        return findPeopleBy(this.ctx, tx, teamId, kind, raw, field);
    }
    searchByName(tx, teamId, query, limit, cursor) {
        return searchByName(this.ctx, tx, teamId, query, limit, cursor);
    }
}
//# sourceMappingURL=people.service.js.map