import { browser } from 'wxt/browser';
import { onPush, sendMessage } from '../../lib/extension/messaging';
import type { FormModule } from '../../components/forms/mount';
import type { FormLoader, LauncherApi } from '../../components/launcher/types';
import { registeredFormModule } from './forms-global';

/** The launcher's view of the background: typed messages, nothing else. */
export const messagingApi: LauncherApi = {
  getConnection: () => sendMessage('getConnection'),
  listShortcuts: (req) => sendMessage('listShortcuts', req),
  launchShortcut: (req) => sendMessage('launchShortcut', req),
  getRun: (req) => sendMessage('getRun', req),
  onPush,
};

// Content scripts are single IIFE bundles (WXT inlines their dynamic imports), so the form
// renderer (react-hook-form, zod, its own React) is a separate web-accessible script, imported
// on demand; it runs in this isolated world and registers itself (see forms-global).
export function createFormLoader(url = () => browser.runtime.getURL('/inbox-forms.js')): FormLoader {
  let pending: Promise<FormModule> | null = null;
  return {
    separateReact: true,
    current: registeredFormModule,
    load() {
      const ready = registeredFormModule();
      if (ready) return Promise.resolve(ready);
      pending ??= import(/* @vite-ignore */ url()).then(() => {
        const mod = registeredFormModule();
        if (!mod) throw new Error('the form renderer did not register itself');
        return mod;
      });
      pending.catch(() => (pending = null));
      return pending;
    },
  };
}
