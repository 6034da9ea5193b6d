import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { Launcher } from '../../components/launcher/Launcher';
import { messagingApi } from '../../entrypoints/inbox.content/api';
import type { AwaitingAnswer } from '../../lib/contracts/conversations';
import { awaitingAnswersText, awaitingAnswerText } from '../../lib/workflow/waiting-on';
import { fakeBackground, inProcessForms, makeShortcut } from './launcher-fixtures';

// Two workflows' questions wait on the same customer (Chatwoot): the launcher names both, the one
// asked last first, each with its own Take over naming its run, as the built-in inbox's notice does.

const until = new Date(Date.now() + 3_600_000).toISOString();
const order: AwaitingAnswer = { runId: 'run_2', workflowId: 'wf_2', workflowName: 'Order number v2', shortcutName: 'Ask the order', until };
const rating: AwaitingAnswer = { runId: 'run_1', workflowId: 'wf_1', workflowName: 'Rating', until };

function Inbox() {
  const [awaiting, setAwaiting] = useState<AwaitingAnswer[]>([order, rating]);
  const [asked, setAsked] = useState<string[]>([]);
  const takeOver = async (runId: string) => {
    setAsked((a) => [...a, runId]);
    setAwaiting((list) => list.filter((a) => a.runId !== runId));
  };
  return (
    <>
      <textarea aria-label="Reply" />
      <output data-testid="asked">{asked.join(',')}</output>
      <Launcher api={messagingApi} forms={inProcessForms} conversationId="chatwoot:1:101" conversationLabel="#101"
        returnFocus={() => screen.getByRole('textbox', { name: 'Reply' }).focus()} awaiting={awaiting} takeOver={awaiting.length ? takeOver : null} />
    </>
  );
}

async function openMenu(user: ReturnType<typeof userEvent.setup>) {
  const button = screen.getByRole('button', { name: 'Shortcuts' });
  await waitFor(() => expect(button.getAttribute('aria-disabled')).toBeNull());
  await user.click(button);
  return screen.findByTestId('launcher-awaiting-note');
}

describe('the launcher with several questions waiting', () => {
  it('names each, each with its own Take over; taking over one leaves the other, as one question again', async () => {
    fakeBackground({ shortcuts: [makeShortcut('s1', 'Ask the order')] });
    const user = userEvent.setup();
    render(<Inbox />);
    const chip = await screen.findByTestId('launcher-awaiting');
    const both = awaitingAnswersText([order, rating]);
    expect(both).toMatch(/^Waiting for the customer’s answer to Shortcut “Ask the order” \(asked last: a typed reply goes here, until .+\) and Workflow “Rating” \(until .+\); a tapped or quoted reply goes to its own question\.$/);
    expect(chip.title).toBe(both);
    expect(chip.textContent).toBe(`⏳ Awaiting 2 answers${both}`);

    let note = await openMenu(user);
    expect(within(note).getByRole('status').textContent).toBe(both);
    const buttons = within(note).getAllByRole('button');
    expect(buttons.map((b) => [b.textContent, b.dataset.runId])).toEqual([['Take over Shortcut “Ask the order”', 'run_2'], ['Take over Workflow “Rating”', 'run_1']]);
    await user.click(within(note).getByRole('button', { name: 'Take over Workflow “Rating”' }));
    expect(screen.getByTestId('asked').textContent).toBe('run_1');
    // As with one: the panel closes, the editor has the focus, and it is said which one stopped.
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Reply' }));
    await waitFor(() => expect(screen.getByTestId('launcher-announcement').textContent)
      .toBe('Workflow “Rating” stopped: the customer’s next message comes to you.'));

    // The one left is shown as a single question always was.
    const one = awaitingAnswerText(order);
    expect(chip.title).toBe(one);
    expect(chip.textContent).toBe(`⏳ Awaiting answer${one}`);
    note = await openMenu(user);
    expect(within(note).getByRole('status').textContent).toBe(one);
    expect(within(note).getAllByRole('button').map((b) => b.textContent)).toEqual(['Take over']);
    await user.click(within(note).getByRole('button', { name: 'Take over' }));
    expect(screen.getByTestId('asked').textContent).toBe('run_1,run_2');
    await waitFor(() => expect(screen.queryByTestId('launcher-awaiting')).toBeNull());
  });
});
