import { createHash, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Parser } from 'tar';
import { masterKeyOpensCheck } from '../crypto/keyring.js';
import { MasterKeyError } from '../crypto/master-key/provider.js';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, ArchiveError, MANIFEST_MAC_MEMBER, MANIFEST_MEMBER, manifestMac, tableMember, } from './archive-format.js';
const NEWLINE = 0x0a;
const MAX_MANIFEST = 16 * 1024 * 1024;
/**
 * Read the archive's members in order, one at a time, each as a stream handed to `onMember`
 * (backpressure holds memory flat: tar's parser waits while a member is being consumed). A
 * truncated or corrupt gzip stream, or anything that is not a tar, becomes an ArchiveError.
 */
export async function readArchive(file, onMember, onBytes) {
    const size = (await stat(file)).size;
    const source = createReadStream(file);
    const parser = new Parser({ strict: true });
    let read = 0;
    source.on('data', (chunk) => {
        read += chunk.length;
        onBytes?.(read, size);
    });
    let failure = null;
    let chain = Promise.resolve();
    // Members handed out and not yet finished: a broken stream must end them, or their readers wait forever.
    const live = new Set();
    parser.on('entry', (entry) => {
        live.add(entry);
        chain = chain.then(async () => {
            try {
                if (failure)
                    return void entry.resume();
                await onMember(entry);
            }
            catch (error) {
                failure ??= error;
                entry.resume();
                source.destroy(error);
            }
            finally {
                live.delete(entry);
            }
        });
    });
    const ended = new Promise((resolve, reject) => {
        parser.on('end', resolve);
        parser.on('error', reject);
        parser.on('abort', reject);
        source.on('error', reject);
    });
    source.pipe(parser);
    try {
        await ended;
    }
    catch (error) {
        source.destroy();
        for (const entry of live)
            entry.destroy(error);
        await chain;
        // A reader's own failure (a checksum, the database) is reported as it is; broken bytes as ArchiveError.
        if (failure && !(failure === error && isStreamError(error)))
            throw failure;
        throw new ArchiveError(`The archive is truncated or corrupt (${describe(error)}). Nothing was changed.`);
    }
    await chain;
    if (failure)
        throw failure;
}
/** Errors of the bytes themselves (gzip, tar), as opposed to a member reader's own failure. */
function isStreamError(error) {
    const code = error.code;
    return typeof code === 'string' && (code.startsWith('Z_') || code.startsWith('TAR_'));
}
function describe(error) {
    const e = error;
    if (e.code === 'Z_BUF_ERROR')
        return 'it ends early';
    if (e.code === 'Z_DATA_ERROR')
        return 'its compressed data does not check';
    if (e.code === 'TAR_BAD_ARCHIVE')
        return 'not a gzip-compressed tar archive';
    return e.message ?? String(error);
}
/** A member's SHA-256, byte count and line count, read as it streams. */
export class MemberDigest {
    hash = createHash('sha256');
    bytes = 0;
    lines = 0;
    update(chunk) {
        this.hash.update(chunk);
        this.bytes += chunk.length;
        for (let i = chunk.indexOf(NEWLINE); i !== -1; i = chunk.indexOf(NEWLINE, i + 1))
            this.lines++;
    }
    digest() {
        return this.hash.digest('hex');
    }
}
/**
 * Check the WHOLE archive before any data is touched: it decompresses to the end (not truncated,
 * gzip CRC good), holds a manifest of this format, every table member it lists with the same
 * size, row count and SHA-256 and nothing else, only migrations this Haven knows, a keyring the
 * given master key opens, and a manifest signed under that key. Throws ArchiveError (or
 * MasterKeyError for the key); returns the manifest.
 */
