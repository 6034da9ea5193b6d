import type { WebhookAck } from '../../lib/contracts/webhooks';
import { DefinitionCache, onceSkippedNote, queuedRunRow } from '../engine/dispatch/dispatcher';
import { runTriggerVariables, triggerMatchOf } from '../engine/dispatch/event-triggers';
import { inTransaction, type UnitOfWork } from '../events/unit-of-work';
import { HttpError } from '../http-error';
import { newId, nowIso } from '../ids';
import type { Services } from '../services';
import { isUniqueViolation, toJson, type Executor } from '../store/database';
import type { EventsTable, RunsTable } from '../store/schema';
import { checkedKey, keyReused, requestHash, sameRequest } from '../idempotency/request-key';
import { senderNote } from './sender-notes';
import { unsignedDeliveryKey } from './provider-delivery-id';
import { verifySignature } from '../signing/standard-webhooks';
import type { MappedValue, MappingError } from '../../lib/workflow/jsonpath-mapping';
import { extractBody, findContacts, resolveContacts, want, type BodyExtraction, type ItemRun } from './batch-identify';
import { cachedDefaultCountry } from '../domain/default-country';
import { enrol, fitsOneInsert, insertEvents, insertEventsAndRuns, insertRuns, pairKey, pairsWithUnfinishedRuns, previousAcks, workflowsByToken } from './batch-store';
import type { Outcome } from './micro-batch';
import type { KnownEnrolments } from './known-enrolments';
import { hookWorkflow, type HookWorkflow, type HookWorkflowCache } from './hook-workflows';

/** `rawBody`: the body as sent (bytes when not UTF-8): signatures and the idempotency hash are over it. */
export interface Delivery { token: string; rawBody: string | Buffer; body: unknown; headers: Record<string, string | string[] | undefined> }
export type Ack = WebhookAck;
export interface Accepted { ack: Ack; duplicate: boolean }

const notFound = () => new HttpError(404, 'not_found', 'No published webhook workflow has this URL');
// URL tokens are base64url (randomSecret); anything else names no workflow and is not worth a query.
const TOKEN = /^[A-Za-z0-9_-]{1,200}$/;

/** What a process keeps between batches (each optional: without, every batch reads afresh). */
export interface IngestCaches { enrolled?: KnownEnrolments; hooks?: HookWorkflowCache }

/**
 * Ingests a batch of webhook deliveries in ONE transaction, with set-based reads and multi-row
 * writes, and the same rows and answers as one delivery at a time through the event recorder
 * and the engine's dispatcher (a 'webhook.received' event; one queued run per contact, unless
 * once-per-contact forbids it). Every delivery gets its own outcome; the 202s count only once
 * the transaction has committed. If the transaction fails, the deliveries are retried one by one.
 */
export async function ingestBatch(services: Services, definitions: DefinitionCache, deliveries: Delivery[], caches: IngestCaches = {}): Promise<Outcome<Accepted>[]> {
  try {
    return await ingestTogether(services, definitions, deliveries, caches);
  } catch (err) {
    if (deliveries.length === 1) return [await alone(services, definitions, deliveries[0]!, err, caches)];
    services.log.warn({ err, deliveries: deliveries.length }, 'webhook batch failed; ingesting its deliveries one by one');
    const outcomes: Outcome<Accepted>[] = [];
    for (const d of deliveries) {
      try {
        outcomes.push(...(await ingestTogether(services, definitions, [d], caches)));
      } catch (e) {
        outcomes.push(await alone(services, definitions, d, e, caches));
      }
    }
    return outcomes;
  }
}

/** A single delivery whose transaction failed: a concurrent twin (same key) answers like the first. */
async function alone(services: Services, definitions: DefinitionCache, d: Delivery, err: unknown, caches: IngestCaches): Promise<Outcome<Accepted>> {
  if (isUniqueViolation(err)) {
    try { return (await ingestTogether(services, definitions, [d], caches))[0]!; } catch (again) { return { ok: false, error: again }; }
  }
  return { ok: false, error: err };
}

interface Item {
  workflow: HookWorkflow;
  key: string | undefined;
  /** With a key: SHA-256 of the raw body, to tell a retry from a reuse of the key. */
  hash: string | undefined;
  /** The header the key came in (a signed delivery's webhook-id), named when the key is reused. */
  header: string;
  /** Set once the delivery is known not to be a repeat of an earlier one. */
  extraction?: BodyExtraction;
}

type Pair = { workflow_id: string; contact_id: string };

