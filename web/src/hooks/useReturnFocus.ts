import { useEffect, useRef } from 'react';

/**
 * For a button that opens an inline form or confirmation: when `open` turns false again (saved,
 * cancelled, Escape), focus goes back to the button instead of being dropped on the page.
 */
export function useReturnFocus<E extends HTMLElement = HTMLButtonElement>(open: boolean) {
  const opener = useRef<E>(null);
  const wasOpen = useRef(open);
  useEffect(() => {
    if (wasOpen.current && !open) opener.current?.focus();
    wasOpen.current = open;
  }, [open]);
  return opener;
}

/** Focus the first heading of a card (or screen), e.g. when the item that held focus is gone. */
export function focusHeadingIn(container: Element | null | undefined): void {
  const heading = container?.querySelector<HTMLElement>('h1, h2, h3');
  if (!heading?.isConnected) return;
  // Headings are not focusable by default; -1 makes them a target without adding a Tab stop.
  if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
  heading.focus();
}
