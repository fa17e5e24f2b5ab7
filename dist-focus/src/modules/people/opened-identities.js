/** Identity rows remembered at most. */
const OPENED_IDENTITIES_LIMIT = 100_000;
/**
 * Identity values this process has decrypted, by identity row, with the ciphertext they came
 * from. A row's ciphertext is bound to the row (associated data) and never rewritten, so the
 * same bytes under the same row id are the same value: ingest, which meets the same visitors'
 * candidates again and again, skips the key fetch and the decryption. Process memory only,
 * bounded, and one per keyring (`openedIdentitiesOf`), shared by every PeopleService of the
 * process: an erasure or a rectification here forgets its rows at once for all of them. Other
 * nodes never match those rows again (they are gone), and forget the team's entries when they
 * hear of the erasure's shredded keys (keyring.ts); nothing is kept while they might not hear
 * (`keyring.mayRemember`), and everything is forgotten when they may have missed one.
 */
export class OpenedIdentities {
    byRow = new Map();
    valueOf(rowId, sealed) {
        const known = this.byRow.get(rowId);
        return known && known.sealed.equals(sealed) ? known.value : undefined;
    }
    remember(teamId, rowId, sealed, value) {
        if (this.byRow.size >= OPENED_IDENTITIES_LIMIT) {
            let n = OPENED_IDENTITIES_LIMIT / 10;
            for (const id of this.byRow.keys()) {
                if (n-- <= 0)
                    break;
                this.byRow.delete(id);
            }
        }
        this.byRow.set(rowId, { teamId, sealed, value });
    }
    forget(rowId) {
        this.byRow.delete(rowId);
    }
    /** Forget a team's values; null: every team's. */
    forgetTeam(teamId) {
        if (teamId === null)
            this.byRow.clear();
        else
            for (const [rowId, known] of this.byRow)
                if (known.teamId === teamId)
                    this.byRow.delete(rowId);
    }
}
const byKeyring = new WeakMap();
/** The process's cache for this keyring (one keyring per running Haven). */
export function openedIdentitiesOf(keyring) {
    let opened = byKeyring.get(keyring);
    if (!opened) {
        const created = new OpenedIdentities();
        keyring.onTeamForgotten((teamId) => created.forgetTeam(teamId));
        byKeyring.set(keyring, (opened = created));
    }
    return opened;
}
//# sourceMappingURL=opened-identities.js.map