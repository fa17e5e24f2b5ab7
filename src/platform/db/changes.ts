import { randomUUID } from 'node:crypto';

/**
 * Changes that make what a process remembers out of date (a revoked key, a cancelled team, a
 * shredded subject key), told to every Haven process on the same database. A change is said inside
 * the transaction that makes it (`tx.announce`); it is delivered when that transaction commits:
 * to this process before the transaction's promise settles, to the others through PostgreSQL's
 * LISTEN/NOTIFY. A rolled-back transaction says nothing.
 *
 * A change carries a topic and ids only, never personal data: it travels through the database's
 * notification queue and may be logged by it.
 */
export interface Change {
  /** `<domain>.<what happened>`, e.g. `api_key.revoked`. */
  topic: string;
  teamId: string;
  /** The changed thing's id, when the topic is about one thing of the team. */
  id?: string;
}

/** One listener's view: a change, or `everything` when notices may have been missed. */
export type ChangeNotice = Change | 'everything';

/** Announced when a team's keys and rows are deleted: every process forgets the team. */
export const TEAM_DELETED = 'team.deleted';

/** The NOTIFY channel every Haven process listens on. */
export const CHANGES_CHANNEL = 'haven_changes';

const TOPIC = /^[a-z_]+\.[a-z_]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * `origin topic team [id]`: a fixed shape, so no payload can carry anything but ids. `origin` is
 * the sending feed's random id: a process has already delivered its own changes at commit, so its
 * listener skips their echo.
 */
export function encodeChange(change: Change, origin: string): string {
  if (!UUID.test(origin) || !TOPIC.test(change.topic) || !UUID.test(change.teamId) || (change.id !== undefined && !UUID.test(change.id))) {
    throw new TypeError('a change is a topic and ids');
  }
  const ids = change.id === undefined ? change.teamId : `${change.teamId} ${change.id}`;
  return `${origin} ${change.topic} ${ids}`;
}

export function decodeChange(payload: string): { origin: string; change: Change } | null {
  const [origin, topic, teamId, id, extra] = payload.split(' ');
  if (extra !== undefined || !origin || !UUID.test(origin) || !topic || !TOPIC.test(topic) || !teamId || !UUID.test(teamId)) return null;
  if (id !== undefined && !UUID.test(id)) return null;
  return { origin, change: id === undefined ? { topic, teamId } : { topic, teamId, id } };
}

/**
 * One engine's stream of changes. `live` says whether changes made by other processes reach this
 * one now; a cache keeps nothing while it is false, and forgets everything when it turns (notices
 * may have been missed in between). `start` is called at the first subscription: a process that
 * never caches (a CLI command) never opens a listener.
 */
export class ChangeFeed {
  /** This feed's id in the notices it sends (see `encodeChange`). */
  readonly origin = randomUUID();
  private readonly listeners = new Set<(notice: ChangeNotice) => void>();
  private readonly start: ((feed: ChangeFeed) => void) | undefined;
  private started = false;
  private isLive: boolean;

  constructor(options: { live: boolean; start?: (feed: ChangeFeed) => void }) {
    this.isLive = options.live;
    this.start = options.start;
  }

  get live(): boolean {
    return this.isLive;
  }

  subscribe(listener: (notice: ChangeNotice) => void): () => void {
    this.listeners.add(listener);
    if (!this.started) {
      this.started = true;
      this.start?.(this);
    }
    return () => this.listeners.delete(listener);
  }

  deliver(notice: ChangeNotice): void {
    for (const listener of this.listeners) listener(notice);
  }

  /** Whether other processes' changes arrive; either way, what was remembered is forgotten. */
  setLive(live: boolean): void {
    this.isLive = live;
    this.deliver('everything');
  }
}

/**
 * Entries remembered until a change says otherwise (or `ttlMs` passes), for one engine. Nothing
 * is kept while the feed is not live. A look-up that began before a change was delivered must not
 * store what it read (it may predate the change): take `mark()` before reading, pass it to
 * `remember`, which keeps the value only if no change arrived since.
 */
export class RememberedUntilChanged<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();
  private changes = 0;

  constructor(
    private readonly feed: ChangeFeed,
    private readonly options: { ttlMs: number; max: number; affectedBy: (value: V, key: string, change: Change) => boolean },
  ) {
    feed.subscribe((notice) => this.apply(notice));
  }

  get(key: string): V | undefined {
    if (!this.feed.live) return undefined;
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.until > performance.now()) return hit.value;
    this.entries.delete(key);
    return undefined;
  }

  mark(): number {
    return this.changes;
  }

  remember(key: string, value: V, mark: number): void {
    if (!this.feed.live || mark !== this.changes) return;
    if (this.entries.size >= this.options.max) this.entries.clear();
    this.entries.set(key, { value, until: performance.now() + this.options.ttlMs });
  }

  private apply(notice: ChangeNotice): void {
    this.changes++;
    if (notice === 'everything') {
      this.entries.clear();
      return;
    }
    for (const [key, hit] of this.entries) if (this.options.affectedBy(hit.value, key, notice)) this.entries.delete(key);
  }
}
