import { HavenError } from '../../platform/http/errors.js';
import { parseStrictJson } from '../../platform/http/json-body.js';
import { INGEST_JSON } from './tracking.routes.js';
/**
 * The form body older posthog-js versions post before they know what the server supports:
 * `data=<base64 of the JSON>` (or the JSON itself), as application/x-www-form-urlencoded. LZ64
 * (`compression=lz64`) is refused: Haven never offers it (/decide says gzip-js), and an
 * LZ-string decompressor has no output bound, so a small body could expand without limit.
 */
export function parsePostHogForm(body, queryCompression) {
    const form = new URLSearchParams(body);
    const compression = form.get('compression') ?? queryCompression;
    if (compression === 'lz64')
        throw lz64Refused();
    const data = form.get('data');
    if (data === null || data.trim() === '')
        throw new HavenError('missing_field', 400, 'The form body has no data field.', 'data');
    const text = data.trimStart();
    if (text.startsWith('{') || text.startsWith('['))
        return parseStrictJson(Buffer.from(text, 'utf8'), INGEST_JSON);
    if (!/^[A-Za-z0-9+/=_-]+$/.test(text.trim()))
        throw new HavenError('malformed_json', 400, 'The data field is neither JSON nor base64.', 'data');
    return parseStrictJson(Buffer.from(text.trim(), 'base64'), INGEST_JSON);
}
export const lz64Refused = () => new HavenError('unsupported_compression', 415, 'lz64 is not accepted; send JSON, optionally gzip (gzip-js).');
//# sourceMappingURL=posthog-form-body.js.map