import { getContact, updateContact } from '../../domain/contacts';
import { RetryLaterError, StepError } from '../../engine/steps/define';
import { standardFieldTaken, writeStandardField } from '../../engine/steps/standard-field';
import { inTransaction } from '../../events/unit-of-work';
import { nowIso } from '../../ids';
import type { Executor } from '../../store/database';
import type { ConnectorOutput, ContactCall, ContactFieldWrite } from '../registry';
import { ChatwootApiError, type ChatwootApi, type ChatwootContactChange } from './api';
import { accountChannels, knownAccountChannels } from './account-channels';
import { apiFor, setSyncState } from './connections';
import { already, inMirror, mirrorsOf, type Mirror } from './contact-edit';
import { chatwootChange, refusal } from './contact-standard';
import { lockMirror, type ContactState } from './mirror-contact';
import { pendingOf, preRecord, restore } from './pending-state';
import type { CwContact } from './payloads';

/**
 * Whether the contact mirrors a Chatwoot contact of a connected account (a step writing it then
 * runs outside a transaction): a plain false, with no statement, while no account is connected.
 */
export function holdsContact(db: Executor, contactId: string): boolean | Promise<boolean> {
  const known = knownAccountChannels(db);
  if (known?.length === 0) return false;
  return (async () => {
    const channels = known ?? await accountChannels(db);
    if (channels.length === 0) return false;
    return Boolean(await db.selectFrom('channel_identities').select('contact_id').where('contact_id', '=', contactId).where('channel', 'in', channels).executeTakeFirst());
  })();
}

/**
 * Update Contact Field on a contact that lives in Chatwoot (the mirror knows its Chatwoot contact)
 * while no Chatwoot conversation of it is open: as on a conversation (contact-standard.ts, the
 * connector's setField) and as an agent's edit (contact-edit.ts), the Chatwoot contact is written
 * first, one PUT …/contacts/{id} per connected account, then the contact here, so Contact Field
 * Updated fires once with the workflow as its cause. Written here only, the change would never be
 * seen by the agent in Chatwoot, and Chatwoot's next word on the contact would tell another story.
 *
 * The companion's duplicate check comes first; the applied state takes the value before the PUT
 * (pending-state.ts), so Chatwoot's contact_updated echo finds nothing new; a refusal fails the
 * step with Chatwoot's reason, puts the old value back and writes nothing here. Chatwoot busy or
 * down puts the step off; when the request may have arrived (a 502, a lost answer, a crash), the
 * next try reads the Chatwoot contact first and sends the PUT again only if it does not hold the value.
 *
 * Tags are not written here: the mirror's tags are conversation labels, and with none open there
 * is no label to write. Chatwoot's contact labels (POST …/contacts/{id}/labels,
 * https://developers.chatwoot.com/api-reference/contact-labels/add-labels) are another list, with
 * no webhook, which the mirror never reads: the tag stays the companion's, as one whose label the
 * account does not define does (labels.ts).
 */
export async function setContactField(call: ContactCall, write: ContactFieldWrite): Promise<ConnectorOutput | undefined> {
  const { services, contactId } = call;
  const mirrors = await mirrorsOf(services, contactId);
  if (mirrors.length === 0) return undefined;
  const cause = call.cause ?? { source: 'workflow' };
  const once = call.once ?? (<R>(fn: () => Promise<R>) => fn());
  return once(async () => {
    const contact = await getContact(services.db, contactId);
    if ('standard' in write) {
      const taken = await standardFieldTaken(services.db, contactId, write.standard, write.value);
      if (taken) throw new StepError(taken);
    }
    const change: ChatwootContactChange = 'standard' in write
      ? chatwootChange(write.standard, write.value, contact)
      : { custom_attributes: { [write.field]: write.value } };
    const calls: ReturnType<typeof logged> = [];
    const pushed: Mirror[] = [];
    for (const mirror of mirrors) {
      const api = apiFor(services, mirror.conn, call.cancellation);
      try {
        await pushTo(call, api, mirror, change, write, pushed);
      } finally {
        calls.push(...logged(call, api));
      }
      pushed.push(mirror);
    }
    const written = await inTransaction(services.db, async (uow) => {
      // As a webhook applying this contact would: one writer of each account's mirror at a time.
      for (const m of mirrors) await lockMirror({ uow, services, conn: m.conn });
      if ('standard' in write) return writeStandardField({ services, contactId, cause }, uow, write.standard, write.value);
      const before = await getContact(uow.trx, contactId);
      await updateContact(uow, services, contactId, { fields: { [write.field]: write.value } }, cause, before);
      return { oldValue: before.fields[write.field] ?? null, newValue: write.value };
    });
    if ('error' in written) throw new StepError(`${written.error} (${already(pushed)})`);
    return { field: 'standard' in write ? write.standard : write.field, ...written, chatwootContactId: mirrors[0]!.cwId, chatwoot: calls };
  });
}

