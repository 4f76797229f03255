import { useEffect, useState } from 'react';

/** The wall clock in milliseconds, re-rendering every `everyMs` (ages and countdowns tick with it). */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}
