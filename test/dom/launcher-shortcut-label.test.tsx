import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { Launcher } from '../../components/launcher/Launcher';
import { messagingApi } from '../../entrypoints/inbox.content/api';
import type { AwaitingAnswer } from '../../lib/contracts/conversations';
import { fakeBackground, inProcessForms, makeShortcut } from './launcher-fixtures';

// What waits on the customer, named as the agent knows it: a shortcut's label in the menu ("Ask
// the order") may differ from its workflow's name ("Order number v2"), and the agent clicked the label.

const until = () => new Date(Date.now() + 3_600_000).toISOString();

function Inbox({ first }: { first: AwaitingAnswer }) {
  const [awaiting, setAwaiting] = useState<AwaitingAnswer | null>(first);
  return (
    <>
      <textarea aria-label="Reply" />
      <Launcher api={messagingApi} forms={inProcessForms} conversationId="chatwoot:1:101" conversationLabel="#101"
        returnFocus={() => screen.getByRole('textbox', { name: 'Reply' }).focus()} awaiting={awaiting ? [awaiting] : []} takeOver={awaiting ? async () => setAwaiting(null) : null} />
    </>
  );
}

describe('the launcher\'s notice of a question waiting', () => {
  it.each([
    ['launched from a shortcut: its label', 'Ask the order', 'Shortcut “Ask the order”'],
    ['started otherwise (a trigger): the workflow', null, 'Workflow “Order number v2”'],
  ])('%s', async (_case, shortcutName, named) => {
    fakeBackground({ shortcuts: [makeShortcut('s1', 'Ask the order')] });
    const user = userEvent.setup();
    render(<Inbox first={{ runId: 'run_1', workflowId: 'wf_1', workflowName: 'Order number v2', shortcutName, until: until() }} />);
    const chip = await screen.findByTestId('launcher-awaiting');
    expect(chip.title.startsWith(`${named} is waiting for the customer’s answer (until `)).toBe(true);
    const button = screen.getByRole('button', { name: 'Shortcuts' });
    await waitFor(() => expect(button.getAttribute('aria-disabled')).toBeNull());
    await user.click(button);
    expect(screen.getByTestId('launcher-awaiting-note-text').textContent).toMatch(new RegExp(`^${named} is waiting`));
    await user.click(await screen.findByRole('button', { name: 'Take over' }));
    await waitFor(() => expect(screen.getByTestId('launcher-announcement').textContent).toBe(`${named} stopped: the customer’s next message comes to you.`));
  });
});
