/**
 * Where the master key comes from. It wraps every team key and is never stored in the database.
 * Providers: the environment (`HAVEN_MASTER_KEY`), a 0600 key file beside the data, and later a
 * KMS, which implements this same interface.
 */
export interface MasterKeyProvider {
  /** For messages: where the key was read from (never the key). */
  readonly source: string;
  /**
   * The 32-byte key. `create` lets a provider that can make one (the key file) do so when there is
   * none; only a database that holds nothing sealed under a master key may ask for that.
   */
  load(options?: { create?: boolean }): Promise<Buffer>;
}

export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyError';
  }
}

/** The provider has no key, and was not asked to make one. */
export class MissingMasterKeyError extends MasterKeyError {
  constructor(message: string) {
    super(message);
    this.name = 'MissingMasterKeyError';
  }
}

export function decodeMasterKey(text: string, source: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) {
    throw new MasterKeyError(`${source} must hold 32 bytes, base64-encoded (e.g. \`openssl rand -base64 32\`).`);
  }
  return key;
}
