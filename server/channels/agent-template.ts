import type { WhatsAppTemplate } from '../../lib/contracts/channels';
import type { WhatsAppTemplateRef } from '../../lib/contracts/whatsapp-template-ref';
import { fillTemplateBody } from '../../lib/workflow/template-body';
import { HttpError } from '../http-error';
import type { Services } from '../services';
import { listWhatsAppTemplates } from './whatsapp-templates';

/** The templates an agent may pick on a WhatsApp channel: approved ones (paused, pending, rejected ones would be refused). */
export async function approvedTemplates(services: Services, channelId: string): Promise<WhatsAppTemplate[]> {
  return (await listWhatsAppTemplates(services, channelId)).filter((t) => t.status.toUpperCase() === 'APPROVED');
}

/**
 * An agent's template checked against the channel's list (read from Meta, as the picker did a
 * moment before): unknown or not approved is said before sending; otherwise what the inbox shows
 * for it, its body as the customer reads it. When the list cannot be read (Meta down, the token
 * lacks whatsapp_business_management, which sending does not need) the send goes ahead and Meta
 * judges it; the inbox then shows the template's name and values.
 */
export async function checkAgentTemplate(services: Services, channelId: string, ref: WhatsAppTemplateRef): Promise<{ error: string } | { shownAs?: string }> {
  let templates: WhatsAppTemplate[];
  try {
    templates = await listWhatsAppTemplates(services, channelId);
  } catch (err) {
    if (err instanceof HttpError) return {};
    throw err;
  }
  const t = templates.find((x) => x.name === ref.name && x.language === ref.language);
  if (!t) return { error: `This WhatsApp number has no template ${ref.name} in ${ref.language}. Pick one under Templates.` };
  if (t.status.toUpperCase() !== 'APPROVED') return { error: `Template ${ref.name} (${ref.language}) is ${t.status.toLowerCase()} in WhatsApp Manager: only an approved template can be sent. Pick another under Templates.` };
  // A one-time code is the customer's: the inbox says one was sent (send-spec.ts inboxText), never which.
  if (ref.code !== undefined) return {};
  // Meta refuses a count that differs (132000) once the message is stored as sent; said first instead.
  if (t.body && ref.parameters.length !== t.parameterCount) {
    const takes = `${t.parameterCount} parameter${t.parameterCount === 1 ? '' : 's'}`;
    return { error: `Template ${ref.name} (${ref.language}) takes ${takes} in its body and ${ref.parameters.length} ${ref.parameters.length === 1 ? 'was' : 'were'} given: give one value for each.` };
  }
  if (!t.body) return {};
  return { shownAs: fillTemplateBody(t.body, ref.parameters, ref.parameterNames ?? t.parameterNames) };
}
