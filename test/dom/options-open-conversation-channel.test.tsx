import { afterEach, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditor } from '../../components/options/WorkflowEditor';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { savedAsDraft, addStep, ok, renderWithProviders, savedWorkflow, serveApi } from './options-harness';

// Open conversation's Channel: the contact's last channel (default), the built-in inbox, or a
// connected WhatsApp number / Page, saved as the step's `channel`.
const at = '2025-01-01T00:00:00.000Z';
const channel = (id: string, kind: 'whatsapp' | 'messenger', name: string, displayName: string | null) =>
  ({ id, kind, name, displayName, tokenLastFour: 'WXYZ', status: 'active', lastError: null, createdAt: at, ...(kind === 'whatsapp' ? { phoneNumberId: '1065', businessAccountId: '1022' } : { pageId: '6824' }) });

afterEach(() => sessionStorage.clear());

describe('Open conversation step: channel', () => {
  it('offers the contact’s last channel, the built-in inbox and each connected number or Page, and saves the choice', async () => {
    const user = userEvent.setup();
    const calls = serveApi({
      'GET /fields': ok({ fields: [] }), 'GET /apps': ok({ apps: [] }), 'GET /users': ok({ users: [] }), 'GET /workflows?limit=200': ok({ workflows: [], nextCursor: null }),
      'GET /channels': ok({ channels: [channel('chn_wa', 'whatsapp', 'Support', '+1 555-078-3881'), channel('chn_fb', 'messenger', 'Shop page', null)] }),
      'POST /workflows': savedAsDraft(at),
    });
    const initial: WorkflowDraft = { name: 'Orders', trigger: { type: 'manual' }, oncePerContact: false, steps: [] };
    renderWithProviders(<WorkflowEditor id={undefined} initial={initial} restored={false} onDiscard={() => undefined} />);
    await addStep(user, 'open_conversation');
    const select = screen.getByLabelText('Channel');
    await waitFor(() => expect(within(select).getAllByRole('option')).toHaveLength(4));
    expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual([
      'The contact’s last channel (the built-in inbox if none)', 'The built-in inbox', 'WhatsApp: Support (+1 555-078-3881)', 'Messenger: Shop page (only contacts who wrote to the Page)',
    ]);
    expect((select as HTMLSelectElement).value).toBe('last');
    await user.selectOptions(select, 'chn_wa');
    await user.click(screen.getByRole('button', { name: /save/i }));
    expect((await savedWorkflow(calls)).steps).toEqual([expect.objectContaining({ type: 'open_conversation', config: { channel: 'chn_wa' } })]);
  });
});
