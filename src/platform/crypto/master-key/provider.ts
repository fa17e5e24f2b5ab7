/**
 * Where the master key comes from. It wraps every team key and is never stored in the database.
 * Providers: the environment (`HAVEN_MASTER_KEY`), a 0600 key file beside the data, and later a
 * KMS, which implements this same interface.
 */
export interface MasterKeyProvider {
  /** For messages: where the key was read from (never the key). */
  readonly source: string;
  /** The 32-byte key. */
  load(): Promise<Buffer>;
}

export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyError';
  }
}

export function decodeMasterKey(text: string, source: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) {
    throw new MasterKeyError(`${source} must hold 32 bytes, base64-encoded (e.g. \`openssl rand -base64 32\`).`);
  }
  return key;
}
