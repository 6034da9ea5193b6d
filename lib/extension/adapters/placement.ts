import { sameRef, type AdapterKind, type ConversationRef, type PageAdapter } from './types';
import { watchPage, type WatchOptions } from './watch';

/** Where the launcher is: in the inbox's button row, floating (anchors missing), or nowhere. */
export type Placement =
  | { mode: 'inline'; anchor: HTMLElement; ref: ConversationRef | null }
  | { mode: 'floating'; ref: ConversationRef }
  | { mode: 'hidden'; ref: ConversationRef | null };

/** What the popup shows about the page adapter in a tab. */
export interface AdapterHealth {
  adapter: AdapterKind;
  status: 'ok' | 'needs-update' | 'no-conversation';
  message: string;
}

export function healthOf(adapter: PageAdapter, placement: Placement): AdapterHealth {
  if (placement.mode === 'floating') {
    return {
      adapter: adapter.kind,
      status: 'needs-update',
      message: `The ${adapter.label} adapter needs updating: a conversation is open but its reply box was not found, so the launcher floats at the bottom right.`,
    };
  }
  if (placement.ref) return { adapter: adapter.kind, status: 'ok', message: `${adapter.label}: the launcher is in the composer's button row.` };
  return { adapter: adapter.kind, status: 'no-conversation', message: `${adapter.label}: no conversation is open.` };
}

/**
 * Follows the page through its adapter and decides where the launcher goes. A conversation
 * whose anchor stays missing for `graceMs` (the app renders late) gets a floating launcher.
 */
export function watchPlacement(
  adapter: PageAdapter,
  win: Window,
  listener: (placement: Placement) => void,
  options: WatchOptions & { graceMs?: number } = {},
): () => void {
  const graceMs = options.graceMs ?? 2500;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Placement | null = null;
  const emit = (next: Placement) => {
    const same = current && current.mode === next.mode && sameRef(current.ref, next.ref)
      && (current.mode !== 'inline' || current.anchor === (next as { anchor: HTMLElement }).anchor);
    if (same) return;
    current = next;
    listener(next);
  };
  const cancel = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };

  const stopPage = watchPage(adapter, win, ({ anchor, ref }) => {
    cancel();
    if (anchor) return emit({ mode: 'inline', anchor, ref });
    if (!ref || !adapter.floatWhenAnchorMissing) return emit({ mode: 'hidden', ref });
    if (current?.mode === 'floating') return emit({ mode: 'floating', ref });
    emit({ mode: 'hidden', ref });
    timer = setTimeout(() => emit({ mode: 'floating', ref }), graceMs);
  }, options);

  const stop = () => {
    cancel();
    stopPage();
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  return stop;
}
