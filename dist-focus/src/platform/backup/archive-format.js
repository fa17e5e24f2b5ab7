import { createHmac, hkdfSync } from 'node:crypto';
/**
 * A Haven backup is a gzip'd tar (docs/decisions/0012-backup-and-erasure-ledger.md):
 *
 *   tables/<table>.jsonl   one row per line, as `row_to_json` prints it (bytea as \x-hex, times
 *                          with microseconds): the rows exactly as stored — personal data is
 *                          already ciphertext, keys are already wrapped; no master key anywhere
 *   manifest.json          written last: format, Haven migration ids, and per table its member,
 *                          row count, byte count and SHA-256
 *   manifest.hmac          HMAC-SHA256 of manifest.json's bytes under a key derived from the
 *                          master key: whoever can write to backup storage but has no master key
 *                          cannot change a row (a role, a password hash) and fix up the checksums
 */
export const ARCHIVE_FORMAT = 'haven-backup';
export const ARCHIVE_VERSION = 1;
export const MANIFEST_MEMBER = 'manifest.json';
export const MANIFEST_MAC_MEMBER = 'manifest.hmac';
export const tableMember = (table) => `tables/${table}.jsonl`;
/** The manifest's signature (hex): HMAC-SHA256 under HKDF(master key, "haven backup manifest v1"). */
export function manifestMac(master, manifest) {
    const key = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'haven backup manifest v1', 32));
    return createHmac('sha256', key).update(manifest).digest('hex');
}
/** The archive cannot be used: corrupt, truncated, incomplete or not a Haven backup. Nothing was changed. */
export class ArchiveError extends Error {
    name = 'ArchiveError';
}
/** The backup or restore cannot go ahead as asked (a non-empty target, a role that cannot read all teams…). */
export class BackupRefusedError extends Error {
    name = 'BackupRefusedError';
}
//# sourceMappingURL=archive-format.js.map