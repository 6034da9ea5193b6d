import { browser } from 'wxt/browser';
import { LIVE_PORT } from './protocol';

/**
 * Page side (content script, options): keeps a port to the background open. Connecting makes the
 * background revalidate and (re)open its live stream; the periodic ping keeps an MV3 service
 * worker from being stopped while an inbox is open (Chrome stops idle workers after ~30 s).
 */
export function keepBackgroundAwake(pingMs = 20_000): () => void {
  let port: ReturnType<typeof browser.runtime.connect> | undefined;
  let stopped = false;
  const open = () => {
    if (stopped) return;
    try {
      port = browser.runtime.connect({ name: LIVE_PORT });
      // The worker was stopped or restarted: reconnect now (that wakes it and reopens its stream).
      port.onDisconnect.addListener(() => {
        port = undefined;
        setTimeout(open, 250);
      });
    } catch {
      port = undefined; // extension reloaded: this content script is orphaned
    }
  };
  open();
  const timer = setInterval(() => {
    if (!port) open();
    try { port?.postMessage({ ic: 'ping' }); } catch { port = undefined; }
  }, pingMs);
  return () => {
    stopped = true;
    clearInterval(timer);
    port?.disconnect();
  };
}

/** Background side: `onConnect` when a page opens the live port, `onPing` on each of its pings. */
export function acceptPagePorts(handlers: { onConnect: () => void; onPing: () => void }) {
  browser.runtime.onConnect.addListener((port) => {
    if (port.name !== LIVE_PORT) return;
    handlers.onConnect();
    // Each ping is an event: it resets the worker's idle timer and lets us re-check the stream.
    port.onMessage.addListener(() => handlers.onPing());
  });
}
