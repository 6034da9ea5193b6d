import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import type { AdapterHealth } from '../../lib/extension/adapters/placement';
import { sendMessage } from '../../lib/extension/messaging';

/** What the page adapter in the active tab reported: above all, that it needs updating. */
export function AdapterStatus() {
  const [health, setHealth] = useState<AdapterHealth | null>(null);
  useEffect(() => {
    let alive = true;
    void (async () => {
      const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
      if (tab?.id == null) return;
      const reported = await sendMessage('getAdapterHealth', { tabId: tab.id });
      if (alive) setHealth(reported);
    })().catch(() => undefined);
    return () => { alive = false; };
  }, []);
  if (!health) return null;
  if (health.status === 'needs-update') return <p className="error" role="alert" data-testid="adapter-health">{health.message}</p>;
  return <p className="muted" data-testid="adapter-health">{health.message}</p>;
}
