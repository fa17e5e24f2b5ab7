import { randomUUID } from 'node:crypto';
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
export function encodeChange(change, origin) {
    if (!UUID.test(origin) || !TOPIC.test(change.topic) || !UUID.test(change.teamId) || (change.id !== undefined && !UUID.test(change.id))) {
        throw new TypeError('a change is a topic and ids');
    }
    const ids = change.id === undefined ? change.teamId : `${change.teamId} ${change.id}`;
    return `${origin} ${change.topic} ${ids}`;
}
export function decodeChange(payload) {
    const [origin, topic, teamId, id, extra] = payload.split(' ');
    if (extra !== undefined || !origin || !UUID.test(origin) || !topic || !TOPIC.test(topic) || !teamId || !UUID.test(teamId))
        return null;
    if (id !== undefined && !UUID.test(id))
        return null;
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
    origin = randomUUID();
    listeners = new Set();
    start;
    started = false;
    isLive;
    constructor(options) {
        this.isLive = options.live;
        this.start = options.start;
    }
    get live() {
        return this.isLive;
    }
    subscribe(listener) {
        this.listeners.add(listener);
        if (!this.started) {
            this.started = true;
            this.start?.(this);
        }
        return () => this.listeners.delete(listener);
    }
    deliver(notice) {
        for (const listener of this.listeners)
            listener(notice);
    }
    /** Whether other processes' changes arrive; either way, what was remembered is forgotten. */
    setLive(live) {
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
export class RememberedUntilChanged {
    feed;
    options;
    entries = new Map();
    changes = 0;
    constructor(feed, options) {
        this.feed = feed;
        this.options = options;
        feed.subscribe((notice) => this.apply(notice));
    }
    get(key) {
        if (!this.feed.live)
            return undefined;
        const hit = this.entries.get(key);
        if (!hit)
            return undefined;
        if (hit.until > performance.now())
            return hit.value;
        this.entries.delete(key);
        return undefined;
    }
    mark() {
        return this.changes;
    }
    remember(key, value, mark) {
        if (!this.feed.live || mark !== this.changes)
            return;
        if (this.entries.size >= this.options.max)
            this.entries.clear();
        this.entries.set(key, { value, until: performance.now() + this.options.ttlMs });
    }
    apply(notice) {
        this.changes++;
        if (notice === 'everything') {
            this.entries.clear();
            return;
        }
        for (const [key, hit] of this.entries)
            if (this.options.affectedBy(hit.value, key, notice))
                this.entries.delete(key);
    }
}
//# sourceMappingURL=changes.js.map