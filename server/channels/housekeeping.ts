import { nowIso } from '../ids';
import type { Services } from '../services';

/** Meta retries a delivery for up to 7 days; repeat keys are kept 30. */
const DELIVERY_KEYS_DAYS = 30;

/** Drops inbound repeat keys past any retry and status webhooks that never found their message. */
export async function pruneChannelBookkeeping(services: Services, now = Date.now()) {
  const before = (days: number) => new Date(now - days * 86_400_000).toISOString();
  await services.db.deleteFrom('meta_deliveries').where('created_at', '<', before(DELIVERY_KEYS_DAYS)).execute();
  await services.db.deleteFrom('early_delivery_statuses').where('created_at', '<', before(1)).execute();
}

export function scheduleChannelHousekeeping(services: Services) {
  const timer = setInterval(() => {
    pruneChannelBookkeeping(services).catch((err) => services.log.warn({ err, at: nowIso() }, 'channel housekeeping failed'));
  }, 6 * 3600_000);
  timer.unref();
  services.onClose(() => clearInterval(timer));
}
