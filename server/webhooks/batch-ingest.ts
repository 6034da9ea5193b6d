import type { WorkflowDefinition } from '../../lib/contracts/workflow';
import { DefinitionCache, onceSkippedNote, queuedRunRow } from '../engine/dispatch/dispatcher';
import { runTriggerVariables, triggerMatchOf } from '../engine/dispatch/event-triggers';
import { inTransaction } from '../events/unit-of-work';
import { HttpError } from '../http-error';
import { newId, nowIso } from '../ids';
import type { Services } from '../services';
import { isUniqueViolation, toJson, type Executor } from '../store/database';
import type { EventsTable, RunsTable } from '../store/schema';
import { checkedKey, keyReused, requestHash, sameRequest } from '../idempotency/request-key';
import { verifySignature } from '../signing/standard-webhooks';
import { extractBody, findContacts, resolveContacts, want, type BodyExtraction } from './batch-identify';
import { cachedDefaultCountry } from '../domain/default-country';
import { openStored } from '../secrets/at-rest';
import { enrol, type HookWorkflowRow, insertEvents, insertRuns, openConversations, pairKey, pairsWithUnfinishedRuns, previousAcks, workflowsByToken } from './batch-store';
import type { Outcome } from './micro-batch';
import type { KnownEnrolments } from './known-enrolments';

export interface Delivery { token: string; rawBody: string; body: unknown; headers: Record<string, string | string[] | undefined> }
export interface Ack { eventId: string; runIds: string[] }
export interface Accepted { ack: Ack; duplicate: boolean }

type WebhookTrigger = Extract<WorkflowDefinition['trigger'], { type: 'incoming_webhook' }>;
interface HookWorkflow { id: string; version: number; definition: WorkflowDefinition; trigger: WebhookTrigger }

const notFound = () => new HttpError(404, 'not_found', 'No published webhook workflow has this URL');
// URL tokens are base64url (randomSecret); anything else names no workflow and is not worth a query.
const TOKEN = /^[A-Za-z0-9_-]{1,200}$/;

/**
 * Ingests a batch of webhook deliveries in ONE transaction, with set-based reads and multi-row
 * writes, and the same rows and answers as one delivery at a time through the event recorder
 * and the engine's dispatcher (a 'webhook.received' event; one queued run per contact, unless
 * once-per-contact forbids it). Every delivery gets its own outcome; the 202s count only once
 * the transaction has committed. If the transaction fails, the deliveries are retried one by one.
 */
export async function ingestBatch(services: Services, definitions: DefinitionCache, deliveries: Delivery[], enrolled?: KnownEnrolments): Promise<Outcome<Accepted>[]> {
  try {
    return await ingestTogether(services, definitions, deliveries, enrolled);
  } catch (err) {
    if (deliveries.length === 1) return [await alone(services, definitions, deliveries[0]!, err, enrolled)];
    services.log.warn({ err, deliveries: deliveries.length }, 'webhook batch failed; ingesting its deliveries one by one');
    const outcomes: Outcome<Accepted>[] = [];
    for (const d of deliveries) {
      try {
        outcomes.push(...(await ingestTogether(services, definitions, [d], enrolled)));
      } catch (e) {
        outcomes.push(await alone(services, definitions, d, e, enrolled));
      }
    }
    return outcomes;
  }
}

/** A single delivery whose transaction failed: a concurrent twin (same key) answers like the first. */
async function alone(services: Services, definitions: DefinitionCache, d: Delivery, err: unknown, enrolled?: KnownEnrolments): Promise<Outcome<Accepted>> {
  if (isUniqueViolation(err)) {
    try { return (await ingestTogether(services, definitions, [d], enrolled))[0]!; } catch (again) { return { ok: false, error: again }; }
  }
  return { ok: false, error: err };
}

interface Item {
  workflow: HookWorkflow;
  key: string | undefined;
  /** With a key: SHA-256 of the raw body, to tell a retry from a reuse of the key. */
  hash: string | undefined;
  /** Set once the delivery is known not to be a repeat of an earlier one. */
  extraction?: BodyExtraction;
}

