import { createRoot, type Root } from 'react-dom/client';
import { createShadowRootUi, type ShadowRootContentScriptUi } from 'wxt/utils/content-script-ui/shadow-root';
import { defineContentScript } from 'wxt/utils/define-content-script';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { Launcher } from '../../components/launcher/Launcher';
import { composerInput, watchInbox } from '../../lib/extension/inbox-adapter';
import { keepBackgroundAwake } from '../../lib/extension/keepalive';
import { createFormLoader, messagingApi } from './api';
import './style.css';
import '../../components/forms/shortcut-form.css';
import '../../components/toast/toast.css';

export default defineContentScript({
  // Match patterns compare the whole path: `/inbox/*` does not match `/inbox` itself.
  matches: ['http://127.0.0.1/inbox', 'http://127.0.0.1/inbox?*', 'http://127.0.0.1/inbox/*', 'http://localhost/inbox', 'http://localhost/inbox?*', 'http://localhost/inbox/*'],
  cssInjectionMode: 'ui',
  main(ctx) {
    // While an inbox is open the background keeps its live stream, so a supervisor's toggle
    // or a newly published shortcut reaches this page at once.
    ctx.onInvalidated(keepBackgroundAwake());
    mountLauncherWherever(ctx);
  },
});

/** Follows the inbox: mounts in the composer toolbar, re-mounts when the inbox replaces it. */
function mountLauncherWherever(ctx: ContentScriptContext) {
  const forms = createFormLoader();
  const returnFocus = () => composerInput(document)?.focus();
  let ui: ShadowRootContentScriptUi<Root> | null = null;
  let anchor: HTMLElement | null = null;
  let conversationId: string | null = null;
  let generation = 0;

  const render = () => ui?.mounted?.render(
    <Launcher api={messagingApi} forms={forms} conversationId={conversationId} returnFocus={returnFocus} />,
  );

  watchInbox(document, (state) => {
    conversationId = state.conversationId;
    if (state.toolbar === anchor) return render();
    ui?.remove();
    ui = null;
    anchor = state.toolbar;
    if (!anchor) return;
    const mine = ++generation;
    void createShadowRootUi<Root>(ctx, {
      name: 'inbox-companion-launcher',
      position: 'inline',
      anchor,
      append: 'last',
      mode: 'open',
      // The inbox must not see keys typed into the menu or a form (Enter sends its composer).
      isolateEvents: ['keydown', 'keyup', 'keypress'],
      onMount: (container) => createRoot(container),
      onRemove: (root) => root?.unmount(),
    }).then((created) => {
      if (mine !== generation) return;
      ui = created;
      ui.mount();
      render();
    });
  }, { signal: ctx.signal });
}
