import type { WhatsAppTemplate } from '../../lib/contracts/channels';
import { HttpError, notFound } from '../http-error';
import type { Services } from '../services';
import { isPermissionCode, isTokenCode } from './channel-health';
import { channelConfig, channelToken } from './connections';
import { graphCall, GraphError } from './graph';
import { toTemplate, type GraphTemplate } from './whatsapp-template-needs';

// GET /{waba-id}/message_templates, its fields and cursor paging:
// https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/template-management/
// What each template needs from the step: whatsapp-template-needs.ts.
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
    throw templatesRefusal(err, waba);
  }
  // Sendable first, then by name and language, as a picker lists them.
  return templates.sort((a, b) => Number(a.notSendable !== null) - Number(b.notSendable !== null) || a.name.localeCompare(b.name) || a.language.localeCompare(b.language));
}


/**
 * Why Meta would not list the templates, by its code: the account id unknown or not visible to the
 * token (100, subcode 33), a permission missing (10, 200-299), the token itself refused (102, 190).
 * https://developers.facebook.com/docs/graph-api/guides/error-handling
 */
function templatesRefusal(err: GraphError, waba: string): HttpError {
  const why = `Meta refused to list the templates of WhatsApp Business Account ${waba}: ${err.message}.`;
  if (err.code === 100) {
    return new HttpError(422, 'business_account_not_found', `${why} This account id is unknown to Meta or not accessible with the channel's token: correct it in Settings → Channels (WhatsApp Business Account ID), or assign the token's system user to that account.`);
  }
  if (isPermissionCode(err.code)) {
    return new HttpError(422, 'permission_missing', `${why} The channel's token lacks the whatsapp_business_management permission that listing templates needs: paste a token that has it (Settings → Channels → Replace token).`);
  }
  if (isTokenCode(err.code)) return new HttpError(422, 'token_refused', `${why} Paste a new token: Settings → Channels → Replace token.`);
  return new HttpError(422, 'graph_refused', why);
}
