import type { IdentityKind } from '../../people/index.js';
import type { EventResult, IncomingEvent } from '../event.js';

/** An event that passed the checks (shape, limits, time), before anything is written. */
export interface CheckedEvent {
  index: number;
  event: IncomingEvent;
  occurredAt: Date;
  messageHash: Buffer;
}

/** One ingest call (one HTTP request): its checked events and the answers the checks already gave. */
export interface IngestRequest {
  requestId: string;
  /** Sent with the public write key, whose holder may be anyone who read a page of the site. */
  viaWriteKey: boolean;
  /** One slot per event sent; events refused by the checks are filled in already. */
  checkResults: EventResult[];
  checked: CheckedEvent[];
}

/** One event on its way through the pipeline of one transaction. */
export interface Item {
  /** The answers of the request it came in (its slot is `index`). */
  results: EventResult[];
  index: number;
  requestId: string;
  viaWriteKey: boolean;
  event: IncomingEvent;
  occurredAt: Date;
  messageHash: Buffer;
  /** Its ids, normalised (set by the guard step). */
  external?: string | undefined;
  anonymous?: string | undefined;
  distinct?: string | undefined;
  personId?: string;
  /** Answered (refused, dropped, a duplicate, stored): later steps pass it by. */
  settled: boolean;
}

/** Give an item its answer; the steps after this one no longer see it. */
export function settle(item: Item, result: EventResult): void {
  item.results[item.index] = result;
  item.settled = true;
}

export function refuse(item: Item, code: string, message: string, field?: string): void {
  settle(item, { index: item.index, status: 'rejected', code, message, field });
}

export const unsettled = (items: readonly Item[]): Item[] => items.filter((item) => !item.settled);

/** The items of a group of requests, fresh for one transaction (a retry starts again from here). */
export function itemsOf(requests: readonly IngestRequest[]): { items: Item[]; results: EventResult[][] } {
  const results = requests.map((r) => r.checkResults.slice());
  const items = requests.flatMap((r, n) =>
    r.checked.map((c): Item => ({ results: results[n]!, index: c.index, requestId: r.requestId, viaWriteKey: r.viaWriteKey, event: c.event, occurredAt: c.occurredAt, messageHash: c.messageHash, settled: false })),
  );
  return { items, results };
}

export const identityKey = (kind: IdentityKind, value: string) => `${kind}|${value}`;
