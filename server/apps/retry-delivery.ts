import type { AppDelivery } from '../../lib/contracts/apps';
import { HttpError, notFound } from '../http-error';
import type { Services } from '../services';
import type { OutboxWorker } from './outbox';
import { rowAppId, toDelivery, UNSUBSCRIBE_KIND } from './outbox-rows';
import { findAppRow } from './store';

/**
 * The admin's "retry now" for a request the app's server has not taken yet (pending or given up):
 * one attempt at once, answered with how it went. Failing again, it goes on with its schedule
 * (or stays given up once past the time limit).
 */
export async function retryDelivery(services: Services, outbox: OutboxWorker, appId: string, deliveryId: string): Promise<AppDelivery> {
  const { db } = services;
  if (!(await findAppRow(db, appId))) throw notFound(`App ${appId}`);
  const row = await db.selectFrom('outbox').select(['id', 'kind', 'body']).where('id', '=', deliveryId).executeTakeFirst();
  if (!row || row.kind !== UNSUBSCRIBE_KIND || rowAppId(row) !== appId) throw notFound(`Delivery ${deliveryId} of app ${appId}`);
  const after = await outbox.deliverNow(deliveryId);
  if (!after) throw new HttpError(409, 'delivery_in_progress', 'This request is being sent right now by another attempt; look at the app again in a moment');
  return toDelivery(after);
}
