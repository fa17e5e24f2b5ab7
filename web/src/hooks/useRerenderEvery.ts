import { useEffect, useState } from 'react';

/** Renders the component again every `ms` while it is shown, so a countdown read from the clock stays current. */
export function useRerenderEvery(ms: number): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), ms);
    return () => clearInterval(timer);
  }, [ms]);
}
