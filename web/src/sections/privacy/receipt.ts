import { counted, formatTime } from '../../format';

/** What each key of a privacy request's receipt means, in the reader's words. */
const LABELS: Record<string, string> = {
  shreddedAt: 'Keys destroyed',
  shredded: 'Removed at once',
  suppressedIdentities: 'Identities suppressed',
  purgedAt: 'Rows purged',
  purged: 'Purged',
  purgeMs: 'Purge took',
  downloadedAt: 'Downloaded',
  downloadedBy: 'Downloaded by',
  identities: 'Identities',
  newlySuppressed: 'Newly suppressed',
  kinds: 'Kinds of identity',
};

/** What a count counts, singular and plural, in the order they are listed. */
const COUNT_LABELS: Record<string, [string, string]> = {
  subjectKeys: ['subject key', 'subject keys'],
  profile: ['profile', 'profiles'],
  identities: ['identity', 'identities'],
  nameTokens: ['name index entry', 'name index entries'],
  notes: ['note', 'notes'],
  mergedProfiles: ['merged profile', 'merged profiles'],
  events: ['event', 'events'],
};

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/**
 * A receipt (counts, times and actor ids — never personal data) as label/value lines. `names`
 * turns actor ids into members' emails.
 */
export function receiptLines(receipt: Record<string, unknown>, names: ReadonlyMap<string, string> = new Map()): { key: string; label: string; value: string }[] {
  // In the order things happened (the database keeps a receipt's keys in an order of its own).
  const order = Object.keys(LABELS);
  const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
  return Object.entries(receipt)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([key, value]) => ({ key, label: LABELS[key] ?? key, value: receiptValue(key, value, names) }));
}

function receiptValue(key: string, value: unknown, names: ReadonlyMap<string, string>): string {
  if (typeof value === 'string' && ISO_TIME.test(value)) return formatTime(value);
  if (key === 'purgeMs' && typeof value === 'number') return `${value} ms`;
  if (key === 'downloadedBy' && typeof value === 'string') return names.get(value) ?? value;
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (value && typeof value === 'object') {
    const order = Object.keys(COUNT_LABELS);
    const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
    return Object.entries(value)
      .sort(([a], [b]) => rank(a) - rank(b))
      .map(([k, n]) => (typeof n === 'number' && COUNT_LABELS[k] ? counted(n, ...COUNT_LABELS[k]) : `${String(n)} ${k}`))
      .join(' · ');
  }
  return String(value);
}

/** A request's status in a few words. */
export const STATUS_LABELS: Record<string, string> = {
  ready: 'ready to download',
  downloaded: 'downloaded',
  expired: 'expired',
  shredded: 'keys destroyed, purge pending',
  completed: 'completed',
  failed: 'failed',
};

export const KIND_LABELS: Record<string, string> = { export: 'Export', erasure: 'Erasure', objection: 'Objection' };
