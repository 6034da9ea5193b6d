import { describe, expect, it } from 'vitest';
import { takeOverLine, type TakeOverAssignment } from './take-over-assign';

const ben = { id: 'usr_ben', name: 'Ben' };

describe('takeOverLine: the thread\'s line for a take over', () => {
  it.each<[string, string | null, number, TakeOverAssignment | undefined, string | null, string | null]>([
    ['stopped and assigned', 'workflow “Ask order”', 0, { outcome: 'assigned', assigneeId: 'usr_ben' }, null,
      'Ben took over: workflow “Ask order” stopped; the conversation is assigned to Ben'],
    ['stopped, a colleague keeps it', 'shortcut “Ask order”', 0, { outcome: 'kept', assigneeId: 'usr_ava' }, 'Ava',
      'Ben took over: shortcut “Ask order” stopped; it stays assigned to Ava'],
    ['stopped, already theirs', 'workflow “Ask order”', 0, { outcome: 'yours', assigneeId: 'usr_ben' }, null, 'Ben took over: workflow “Ask order” stopped'],
    ['stopped with runs queued behind', 'workflow “Ask order”', 2, { outcome: 'yours', assigneeId: 'usr_ben' }, null,
      'Ben took over: workflow “Ask order” stopped with 2 more runs of it queued behind'],
    ['the other inbox refused the assignment', 'workflow “Ask order”', 0, { outcome: 'failed', assigneeId: null, message: 'No Chatwoot agent' }, null,
      'Ben took over: workflow “Ask order” stopped; it could not be assigned to Ben (No Chatwoot agent)'],
    // Only an assignment happened: the line an Assign writes, not a take over (review r-team).
    ['nothing stopped, but assigned', null, 0, { outcome: 'assigned', assigneeId: 'usr_ben' }, null, 'Ben self-assigned this conversation'],
    ['nothing stopped, the other inbox refused the assignment: nothing happened, no line', null, 0, { outcome: 'failed', assigneeId: null, message: 'No Chatwoot agent' }, null, null],
    ['nothing stopped, nothing changed: no line', null, 0, { outcome: 'yours', assigneeId: 'usr_ben' }, null, null],
    ['nothing stopped on a closed conversation: no line', null, 0, undefined, null, null],
  ])('%s', (_name, stoppedRun, queued, assignment, keptBy, expected) => {
    expect(takeOverLine(ben, stoppedRun, queued, assignment, keptBy)?.text ?? null).toBe(expected);
  });
});