async function ingestTogether(services: Services, definitions: DefinitionCache, deliveries: Delivery[], enrolled?: KnownEnrolments): Promise<Outcome<Accepted>[]> {
  const outcomes: Outcome<Accepted>[] = new Array(deliveries.length);
  const fail = (i: number, error: unknown) => { outcomes[i] = { ok: false, error }; };
  const created: { runId: string; workflowId: string }[] = [];

  await inTransaction(services.db, async (uow) => {
    const trx = uow.trx;
    const workflows = await workflowsByToken(trx, [...new Set(deliveries.map((d) => d.token).filter((t) => TOKEN.test(t)))]);

    // Per delivery, before any write: workflow, signature, delivery id (in this order, as before).
    const items: (Item | undefined)[] = deliveries.map((d, i) => {
      const workflow = hookWorkflow(definitions, workflows.get(d.token), services);
      if (!workflow) return void fail(i, notFound());
      let deliveryId: string | undefined | HttpError;
      if (workflow.trigger.signingSecret) {
        const verified = verifySignature(workflow.trigger.signingSecret, d.headers, d.rawBody);
        if (!verified.ok) return void fail(i, new HttpError(401, 'invalid_signature', `Signature check failed: ${verified.reason}`));
        deliveryId = checkedKey(verified.id, 'webhook-id');
      } else {
        deliveryId = checkedKey(d.headers['idempotency-key']);
      }
      if (deliveryId instanceof HttpError) return void fail(i, deliveryId);
      return deliveryId
        ? { workflow, key: `hook:${workflow.id}:${deliveryId}`, hash: requestHash(d.rawBody) }
        : { workflow, key: undefined, hash: undefined };
    });

    // National phone numbers are read in the workspace's country (one read per batch, only when needed).
    const country = items.some((it) => it?.workflow.trigger.identifier.type === 'phone') ? await cachedDefaultCountry(services.db, trx) : null;
    const keys = [...new Set(items.flatMap((it) => (it?.key ? [it.key] : [])))];
    const earlier = await previousAcks(trx, keys);
    const wanted = new Map<BodyExtraction['identifier']['type'], Set<string>>();
    items.forEach((it, i) => {
      if (!it) return;
      const previous = it.key ? earlier.get(it.key) : undefined;
      if (previous) {
        outcomes[i] = sameRequest(previous.hash, it.hash)
          ? { ok: true, value: { ack: { eventId: previous.eventId, runIds: previous.runIds }, duplicate: true } }
          : { ok: false, error: keyReused() };
        items[i] = undefined;
        return;
      }
      it.extraction = extractBody(it.workflow.trigger, deliveries[i]!.body);
      want(wanted, it.extraction, country);
    });
    const contacts = wanted.size > 0 ? await findContacts(trx, wanted) : new Map<string, string>();

    // In arrival order, as if one at a time: the first valid delivery of a key is stored; later
    // copies of it (in this batch) answer with its ack. A copy arriving before it stands alone.
    const now = nowIso();
    const leaders = new Map<string, number>();
    const followers: [number, number][] = [];
    const accepted: { i: number; it: Item; contactIds: string[]; eventId: string }[] = [];
    items.forEach((it, i) => {
      if (!it) return;
      const leader = it.key !== undefined ? leaders.get(it.key) : undefined;
      if (leader !== undefined) {
        if (!sameRequest(items[leader]?.hash, it.hash)) return void fail(i, keyReused());
        return void followers.push([i, leader]);
      }
      const found = resolveContacts(contacts, it.extraction!, country);
      if ('error' in found) return void fail(i, found.error);
      if (it.key !== undefined) leaders.set(it.key, i);
      accepted.push({ i, it, contactIds: found.contactIds, eventId: newId('evt') });
    });
    if (accepted.length === 0) return;

    // Dispatch, as the engine does for an incoming_webhook trigger (set-based).
    const pairs = new Map<string, { workflow_id: string; contact_id: string }>();
    for (const a of accepted) for (const c of a.contactIds) pairs.set(pairKey(a.it.workflow.id, c), { workflow_id: a.it.workflow.id, contact_id: c });
    // Pairs known to be enrolled need no insert (it would write nothing): most deliveries repeat a pair.
    const unknown = enrolled ? [...pairs.values()].filter((p) => !enrolled.has(p.workflow_id, p.contact_id)) : [...pairs.values()];
    const fresh = unknown.length > 0 ? await enrol(trx, unknown, now) : new Set<string>();
    if (enrolled && unknown.length > 0) uow.afterCommit(() => enrolled.add(unknown));
    // SQLite: a run behind an unfinished run of its pair is stored blocked, as a claim would mark
    // it (one write per run saved, and it never enters runs_ready). The transaction holds the only
    // writer, so the answer cannot change before the commit. PostgreSQL asks nothing: another
    // instance could end the earlier run meanwhile and leave this one to the re-checks. There only
    // a run behind another of this batch is stored blocked (that one cannot end before the commit):
    // a burst of one contact is then one head per batch for the picks, not a backlog to read.
    const busy = services.store.dialect === 'sqlite' ? await pairsWithUnfinishedRuns(trx, [...pairs.values()]) : new Set<string>();
    const conversations = await openConversations(trx, [...new Set(accepted.flatMap((a) => a.contactIds))]);
    const claimed = new Set<string>();
    const events: EventsTable[] = [];
    const runs: RunsTable[] = [];
    for (const a of accepted) {
      const { workflow } = a.it;
      const extraction = a.it.extraction!;
      const payload = { workflowId: workflow.id, contactIds: a.contactIds, variables: extraction.variables, errors: extraction.errors };
      const event = { id: a.eventId, type: 'webhook.received' as const, depth: 0 };
      const match = triggerMatchOf({ type: 'webhook.received', source: 'api', payload })!;
      const triggerVariables = runTriggerVariables(workflow.definition.trigger, match);
      // Mapping errors belong to the run: its log starts with them, the variables stay empty.
      const stepLog = extraction.errors.length === 0 ? undefined : JSON.stringify([{
        stepId: 'trigger', type: 'trigger', status: 'completed',
        notes: extraction.errors.map((e) => `mapping ${e.variable}: ${e.message}`),
        output: { variables: extraction.variables }, startedAt: now, endedAt: now,
      }]);
      const runIds: string[] = [];
      const skipped: string[] = [];
      for (const contactId of match.contactIds) {
        const pair = pairKey(workflow.id, contactId);
        const firstEnrolment = fresh.has(pair) && !claimed.has(pair);
        claimed.add(pair);
        if (workflow.definition.oncePerContact && !firstEnrolment) { skipped.push(`${workflow.id} for ${contactId}`); continue; }
        const id = newId('run');
        const row = queuedRunRow({ id, workflow, contactId, conversationId: conversations.get(contactId) ?? null, event, triggerVariables, now, ...(stepLog ? { stepLog } : {}) });
        if (busy.has(pair)) row.blocked = 1;
        busy.add(pair); // the next run of the pair in this batch waits for this one
        runs.push(row);
        runIds.push(id);
        created.push({ runId: id, workflowId: workflow.id });
      }
      events.push({
        id: a.eventId, type: 'webhook.received', source: 'api', contact_id: null, payload: toJson(payload),
        idempotency_key: a.it.key ?? null, depth: 0, note: skipped.length > 0 ? onceSkippedNote(skipped) : null, created_at: now,
        run_ids: a.it.key ? toJson(runIds) : null, request_hash: a.it.hash ?? null,
      });
      outcomes[a.i] = { ok: true, value: { ack: { eventId: a.eventId, runIds }, duplicate: false } };
    }
    for (const [i, leader] of followers) {
      const first = outcomes[leader];
      outcomes[i] = first?.ok ? { ok: true, value: { ack: first.value.ack, duplicate: true } } : first!;
    }
    await write(trx, events, runs);
    if (created.length > 0) {
      uow.afterCommit(() => {
        services.runSignal.notify();
        for (const c of created) services.live.publish({ type: 'run.updated', runId: c.runId, workflowId: c.workflowId, status: 'queued' });
      });
    }
  });
  return outcomes;
}

