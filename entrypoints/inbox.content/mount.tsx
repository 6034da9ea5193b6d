import { createRoot, type Root } from 'react-dom/client';
import { createShadowRootUi, type ShadowRootContentScriptUi } from 'wxt/utils/content-script-ui/shadow-root';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { FormDrafts } from '../../components/launcher/drafts';
import { Launcher } from '../../components/launcher/Launcher';
import { useAwaitingAnswer, type AwaitingSource } from '../../components/launcher/use-awaiting-answer';
import { healthOf, watchPlacement, type Placement } from '../../lib/extension/adapters/placement';
import type { ConversationRef, PageAdapter } from '../../lib/extension/adapters/types';
import { sendMessage } from '../../lib/extension/messaging';
import { createFormLoader, messagingApi } from './api';
import { conversationKey, resolvingApi, type ResolvingApi } from './resolve';

/**
 * Follows the inbox through its adapter: mounts the launcher in the composer's button row,
 * re-mounts when the inbox replaces it, floats it when the row cannot be found.
 */
export function mountLauncher(ctx: ContentScriptContext, adapter: PageAdapter) {
  const forms = createFormLoader();
  const returnFocus = () => adapter.focusTarget(document)?.focus();
  const signedInHere = () => adapter.signedInUser?.(document) ?? null;
  // For the page's life, across the launcher's re-mounts (the inbox re-rendering its composer).
  const drafts = new FormDrafts();
  const refs = new Map<string, ConversationRef>();
  const api: ResolvingApi = adapter.resolvesThroughServer ? resolvingApi(messagingApi, location.origin, refs) : messagingApi;
  let ui: ShadowRootContentScriptUi<Root> | null = null;
  let mountedAt: HTMLElement | 'floating' | null = null;
  let key: string | null = null;
  // What the agent sees the conversation called: Chatwoot numbers them ("#101"); ours are named by their contact.
  let label: string | null = null;
  let generation = 0;
  let reported = '';
  let dock: HTMLElement | null = null;
  let awaitingSource: AwaitingSource | null = null;

  const render = () => ui?.mounted?.render(
    <AwaitingLauncher api={api} forms={forms} conversationId={key} conversationLabel={label} returnFocus={returnFocus} source={awaitingSource}
      signedInHere={signedInHere} drafts={drafts} />,
  );

  const report = (placement: Placement) => {
    const health = healthOf(adapter, placement);
    const text = JSON.stringify(health);
    if (text === reported) return;
    reported = text;
    void sendMessage('reportAdapter', health).catch(() => undefined);
  };

  ctx.onInvalidated(() => dock?.remove());

  watchPlacement(adapter, window, (placement) => {
    report(placement);
    const ref = placement.ref;
    if (adapter.resolvesThroughServer) {
      const next = ref ? conversationKey(ref) : null;
      if (next !== key) awaitingSource = ref && next ? awaitingSourceFor(api, ref) : null;
      key = next;
      label = ref ? `#${ref.conversationId}` : null;
      if (ref && key) refs.set(key, ref);
    } else {
      key = ref?.conversationId ?? null;
    }
    const target = placement.mode === 'inline' ? placement.anchor : placement.mode === 'floating' ? 'floating' : null;
    if (target === mountedAt) return render();
    ui?.remove();
    ui = null;
    dock?.remove();
    dock = null;
    mountedAt = target;
    if (!target) return;
    const mine = ++generation;
    void createShadowRootUi<Root>(ctx, {
      name: 'inbox-companion-launcher',
      position: 'inline',
      anchor: target === 'floating' ? (dock = floatingDock()) : target,
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
      if (target === 'floating') ui.shadowHost.classList.add('ic-floating');
      render();
    });
  }, { signal: ctx.signal });
}

/**
 * The launcher in an inbox that does not say itself that a workflow's question waits on the
 * customer (Chatwoot shows the bot's question, not that the next message goes to the workflow).
 */
function AwaitingLauncher({ source, ...props }: Parameters<typeof Launcher>[0] & { source: AwaitingSource | null }) {
  const { awaiting, takeOver } = useAwaitingAnswer(source, props.conversationId);
  return <Launcher {...props} awaiting={awaiting} takeOver={takeOver} />;
}

/** Made when the page shows another conversation: mapping it at once warms the background's cache while the agent reads. */
function awaitingSourceFor(api: ResolvingApi, ref: ConversationRef): AwaitingSource {
  let warm: ReturnType<NonNullable<ResolvingApi['resolve']>> | null = api.resolve!(ref);
  warm.catch(() => undefined);
  return {
    async map(fresh) {
      const mapped = await (!fresh && warm ? warm : api.resolve!(ref, fresh));
      warm = null;
      if (mapped.ok) return mapped.conversationId;
      if (mapped.kind === 'unreachable') throw new Error(mapped.message);
      return null;
    },
    look: (conversationId) => sendMessage('awaitingAnswer', { conversationId }),
    onPush: api.onPush,
    takeOver: (conversationId, runId) => sendMessage('takeOver', { conversationId, runId }),
  };
}

/**
 * Where a floating launcher lives: a fixed box at the bottom right of the page. (The shadow
 * host itself cannot be positioned: WXT resets it with `:host { all: initial !important }`,
 * which beats the page's inline styles.)
 */
function floatingDock(): HTMLElement {
  const dock = document.createElement('div');
  dock.setAttribute('data-inbox-companion', 'floating-launcher');
  dock.style.cssText = 'position:fixed;right:16px;bottom:16px;z-index:2147483000';
  document.body.append(dock);
  return dock;
}
