/**
 * A write key created in this tab, kept in memory only: the server shows a key once, and the
 * snippet tab needs it to fill in the tag. A reload forgets it (create another; keys are cheap).
 */
let latest: string | null = null;

export function rememberWriteKey(token: string): void {
  latest = token;
}

export function rememberedWriteKey(): string | null {
  return latest;
}