/** One account's PUT; throws the step's error when Chatwoot did not take it (the applied state as it was). */
async function pushTo(call: ContactCall, api: ChatwootApi, { conn, cwId }: Mirror, change: ChatwootContactChange, write: ContactFieldWrite, pushed: Mirror[]) {
  const { services } = call;
  const marker = `${call.idempotencyKey}:chatwoot:${conn.row.id}`;
  try {
    const sentBefore = await services.db.selectFrom('step_effects').select('key').where('key', '=', marker).executeTakeFirst();
    if (sentBefore) {
      const held = stateOf(await api.contact(cwId));
      if (holds(held, change)) return;
      // It did not land: the applied state holds Chatwoot's values again before this try records its own.
      await inMirror(services, conn, (ctx) => restore(ctx, cwId, pendingOf(change), held));
    }
    const previous = await inMirror(services, conn, (ctx) => preRecord(ctx, cwId, pendingOf(change)));
    if (!sentBefore) await services.db.insertInto('step_effects').values({ key: marker, result: '"sent"', created_at: nowIso() }).execute();
    try {
      await api.updateContact(cwId, change);
    } catch (err) {
      // A request that may have arrived (a 502 after the save) keeps the new value: its echo is ours.
      if (!(err instanceof ChatwootApiError) || err.noEffect) {
        await inMirror(services, conn, (ctx) => restore(ctx, cwId, pendingOf(change), previous));
        await services.db.deleteFrom('step_effects').where('key', '=', marker).execute();
      }
      throw err;
    }
  } catch (err) {
    if (!(err instanceof ChatwootApiError)) throw err;
    if (err.reason === 'unauthorized') await setSyncState(services.db, conn.row.id, { error: err.message });
    const also = pushed.length ? ` (${already(pushed)})` : '';
    if (err.status === 422) throw new StepError(`${refused(write, cwId, err.answer)}${also}`, { cause: err });
    // Busy or down: the step waits and tries again (reading first when this request may have arrived).
    if (err.transient) throw new RetryLaterError(`${err.message}${also}`, err.retryAfterMs);
    throw new StepError(`${err.message}${also}`, { cause: err });
  }
}

function refused(write: ContactFieldWrite, cwId: number, answer: string) {
  if ('standard' in write) return refusal(write.standard, write.value, cwId, answer);
  return `Chatwoot refused to set the attribute ${write.field} of its contact ${cwId} ("${answer || 'unprocessable'}"). Nothing was changed, here or in Chatwoot`;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** A Chatwoot contact as read, in the applied state's terms. */
const stateOf = (cw: CwContact): ContactState =>
  ({ name: (cw.name ?? '').trim(), email: cw.email?.toLowerCase() || null, phone: cw.phone_number || null, custom_attributes: cw.custom_attributes });

/** Whether Chatwoot's contact holds everything the PUT sets ("" clears an email or phone). */
function holds(held: ContactState, change: ChatwootContactChange): boolean {
  const pending = pendingOf(change);
  return (['name', 'email', 'phone'] as const).every((k) => pending[k] === undefined || pending[k] === held[k])
    && Object.entries(pending.custom_attributes ?? {}).every(([k, v]) => same(held.custom_attributes[k], v));
}

/** The account's requests, in the step's log as on a conversation. */
function logged(call: ContactCall, api: ChatwootApi) {
  const calls = api.calls.splice(0).map((c) => ({ request: `${c.method} ${c.path}`, status: c.status, answer: c.answer }));
  for (const c of calls) call.note(`Chatwoot ${c.request} → ${c.status ?? 'no answer'} ${c.answer}`);
  return calls;
}
