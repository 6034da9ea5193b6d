// Live updates: the SSE stream when it works, polling every 5 s when it does not.

const TYPES = ['conversation.changed', 'contact.changed', 'run.updated', 'definitions.changed', 'restrictions.changed'];
const POLL_MS = 5000;
const RETRY_MS = 30000;

/**
 * onMessage(LiveMessage) for every message; onPoll() every 5 s while the stream is down;
 * onState('live' | 'polling'). Returns stop().
 */
export function connectLive(bearer, { onMessage, onPoll, onState }) {
  let source = null;
  let live = false;
  let stopped = false;
  let retry = null;

  const setLive = (value) => {
    live = value;
    onState(value ? 'live' : 'polling');
  };

  const handle = (event) => {
    let message;
    try { message = JSON.parse(event.data); } catch { return; }
    if (!message || typeof message !== 'object') return;
    if (typeof message.type !== 'string') {
      if (event.type === 'message') return;
      message = { ...message, type: event.type };
    }
    onMessage(message);
  };

  const open = () => {
    if (stopped || typeof EventSource === 'undefined') return setLive(false);
    source = new EventSource(`/api/v1/events/stream?token=${encodeURIComponent(bearer)}`);
    source.onopen = () => setLive(true);
    // Unnamed events arrive as `message`; named ones (event: conversation.changed) need their own listener.
    source.onmessage = handle;
    for (const type of TYPES) source.addEventListener(type, handle);
    source.onerror = () => {
      if (live) onPoll(); // catch up on what the outage hid
      setLive(false);
      if (source?.readyState === EventSource.CLOSED) {
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
