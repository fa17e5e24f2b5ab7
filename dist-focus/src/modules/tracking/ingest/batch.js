/** Give an item its answer; the steps after this one no longer see it. */
export function settle(item, result) {
    item.results[item.index] = result;
    item.settled = true;
}
export function refuse(item, code, message, field) {
    settle(item, { index: item.index, status: 'rejected', code, message, field });
}
export const unsettled = (items) => items.filter((item) => !item.settled);
/** The items of a group of requests, fresh for one transaction (a retry starts again from here). */
export function itemsOf(requests) {
    const results = requests.map((r) => r.checkResults.slice());
    const items = requests.flatMap((r, n) => r.checked.map((c) => ({ results: results[n], index: c.index, requestId: r.requestId, event: c.event, occurredAt: c.occurredAt, messageHash: c.messageHash, settled: false })));
    return { items, results };
}
export const identityKey = (kind, value) => `${kind}|${value}`;
//# sourceMappingURL=batch.js.map