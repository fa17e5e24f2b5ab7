/**
 * Invitation links carry the token in the fragment (`/#invitation=hvi_…`), which never reaches a
 * server. The app takes it out of the address bar at once (so it stays in no history entry) and
 * keeps it in memory until it is used.
 */
let pending: string | null = null;

export const INVITATION_PATH = '/invitation';

/** Called once before the first render: moves a token from the fragment into memory. */
export function takeInvitationFromAddress(): void {
  const token = tokenFromText(window.location.hash);
  if (!token) return;
  pending = token;
  window.history.replaceState(null, '', INVITATION_PATH);
}

export function pendingInvitation(): string | null {
  return pending;
}

export function forgetInvitation(): void {
  pending = null;
}

/** The token in a pasted link or a pasted token. */
export function tokenFromText(text: string): string | null {
  return /(?:^|[#&\s]|invitation=)(hvi_[A-Za-z0-9_-]+)/.exec(text.trim())?.[1] ?? null;
}

export function invitationLink(token: string): string {
  return `${window.location.origin}/#invitation=${token}`;
}