/** What the reads decided: the deliveries to store (in arrival order), and what their runs need. */
interface Plan {
  /** `runs` with items (one per item and contact), else one run per contact. */
  accepted: { i: number; it: Item; contactIds: string[]; unmatched: string[]; runs?: ItemRun[]; note?: string }[];
  /** Later copies of a key in this batch: [delivery, its leader]. */
  followers: [number, number][];
  conversations: Map<string, string>;
  pairs: Pair[];
  /** Pairs not known to be enrolled: the write enrols them. */
  unknown: Pair[];
}

interface Rows { events: EventsTable[]; runs: RunsTable[]; created: { runId: string; workflowId: string }[] }

async function ingestTogether(services: Services, definitions: DefinitionCache, deliveries: Delivery[], caches: IngestCaches): Promise<Outcome<Accepted>[]> {
  const { enrolled } = caches;
  const outcomes: Outcome<Accepted>[] = new Array(deliveries.length);
  if (services.store.dialect === 'sqlite') {
    // One writer and synchronous statements: reads and writes in one transaction cost nothing more.
    await inTransaction(services.db, async (uow) => {
      const plan = await readBatch(services, definitions, uow.trx, deliveries, outcomes, caches);
      if (plan) await writeBatch(services, uow, plan, outcomes, enrolled);
    });
    return outcomes;
  }
  // PostgreSQL: every statement is a round trip (and two context switches on a shared machine).
  // The reads need no transaction: at READ COMMITTED each statement sees the latest commits
  // either way, and what changes before the write is what a transaction would not stop either
  // (an unpublish commits before or after; a key stored meanwhile fails the insert, and the
  // deliveries are retried one by one). With every pair known to be enrolled, the write is one
  // statement, its own transaction: events and runs together or not at all. Before: BEGIN,
  // 5 statements and COMMIT per batch; now 2 statements (the workflows come from `hooks`).
  const plan = await readBatch(services, definitions, services.db, deliveries, outcomes, caches);
  if (!plan) return outcomes;
  if (plan.unknown.length === 0 && fitsOneInsert(plan.accepted.length, plan.accepted.reduce((n, a) => n + (a.runs ?? a.contactIds).length, 0))) {
    const rows = buildRows(plan, new Set(), new Set(), outcomes);
    await insertEventsAndRuns(services.db, rows.events, rows.runs);
    published(services, rows.created);
    return outcomes;
  }
  await inTransaction(services.db, (uow) => writeBatch(services, uow, plan, outcomes, enrolled));
  return outcomes;
}

