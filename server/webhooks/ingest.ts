import { DefinitionCache } from '../engine/dispatch/dispatcher';
import type { Services } from '../services';
import { ingestBatch, type Accepted, type Delivery } from './batch-ingest';
import { HookWorkflowCache } from './hook-workflows';
import { KnownEnrolments } from './known-enrolments';
import { MicroBatcher } from './micro-batch';

export type { Ack, Accepted, Delivery } from './batch-ingest';

/** Deliveries gathered into one transaction: at most this many (more wait for the next batch). */
export const MAX_BATCH = 256;

/**
 * Webhook ingestion for one server: `ingest(delivery)` verifies, identifies contacts and stores
 * the event with its runs before resolving — a resolved 202 means nothing can be lost any more.
 * Concurrent deliveries share one transaction (group commit); each still gets its own answer
 * (a rejected promise carries its HttpError).
 */
export function createWebhookIngest(services: Services): (delivery: Delivery) => Promise<Accepted> {
  const definitions = new DefinitionCache();
  const caches = { enrolled: new KnownEnrolments(), hooks: HookWorkflowCache.of(services) };
  // SQLite: a run round holds the event loop, so the executor's turns wait for deliveries already
  // queued (pacer.ts): a 202 is what a sender waits on. PostgreSQL rounds wait on the network instead.
  const holdsLoop = services.store.dialect === 'sqlite';
  const batcher = new MicroBatcher<Delivery, Accepted>(async (batch) => {
    if (batch.length > 1) services.pacer.markBusy();
    try {
      return await ingestBatch(services, definitions, batch, caches);
    } finally {
      if (holdsLoop) services.pacer.deliveriesStored(batch.length);
    }
  }, { maxBatch: MAX_BATCH });
  return holdsLoop ? (delivery) => { services.pacer.deliveryWaiting(); return batcher.submit(delivery); } : (delivery) => batcher.submit(delivery);
}
