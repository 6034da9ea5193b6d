import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { renderNewWorkflowEditor } from './new-workflow-editor';

// The editor's "To fix before saving" list named a webhook variable's field by the draft's key
// ("Trigger › Variable 1 › variable") beside fields labelled "JSON key 1" and "Variable 1": the
// admin looks for a label, so the list says the one on the field (a branch's "Branch 1
// condition 1 variable", not "Rule 1 › variable").

const draft: WorkflowDraft = {
  name: 'Orders',
  trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [{ jsonKey: '$.order.id', variable: '' }, { jsonKey: '', variable: 'total' }] },
  oncePerContact: false,
  steps: [{ id: 'vip', type: 'branch', config: { branches: [{ name: 'VIP', conditions: { logic: 'and', rules: [{ left: '', operator: 'is', right: 'vip' }] }, goTo: '' }] } }],
};

describe('the editor’s error summary', () => {
  it('names each field by the label the admin sees on it', async () => {
    const calls = renderNewWorkflowEditor(draft);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Save' }));
    const summary = (await screen.findByText('To fix before saving:')).closest('.summary') as HTMLElement;
    const places = within(summary).getAllByRole('listitem').map((li) => li.querySelector('.muted')?.textContent);
    expect(places).toEqual(expect.arrayContaining(['Trigger › Variable 1:', 'Trigger › JSON key 2:', 'Step 1 › Branch 1 condition 1 variable:']));
    expect(summary.textContent).not.toMatch(/› variable:/);
    // Each named field is on the page under that label.
    expect(screen.getByLabelText('Variable 1').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('JSON key 2').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Branch 1 condition 1 variable').getAttribute('aria-invalid')).toBe('true');
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });
});
