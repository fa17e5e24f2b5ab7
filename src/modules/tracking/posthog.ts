import type { IncomingEvent } from './event.js';

/** A PostHog capture event as posthog-js / posthog-node send it. */
export interface PostHogEvent {
  event?: unknown;
  distinct_id?: unknown;
  properties?: Record<string, unknown>;
  timestamp?: unknown;
  uuid?: unknown;
  $set?: Record<string, unknown>;
  $set_once?: Record<string, unknown>;
}

const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' ? String(v) : undefined);
const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/** Properties PostHog uses for routing and identity, not data about the event; `$ip` is never kept. */
const CONTROL = ['token', 'distinct_id', '$set', '$set_once', '$anon_distinct_id', '$ip', 'alias'];

/**
 * Map PostHog's event model onto Haven's: `$identify` (distinct_id + $anon_distinct_id) is an
 * identify that merges, `$create_alias` an alias, `$pageview` a page view with `$current_url`,
 * `$set` / `$set_once` (on any event) traits; everything else a tracked event under its name.
 */
export function fromPostHog(e: PostHogEvent): IncomingEvent {
  const props = obj(e.properties) ?? {};
  const distinct = str(e.distinct_id) ?? str(props.distinct_id);
  const traits = obj(e.$set) ?? obj(props.$set);
  const traitsOnce = obj(e.$set_once) ?? obj(props.$set_once);
  const properties: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) if (!CONTROL.includes(k)) properties[k] = v;
  const common = { messageId: str(e.uuid), timestamp: str(e.timestamp), traits, traitsOnce };
  const name = str(e.event);
  switch (name) {
    case '$identify':
      return { ...common, type: 'identify', userId: distinct, anonymousId: str(props.$anon_distinct_id), properties };
    case '$create_alias':
      return { ...common, type: 'alias', userId: distinct, anonymousId: str(props.alias), properties };
    case '$pageview': {
      // posthog-js sends document.title as `title`; some clients send `$title`.
      const title = props.$title ?? props.title;
      return {
        ...common,
        type: 'page',
        distinctId: distinct,
        name: str(title),
        properties: { ...properties, url: props.$current_url, referrer: props.$referrer, title },
      };
    }
    default:
      return { ...common, type: 'track', distinctId: distinct, name: name ?? '', properties };
  }
}
