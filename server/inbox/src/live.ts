// Live updates: the SSE stream when it works, polling every 5 s when it does not.
import { LiveMessage } from './wire.js';

const TYPES = ['conversation.changed', 'contact.changed', 'run.updated', 'definitions.changed', 'restrictions.changed'];
const POLL_MS = 5000;
const RETRY_MS = 30000;

export type LiveMode = 'live' | 'polling';

export interface LiveHandlers {
  /** Every stream message the inbox acts on (see LiveMessage in wire.ts); others are dropped. */
  onMessage: (message: LiveMessage) => void;
  /** Every 5 s while the stream is down. */
  onPoll: () => void;
  onState: (mode: LiveMode) => void;
}

/** Returns stop(). */
export function connectLive(bearer: string, { onMessage, onPoll, onState }: LiveHandlers): () => void {
  let source: EventSource | null = null;
  let live = false;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;

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
    if (stopped || typeof EventSource === 'undefined') return setLive(false);
    const stream = new EventSource(`/api/v1/events/stream?token=${encodeURIComponent(bearer)}`);
    source = stream;
    stream.onopen = () => setLive(true);
    // Unnamed events arrive as `message`; named ones (event: conversation.changed) need their own listener.
    stream.onmessage = handle;
    for (const type of TYPES) stream.addEventListener(type, handle);
    stream.onerror = () => {
      if (live) onPoll(); // catch up on what the outage hid
      setLive(false);
      if (stream.readyState === EventSource.CLOSED) {
        // The browser gives up on HTTP errors (404, 401): try again later, poll meanwhile.
        source = null;
        clearTimeout(retry);
        retry = setTimeout(open, RETRY_MS);
      }
    };
  };

  const poller = setInterval(() => { if (!live && !stopped) onPoll(); }, POLL_MS);
  setLive(false);
  open();

  return () => {
    stopped = true;
    clearInterval(poller);
    clearTimeout(retry);
    source?.close();
  };
}
