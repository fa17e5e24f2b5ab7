import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

/**
 * The body of a request sent gzip-compressed, as a stream Fastify parses in its place (return it
 * from a `preParsing` hook). The route's body limit then counts the *decompressed* bytes, so a
 * gzip bomb stops at the limit; invalid gzip fails with a zlib `Z_…` error (400
 * invalid_compression).
 */
export function gunzipBody(request: { headers: Record<string, unknown> }, payload: Readable): Readable {
  const gunzip = createGunzip();
  let received = 0;
  payload.on('data', (chunk: Buffer) => {
    received += chunk.length;
    (gunzip as unknown as { receivedEncodedLength: number }).receivedEncodedLength = received;
  });
  payload.on('error', (e) => gunzip.destroy(e));
  payload.pipe(gunzip);
  delete request.headers['content-length'];
  return gunzip;
}

/** Whether the request says its body is gzip (`Content-Encoding: gzip`). */
export const sentGzip = (request: { headers: Record<string, unknown> }): boolean =>
  String(request.headers['content-encoding'] ?? '').trim().toLowerCase() === 'gzip';
