import { beforeEach, expect } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CompanionDb } from '../../lib/extension/db';
import type { ApiClientOptions } from '../../lib/extension/api-client';
import { createHandlers } from '../../lib/extension/handlers';
import { sendMessage, serveMessages } from '../../lib/extension/messaging';
import { Sync } from '../../lib/extension/sync';

// The extension's background in a component test: its real handlers over the fake browser's
// messages, talking to a real companion server.

export interface Background {
  handlers: ReturnType<typeof createHandlers>;
  /** Stops its sync and closes its database. */
  stop: () => void;
}

/**
 * The background with its own database `name` and a sync that broadcasts nowhere (`client`: how
 * it fetches from the companion), serving messages, connected to `serverUrl` as `token`.
 */
export async function connectBackground(name: string, serverUrl: string, token: string, client?: ApiClientOptions): Promise<Background> {
  const db = new CompanionDb(name);
  const sync = new Sync({ db, broadcast: () => undefined, minIntervalMs: 0, ...(client ? { client } : {}) });
  const handlers = createHandlers(sync);
  serveMessages(handlers);
  expect(await sendMessage('connect', { serverUrl, token })).toMatchObject({ state: 'connected' });
  return { handlers, stop: () => { sync.stop(); db.close(); } };
}

/** The dom setup resets the fake browser after each test: the same background served again before each. */
export function serveBackgroundBeforeEach(background: () => Background | undefined) {
  beforeEach(() => {
    fakeBrowser.runtime.onMessage.removeAllListeners();
    const b = background();
    if (b) serveMessages(b.handlers);
  });
}
