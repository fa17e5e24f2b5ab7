import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';

export interface Page<T, C> {
  items: T[];
  /** Where the next (older) page starts; null when this was the last. */
  next: C | null;
}

export interface PagedList<T, C> {
  items: T[];
  next: C | null;
  /** The first page has arrived (for the empty state). */
  started: boolean;
  busy: boolean;
  error: unknown;
  /** Load the next page and append it. */
  more(): void;
}

/**
 * A list read page by page, starting again at its first page whenever `deps` change (filters, the
 * person shown). Each start begins a new generation and empties the list: an answer that arrives
 * for an older one — a page asked for before the filters changed — is dropped, so the list never
 * shows entries that don't match what is asked, nor appends a page of the old list to the new one.
 */
export function usePagedList<T, C>(fetchPage: (cursor: C | null) => Promise<Page<T, C>>, deps: DependencyList): PagedList<T, C> {
  const [list, setList] = useState<{ items: T[]; next: C | null; started: boolean }>({ items: [], next: null, started: false });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const generation = useRef(0);

  const load = useCallback(async (fetch: typeof fetchPage, cursor: C | null) => {
    const mine = cursor === null ? ++generation.current : generation.current;
    const current = () => mine === generation.current;
    // A new start shows nothing of the old list meanwhile, nor keeps its cursor if the first page fails.
    if (cursor === null) setList({ items: [], next: null, started: false });
    setBusy(true);
    setError(undefined);
    try {
      const page = await fetch(cursor);
      if (current()) setList((was) => ({ items: cursor === null ? page.items : [...was.items, ...page.items], next: page.next, started: true }));
    } catch (failure) {
      if (current()) setError(failure);
    } finally {
      if (current()) setBusy(false);
    }
  }, []);

  useEffect(() => {
    void load(fetchPage, null);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names what the list depends on
  }, deps);

  const more = () => {
    if (list.next !== null) void load(fetchPage, list.next);
  };
  return { ...list, busy, error, more };
}
