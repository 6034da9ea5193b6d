import { DashboardAppContext } from '../../lib/contracts/chatwoot-dashboard-app';

/** The Chatwoot conversation the Dashboard App is showing, as the companion's resolve route names it. */
export interface DashboardConversation {
  origin: string;
  accountId: string;
  conversationId: string;
  contactName: string | null;
  agentName: string | null;
  /** The Chatwoot user looking at it (Frame.vue's currentAgent: the signed-in user's id, name, email). */
  agentEmail: string | null;
}

/**
 * Reads one `message` event: Chatwoot's appContext from the parent frame, or null for anything
 * else (other senders, other events, malformed JSON). The account comes from the conversation,
 * else from the dashboard URL the frame was opened from (`/app/accounts/:id/...`).
 */
export function readAppContext(event: Pick<MessageEvent, 'data' | 'origin' | 'source'>, parent: unknown, referrer: string): DashboardConversation | null {
  if (event.source !== parent || typeof event.data !== 'string') return null;
  let json: unknown;
  try { json = JSON.parse(event.data); } catch { return null; }
  const parsed = DashboardAppContext.safeParse(json);
  if (!parsed.success) return null;
  const { conversation, contact, currentAgent } = parsed.data.data;
  const accountId = conversation.account_id ?? Number(/\/app\/accounts\/(\d+)/.exec(referrer)?.[1]);
  if (!accountId) return null;
  return {
    origin: event.origin,
    accountId: String(accountId),
    conversationId: String(conversation.id),
    contactName: contact?.name ?? null,
    agentName: currentAgent?.name ?? null,
    agentEmail: currentAgent?.email?.trim() || null,
  };
}
