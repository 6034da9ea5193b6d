import type { WorkflowDefinition } from '../../lib/contracts/workflow';
import { itemPlan, type ItemPlan } from '../../lib/workflow/webhook-items';
import type { DefinitionCache } from '../engine/dispatch/dispatcher';
import { HttpError } from '../http-error';
import { openStored } from '../secrets/at-rest';
import type { Services } from '../services';
import type { Executor } from '../store/database';
import { workflowsByToken, type HookWorkflowRow } from './batch-store';

type WebhookTrigger = Extract<WorkflowDefinition['trigger'], { type: 'incoming_webhook' }>;
/** A published webhook workflow as ingestion uses it; `items` is null when its identifier does not iterate. */
export interface HookWorkflow { id: string; version: number; definition: WorkflowDefinition; trigger: WebhookTrigger; items: ItemPlan | null }

const TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

/**
 * The workflow rows behind webhook URL tokens, kept between batches. Each batch read them
 * again: on PostgreSQL a round trip of its own before the contacts could be looked up, a third
 * of the batch's waits (one instance, 20,000 deliveries: acknowledgements +15 %, completed runs
 * +15 %, bench/RESULTS.md). Every change to a workflow announces `definitions.changed`, on every
 * instance (pg-bridge.ts), and that empties the cache, so an unpublish, an edit, a new URL or
 * signing secret counts from the next batch on, as before. A row read while such a change was
 * being made is not kept (the generation moved meanwhile). Anything changed behind the API's
 * back is seen within TTL_MS.
 */
export class HookWorkflowCache {
  private rows = new Map<string, { row: HookWorkflowRow; until: number }>();
  private generation = 0;

  static of(services: Services): HookWorkflowCache {
    const cache = new HookWorkflowCache();
    const stop = services.live.watch('definitions.changed', () => cache.clear());
    services.onClose(stop);
    return cache;
  }

  /** The rows of these tokens (a token naming no workflow is left out), read only where not cached. */
  async get(db: Executor, tokens: readonly string[], now = Date.now()): Promise<Map<string, HookWorkflowRow>> {
    const found = new Map<string, HookWorkflowRow>();
    const missing: string[] = [];
    for (const token of tokens) {
      const hit = this.rows.get(token);
      if (hit && hit.until > now) found.set(token, hit.row);
      else missing.push(token);
    }
    if (missing.length === 0) return found;
    const generation = this.generation;
    const read = await workflowsByToken(db, missing);
    const keep = generation === this.generation;
    for (const [token, row] of read) {
      found.set(token, row);
      if (!keep) continue;
      if (this.rows.size >= MAX_ENTRIES) this.rows.clear();
      this.rows.set(token, { row, until: now + TTL_MS });
    }
    return found;
  }

  clear() {
    this.generation++;
    this.rows.clear();
  }
}

// Opening a sealed secret is an AES-GCM decryption: once per sealed value, not per delivery.
const openedSecrets = new Map<string, string>();
function signingSecretOf(services: Services, sealed: string | null | undefined): string | undefined {
  if (!sealed) return undefined;
  let secret = openedSecrets.get(sealed);
  if (secret === undefined) {
    try {
      secret = openStored(services.vault, sealed);
    } catch {
      // Sealed under another key (key-check.ts stops a start whose key opens nothing; one row can
      // still differ), or forgotten with a lost key (forget-secrets): no delivery can be checked,
      // and none is taken unchecked. A 5xx: senders retry.
      throw new HttpError(503, 'signing_secret_unreadable', 'This workflow\'s signing secret cannot be read with the server\'s secret key (sealed with another key, or forgotten when a lost key was replaced): deliveries cannot be checked until an admin sets the secret again');
    }
    if (openedSecrets.size >= 1_000) openedSecrets.clear();
    openedSecrets.set(sealed, secret);
  }
  return secret;
}

/** The workflow behind a row, if it is a published webhook workflow. */
export function hookWorkflow(definitions: DefinitionCache, row: HookWorkflowRow | undefined, services: Services): HookWorkflow | undefined {
  if (!row || row.status !== 'published') return undefined;
  let definition: WorkflowDefinition;
  try { definition = definitions.get(row); } catch { return undefined; }
  const trigger = definition.trigger;
  if (trigger.type !== 'incoming_webhook') return undefined;
  // Kept sealed in its own column; a definition stored before that still carries it in clear.
  const signingSecret = signingSecretOf(services, row.webhook_signing_secret) ?? trigger.signingSecret;
  return { id: row.id, version: row.version, definition, trigger: signingSecret ? { ...trigger, signingSecret } : trigger, items: itemPlanOf(trigger) };
}

// Whether (and how) a trigger's deliveries split into items is decided once per parsed
// definition (DefinitionCache keeps one per version), never per delivery: a delivery naming one
// contact pays this lookup and nothing else.
const itemPlans = new WeakMap<WebhookTrigger, ItemPlan | null>();
function itemPlanOf(trigger: WebhookTrigger): ItemPlan | null {
  let plan = itemPlans.get(trigger);
  if (plan === undefined) itemPlans.set(trigger, (plan = itemPlan(trigger.identifier.jsonKey, trigger.mappings)));
  return plan;
}
