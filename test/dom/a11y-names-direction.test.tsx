import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { FormFieldInput } from '../../lib/contracts/forms';
import { FormBuilder } from '../../components/options/FormBuilder';
import { WorkflowRow } from '../../components/options/WorkflowRow';
import { WorkflowSummary } from '../../components/options/schemas';
import { RunToast } from '../../components/toast/RunToast';
import { csvFile, openImport, serve } from './contact-import-harness';
import { makeShortcut, openShortcutForm } from './launcher-fixtures';
import { renderWithProviders } from './options-harness';

// What the accessibility review found in the extension and the options page: Arabic and Hebrew
// text without a direction, controls repeated five times under one name, the focus lost after
// an import, a link whose name hid its visible text.

afterEach(() => { window.location.hash = ''; });

const ARABIC = 'طلب استرداد المبلغ';

describe('right-to-left text in the launcher', () => {
  it('gives the form\'s labels and inputs their own direction (dir=auto)', async () => {
    const shortcut = makeShortcut('s1', ARABIC, { form: { fields: [{ label: 'رقم الطلب', type: 'text', variable: 'order', required: false }] } });
    const { field } = await openShortcutForm(shortcut, 'رقم الطلب');
    expect(field.getAttribute('dir')).toBe('auto');
    expect(document.querySelector(`label[for="${field.id}"]`)?.getAttribute('dir')).toBe('auto');
  });

  it('isolates the shortcut\'s and the contact\'s names in the toast\'s title', () => {
    const source = { getRun: async () => null } as never;
    render(<RunToast subject={{ kind: 'not-sent', shortcutName: ARABIC, contactName: 'محمد الفارسي', conversationId: 'c1', what: 'x', todo: 'y' }}
      source={source} onDismiss={() => undefined} />);
    const title = document.querySelector('.ic-toast-title')!;
    expect([...title.querySelectorAll('bdi')].map((b) => b.textContent)).toEqual([ARABIC, 'محمد الفارسي']);
  });
});

describe('the workflows list', () => {
  const at = '2026-01-01T00:00:00.000Z';
  const workflow = WorkflowSummary.parse({
    id: 'wf_1', name: 'Mark VIP', trigger: { type: 'manual' }, oncePerContact: false, steps: [{ id: 'a', type: 'add_comment', config: { text: 'x' } }],
    status: 'published', version: 3, createdAt: at, updatedAt: at, publishedAt: at, triggerType: 'manual', lastRunAt: null,
  });
  const row = () => render(
    <table><tbody><WorkflowRow workflow={workflow} busy={false} onDuplicate={() => undefined} onDelete={() => undefined} onToggle={() => undefined} onExport={() => undefined} /></tbody></table>,
  );

  it('names each button by its workflow, as Delete is', () => {
    row();
    expect(screen.getAllByRole('button').map((b) => b.getAttribute('aria-label') ?? b.textContent))
      .toEqual(['Unpublish Mark VIP', 'Duplicate Mark VIP', 'Export Mark VIP', 'Delete Mark VIP']);
  });

  it('starts the Last run link\'s name with its visible text (WCAG 2.5.3)', () => {
    row();
    const link = screen.getByRole('link', { name: /^never/ });
    expect(link.textContent).toBe('never, runs of Mark VIP');
    expect(link.getAttribute('href')).toBe('#/workflows/wf_1/runs');
    expect(screen.getByRole('link', { name: 'Mark VIP' }).getAttribute('dir')).toBe('auto');
  });
});

describe('the form builder', () => {
  function Builder() {
    const [fields, setFields] = useState<FormFieldInput[]>([
      { label: 'Order number', type: 'text', variable: 'order_number' },
      { label: 'رقم الهاتف', type: 'phone', variable: 'phone' },
    ]);
    return <FormBuilder path="trigger.form.fields" fields={fields} onChange={setFields} />;
  }

  it('names every field\'s controls by the field, and lets an Arabic label read right to left', () => {
    renderWithProviders(<Builder />);
    for (const what of ['Label', 'Type', 'Variable', 'Placeholder']) {
      expect(screen.getByRole(what === 'Type' ? 'combobox' : 'textbox', { name: `${what} of Order number` })).toBeTruthy();
      expect(screen.getByRole(what === 'Type' ? 'combobox' : 'textbox', { name: `${what} of رقم الهاتف` })).toBeTruthy();
    }
    expect(screen.getByRole('checkbox', { name: 'Required (Order number)' })).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'Label of رقم الهاتف' }).getAttribute('dir')).toBe('auto');
  });
});

describe('the contact import', () => {
  it('moves the focus to its result when it is done (the Import button went disabled under it)', async () => {
    const user = userEvent.setup();
    serve();
    const panel = await openImport();
    await user.upload(panel.getByLabelText('Choose a CSV file…'), csvFile('Name,Phone\nAna Lima,+55 11 91234-5678\n'));
    const button = panel.getByRole('button', { name: 'Import 1 row' });
    button.focus();
    await user.click(button);
    const result = await panel.findByText(/^Import finished/);
    await waitFor(() => expect(document.activeElement).toBe(result));
    expect(within(result.parentElement!).getByRole('status')).toBe(result);
  });
});
