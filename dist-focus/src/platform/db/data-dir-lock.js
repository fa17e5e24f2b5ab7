import { randomUUID } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
export class DataDirInUseError extends Error {
    constructor(dir, pid) {
        super(`The data directory ${dir} is in use by another Haven process (pid ${pid}). Stop it first: the embedded database has one user at a time.`);
        this.name = 'DataDirInUseError';
    }
}
/**
 * The embedded database is one process's: a second process on the same files would corrupt them.
 * `haven.lock` holds the owner's pid. It is written whole under a name of this process's own and
 * then hard-linked into place, which fails if the lock exists — so nobody ever reads a lock that
 * is created but still empty. A lock whose process is gone is moved aside by rename (of several
 * processes that judge it stale, one rename wins) and checked to be the one judged before it is
 * dropped; then the link is tried again. Returns the release.
 */
export function lockDataDir(dir) {
    const path = join(dir, 'haven.lock');
    const mine = `${path}.${process.pid}.${randomUUID()}`;
    writeFileSync(mine, String(process.pid), { mode: 0o600 });
    try {
        for (let attempt = 0;; attempt++) {
            try {
                linkSync(mine, path);
                return () => rmSync(path, { force: true });
            }
            catch (error) {
                if (error.code !== 'EEXIST')
                    throw error;
            }
            const holder = holderOf(path);
            if (holder === undefined)
                continue; // released in between
            if (holder !== process.pid && isAlive(holder))
                throw new DataDirInUseError(dir, holder);
            if (attempt >= 5)
                throw new DataDirInUseError(dir, holder); // others keep taking it over: let them
            const aside = `${mine}.stale`;
            try {
                renameSync(path, aside);
            }
            catch (error) {
                if (error.code === 'ENOENT')
                    continue; // another process moved it first
                throw error;
            }
            const moved = holderOf(aside);
            if (moved !== holder && moved !== undefined && moved !== process.pid && isAlive(moved)) {
                // Someone took the lock between the read and the rename: it is theirs; give it back.
                try {
                    linkSync(aside, path);
                }
                finally {
                    rmSync(aside, { force: true });
                }
                throw new DataDirInUseError(dir, moved);
            }
            rmSync(aside, { force: true });
        }
    }
    finally {
        rmSync(mine, { force: true });
    }
}
/** The pid a lock file names; 0 for a file that names none (an older build's crash), undefined when it is gone. */
function holderOf(path) {
    let text;
    try {
        text = readFileSync(path, 'utf8');
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return undefined;
        throw error;
    }
    const pid = Number(text.trim());
    return Number.isInteger(pid) && pid > 0 ? pid : 0;
}
function isAlive(pid) {
    if (pid === 0)
        return false;
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (error) {
        return error.code === 'EPERM';
    }
}
//# sourceMappingURL=data-dir-lock.js.map