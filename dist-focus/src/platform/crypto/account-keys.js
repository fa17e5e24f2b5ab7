import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { open, seal } from './aead.js';
/**
 * Keys for Haven's own accounts, which belong to no team: members' sign-in emails and the
 * sign-in throttle. One random root, wrapped by the master key, from which HKDF derives a sealing
 * key and one look-up key per purpose. The root table is owner-only (the app role has no grant):
 * Haven reads it once at start. Rotating the master key re-wraps it; nothing sealed under it moves.
 */
export const accountKeySchema = {
    id: 'platform/0003_account_key',
    sql: `
    CREATE TABLE account_key_root (
      id int PRIMARY KEY CHECK (id = 1),
      wrapped_key bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
  `,
};
export const accountRootContext = Buffer.from('haven/1|account-key-root');
const MASTER_VERSION = 1;
const contextOf = (where) => Buffer.from(`haven/1|accounts|${where.table}|${where.column}|${where.rowId}`, 'utf8');
const derive = (root, info) => Buffer.from(hkdfSync('sha256', root, Buffer.alloc(0), Buffer.from(`haven accounts v1|${info}`), 32));
export class AccountKeys {
    root;
    sealKey;
    lookupKeys = new Map();
    constructor(root) {
        this.root = root;
        this.sealKey = derive(root, 'seal');
    }
    /** Load the root, creating it on first start (committed before anything is sealed under it). */
    static async load(engine, master) {
        const wrapped = await engine.ownerTransaction(async (tx) => {
            const stored = (await tx.query(`SELECT wrapped_key FROM account_key_root WHERE id = 1`)).rows[0];
            if (stored)
                return stored.wrapped_key;
            // ON CONFLICT: another node starting at the same moment made it; everyone reads the one stored.
            await tx.query(`INSERT INTO account_key_root (id, wrapped_key) VALUES (1, $1) ON CONFLICT (id) DO NOTHING`, [
                seal(master, MASTER_VERSION, randomBytes(32), accountRootContext),
            ]);
            return (await tx.query(`SELECT wrapped_key FROM account_key_root WHERE id = 1`)).rows[0].wrapped_key;
        });
        return new AccountKeys(open(master, Buffer.from(wrapped), accountRootContext));
    }
    /**
     * The keys whose root `tx` sees (an owner transaction), or null when there is none: for restore,
     * whose root comes with the archive inside the restoring transaction.
     */
    static async loadIn(tx, master) {
        const stored = (await tx.query(`SELECT wrapped_key FROM account_key_root WHERE id = 1`)).rows[0];
        return stored ? new AccountKeys(open(master, Buffer.from(stored.wrapped_key), accountRootContext)) : null;
    }
    seal(where, value) {
        return seal(this.sealKey, 1, Buffer.from(value, 'utf8'), contextOf(where));
    }
    open(where, sealed) {
        return open(this.sealKey, sealed, contextOf(where)).toString('utf8');
    }
    /**
     * Full-length HMAC-SHA256 of a normalised value under the purpose's own key: an exact look-up
     * (and a unique constraint) without the value. Not truncated like the people's blind indexes:
     * each value names one account, so a coincidence would be a wrong sign-in, not cover.
     */
    lookup(purpose, value) {
        let key = this.lookupKeys.get(purpose);
        if (!key) {
            key = derive(this.root, `lookup|${purpose}`);
            this.lookupKeys.set(purpose, key);
        }
        return createHmac('sha256', key).update(value, 'utf8').digest();
    }
}
//# sourceMappingURL=account-keys.js.map