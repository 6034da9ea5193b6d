import { nowIso } from '../ids';
import type { Services } from '../services';
import { KEEP_DAYS as LATE_FALLBACK_DAYS } from './late-fallback';
import { EARLY_REACTION_DAYS } from '../webhooks/meta-reactions';

/** Meta retries a delivery for up to 7 days; repeat keys are kept 30. */
const DELIVERY_KEYS_DAYS = 30;
const REPLY_SENDS_DAYS = 30;

/** Drops inbound repeat keys past any retry, status webhooks and reactions that never found their message, and old replies' send records. */
export async function pruneChannelBookkeeping(services: Services, now = Date.now()) {
  const before = (days: number) => new Date(now - days * 86_400_000).toISOString();
  await services.db.deleteFrom('meta_deliveries').where('created_at', '<', before(DELIVERY_KEYS_DAYS)).execute();
  await services.db.deleteFrom('early_delivery_statuses').where('created_at', '<', before(1)).execute();
  // Reactions and customers' edits of a message that never came (another tool's, or older than the channel).
  await services.db.deleteFrom('early_reactions').where('created_at', '<', before(EARLY_REACTION_DAYS)).execute();
  // Agents' replies kept for Resend: a month is longer than any window Meta keeps open for one;
  // a text reply older than that is sent again from its message's text.
  await services.db.deleteFrom('reply_sends').where('created_at', '<', before(REPLY_SENDS_DAYS)).where('next_attempt_at', 'is', null).execute();
  // Workflow messages' fallbacks past the time WhatsApp's refusal could still arrive.
  await services.db.deleteFrom('late_fallbacks').where('created_at', '<', before(LATE_FALLBACK_DAYS)).where('due_at', 'is', null).execute();
}

export function scheduleChannelHousekeeping(services: Services) {
  const timer = setInterval(() => {
    pruneChannelBookkeeping(services).catch((err) => services.log.warn({ err, at: nowIso() }, 'channel housekeeping failed'));
  }, 6 * 3600_000);
  timer.unref();
  services.onClose(() => clearInterval(timer));
}
