import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
export function needlesFor(secret) {
    const out = new Map();
    const add = (encoding, bytes) => {
        if (bytes.length < 6)
            return;
        const k = bytes.toString('hex');
        if (!out.has(k))
            out.set(k, { secret, encoding, bytes });
    };
    const forms = [
        ['plain', secret],
        ['lower', secret.toLowerCase()],
        ['upper', secret.toUpperCase()],
    ];
    for (const [form, s] of forms) {
        const utf8 = Buffer.from(s, 'utf8');
        add(`${form} utf8`, utf8);
        add(`${form} utf16le`, Buffer.from(s, 'utf16le'));
        add(`${form} hex`, Buffer.from(utf8.toString('hex'), 'latin1'));
        add(`${form} HEX`, Buffer.from(utf8.toString('hex').toUpperCase(), 'latin1'));
        for (let skip = 0; skip < 3; skip++) {
            const whole = Math.floor((utf8.length - skip) / 3) * 3;
            const part = utf8.subarray(skip, skip + whole);
            add(`${form} base64+${skip}`, Buffer.from(part.toString('base64'), 'latin1'));
        }
    }
    return [...out.values()];
}
export function scan(haystacks, secrets) {
    const hits = [];
    for (const h of haystacks) {
        for (const n of secrets.flatMap(needlesFor)) {
            const at = h.bytes.indexOf(n.bytes);
            if (at >= 0)
                hits.push(`${n.secret} (${n.encoding}) in ${h.name} at ${at}`);
        }
    }
    return hits;
}
export function readTree(dir) {
    const out = [];
    const walk = (d) => {
        for (const entry of readdirSync(d, { withFileTypes: true })) {
            const path = join(d, entry.name);
            if (entry.isDirectory())
                walk(path);
            else if (entry.isFile())
                out.push({ name: relative(dir, path), bytes: readFileSync(path) });
        }
    };
    walk(dir);
    return out;
}
export function newestPgBin() {
    const root = '/usr/lib/postgresql';
    const versions = readdirSync(root).filter((v) => /^\d+(\.\d+)?$/.test(v) && existsSync(join(root, v, 'bin', 'pg_dump')));
    versions.sort((x, y) => Number(y) - Number(x));
    if (!versions[0])
        throw new Error(`no pg_dump under ${root}`);
    return join(root, versions[0], 'bin');
}
//# sourceMappingURL=raw-scan.js.map