import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditor } from '../../components/options/WorkflowEditor';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { emptyEditorApi, renderWithProviders, serveApi } from './options-harness';

// The Branch editor says how each operator reads values next to the operator, read out with it:
// "contains" on a list tests each value (IPOD-342 contains IPOD), "is" compares amounts as numbers.

const draft: WorkflowDraft = {
  name: 'Orders',
  trigger: { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [{ jsonKey: '$.line_items[*].sku', variable: 'skus' }] },
  oncePerContact: false,
  steps: [],
};

describe('Branch operator hints', () => {
  it.each<[string, RegExp]>([
    ['contains', /one of its values contains it, so IPOD-342, CASE-9 contains IPOD/],
    ['is', /Amounts compare as numbers when both sides are one \(1250\.00 is 1250\)/],
    ['is greater than', /1,250 or 1\.250 could be 1250 or 1\.25/],
  ])('%s', async (operator, hint) => {
    serveApi({
      ...emptyEditorApi,
    });
    const user = userEvent.setup();
    renderWithProviders(<WorkflowEditor id={undefined} initial={draft} restored={false} onDiscard={() => undefined} />);
    await user.selectOptions(screen.getByLabelText('New step'), 'Branch');
    await user.click(screen.getByRole('button', { name: 'Add step' }));
    const select = screen.getByLabelText('Branch 1 condition 1 operator');
    await user.selectOptions(select, operator);
    expect(select.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(select.getAttribute('aria-describedby')!.split(' ')[0]!)?.textContent).toMatch(hint);
  });
});