/** Per delivery: workflow, signature, key, repeat, contacts; the answers of those that stop here go to `outcomes`. */
async function readBatch(services: Services, definitions: DefinitionCache, db: Executor, deliveries: Delivery[], outcomes: Outcome<Accepted>[], { enrolled, hooks }: IngestCaches): Promise<Plan | undefined> {
  const fail = (i: number, error: unknown) => { outcomes[i] = { ok: false, error }; };
  const tokens = [...new Set(deliveries.map((d) => d.token).filter((t) => TOKEN.test(t)))];
  const workflows = hooks ? await hooks.get(db, tokens) : await workflowsByToken(db, tokens);

  // Per delivery, before any write: workflow, signature, delivery id (in this order, as before).
  const items: (Item | undefined)[] = deliveries.map((d, i) => {
    let workflow: HookWorkflow | undefined;
    // One workflow whose signing secret cannot be opened fails its own deliveries, not the batch's.
    try { workflow = hookWorkflow(definitions, workflows.get(d.token), services); } catch (err) { return void fail(i, err); }
    if (!workflow) return void fail(i, notFound());
    let deliveryId: string | undefined | HttpError;
    let header = workflow.trigger.signingSecret ? 'webhook-id' : 'Idempotency-Key';
    if (workflow.trigger.signingSecret) {
      const verified = verifySignature(workflow.trigger.signingSecret, d.headers, d.rawBody);
      if (!verified.ok) return void fail(i, new HttpError(401, 'invalid_signature', `Signature check failed: ${verified.reason}`));
      deliveryId = checkedKey(verified.id, header);
    } else {
      ({ id: deliveryId, header } = unsignedDeliveryKey(d.headers));
    }
    if (deliveryId instanceof HttpError) return void fail(i, deliveryId);
    return deliveryId
      ? { workflow, key: `hook:${workflow.id}:${deliveryId}`, hash: requestHash(d.rawBody), header }
      : { workflow, key: undefined, hash: undefined, header };
  });

  // National phone numbers are read in the workspace's country (one read per batch, only when needed).
  const country = items.some((it) => it?.workflow.trigger.identifier.type === 'phone') ? await cachedDefaultCountry(services.db, db) : null;
  const keys = [...new Set(items.flatMap((it) => (it?.key ? [it.key] : [])))];
  const earlier = await previousAcks(db, keys);
  const wanted = new Map<BodyExtraction['identifier']['type'], Set<string>>();
  items.forEach((it, i) => {
    if (!it) return;
    const previous = it.key ? earlier.get(it.key) : undefined;
    if (previous) {
      outcomes[i] = sameRequest(previous.hash, it.hash)
        ? { ok: true, value: { ack: { eventId: previous.eventId, runIds: previous.runIds, unmatched: previous.unmatched, ...notes(previous.note) }, duplicate: true } }
        : { ok: false, error: keyReused(it.header) };
      items[i] = undefined;
      return;
    }
    it.extraction = extractBody(it.workflow.trigger, deliveries[i]!.body, it.workflow.items);
    want(wanted, it.extraction, country);
  });
  const { index: contacts, openConversations: conversations } = wanted.size > 0 ? await findContacts(db, wanted) : { index: new Map<string, string>(), openConversations: new Map<string, string>() };

  // In arrival order, as if one at a time: the first valid delivery of a key is stored; later
  // copies of it (in this batch) answer with its ack. A copy arriving before it stands alone.
  const leaders = new Map<string, number>();
  const followers: [number, number][] = [];
  const accepted: Plan['accepted'] = [];
  items.forEach((it, i) => {
    if (!it) return;
    const leader = it.key !== undefined ? leaders.get(it.key) : undefined;
    if (leader !== undefined) {
      if (!sameRequest(items[leader]?.hash, it.hash)) return void fail(i, keyReused(it.header));
      return void followers.push([i, leader]);
    }
    const found = resolveContacts(contacts, it.extraction!, country);
    if ('error' in found) return void fail(i, found.error);
    if (it.key !== undefined) leaders.set(it.key, i);
    accepted.push({ i, it, contactIds: found.contactIds, unmatched: found.unmatched, ...(found.runs ? { runs: found.runs } : {}), ...(found.note ? { note: found.note } : {}) });
  });
  if (accepted.length === 0) return undefined;

  const pairs = new Map<string, Pair>();
  for (const a of accepted) for (const c of a.contactIds) pairs.set(pairKey(a.it.workflow.id, c), { workflow_id: a.it.workflow.id, contact_id: c });
  // Pairs known to be enrolled need no insert (it would write nothing): most deliveries repeat a pair.
  const unknown = enrolled ? [...pairs.values()].filter((p) => !enrolled.has(p.workflow_id, p.contact_id)) : [...pairs.values()];
  return { accepted, followers, conversations, pairs: [...pairs.values()], unknown };
}

/** Enrolments, then the events and runs, in the caller's transaction. */
async function writeBatch(services: Services, uow: UnitOfWork, plan: Plan, outcomes: Outcome<Accepted>[], enrolled?: KnownEnrolments) {
  const trx = uow.trx;
  const fresh = plan.unknown.length > 0 ? await enrol(trx, plan.unknown, nowIso()) : new Set<string>();
  if (enrolled && plan.unknown.length > 0) uow.afterCommit(() => enrolled.add(plan.unknown));
  // SQLite: a run behind an unfinished run of its pair is stored blocked, as a claim would mark
  // it (one write per run saved, and it never enters runs_ready). The transaction holds the only
  // writer, so the answer cannot change before the commit. PostgreSQL asks nothing: another
  // instance could end the earlier run meanwhile and leave this one to the re-checks. There only
  // a run behind another of this batch is stored blocked (that one cannot end before the commit):
  // a burst of one contact is then one head per batch for the picks, not a backlog to read.
  const busy = services.store.dialect === 'sqlite' ? await pairsWithUnfinishedRuns(trx, plan.pairs) : new Set<string>();
  const rows = buildRows(plan, fresh, busy, outcomes);
  await insertEvents(trx, rows.events);
  await insertRuns(trx, rows.runs);
  uow.afterCommit(() => published(services, rows.created));
}