export async function verifyArchive(file, options) {
    const seen = new Map();
    // Kept whole while the archive streams by: the manifest, its signature, the master-key check.
    const kept = {};
    await readArchive(file, async (entry) => {
        if (entry.type !== 'File')
            throw new ArchiveError(`The archive holds an unexpected ${entry.type} entry (${entry.path}); it is not a Haven backup.`);
        const again = (entry.path === MANIFEST_MEMBER && kept.manifest) || (entry.path === MANIFEST_MAC_MEMBER && kept.mac !== undefined);
        if (seen.has(entry.path) || again)
            throw new ArchiveError(`The archive holds ${entry.path} twice.`);
        const digest = new MemberDigest();
        const keep = [];
        const keepIt = entry.path === MANIFEST_MEMBER || entry.path === MANIFEST_MAC_MEMBER || entry.path === tableMember('keyring_master_check');
        for await (const chunk of entry) {
            digest.update(chunk);
            if (keepIt) {
                if (digest.bytes > MAX_MANIFEST)
                    throw new ArchiveError(`${entry.path} is too large for a Haven backup.`);
                keep.push(chunk);
            }
        }
        if (entry.path === MANIFEST_MEMBER)
            kept.manifest = Buffer.concat(keep);
        else if (entry.path === MANIFEST_MAC_MEMBER)
            kept.mac = Buffer.concat(keep).toString('utf8').trim();
        else
            seen.set(entry.path, { sha256: digest.digest(), bytes: digest.bytes, rows: digest.lines });
        if (entry.path === tableMember('keyring_master_check'))
            kept.masterCheck = Buffer.concat(keep).toString('utf8');
    }, options.onProgress);
    if (!kept.manifest)
        throw new ArchiveError('The archive has no manifest: it is incomplete or not a Haven backup. Nothing was changed.');
    const manifest = parseManifest(kept.manifest.toString('utf8'));
    const listed = new Set();
    for (const t of manifest.tables) {
        const got = seen.get(t.member);
        if (!got)
            throw new ArchiveError(`The archive is missing ${t.member}, listed in its manifest. Nothing was changed.`);
        if (got.sha256 !== t.sha256 || got.bytes !== t.bytes || got.rows !== t.rows) {
            throw new ArchiveError(`${t.member} does not match its checksum in the manifest: the archive is corrupt. Nothing was changed.`);
        }
        listed.add(t.member);
    }
    for (const member of seen.keys()) {
        if (!listed.has(member))
            throw new ArchiveError(`The archive holds ${member}, which its manifest does not list. Nothing was changed.`);
    }
    const known = new Set(options.knownMigrations);
    const unknown = manifest.migrations.filter((id) => !known.has(id));
    if (unknown.length > 0) {
        throw new ArchiveError(`The archive was made by a newer Haven (unknown migrations: ${unknown.join(', ')}); restore it with that version or later.`);
    }
    checkMasterKey(manifest, kept.masterCheck ?? null, options.master);
    checkSignature(kept.manifest, kept.mac ?? null, options);
    return manifest;
}
function parseManifest(text) {
    let m;
    try {
        m = JSON.parse(text);
    }
    catch {
        throw new ArchiveError('The archive manifest is not JSON: the archive is corrupt. Nothing was changed.');
    }
    if (m?.format !== ARCHIVE_FORMAT)
        throw new ArchiveError('This is not a Haven backup (no haven-backup manifest).');
    if (m.version !== ARCHIVE_VERSION)
        throw new ArchiveError(`Haven backup format version ${String(m.version)} is not one this Haven reads (${ARCHIVE_VERSION}).`);
    const tableOk = (t) => {
        const x = t;
        return (typeof x?.name === 'string' &&
            /^[a-z_][a-z0-9_]*$/.test(x.name) &&
            x.member === tableMember(x.name) &&
            Number.isInteger(x.rows) &&
            Number.isInteger(x.bytes) &&
            typeof x.sha256 === 'string');
    };
    if (!Array.isArray(m.migrations) || !m.migrations.every((id) => typeof id === 'string') || !Array.isArray(m.tables) || !m.tables.every(tableOk)) {
        throw new ArchiveError('The archive manifest is malformed. Nothing was changed.');
    }
    // Listed twice, one member would pass both checks and its table be counted (and loaded) twice.
    const names = new Set();
    for (const t of m.tables) {
        if (names.has(t.name))
            throw new ArchiveError(`The archive manifest lists ${t.member} twice: it is corrupt. Nothing was changed.`);
        names.add(t.name);
    }
    return m;
}
/**
 * The manifest must be signed under the master key: checksums alone prove only that the archive is
 * whole, not that nobody without the key rewrote a row (a role, a password hash) and the sums.
 */
function checkSignature(manifest, mac, options) {
    if (mac === null) {
        if (options.acceptUnsigned)
            return;
        throw new ArchiveError('The archive is not signed (made by a Haven from before backups were signed), so changes to it cannot be ruled out. ' +
            'If you trust where it was kept, restore it with --accept-unsigned. Nothing was changed.');
    }
    const expected = Buffer.from(manifestMac(options.master, manifest), 'hex');
    const got = /^[0-9a-f]{64}$/.test(mac) ? Buffer.from(mac, 'hex') : Buffer.alloc(0);
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
        throw new ArchiveError("The archive's signature does not match its manifest: it was changed after it was written. Nothing was changed.");
    }
}
/** The archive's master-key check (the database's own, as stored) must open with the key restore will use. */
function checkMasterKey(manifest, checkRows, master) {
    const teamKeys = manifest.tables.find((t) => t.name === 'team_keys')?.rows ?? 0;
    const row = checkRows?.split('\n').find((l) => l.trim() !== '');
    if (!row) {
        if (teamKeys > 0)
            throw new ArchiveError('The archive has team keys but no master-key check, so the key cannot be confirmed. Nothing was changed.');
        return;
    }
    let sealed;
    try {
        const hex = JSON.parse(row).sealed;
        if (!/^\\x[0-9a-f]*$/i.test(hex))
            throw new Error('not hex');
        sealed = Buffer.from(hex.slice(2), 'hex');
    }
    catch {
        throw new ArchiveError("The archive's master-key check is malformed. Nothing was changed.");
    }
    if (!masterKeyOpensCheck(master, sealed)) {
        throw new MasterKeyError('The master key in use (HAVEN_MASTER_KEY or the data directory\'s master.key) is not the key this backup was made under, so none of its data would open. Nothing was changed. Restore with the original key.');
    }
}
//# sourceMappingURL=read-archive.js.map