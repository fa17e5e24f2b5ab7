import { holdsReservedKey } from '../../platform/http/json-body.js';
import { cutText } from '../../platform/text.js';
import { EVENT_LIMITS, type IncomingEvent, type Refusal, isPlainObject, refusedEvent, reservedKeyRefusal, withoutNulls } from './event.js';

/** A PostHog capture event as posthog-js / posthog-node send it (any JSON, checked here and by checkEvent). */
export interface PostHogEvent {
  event?: unknown;
  distinct_id?: unknown;
  properties?: unknown;
  timestamp?: unknown;
  /** posthog-js's batched events: milliseconds between the event and the batch's sending, instead of a timestamp. */
  offset?: unknown;
  uuid?: unknown;
  $set?: unknown;
  $set_once?: unknown;
}

/** Text, or a number as PostHog reads one (distinct ids and uuids may be sent as numbers). */
const idText = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined);

/** Properties PostHog uses for routing and identity, not data about the event; `$ip` is never kept. */
const CONTROL = ['token', 'distinct_id', '$set', '$set_once', '$anon_distinct_id', '$ip', 'alias', '$ignore_sent_at'];

/** posthog-node's `disable_skew_correction`: the event's timestamp is to be taken as sent. */
export function ignoresSentAt(raw: unknown): boolean {
  return isPlainObject(raw) && isPlainObject(raw.properties) && raw.properties.$ignore_sent_at === true;
}

/**
 * What PostHog's own fields hold that cannot be read as sent, under the names PostHog uses: an
 * event that is not an object, an event name that is not text, properties or `$set` /
 * `$set_once` that are not objects, ids of the wrong type. Such an event is refused on its own,
 * not dropped in part and stored.
 */
function wrongField(e: PostHogEvent): Refusal | undefined {
  if (e.event !== undefined && typeof e.event !== 'string') return { code: 'invalid_type', message: 'event must be text.', field: 'event' };
  if (e.properties !== undefined && !isPlainObject(e.properties)) return { code: 'invalid_type', message: 'properties must be an object.', field: 'properties' };
  const props = (e.properties ?? {}) as Record<string, unknown>;
  for (const [field, value] of [
    ['$set', e.$set],
    ['$set_once', e.$set_once],
    ['properties.$set', props.$set],
    ['properties.$set_once', props.$set_once],
  ] as const) {
    if (value != null && !isPlainObject(value)) return { code: 'invalid_type', message: `${field} must be an object.`, field };
  }
  if (props.$unset != null && !(Array.isArray(props.$unset) && props.$unset.every((k) => typeof k === 'string'))) {
    return { code: 'invalid_type', message: 'properties.$unset must be a list of property names.', field: 'properties.$unset' };
  }
  for (const [field, value] of [
    ['distinct_id', e.distinct_id],
    ['properties.distinct_id', props.distinct_id],
    ['uuid', e.uuid],
    ['properties.$anon_distinct_id', props.$anon_distinct_id],
    ['properties.alias', props.alias],
  ] as const) {
    if (value !== undefined && value !== null && value !== '' && idText(value) === undefined) {
      return { code: 'invalid_type', message: `${field} must be text or a number.`, field };
    }
  }
  return undefined;
}

/**
 * A page's title or a screen's name as the event's name. One that is not text, or only spaces,
 * names nothing. A long one is cut to the longest name an event may have: a long title is the
 * page's, not a mistake of the sender's. Either way the title stays among the properties, whole.
 */
function pageName(value: unknown): string | undefined {
  const text = typeof value === 'string' ? (value.trim() !== '' ? value : undefined) : typeof value === 'number' ? String(value) : undefined;
  return text === undefined ? undefined : cutText(text, EVENT_LIMITS.maxNameLength);
}

