import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { adapterFor } from '../../lib/extension/adapters/registry';
import { INBOX_ORIGINS_KEY, chosenAdapter, readInboxOrigins } from '../../lib/extension/adapters/origins';
import { keepBackgroundAwake } from '../../lib/extension/keepalive';
import { mountLauncher } from './mount';
import './style.css';
import '../../components/forms/shortcut-form.css';
import '../../components/toast/toast.css';

export default defineContentScript({
  // Match patterns compare the whole path: `/inbox/*` does not match `/inbox` itself.
  // Other inboxes (Chatwoot, ...) are registered at run time from the options page.
  matches: ['http://127.0.0.1/inbox', 'http://127.0.0.1/inbox?*', 'http://127.0.0.1/inbox/*', 'http://localhost/inbox', 'http://localhost/inbox?*', 'http://localhost/inbox/*'],
  cssInjectionMode: 'ui',
  async main(ctx) {
    // While an inbox is open the background keeps its live stream, so a supervisor's toggle
    // or a newly published shortcut reaches this page at once.
    ctx.onInvalidated(keepBackgroundAwake());
    // The adapter the admin picked for this origin in the options page, else by the URL's look.
    const stored = await browser.storage.local.get(INBOX_ORIGINS_KEY).catch(() => ({} as Record<string, unknown>));
    const chosen = chosenAdapter(readInboxOrigins(stored[INBOX_ORIGINS_KEY]), location.origin);
    if (ctx.isInvalid) return;
    mountLauncher(ctx, adapterFor(new URL(location.href), chosen));
  },
});
