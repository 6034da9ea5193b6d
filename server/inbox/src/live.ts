// Live updates: the SSE stream when it works, polling every 5 s when it does not.
import { LiveMessage } from './wire.js';

const TYPES = ['conversation.changed', 'contact.changed', 'conversation.seen', 'run.updated', 'definitions.changed', 'restrictions.changed', 'user.changed'];
const POLL_MS = 5000;
// After the browser gives up on the stream (HTTP error), reconnect after 1 s, 2 s, 4 s … up to 30 s.
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30000;

export type LiveMode = 'live' | 'polling';

export interface LiveHandlers {
  /** Every stream message the inbox acts on (see LiveMessage in wire.ts); others are dropped. */
  onMessage: (message: LiveMessage) => void;
  /** Every 5 s while the stream is down. */
  onPoll: () => void;
  onState: (mode: LiveMode) => void;
}

/** `bearer` null: the login cookie signs the stream in (same origin). Returns stop(). */
export function connectLive(bearer: string | null, { onMessage, onPoll, onState }: LiveHandlers): () => void {
  let source: EventSource | null = null;
  let live = false;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  // In the back/forward cache: no stream (it would hold one of the browser's 6 connections to
  // the server per cached page), no polling; pageshow opens it again and catches up.
  let hidden = false;

  const setLive = (value: boolean) => {
    live = value;
    onState(value ? 'live' : 'polling');
  };

  const handle = (event: MessageEvent<string>) => {
    let message: unknown;
    try { message = JSON.parse(event.data); } catch { return; }
    if (!message || typeof message !== 'object') return;
    if (!('type' in message) || typeof message.type !== 'string') {
      if (event.type === 'message') return;
      message = { ...message, type: event.type };
    }
    const parsed = LiveMessage.safeParse(message);
    if (parsed.success) onMessage(parsed.data);
  };

  const open = () => {
    if (stopped || hidden || typeof EventSource === 'undefined') return setLive(false);
    const stream = new EventSource(bearer ? `/api/v1/events/stream?token=${encodeURIComponent(bearer)}` : '/api/v1/events/stream');
    source = stream;
    stream.onopen = () => { failures = 0; setLive(true); };
    // Unnamed events arrive as `message`; named ones (event: conversation.changed) need their own listener.
    stream.onmessage = handle;
    for (const type of TYPES) stream.addEventListener(type, handle);
    stream.onerror = () => {
      if (live) onPoll(); // catch up on what the outage hid
      setLive(false);
      if (stream.readyState === EventSource.CLOSED) {
        // The browser gives up on HTTP errors (404, 401, 429): try again later with backoff
        // (and a little jitter, so many tabs do not come back at once), poll meanwhile.
        source = null;
        clearTimeout(retry);
        const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** failures++);
        retry = setTimeout(open, delay + Math.random() * delay * 0.2);
      }
    };
  };

  const close = () => {
    clearTimeout(retry);
    source?.close();
    source = null;
  };
  const onPageHide = () => {
    hidden = true;
    close();
    // Said now, not on return: a page restored from the cache showed "Live" until its new stream
    // opened (or failed), while the server had no stream for it.
    setLive(false);
  };
  const onPageShow = (event: PageTransitionEvent) => {
    if (!event.persisted || stopped) return;
    hidden = false;
    failures = 0;
    onPoll(); // what changed while the page was in the cache
    open();
  };
  addEventListener('pagehide', onPageHide);
  addEventListener('pageshow', onPageShow);

  const poller = setInterval(() => { if (!live && !stopped && !hidden) onPoll(); }, POLL_MS);
  setLive(false);
  open();

  return () => {
    stopped = true;
    clearInterval(poller);
    removeEventListener('pagehide', onPageHide);
    removeEventListener('pageshow', onPageShow);
    close();
  };
}