/**
 * Map PostHog's event model onto Haven's: `$identify` (distinct_id + $anon_distinct_id) is an
 * identify that merges, `$create_alias` an alias, `$pageview` a page view with `$current_url`,
 * `$screen` a screen view named by `$screen_name`, `$set` / `$set_once` (on any event) traits;
 * `$groupidentify` is refused (`unsupported_event`); everything else a tracked event under its name.
 */
export function fromPostHog(raw: unknown): IncomingEvent {
  if (!isPlainObject(raw)) return refusedEvent('invalid_type', 'Each event must be a JSON object.');
  if (holdsReservedKey(raw)) return reservedKeyRefusal();
  // Null is absent, at the top and for the properties PostHog itself reads.
  const e = withoutNulls(raw) as PostHogEvent & { properties?: Record<string, unknown> };
  const wrong = wrongField(e);
  if (wrong) return refusedEvent(wrong.code, wrong.message, wrong.field);
  const props = e.properties ?? {};
  const distinct = idText(e.distinct_id) ?? idText(props.distinct_id);
  const traits = (e.$set ?? props.$set ?? undefined) as Record<string, unknown> | undefined;
  const traitsOnce = (e.$set_once ?? props.$set_once ?? undefined) as Record<string, unknown> | undefined;
  const properties: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) if (!CONTROL.includes(k)) properties[k] = v;
  const offsetMs = typeof e.offset === 'number' && Number.isFinite(e.offset) && e.offset >= 0 ? e.offset : undefined;
  // posthog-node's unsetPersonProperties: names to remove from the profile. It stays among the
  // event's properties too (what the event said), where the guard sees the names.
  const traitsUnset = Array.isArray(props.$unset) && props.$unset.length > 0 ? (props.$unset as string[]) : undefined;
  const common = { messageId: idText(e.uuid), timestamp: e.timestamp as string | undefined, offsetMs, traits, traitsOnce, traitsUnset };
  const name = e.event as string | undefined;
  switch (name) {
    case '$groupidentify':
      // A group's profile (posthog-node's groupIdentify, posthog-js's group with properties), sent
      // under the made-up distinct id `$<type>_<key>`: stored, it became a person who does not
      // exist, holding the group's properties. Haven keeps people, not groups: refused, by name.
      return refusedEvent('unsupported_event', 'PostHog groups ($groupidentify) are not kept: Haven records people, not groups.', 'event');
    case '$identify':
      return { ...common, type: 'identify', userId: distinct, anonymousId: idText(props.$anon_distinct_id), properties };
    case '$create_alias':
      return { ...common, type: 'alias', userId: distinct, anonymousId: idText(props.alias), properties };
    case '$pageview':
      // posthog-js sends document.title as `title`; some clients send `$title`. The address,
      // referrer and title stay under PostHog's names (the timeline reads them there): copied
      // under Segment's too, they counted twice toward the event's size.
      return { ...common, type: 'page', distinctId: distinct, name: pageName(props.$title ?? props.title), properties };
    case '$screen':
      // The mobile libraries' screen view (posthog-ios, -android, -react-native, -flutter).
      return { ...common, type: 'screen', distinctId: distinct, name: pageName(props.$screen_name), properties };
    default:
      return { ...common, type: 'track', distinctId: distinct, name: name ?? '', properties };
  }
}

/**
 * A refusal's field under the name the PostHog sender wrote: checks and the guard name Haven's
 * reading of the event (`messageId`, `traits.plan`, `properties.url`), a PostHog developer looks
 * for `uuid`, `$set.plan`, `properties.$current_url`. Fields already under PostHog's names pass.
 */
