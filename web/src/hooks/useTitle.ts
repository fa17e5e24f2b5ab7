import { useEffect } from 'react';

/** The page title names the screen (never personal data: titles end up in history and tabs). */
export function useTitle(screen: string): void {
  useEffect(() => {
    document.title = `${screen} · Haven`;
  }, [screen]);
}
