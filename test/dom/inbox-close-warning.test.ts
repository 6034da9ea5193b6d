import { describe, expect, it } from 'vitest';
import { closeWarning } from '../../server/inbox/src/activity';

// The inbox's Close dialog: closing stops every workflow waiting for the customer's answer
// (server/domain/closing-questions.ts), so it names every one, not only the one the conversation
// shows (with two waiting it said “Rating U” alone and the close stopped both).

const now = Date.parse('2026-03-02T10:00:00Z');
const waiting = (workflowName: string, until = '2026-03-02T10:10:00Z') => ({ runId: `run_${workflowName}`, workflowName, until });
// Launched from a shortcut whose label in the agents' menu is not the workflow's name.
const launched = (shortcutName: string, workflowName: string) => ({ ...waiting(workflowName), shortcutName });
const tail = ', which is waiting for the customer’s answer: their next message opens a new conversation and no workflow gets it. Cancel to keep the conversation open.';
const tails = tail.replace('which is', 'which are');

describe('closeWarning', () => {
  it.each([
    ['nothing waits', [], null],
    ['one waits', [waiting('Ask order number')], `Closing stops the workflow “Ask order number”${tail}`],
    ['two wait', [waiting('Rating U'), waiting('Ask order number')], `Closing stops the workflows “Rating U” and “Ask order number”${tails}`],
    ['three wait', [waiting('Rating U'), waiting('Ask order number'), waiting('NPS')], `Closing stops the workflows “Rating U”, “Ask order number” and “NPS”${tails}`],
    ['one of two has timed out', [waiting('Rating U', '2026-03-02T09:59:00Z'), waiting('Ask order number')], `Closing stops the workflow “Ask order number”${tail}`],
    ['every one has timed out', [waiting('Rating U', '2026-03-02T10:00:00Z')], null],
    // Named as the notice above the composer names it (awaitingWho): by the shortcut's label.
    ['one launched from a shortcut', [launched('Ask the order', 'Order questions v2')], `Closing stops Shortcut “Ask the order”${tail}`],
    ['a shortcut and a workflow', [launched('Ask the order', 'Order questions v2'), waiting('Rating U')], `Closing stops Shortcut “Ask the order” and Workflow “Rating U”${tails}`],
    ['a shortcut without its label (an older run)', [{ ...waiting('Rating U'), shortcutName: null }], `Closing stops the workflow “Rating U”${tail}`],
  ])('%s', (_, awaiting, expected) => {
    expect(closeWarning(awaiting, now)).toBe(expected);
  });
});
