import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ConversationClosedConditions } from '../../lib/contracts/triggers';
import { ConditionBuilder, type ConditionsDraft } from '../../components/options/ConditionBuilder';
import { TriggerEditor } from '../../components/options/TriggerEditor';
import type { TriggerInput } from '../../lib/contracts/triggers';
import { ok, renderWithProviders, serveApi } from './options-harness';

const SOURCES = ['user', 'workflow', 'bot'];

function Builder({ onValue }: { onValue(v: ConditionsDraft): void }) {
  const [value, setValue] = useState<ConditionsDraft>({ logic: 'and', rules: [] });
  return (
    <ConditionBuilder path="trigger.conditions" value={value}
      fields={[{ field: 'source', label: 'Source', values: SOURCES }, { field: 'category', label: 'Category', values: ['Sales', 'Support'] }]}
      onChange={(v) => { setValue(v); onValue(v); }} />
  );
}

describe('condition builder', () => {
  it('builds rules joined by AND, switches to OR, and removes a rule', async () => {
    const user = userEvent.setup();
    let last: ConditionsDraft = { logic: 'and', rules: [] };
    renderWithProviders(<Builder onValue={(v) => { last = v; }} />);
    expect(screen.getByText(/no conditions/i)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Add source rule' }));
    await user.click(screen.getByRole('button', { name: 'Add category rule' }));
    await user.selectOptions(screen.getByLabelText('Rule 2 Category'), 'Support');
    await user.selectOptions(screen.getByLabelText('Rule 1 operator'), 'is_not');
    expect(screen.getByRole('radio', { name: /all rules/i })).toHaveProperty('checked', true);
    expect(screen.getAllByText('AND')).toHaveLength(1);

    await user.click(screen.getByRole('radio', { name: /any rule/i }));
    expect(screen.getAllByText('OR')).toHaveLength(1);
    expect(last).toEqual({ logic: 'or', rules: [{ field: 'source', operator: 'is_not', value: 'user' }, { field: 'category', operator: 'is', value: 'Support' }] });
    expect(ConversationClosedConditions.safeParse(last).success).toBe(true);

    await user.click(screen.getByRole('button', { name: 'Remove rule 1' }));
    expect(last.rules).toEqual([{ field: 'category', operator: 'is', value: 'Support' }]);
    expect(screen.queryByRole('radio')).toBeNull();
  });

  it('disables adding a rule at 10 per field, with a hint, and enables it again after a removal', async () => {
    const user = userEvent.setup();
    renderWithProviders(<Builder onValue={() => undefined} />);
    const add = screen.getByRole('button', { name: 'Add source rule' });
    for (let i = 0; i < 10; i++) await user.click(add);
    expect(add).toHaveProperty('disabled', true);
    expect(screen.getByText(/limit reached: at most 10 rules on source/i)).toBeTruthy();
    // The limit is per field: category rules can still be added.
    expect(screen.getByRole('button', { name: 'Add category rule' })).toHaveProperty('disabled', false);
    await user.click(screen.getByRole('button', { name: 'Remove rule 10' }));
    expect(add).toHaveProperty('disabled', false);
    expect(screen.getByText('9 / 10 source rules')).toBeTruthy();
  });

  it('offers the closing categories in a conversation-closed trigger and "once per contact" on manual too', async () => {
    serveApi({ 'GET /settings/closing-categories': ok({ categories: ['Resolved', 'Spam'] }) });
    const user = userEvent.setup();
    function Editor() {
      const [trigger, setTrigger] = useState<TriggerInput>({ type: 'conversation_closed', conditions: { logic: 'and', rules: [] } });
      const [once, setOnce] = useState(false);
      return <TriggerEditor trigger={trigger} oncePerContact={once} workflowId={undefined} onChange={(t, o) => { setTrigger(t); setOnce(o); }} />;
    }
    renderWithProviders(<Editor />);
    await user.click(screen.getByRole('button', { name: 'Add category rule' }));
    const select = await screen.findByLabelText('Rule 1 Category');
    await within(select).findByRole('option', { name: 'Spam' });
    expect(screen.getByRole('checkbox', { name: 'Trigger once per contact' })).toBeTruthy();
    await user.selectOptions(screen.getByLabelText('Trigger type'), 'manual');
    // The trigger rules offer the toggle on every trigger, Manual included (issue 13).
    expect(screen.getByRole('checkbox', { name: 'Trigger once per contact' })).toBeTruthy();
  });
});
