import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
/** A maker of fresh temporary directories (`haven-<tag>-…`), all removed after the test file. */
export function tempDirs() {
    const dirs = [];
    after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
    return (tag) => {
        const d = mkdtempSync(join(tmpdir(), `haven-${tag}-`));
        dirs.push(d);
        return d;
    };
}
//# sourceMappingURL=temp-dirs.js.map