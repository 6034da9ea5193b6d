import { afterEach, beforeEach, expect, it } from 'vitest';
import { loopGuardNote, onceSkippedNote } from '../engine/dispatch/dispatcher';
import { openStore, type Store } from '../store/database';
import { callerNotes } from './caller-notes';

let store: Store;
beforeEach(async () => {
  store = await openStore({ sqliteFile: ':memory:' });
  const at = '2026-01-01T00:00:00.000Z';
  await store.db.insertInto('workflows').values({
    id: WF, name: 'On paid', status: 'published', trigger_type: 'mini_app', definition: '{}', version: 1, webhook_token: null, created_at: at, updated_at: at, published_at: at,
  }).execute();
  await store.db.insertInto('contacts').values({ id: CON, first_name: 'Maria', last_name: 'Lopez', phone: null, email: 'maria@example.com', tags: '[]', fields: '{}', created_at: at, updated_at: at }).execute();
});
afterEach(async () => { await store.close(); });

const WF = 'wf_01M97WFMKVKPE0R9ZG27NKE2DJ';
const GONE = 'wf_01M97WFMKVKPE0R9ZG27NKE2DK';
const CON = 'con_01M97WFMJMTY35X3J66JCFG60E';

it.each([
  ['once per contact, to a caller that reads contacts', onceSkippedNote([`${WF} for ${CON}`]), true,
    'once per contact: Maria Lopez (maria@example.com) was already enrolled in workflow "On paid", so it did not start again'],
  ['once per contact, to one that may not', onceSkippedNote([`${WF} for ${CON}`]), false,
    'once per contact: the contact was already enrolled in workflow "On paid", so it did not start again'],
  ['a workflow deleted since the note was stored', onceSkippedNote([`${WF} for ${CON}`, `${GONE} for ${CON}`]), true,
    'once per contact: Maria Lopez (maria@example.com) was already enrolled in workflow "On paid" and a workflow since deleted, so they did not start again'],
  ['the loop guard', loopGuardNote(11, [WF]), true,
    'not started: the loop guard stops chains deeper than 10 workflows triggering each other (this change came from a chain of 11): workflow "On paid"'],
  ['a note naming nothing of ours', 'No published workflow uses trigger "paid" (Paid) of app "Payments"; no run started: publish a workflow with this trigger in the workspace', true,
    'No published workflow uses trigger "paid" (Paid) of app "Payments"; no run started: publish a workflow with this trigger in the workspace'],
])('%s', async (_, note, seesContacts, told) => {
  expect(await callerNotes(store.db, note, seesContacts)).toEqual({ notes: [told] });
});

it('no note, no notes', async () => {
  expect(await callerNotes(store.db, null, true)).toEqual({});
});
