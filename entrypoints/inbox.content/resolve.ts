import type { LauncherApi } from '../../components/launcher/types';
import type { ConversationRef } from '../../lib/extension/adapters/types';
import { sendMessage } from '../../lib/extension/messaging';
import type { ResolveOutcome } from '../../lib/extension/protocol';

/** The launcher's conversation handle for an outside inbox's conversation. */
export const conversationKey = (ref: ConversationRef) => `chatwoot:${ref.accountId ?? ''}:${ref.conversationId}`;

export type ResolvingApi = LauncherApi & { resolve?(ref: ConversationRef, fresh?: boolean): Promise<ResolveOutcome> };

/**
 * The launcher's api for an outside inbox: a launch first maps the page's conversation
 * (Chatwoot account + display id) to the companion's through the background, and says
 * clearly why nothing was launched when it cannot.
 */
export function resolvingApi(base: LauncherApi, origin: string, refs: Map<string, ConversationRef>): ResolvingApi {
  const resolve = (ref: ConversationRef, fresh = false) => sendMessage('resolveConversation', {
    inbox: 'chatwoot', origin, accountId: ref.accountId ?? '', conversationId: ref.conversationId, fresh,
  });
  return {
    ...base,
    resolve,
    async launchShortcut(req) {
      const ref = refs.get(req.conversationId);
      if (!ref) return { ok: false, kind: 'error', message: 'The open conversation could not be read from the page.' };
      const mapped = await resolve(ref, true);
      if (!mapped.ok) return { ok: false, kind: mapped.kind === 'unreachable' ? 'unreachable' : 'error', message: mapped.message };
      return base.launchShortcut({ ...req, conversationId: mapped.conversationId });
    },
  };
}
