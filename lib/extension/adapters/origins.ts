import { isAdapterKind, type AdapterKind } from './registry';

// The inbox origins an admin added in the options page, each with the adapter it picked.
// Written by the options page, read by the content script (which stays free of zod: it is
// counted against the initial bundle budget), so the shape is checked by hand here.

export const INBOX_ORIGINS_KEY = 'inboxOrigins';

export interface InboxOrigin {
  origin: string;
  adapter: AdapterKind;
}

/** The stored list; entries from before adapters existed (plain strings) are built-in inboxes. */
export function readInboxOrigins(stored: unknown): InboxOrigin[] {
  if (!Array.isArray(stored)) return [];
  return stored.flatMap((entry): InboxOrigin[] => {
    if (typeof entry === 'string') return [{ origin: entry, adapter: 'builtin' }];
    if (entry && typeof entry === 'object') {
      const { origin, adapter } = entry as Record<string, unknown>;
      if (typeof origin === 'string' && isAdapterKind(adapter)) return [{ origin, adapter }];
    }
    return [];
  });
}

export function chosenAdapter(origins: InboxOrigin[], origin: string): AdapterKind | undefined {
  return origins.find((o) => o.origin === origin)?.adapter;
}
