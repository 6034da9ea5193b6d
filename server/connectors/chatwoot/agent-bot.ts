import { z } from 'zod';
import type { Services } from '../../services';
import { fromJson, toJson } from '../../store/database';
import { nowIso } from '../../ids';
import { ChatwootApiError, type ChatwootApi } from './api';

/**
 * The companion writes into Chatwoot as an account agent bot named after the product, as Chatwoot's
 * own integrations (Dialogflow, Captain) do: agents see "Inbox Companion" with a bot's badge, not
 * the administrator whose token connected the account, and Chatwoot's reports keep the bot's
 * messages out of the humans' first response times. Only creating messages goes through the bot's
 * token (FACTS §5: bots may not read); everything else keeps the administrator's.
 */
export const BOT_NAME = 'Inbox Companion';
const BOT_DESCRIPTION = 'Messages and notes written by Inbox Companion workflows';

/** What `connections.config` says about the bot (its token is sealed with the other secrets). */
export const BotState = z.object({
  id: z.number().int().nullable(),
  /** ready: messages are created with its token; unavailable / refused: with the administrator's, `note` says why. */
  state: z.enum(['ready', 'unavailable', 'refused']),
  note: z.string().max(600).nullable(),
});
export type BotState = z.infer<typeof BotState>;

/**
 * Creates the account's bot, or reuses one of that name the account already has (connected before,
 * or by hand). Never fails the caller: a Chatwoot without the API (before account agent bots, 404),
 * one that does not show bots' tokens to the API, or a refusal leaves the administrator writing,
 * with the reason where the account's status is shown.
 */
export async function provideBot(api: ChatwootApi, accountId: number): Promise<{ bot: BotState | null; token: string | null }> {
  const unavailable = (note: string) => ({ bot: { id: null, state: 'unavailable' as const, note }, token: null });
  try {
    const mine = (await api.agentBots()).filter((b) => b.account_id === accountId && b.name === BOT_NAME);
    const found = mine.find((b) => b.access_token) ?? mine[0] ?? await api.createAgentBot(BOT_NAME, BOT_DESCRIPTION);
    if (!found.access_token) {
      return { bot: { id: found.id, state: 'unavailable', note: `Chatwoot did not give the token of its agent bot "${BOT_NAME}" (older versions do not): messages show as written by the connected user` }, token: null };
    }
    return { bot: { id: found.id, state: 'ready', note: null }, token: found.access_token };
  } catch (err) {
    if (!(err instanceof ChatwootApiError) && !(err instanceof z.ZodError)) throw err;
    // Busy or down for now: not set up, so the next sync tries again (connections.ts provideBotLater).
    if (err instanceof ChatwootApiError && err.transient) return { bot: null, token: null };
    if (err instanceof ChatwootApiError && err.reason === 'not_found') {
      return unavailable('This Chatwoot has no agent bots API (it is older than account agent bots): messages show as written by the connected user; update Chatwoot and save the token again to write as a bot');
    }
    const why = err instanceof ChatwootApiError ? err.message : 'its answer was not an agent bot';
    return unavailable(`The agent bot "${BOT_NAME}" could not be set up (${why}): messages show as written by the connected user; save the token again to retry`);
  }
}

/**
 * Chatwoot refused the bot's token (deleted bot, token reset, or a Chatwoot that lets a bot into
 * an account only through an inbox it is connected to: FACTS §5). From now on the administrator
 * writes; said once, in the log and on the account, not at every message.
 */
export async function markBotRefused(services: Services, connectionId: string, err: ChatwootApiError) {
  const note = `Chatwoot refused the agent bot's token (${err.answer || err.message}): messages now show as written by the connected user; save the token again to set the bot up anew`;
  const row = await services.db.selectFrom('connections').select('config').where('id', '=', connectionId).executeTakeFirst();
  if (!row) return;
  const config = fromJson<Record<string, unknown>>(row.config, {});
  const bot = BotState.safeParse(config.bot).data;
  if (bot?.state === 'refused') return;
  await services.db.updateTable('connections').set({ config: toJson({ ...config, bot: { id: bot?.id ?? null, state: 'refused', note } }), updated_at: nowIso() })
    .where('id', '=', connectionId).execute();
  services.log.warn({ connection: connectionId, status: err.status }, 'Chatwoot refused the agent bot token; messages are written with the administrator token');
}
