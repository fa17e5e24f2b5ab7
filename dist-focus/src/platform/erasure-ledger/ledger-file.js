import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { canonicalJson } from '../audit/canonical-json.js';
import { normaliseEntry } from './entry.js';
import { syncDirectory } from '../durable-file.js';
/**
 * The ledger file: JSON lines, append-only. Each line is the canonical JSON of an entry plus
 * `prev`, the SHA-256 of the previous line's bytes (64 zeros for the first), so an edited or
 * removed line breaks the next one's `prev`. A line is complete once its newline is written; a
 * crash mid-append leaves a torn last line, which readers skip and the next append cuts off — an
 * append that did not finish was never acknowledged, so no erasure that happened is lost.
 */
const GENESIS = '0'.repeat(64);
const NEWLINE = 0x0a;
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
/**
 * Read every complete line in order, checking the chain as it goes. Yields entries even from
 * lines that do not chain (a replayed erasure is never harmful), flagged as damaged. A missing
 * file is an empty ledger.
 */
export async function* readLedgerFile(path, readout = { lines: 0, tornTail: false }) {
    let pending = Buffer.alloc(0);
    let prev = GENESIS;
    let line = 0;
    const stream = createReadStream(path);
    try {
        for await (const chunk of stream) {
            pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
            let nl;
            while ((nl = pending.indexOf(NEWLINE)) !== -1) {
                const raw = pending.subarray(0, nl);
                pending = pending.subarray(nl + 1);
                line++;
                yield parseLine(raw, line, prev);
                prev = sha256(raw);
            }
        }
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return;
        throw error;
    }
    readout.lines = line;
    readout.tornTail = pending.length > 0;
}
function parseLine(raw, line, expectedPrev) {
    let parsed;
    try {
        parsed = JSON.parse(raw.toString('utf8'));
    }
    catch {
        return { line, entry: null, damage: 'not JSON' };
    }
    const { prev, ...rest } = parsed ?? {};
    let entry;
    try {
        entry = normaliseEntry(rest);
    }
    catch (error) {
        return { line, entry: null, damage: error.message };
    }
    if (prev !== expectedPrev)
        return { line, entry, damage: `does not chain to line ${line - 1} (edited, inserted or removed lines)` };
    if (canonicalJson({ ...entry, prev }) !== raw.toString('utf8'))
        return { line, entry, damage: 'not in canonical form (edited)' };
    return { line, entry, damage: null };
}
/** Appends from this process, one at a time per file (the lock file orders other processes). */
const queues = new Map();
/** Append entries durably, in order: written with their newlines, one fsync (and the directory's, on creation). */
export async function appendToLedgerFile(path, entries) {
    if (entries.length === 0)
        return;
    const previous = queues.get(path) ?? Promise.resolve();
    const mine = previous.catch(() => { }).then(() => withLock(`${path}.lock`, () => appendNow(path, entries)));
    queues.set(path, mine);
    try {
        await mine;
    }
    finally {
        if (queues.get(path) === mine)
            queues.delete(path);
    }
}
async function appendNow(path, entries) {
    const existed = await stat(path).then(() => true, () => false);
    const file = await open(path, 'a+', 0o600);
    try {
        const size = (await file.stat()).size;
        const { last, keep } = await lastCompleteLine(file, size);
        // A torn line from a crash mid-append goes; everything before it stays.
        if (keep < size)
            await file.truncate(keep);
        let prev = last ? sha256(last) : GENESIS;
        const lines = [];
        for (const entry of entries) {
            const text = canonicalJson({ ...entry, prev });
            lines.push(`${text}\n`);
            prev = sha256(Buffer.from(text));
        }
        await file.write(lines.join(''));
        await file.sync();
    }
    finally {
        await file.close();
    }
    if (!existed)
        await syncDirectory(dirname(path));
}
/** The last newline-terminated line (without its newline) and the length up to its end. */
async function lastCompleteLine(file, size) {
    for (let window = 64 * 1024;; window *= 4) {
        const start = Math.max(0, size - window);
        const buf = Buffer.alloc(size - start);
        if (buf.length > 0)
            await file.read(buf, 0, buf.length, start);
        const end = buf.lastIndexOf(NEWLINE);
        if (end === -1) {
            if (start === 0)
                return { last: null, keep: 0 };
            continue;
        }
        const before = end === 0 ? -1 : buf.lastIndexOf(NEWLINE, end - 1);
        if (before === -1 && start > 0)
            continue;
        return { last: buf.subarray(before + 1, end), keep: start + end + 1 };
    }
}
/**
 * A lock file (O_EXCL) so two processes sharing the ledger (several app nodes on shared storage)
 * never interleave appends and fork the chain. An append takes milliseconds: a lock older than
 * STALE_MS was left by a process that died holding it, and is taken over.
 */
const STALE_MS = 10_000;
const WAIT_MS = 30_000;
async function withLock(lockPath, fn) {
    await mkdir(dirname(lockPath), { recursive: true, mode: 0o700 });
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
        try {
            const handle = await open(lockPath, 'wx', 0o600);
            await handle.writeFile(String(process.pid));
            await handle.close();
            break;
        }
        catch (error) {
            if (error.code !== 'EEXIST')
                throw error;
        }
        const age = await stat(lockPath).then((s) => Date.now() - s.mtimeMs, () => 0);
        if (age > STALE_MS) {
            await rm(lockPath, { force: true });
            continue;
        }
        if (Date.now() > deadline)
            throw new Error(`the erasure ledger is locked by another process (${lockPath})`);
        await new Promise((resolve) => setTimeout(resolve, 5));
    }
    try {
        return await fn();
    }
    finally {
        await rm(lockPath, { force: true });
    }
}
//# sourceMappingURL=ledger-file.js.map