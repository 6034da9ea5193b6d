import type { WhatsAppTemplate } from '../../lib/contracts/channels';
import { HttpError, notFound } from '../http-error';
import type { Services } from '../services';
import { channelConfig, channelToken } from './connections';
import { graphCall, GraphError } from './graph';

// GET /{waba-id}/message_templates, its fields and cursor paging:
// https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/template-management/
// Components (HEADER formats, BODY, BUTTONS types; POSITIONAL and NAMED parameters):
// https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/components
// A LOCATION header's place is given at send time: .../templates/utility-templates/location-templates/
interface GraphComponent { type?: string; format?: string; text?: string; buttons?: { type?: string; text?: string; url?: string }[] }
interface GraphTemplate { id?: string; name?: string; language?: string; status?: string; category?: string; parameter_format?: string; components?: GraphComponent[] }

const FIELDS = 'id,name,language,status,category,parameter_format,components';
/** 20 pages of 100: more than a WhatsApp Business Account may hold. */
const MAX_PAGES = 20;

/** The templates of a WhatsApp channel's Business Account, read from Meta at each call (they are approved and paused there). */
export async function listWhatsAppTemplates(services: Services, channelId: string): Promise<WhatsAppTemplate[]> {
  const row = await services.db.selectFrom('connections').selectAll().where('id', '=', channelId).where('kind', 'in', ['whatsapp', 'messenger']).executeTakeFirst();
  if (!row) throw notFound(`Channel ${channelId}`);
  if (row.kind !== 'whatsapp') throw new HttpError(409, 'not_whatsapp', `Channel "${row.name}" is a Facebook Page: message templates are WhatsApp's`);
  const waba = channelConfig(row).businessAccountId;
  if (!waba) throw new HttpError(409, 'no_business_account', `Channel "${row.name}" has no WhatsApp Business Account id: connect the number again with it`);
  const token = channelToken(services, row);
  const templates: WhatsAppTemplate[] = [];
  try {
    let after: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await graphCall<{ data?: GraphTemplate[]; paging?: { cursors?: { after?: string }; next?: string } }>({
        method: 'GET', path: `/${waba}/message_templates`, token, query: { fields: FIELDS, limit: '100', ...(after ? { after } : {}) },
      }, { baseUrl: services.config.metaGraphUrl });
      for (const t of answer.data ?? []) if (t.name && t.language) templates.push(toTemplate(t));
      // Only Meta's cursor is followed, never the `next` URL itself: it names a host.
      after = answer.paging?.next ? answer.paging.cursors?.after : undefined;
      if (!after) break;
    }
  } catch (err) {
    if (!(err instanceof GraphError)) throw err;
    if (err.status === 0 || err.status >= 500) throw new HttpError(502, 'graph_unavailable', `The templates could not be read: ${err.message}. Try again in a moment.`);
    throw new HttpError(422, 'graph_refused', `Meta refused to list the templates of WhatsApp Business Account ${waba}: ${err.message}. The channel's token needs the whatsapp_business_management permission.`);
  }
  // Sendable first, then by name and language, as a picker lists them.
  return templates.sort((a, b) => Number(a.notSendable !== null) - Number(b.notSendable !== null) || a.name.localeCompare(b.name) || a.language.localeCompare(b.language));
}

export function toTemplate(t: GraphTemplate): WhatsAppTemplate {
  const components = t.components ?? [];
  const body = components.find((c) => c.type?.toUpperCase() === 'BODY')?.text ?? null;
  const header = components.find((c) => c.type?.toUpperCase() === 'HEADER');
  const buttons = components.find((c) => c.type?.toUpperCase() === 'BUTTONS')?.buttons ?? [];
  const positions = [...(body ?? '').matchAll(/\{\{\s*(\d+)\s*\}\}/g)].map((m) => Number(m[1]));
  const names = [...new Set([...(body ?? '').matchAll(/\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/g)].map((m) => m[1]!))];
  const named = t.parameter_format?.toUpperCase() === 'NAMED' || names.length > 0;
  const reasons: string[] = [];
  if (t.status !== 'APPROVED') reasons.push(`its status is ${t.status ?? 'unknown'} (only approved templates are sent)`);
  if (named && names.length > 20) reasons.push('it takes more than 20 parameters');
  const format = header?.format?.toUpperCase();
  const headerParam = format === 'TEXT' ? /\{\{\s*([a-z0-9_]+)\s*\}\}/i.exec(header?.text ?? '')?.[1] : undefined;
  const headerNeeds: WhatsAppTemplate['header'] = format === 'IMAGE' || format === 'VIDEO' || format === 'DOCUMENT' || format === 'LOCATION'
    ? { type: format.toLowerCase() as 'image' | 'video' | 'document' | 'location', parameterName: null }
    : headerParam ? { type: 'text', parameterName: /^\d+$/.test(headerParam) ? null : headerParam.toLowerCase() } : null;
  if (format && !['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'].includes(format)) reasons.push(`its header needs ${/^[AEIOU]/.test(format) ? 'an' : 'a'} ${format.toLowerCase()}`);
  const valued = buttons.flatMap((b, index): WhatsAppTemplate['buttons'] => {
    const type = b.type?.toUpperCase();
    if (type === 'URL' && /\{\{/.test(b.url ?? '')) return [{ index, type: 'url', text: b.text ?? `Button ${index + 1}` }];
    if (type === 'COPY_CODE') return [{ index, type: 'copy_code', text: b.text ?? 'Copy code' }];
    return [];
  });
  const unsupported = buttons.find((b) => ['OTP', 'FLOW', 'CATALOG', 'MPM'].includes(b.type?.toUpperCase() ?? ''));
  if (unsupported) reasons.push(`it has ${/^[AEIOU]/.test(unsupported.type!.toUpperCase()) ? 'an' : 'a'} ${unsupported.type!.toUpperCase()} button`);
  if (!named && positions.length && Math.max(...positions) > 20) reasons.push('it takes more than 20 parameters');
  const special = components.find((c) => ['CAROUSEL', 'LIMITED_TIME_OFFER'].includes(c.type?.toUpperCase() ?? ''));
  if (special) reasons.push(`it has a ${special.type!.toLowerCase().replaceAll('_', ' ')}`);
  return {
    id: t.id ?? `${t.name}:${t.language}`, name: t.name!, language: t.language!, status: t.status ?? 'UNKNOWN', category: t.category ?? null, body,
    parameterCount: named ? names.length : positions.length === 0 ? 0 : Math.max(...positions),
    parameterNames: named ? names : null,
    header: headerNeeds,
    buttons: valued,
    notSendable: reasons.length ? `Not sendable from a workflow: ${reasons.join('; ')}` : null,
  };
}