export function posthogField(raw: unknown, field: string): string {
  const e = (isPlainObject(raw) ? withoutNulls(raw) : {}) as PostHogEvent;
  const props = (isPlainObject(e.properties) ? e.properties : {}) as Record<string, unknown>;
  const dot = field.indexOf('.');
  const [head, rest] = dot < 0 ? [field, ''] : [field.slice(0, dot), field.slice(dot)];
  const either = (top: string, inProps: string) => ((e as Record<string, unknown>)[top] !== undefined ? top : `properties.${inProps}`);
  const page = e.event === '$pageview';
  const title = e.event === '$screen' ? 'properties.$screen_name' : props.$title !== undefined ? 'properties.$title' : 'properties.title';
  switch (head) {
    case 'messageId':
      return `uuid${rest}`;
    case 'userId':
    case 'distinct_id':
      return either('distinct_id', 'distinct_id') + rest;
    case 'anonymousId':
    case 'previousId':
      return (e.event === '$create_alias' ? 'properties.alias' : 'properties.$anon_distinct_id') + rest;
    case 'traits':
      return either('$set', '$set') + rest;
    case 'traitsOnce':
      return either('$set_once', '$set_once') + rest;
    case 'event':
    case 'name':
      // A page's name is its title, a screen's its $screen_name (checkEvent names either `name`).
      return page || e.event === '$screen' ? title + rest : field;
    case 'properties':
      if (!page) return field;
      if (rest === '.url' || rest.startsWith('.url.')) return `properties.$current_url${rest.slice(4)}`;
      if (rest === '.referrer' || rest.startsWith('.referrer.')) return `properties.$referrer${rest.slice(9)}`;
      if (rest === '.title' || rest.startsWith('.title.')) return title + rest.slice(6);
      return field;
    default:
      return field;
  }
}

/** A refusal as the PostHog sender reads it: its field, and a message that starts with the field, renamed. */
export function asPostHogRefusal<R extends Refusal>(raw: unknown, refusal: R): R {
  if (refusal.field === undefined) return refusal;
  const field = posthogField(raw, refusal.field);
  if (field === refusal.field) return refusal;
  const message = refusal.message.startsWith(`${refusal.field} `) ? field + refusal.message.slice(refusal.field.length) : refusal.message;
  return { ...refusal, field, message };
}

/**
 * Capture V1's per-event options (posthog-node with POSTHOG_CAPTURE_MODE=v1), lifted out of the
 * properties by the client: put back under the property names v0 sends them as, so an event is
 * stored the same whichever path it came by.
 */
const V1_OPTIONS_AS_PROPERTIES = [
  ['process_person_profile', '$process_person_profile'],
  ['cookieless_mode', '$cookieless_mode'],
  ['product_tour_id', '$product_tour_id'],
] as const;

/**
 * An event of a Capture V1 batch (`POST /i/v1/analytics/events`) read as the v0 event it was
 * made from: `session_id` / `window_id` and the options go back among the properties, and
 * `options.disable_skew_correction` is v0's `$ignore_sent_at` (the timestamp is taken as sent,
 * not corrected by the batch's `created_at`).
 */
export function fromCaptureV1(raw: unknown, createdAt: string | undefined): IncomingEvent {
  if (!isPlainObject(raw)) return refusedEvent('invalid_type', 'Each event must be a JSON object.');
  const { options, session_id: sessionId, window_id: windowId, ...event } = withoutNulls(raw);
  const opts = options === undefined ? {} : isPlainObject(options) ? options : undefined;
  if (!opts) return refusedEvent('invalid_type', 'options must be an object.', 'options');
  if (holdsReservedKey(opts)) return reservedKeyRefusal('options.__proto__');
  if (event.properties !== undefined && !isPlainObject(event.properties)) return fromPostHog(event);
  const lifted: Record<string, unknown> = {};
  if (sessionId !== undefined) lifted.$session_id = sessionId;
  if (windowId !== undefined) lifted.$window_id = windowId;
  for (const [option, property] of V1_OPTIONS_AS_PROPERTIES) if (opts[option] !== undefined) lifted[property] = opts[option];
  const asV0 = { ...event, properties: { ...lifted, ...(event.properties as Record<string, unknown> | undefined) } };
  return { ...fromPostHog(asV0), sentAt: opts.disable_skew_correction === true ? undefined : createdAt };
}
