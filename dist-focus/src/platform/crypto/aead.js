import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';
/**
 * AES-256-GCM with a random 96-bit nonce, in a versioned envelope:
 *
 *   byte 0       format (1)
 *   bytes 1–4    version of the key that sealed it (uint32, big-endian)
 *   bytes 5–16   nonce
 *   …            ciphertext
 *   last 16      authentication tag
 *
 * Associated data binds a ciphertext to where it belongs (team, table, column, row), so a value
 * copied anywhere else fails to open.
 */
const FORMAT = 1;
const HEADER = 1 + 4 + 12;
const TAG = 16;
export class DecryptError extends Error {
    constructor(message = 'ciphertext does not open with this key and context') {
        super(message);
        this.name = 'DecryptError';
    }
}
/** Canonical associated data for one stored value. */
export function contextOf(parts) {
    return Buffer.from(`haven/1|${parts.teamId}|${parts.table}|${parts.column}|${parts.rowId}`, 'utf8');
}
/**
 * Nonces come from a pool filled by the CSPRNG 1,024 at a time: one system call instead of one per
 * seal. Each 12-byte slice is handed out once and copied at once (into the cipher and the
 * envelope) before the pool is refilled, so every nonce is still a fresh random 96-bit value.
 */
const NONCE = 12;
const noncePool = Buffer.allocUnsafeSlow(NONCE * 1024);
let nonceAt = noncePool.length;
function nextNonce() {
    if (nonceAt === noncePool.length) {
        randomFillSync(noncePool);
        nonceAt = 0;
    }
    const nonce = noncePool.subarray(nonceAt, nonceAt + NONCE);
    nonceAt += NONCE;
    return nonce;
}
export function seal(key, keyVersion, plaintext, associatedData) {
    if (key.length !== 32)
        throw new TypeError('AES-256-GCM needs a 32-byte key');
    const nonce = nextNonce();
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    const header = Buffer.alloc(5);
    header.writeUInt8(FORMAT, 0);
    header.writeUInt32BE(keyVersion, 1);
    cipher.setAAD(Buffer.concat([header, associatedData]));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([header, nonce, body, cipher.getAuthTag()]);
}
/** The version of the key a sealed value needs, read from its header. */
export function keyVersionOf(sealed) {
    if (sealed.length < HEADER + TAG || sealed.readUInt8(0) !== FORMAT)
        throw new DecryptError('not a Haven ciphertext');
    return sealed.readUInt32BE(1);
}
export function open(key, sealed, associatedData) {
    keyVersionOf(sealed);
    const header = sealed.subarray(0, 5);
    const nonce = sealed.subarray(5, HEADER);
    const body = sealed.subarray(HEADER, sealed.length - TAG);
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(Buffer.concat([header, associatedData]));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
    try {
        return Buffer.concat([decipher.update(body), decipher.final()]);
    }
    catch {
        throw new DecryptError();
    }
}
//# sourceMappingURL=aead.js.map