/**
 * A write key created in this tab, kept in memory only: the server shows a key once, and the
 * snippet tab needs it to fill in the tag. A reload forgets it (create another; keys are cheap).
 * It is kept for the user and team it was made for: after a team switch, or another user signing
 * in on the same tab, the snippet must not carry it — a site pasting that tag would send its
 * visitors to the other team.
 */
let latest: { scope: string; token: string } | null = null;

export interface WriteKeyScope {
  userId: string;
  teamId: string | null;
}

const scopeOf = (s: WriteKeyScope) => `${s.userId}|${s.teamId ?? ''}`;

export function rememberWriteKey(scope: WriteKeyScope, token: string): void {
  latest = { scope: scopeOf(scope), token };
}

export function rememberedWriteKey(scope: WriteKeyScope): string | null {
  return latest && latest.scope === scopeOf(scope) ? latest.token : null;
}

/** On sign-out. */
export function forgetWriteKey(): void {
  latest = null;
}
