import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { Launcher } from '../../components/launcher/Launcher';
import { messagingApi } from '../../entrypoints/inbox.content/api';
import type { AwaitingAnswer } from '../../lib/contracts/conversations';
import { fakeBackground, inProcessForms, makeShortcut } from './launcher-fixtures';

// Take over from the launcher's menu (Chatwoot): the notice and its button go with the question,
// so the keyboard focus must land somewhere sensible, not on the page's body.

const waiting: AwaitingAnswer = { runId: 'run_1', workflowId: 'wf_1', workflowName: 'Ask order', until: new Date(Date.now() + 3_600_000).toISOString() };

/** The launcher with a composer beside it, as the content script wires it (useAwaitingAnswer's state, here a plain one). */
function Inbox({ refuse }: { refuse?: string }) {
  const [awaiting, setAwaiting] = useState<AwaitingAnswer | null>(waiting);
  const takeOver = async () => {
    await new Promise((r) => setTimeout(r, 20));
    if (refuse) throw new Error(refuse);
    setAwaiting(null);
  };
  return (
    <>
      <textarea aria-label="Reply" />
      <Launcher api={messagingApi} forms={inProcessForms} conversationId="chatwoot:1:101" conversationLabel="#101"
        returnFocus={() => screen.getByRole('textbox', { name: 'Reply' }).focus()} awaiting={awaiting ? [awaiting] : []} takeOver={awaiting ? takeOver : null} />
    </>
  );
}

async function openMenu(refuse?: string) {
  fakeBackground({ shortcuts: [makeShortcut('s1', 'Mark VIP')] });
  const user = userEvent.setup();
  render(<Inbox refuse={refuse} />);
  const button = screen.getByRole('button', { name: 'Shortcuts' });
  await waitFor(() => expect(button.getAttribute('aria-disabled')).toBeNull());
  await user.click(button);
  return { user, takeOver: await screen.findByRole('button', { name: 'Take over' }) };
}

describe('Take over in the launcher menu', () => {
  it('closes the panel, gives the editor its focus back and says the workflow stopped', async () => {
    const { user, takeOver } = await openMenu();
    await user.click(takeOver);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Reply' }));
    expect(screen.getByRole('button', { name: 'Shortcuts' }).getAttribute('aria-expanded')).toBe('false');
    await waitFor(() => expect(screen.getByTestId('launcher-announcement').textContent)
      .toBe('Workflow “Ask order” stopped: the customer’s next message comes to you.'));
  });

  it('from the keyboard too; while it is asked the button keeps the focus (aria-disabled, not disabled)', async () => {
    const { user, takeOver } = await openMenu();
    takeOver.focus();
    await user.keyboard('{Enter}');
    expect(takeOver.getAttribute('aria-disabled')).toBe('true');
    expect(takeOver.matches(':disabled')).toBe(false);
    expect(document.activeElement).toBe(takeOver);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Reply' })));
  });

  it('a refusal keeps the panel open, says why, and leaves the focus on the button', async () => {
    const { user, takeOver } = await openMenu('Workflow “Ask order” is in the middle of a step: try again in a moment');
    await user.click(takeOver);
    expect((await screen.findByRole('alert')).textContent).toBe('Not taken over: Workflow “Ask order” is in the middle of a step: try again in a moment');
    expect(screen.getByRole('dialog')).toBeTruthy();
    expect(document.activeElement).toBe(takeOver);
    expect(takeOver.getAttribute('aria-disabled')).toBeNull();
  });
});
