export class MasterKeyError extends Error {
    constructor(message) {
        super(message);
        this.name = 'MasterKeyError';
    }
}
/** The provider has no key, and was not asked to make one. */
export class MissingMasterKeyError extends MasterKeyError {
    constructor(message) {
        super(message);
        this.name = 'MissingMasterKeyError';
    }
}
/**
 * Strict: Buffer.from(…, 'base64') skips characters it does not know and stops at the first '=',
 * so a pasted key with a stray character, a quote or a second key appended would decode to some
 * other 32 bytes, and Haven would report the wrong key instead of the mangled one. Only the
 * canonical 44-character form (padding optional) of 32 bytes is taken; surrounding whitespace (the
 * key file's newline) is allowed. The message never quotes the value.
 */
export function decodeMasterKey(text, source) {
    const wanted = `${source} must hold 32 bytes, base64-encoded (44 characters, e.g. from \`openssl rand -base64 32\`)`;
    const trimmed = text.trim();
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(trimmed)) {
        throw new MasterKeyError(`${wanted}: it holds characters that are not base64 (whitespace, quotes or other stray characters?).`);
    }
    const key = Buffer.from(trimmed, 'base64');
    if (key.length !== 32)
        throw new MasterKeyError(`${wanted}: it decodes to ${key.length} bytes.`);
    // The last character carries 2 unused bits; a key that only decodes is not necessarily the one written.
    if (key.toString('base64') !== trimmed.padEnd(44, '='))
        throw new MasterKeyError(`${wanted}: it is not a canonical base64 encoding.`);
    return key;
}
//# sourceMappingURL=provider.js.map