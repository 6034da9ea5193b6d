import type { WhatsAppTemplateRef } from '../../lib/contracts/whatsapp-template-ref';
import { fillTemplateBody } from '../../lib/workflow/template-body';
import type { Services } from '../services';
import type { ConnectionsTable } from '../store/schema';
import { channelConfig, channelToken } from './connections';
import { graphCall, GraphError } from './graph';
import type { GraphTemplate } from './whatsapp-template-needs';

// The inbox shows a sent template as the customer saw it ("Hi Ana, your order #1042 shipped")
// rather than "[template order_update: Ana | #1042]". The step holds only the template's name,
// language and values; its text is Meta's: GET /{waba-id}/message_templates filtered by `name`
// (https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/template-management/),
// read after Meta took the message, one attempt, a short timeout: the message went out whatever
// this answers, and anything short of the template's text keeps the bracketed form.
// Kept 10 minutes per channel, name and language: a broadcast of one template reads it once.
// Components and parameters: https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/components

const KEEP_MS = 10 * 60_000;
const MAX_KEPT = 500;
const kept = new Map<string, { at: number; template: GraphTemplate | null }>();

async function templateDefinition(services: Services, connection: ConnectionsTable, name: string, language: string): Promise<GraphTemplate | null> {
  const waba = channelConfig(connection).businessAccountId;
  if (!waba) return null;
  const key = `${connection.id}:${waba}:${name}:${language}`;
  const hit = kept.get(key);
  if (hit && Date.now() - hit.at < KEEP_MS) return hit.template;
  try {
    const answer = await graphCall<{ data?: GraphTemplate[] }>({
      method: 'GET', path: `/${waba}/message_templates`, token: channelToken(services, connection),
      query: { name, fields: 'name,language,parameter_format,components', limit: '100' },
    }, { baseUrl: services.config.metaGraphUrl, attempts: 1, timeoutMs: 3000 });
    // Meta's `name` filter may match more than the one name; the language picks among translations.
    const template = (answer.data ?? []).find((t) => t.name === name && t.language === language) ?? null;
    if (kept.size >= MAX_KEPT) kept.delete(kept.keys().next().value!);
    kept.set(key, { at: Date.now(), template });
    return template;
  } catch (err) {
    if (err instanceof GraphError) return null;
    throw err;
  }
}

/**
 * The template as WhatsApp shows it: header text, body, footer and button labels, its values in
 * place. Null when there is no body to show, and for a one-time code (agents see that one was
 * sent, never which).
 */
export function templateAsSent(t: GraphTemplate, ref: WhatsAppTemplateRef): string | null {
  if (ref.code !== undefined) return null;
  const of = (type: string) => (t.components ?? []).find((c) => c.type?.toUpperCase() === type);
  const body = of('BODY')?.text;
  if (!body) return null;
  const header = of('HEADER');
  const h = ref.header?.type === 'text' ? ref.header : undefined;
  const headerText = header?.format?.toUpperCase() === 'TEXT' && header.text ? fillTemplateBody(header.text, h ? [h.text] : [], h?.parameterName ? [h.parameterName] : undefined) : null;
  const labels = (of('BUTTONS')?.buttons ?? []).flatMap((b) => (b.text ? [`[${b.text}]`] : []));
  return [headerText, fillTemplateBody(body, ref.parameters, ref.parameterNames), of('FOOTER')?.text, labels.join(' ')].filter(Boolean).join('\n');
}

/** The stored message of a template Meta took, rewritten to the template's text when Meta gives it. */
export async function showTemplateAsSent(services: Services, connection: ConnectionsTable, conversation: { id: string; contactId: string }, messageId: string, ref: WhatsAppTemplateRef): Promise<void> {
  const definition = await templateDefinition(services, connection, ref.name, ref.language);
  const text = definition && templateAsSent(definition, ref);
  if (!text) return;
  await services.db.updateTable('messages').set({ text: text.slice(0, 4096) }).where('id', '=', messageId).execute();
  services.live.publish({ type: 'conversation.changed', conversationId: conversation.id, contactId: conversation.contactId });
}
