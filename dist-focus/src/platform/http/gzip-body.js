import { createGunzip } from 'node:zlib';
import { HavenError } from './errors.js';
/**
 * The body of a request sent gzip-compressed, as a stream Fastify parses in its place (return it
 * from a `preParsing` hook). The route's body limit then counts the *decompressed* bytes, so a
 * gzip bomb stops at the limit; invalid gzip fails with a zlib `Z_…` error (400
 * invalid_compression).
 */
export function gunzipBody(request, payload) {
    const gunzip = createGunzip();
    let received = 0;
    payload.on('data', (chunk) => {
        received += chunk.length;
        gunzip.receivedEncodedLength = received;
    });
    payload.on('error', (e) => gunzip.destroy(e));
    payload.pipe(gunzip);
    delete request.headers['content-length'];
    return gunzip;
}
/**
 * How the request says its body is encoded (`Content-Encoding`): none (absent, empty or
 * `identity`) or gzip (`gzip`, or `x-gzip`, its old name that RFC 9110 §8.4.1.3 says to read as
 * gzip), in any case. Anything else — deflate, br, zstd, or codings stacked in a list — is 415
 * `unsupported_encoding`, with `Accept-Encoding: gzip` saying what is read (RFC 9110 §15.5.16):
 * reading compressed bytes as JSON would only fail later with a misleading `invalid_utf8`.
 */
export function bodyEncoding(request) {
    const header = request.headers['content-encoding'];
    if (header === undefined)
        return 'identity';
    const value = typeof header === 'string' ? header.trim().toLowerCase() : undefined;
    if (value === '' || value === 'identity')
        return 'identity';
    if (value === 'gzip' || value === 'x-gzip')
        return 'gzip';
    throw new HavenError('unsupported_encoding', 415, 'Send the body uncompressed or gzip (Content-Encoding: gzip).', undefined, { 'accept-encoding': 'gzip' });
}
/** The body to parse: inflated when it was sent gzip (see gunzipBody); 415 for other encodings. */
export function decodedBody(request, payload) {
    return bodyEncoding(request) === 'gzip' ? gunzipBody(request, payload) : payload;
}
//# sourceMappingURL=gzip-body.js.map