import { useEffect, useState } from 'react';

/** `#/workflows/abc/runs` -> ['workflows', 'abc', 'runs']: the page survives a reload. */
const parts = () => window.location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);

export function useHashRoute(): string[] {
  const [route, setRoute] = useState(parts);
  useEffect(() => {
    const update = () => setRoute(parts());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

export function navigate(...segments: string[]) {
  window.location.hash = `#/${segments.map(encodeURIComponent).join('/')}`;
}

/** Changes the address without a hashchange (nothing remounts); a reload then opens it. */
export function replaceRoute(...segments: string[]) {
  history.replaceState(history.state, '', `#/${segments.map(encodeURIComponent).join('/')}`);
}