/** Dispatch, as the engine does for an incoming_webhook trigger (set-based): the rows to write and each delivery's answer. */
function buildRows(plan: Plan, fresh: Set<string>, busy: Set<string>, outcomes: Outcome<Accepted>[]): Rows {
  // Ids (ULIDs) from here on: after every read, so a later batch's runs get later ids.
  const now = nowIso();
  const claimed = new Set<string>();
  const rows: Rows = { events: [], runs: [], created: [] };
  for (const a of plan.accepted) {
    const { workflow } = a.it;
    const extraction = a.it.extraction!;
    const eventId = newId('evt');
    // Values that matched nobody are kept with the event (only when there are some): the event
    // log shows them, and a repeat of a keyed delivery answers them again (previousAcks). With
    // items the event keeps the whole body's variables; each item's are in its runs only, so
    // deleting a contact (its runs) removes them.
    const payload: { workflowId: string; contactIds: string[]; unmatched?: string[]; variables: typeof extraction.variables; errors: typeof extraction.errors } =
      { workflowId: workflow.id, contactIds: a.contactIds, variables: extraction.variables, errors: extraction.errors };
    if (a.unmatched.length > 0) payload.unmatched = a.unmatched;
    const event = { id: eventId, type: 'webhook.received' as const, depth: 0 };
    const match = triggerMatchOf({ type: 'webhook.received', source: 'api', payload })!;
    const runIds: string[] = [];
    const skipped: string[] = [];
    const start = (contactId: string, triggerVariables: Record<string, unknown>, stepLog: string | undefined) => {
      const pair = pairKey(workflow.id, contactId);
      const firstEnrolment = fresh.has(pair) && !claimed.has(pair);
      claimed.add(pair);
      if (workflow.definition.oncePerContact && !firstEnrolment) return void skipped.push(`${workflow.id} for ${contactId}`);
      const id = newId('run');
      const row = queuedRunRow({ id, workflow, contactId, conversationId: plan.conversations.get(contactId) ?? null, event, triggerVariables, now, ...(stepLog ? { stepLog } : {}) });
      if (busy.has(pair)) row.blocked = 1;
      busy.add(pair); // the next run of the pair in this batch waits for this one
      rows.runs.push(row);
      runIds.push(id);
      rows.created.push({ runId: id, workflowId: workflow.id });
    };
    if (a.runs) {
      // Items: each run gets the whole body's variables and its own item's (webhook-items.ts).
      for (const r of a.runs) {
        const item = extraction.items![r.item]!;
        const variables = { ...extraction.variables, ...item.variables };
        start(r.contactId, runTriggerVariables(workflow.definition.trigger, { ...match, variables }), mappingLog([...extraction.errors, ...item.errors], variables, now));
      }
    } else {
      const triggerVariables = runTriggerVariables(workflow.definition.trigger, match);
      const stepLog = mappingLog(extraction.errors, extraction.variables, now);
      for (const contactId of match.contactIds) start(contactId, triggerVariables, stepLog);
    }
    // Why no run started: nobody identified (a guest order), or once per contact.
    const note = a.note ?? (skipped.length > 0 ? onceSkippedNote(skipped) : null);
    rows.events.push({
      id: eventId, type: 'webhook.received', source: 'api', contact_id: null, payload: toJson(payload),
      idempotency_key: a.it.key ?? null, depth: 0, note, created_at: now,
      run_ids: a.it.key ? toJson(runIds) : null, request_hash: a.it.hash ?? null,
    });
    outcomes[a.i] = { ok: true, value: { ack: { eventId, runIds, unmatched: a.unmatched, ...notes(note) }, duplicate: false } };
  }
  for (const [i, leader] of plan.followers) {
    const first = outcomes[leader];
    outcomes[i] = first?.ok ? { ok: true, value: { ack: first.value.ack, duplicate: true } } : first!;
  }
  return rows;
}

/** The event's note in the answer: a sender told 202 with no run learns why (once per contact), without our ids. */
const notes = (note: string | null | undefined): Pick<Ack, 'notes'> => (note ? { notes: [senderNote(note)] } : {});

/** Mapping errors belong to the run: its log starts with them, the variables stay empty. */
function mappingLog(errors: MappingError[], variables: Record<string, MappedValue>, now: string): string | undefined {
  return errors.length === 0 ? undefined : JSON.stringify([{
    stepId: 'trigger', type: 'trigger', status: 'completed',
    notes: errors.map((e) => `mapping ${e.variable}: ${e.message}`),
    output: { variables }, startedAt: now, endedAt: now,
  }]);
}

/** Once committed: the engine (and the other instances) hear of the new runs, and live views of each. */
function published(services: Services, created: Rows['created']) {
  if (created.length === 0) return;
  services.runSignal.notify();
  for (const c of created) services.live.publish({ type: 'run.updated', runId: c.runId, workflowId: c.workflowId, status: 'queued' });
}
