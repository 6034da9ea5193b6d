import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { Launcher } from '../../components/launcher/Launcher';
import { messagingApi } from '../../entrypoints/inbox.content/api';
import { fakeBackground, inProcessForms, makeShortcut } from './launcher-fixtures';

// Chatwoot's modals (its Modal component, woot-modal) are not <dialog>s but a `div.modal-mask`
// over the window while shown (Modal.vue): the run's toast hides behind them as it does behind a
// modal <dialog>, instead of sitting bright above the modal the agent is working in.

/** Chatwoot's Modal.vue markup while `show` is true (v-if: absent otherwise). */
function chatwootModal(): HTMLElement {
  const mask = document.createElement('div');
  mask.className = 'modal-mask skip-context-menu';
  mask.innerHTML = '<div class="modal-container rounded-xl"><h2>Delete contact</h2><button>Yes, delete</button></div>';
  return mask;
}

const toast = () => document.querySelector<HTMLElement>('.ic-toast');

async function launched() {
  const bg = fakeBackground({ shortcuts: [makeShortcut('s1', 'Ask order number')] });
  bg.launch.mockResolvedValue({ ok: true, runId: 'run_1', contactName: 'Maria Garcia' });
  const user = userEvent.setup();
  render(<Launcher api={messagingApi} forms={inProcessForms} conversationId="chatwoot:1:101" conversationLabel="#101" returnFocus={() => undefined} />);
  const button = screen.getByRole('button', { name: 'Shortcuts' });
  await waitFor(() => expect(button.getAttribute('aria-disabled')).toBeNull());
  await user.click(button);
  await user.keyboard('{Enter}');
  await waitFor(() => expect(toast()).toBeTruthy());
  expect(toast()!.style.visibility).not.toBe('hidden');
}

afterEach(() => document.querySelectorAll('.modal-mask').forEach((el) => el.remove()));

describe('the run toast and Chatwoot\'s modal overlays', () => {
  it('hides while Chatwoot shows a modal (added to the page), and shows again once it is removed', async () => {
    await launched();
    const modal = document.body.appendChild(chatwootModal());
    await waitFor(() => expect(toast()!.style.visibility).toBe('hidden'));
    modal.remove();
    await waitFor(() => expect(toast()!.style.visibility).not.toBe('hidden'));
  });

  it('a modal already open when the toast appears hides it from the start; one hidden by style does not', async () => {
    const modal = document.body.appendChild(chatwootModal());
    modal.style.display = 'none';
    await launched();
    modal.style.display = '';
    await waitFor(() => expect(toast()!.style.visibility).toBe('hidden'));
  });
});