async function write(trx: Executor, events: EventsTable[], runs: RunsTable[]) {
  await insertEvents(trx, events);
  await insertRuns(trx, runs);
}

// Opening a sealed secret is an AES-GCM decryption: once per sealed value, not per delivery.
const openedSecrets = new Map<string, string>();
function signingSecretOf(services: Services, sealed: string | null | undefined): string | undefined {
  if (!sealed) return undefined;
  let secret = openedSecrets.get(sealed);
  if (secret === undefined) {
    secret = openStored(services.vault, sealed);
    if (openedSecrets.size >= 1_000) openedSecrets.clear();
    openedSecrets.set(sealed, secret);
  }
  return secret;
}

function hookWorkflow(definitions: DefinitionCache, row: HookWorkflowRow | undefined, services: Services): HookWorkflow | undefined {
  if (!row || row.status !== 'published') return undefined;
  let definition: WorkflowDefinition;
  try { definition = definitions.get(row); } catch { return undefined; }
  const trigger = definition.trigger;
  if (trigger.type !== 'incoming_webhook') return undefined;
  // Kept sealed in its own column; a definition stored before that still carries it in clear.
  const signingSecret = signingSecretOf(services, row.webhook_signing_secret) ?? trigger.signingSecret;
  return { id: row.id, version: row.version, definition, trigger: signingSecret ? { ...trigger, signingSecret } : trigger };
}
