import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
/**
 * Files whose loss after a crash would cost data: written (or renamed) and synced before the
 * caller goes on — the data, then the directory entry — so nothing that depends on them is
 * committed while they may still sit only in the operating system's cache.
 */
export async function writeFileDurably(path, data, options) {
    const handle = await open(path, options.flag ?? 'w', options.mode);
    try {
        await handle.writeFile(data);
        await handle.sync();
    }
    finally {
        await handle.close();
    }
    await syncDirectory(dirname(path));
}
/** Rename `from` to `to` and sync the directory, so the new name survives a crash. */
export async function renameDurably(from, to) {
    await rename(from, to);
    await syncDirectory(dirname(to));
}
export async function syncDirectory(dir) {
    const handle = await open(dir, 'r');
    try {
        await handle.sync();
    }
    catch {
        // Some filesystems refuse fsync on a directory; the file itself was synced.
    }
    finally {
        await handle.close();
    }
}
//# sourceMappingURL=durable-file.js.map