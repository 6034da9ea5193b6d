// Telling the server what the agent has looked at (POST /conversations/:id/seen), so the list's
// unread counts (the server's, per user) survive a reload and follow the agent's other tabs.
// A conversation counts as looked at when it is on screen: shown, or a message came in while it
// was, and the page is visible. A tab left in the background with a conversation open does not
// mark what arrives there as read; it does once the agent comes back to it.

/** At most one call per conversation in this time; a look within it is told at its end. */
const GAP_MS = 2000;

export interface SeenReporter {
  /** The conversation was drawn with what the server has now (opened, or its detail read again). */
  shown(id: string): void;
  /** Another conversation (or none) is shown: a look still waiting for its turn is told now (it was on screen). */
  left(): void;
  /** Signed out: the next user starts afresh. */
  reset(): void;
}

export function createSeenReporter(post: (id: string) => Promise<unknown>, currentId: () => string | null): SeenReporter {
  const lastSent = new Map<string, number>();
  let later: { id: string; timer: ReturnType<typeof setTimeout> } | null = null;

  function send(id: string) {
    lastSent.set(id, Date.now());
    // A failure changes nothing the agent sees: the count stays until the next look.
    void post(id).catch(() => undefined);
  }

  function shown(id: string) {
    if (document.visibilityState !== 'visible' || currentId() !== id) return;
    const wait = (lastSent.get(id) ?? -Infinity) + GAP_MS - Date.now();
    if (wait <= 0) return send(id);
    if (later?.id === id) return;
    drop();
    later = {
      id,
      // It was on screen when shown: told at its turn even if the page is hidden by then.
      timer: setTimeout(() => { later = null; send(id); }, wait),
    };
  }

  function drop() {
    if (later) clearTimeout(later.timer);
    later = null;
  }

  function left() {
    const waiting = later?.id;
    drop();
    if (waiting) send(waiting);
  }

  // Back to a tab that has a conversation open: what came in meanwhile is on screen now.
  const onVisible = () => {
    const id = currentId();
    if (document.visibilityState === 'visible' && id) shown(id);
  };
  document.addEventListener('visibilitychange', onVisible);

  return {
    shown,
    left,
    reset() {
      drop();
      lastSent.clear();
    },
  };
}
