import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MiniAppsPage } from '../../components/options/MiniAppsPage';
import { renderWithProviders } from './options-harness';
import { errorAt, fill, openRegister, refusal, row, section, sent, serveApps } from './app-builder-harness';

// Editing a registered app in the builder (PUT /apps/:id), and the server's refusals in words.

const manifest = {
  key: 'payments',
  name: 'Payments',
  description: '',
  scopes: ['contacts.read'],
  authInputs: [],
  fields: [
    { key: 'amount', label: 'Amount', type: 'number' },
    { key: 'status', label: 'Payment status', type: 'text' },
  ],
  triggers: [{ key: 'payment_paid', name: 'Payment paid', items: ['amount'] }],
  actions: [],
  subscribeUrl: 'https://pay.example/subscribe',
};

async function editCard(user: ReturnType<typeof userEvent.setup>) {
  const card = await screen.findByRole('article', { name: 'Payments' });
  await user.click(within(card).getByRole('button', { name: 'Edit manifest' }));
  return card;
}

describe('app builder: editing a registered app', () => {
  it('changes a trigger item through the form and PUTs the whole manifest; the key stays', async () => {
    const user = userEvent.setup();
    const calls = serveApps({ manifests: [manifest] });
    renderWithProviders(<MiniAppsPage />);
    const card = await editCard(user);
    const info = section('App info', card);
    expect(info.getByLabelText('App key')).toHaveProperty('readOnly', true);
    // Renaming a registered app does not touch its key.
    await fill(user, info.getByLabelText('App name'), 'Payments Pro');
    expect(info.getByLabelText('App key')).toHaveProperty('value', 'payments');

    const paid = row(section('Triggers', card), 'Trigger 1');
    expect(within(row(paid, 'Item 1').getByLabelText('App field')).getByRole('option', { selected: true }).textContent).toBe('Amount (amount)');
    await user.selectOptions(row(paid, 'Item 1').getByLabelText('App field'), 'Payment status (status)');
    await user.click(paid.getByRole('button', { name: 'Add item' }));
    // The first field the trigger does not send yet.
    expect(within(row(paid, 'Item 2').getByLabelText('App field')).getByRole('option', { selected: true }).textContent).toBe('Amount (amount)');
    // A field's key edited: the items that send it follow.
    await fill(user, row(section('App fields', card), 'Field 2').getByLabelText('Key'), 'payment_status');

    await user.click(within(card).getByRole('button', { name: 'Save manifest' }));
    expect(await within(card).findByText('Manifest saved.')).toBeTruthy();
    expect(sent(calls, 'PUT')).toEqual([{
      ...manifest,
      name: 'Payments Pro',
      fields: [{ key: 'amount', label: 'Amount', type: 'number' }, { key: 'payment_status', label: 'Payment status', type: 'text' }],
      triggers: [{ key: 'payment_paid', name: 'Payment paid', items: ['payment_status', 'amount'] }],
    }]);
    expect(calls.find((c) => c.method === 'PUT')?.path).toBe('/apps/app_1');
  });

  it.each([
    ['app_in_use', 'Not saved: workflows rely on what this change removes.',
      'Cannot change "Payments": published workflows use what the new manifest drops: "Mark paid" (item "amount" of trigger "payment_paid"). Change or unpublish that workflow first.'],
    ['reinstall_needed', 'Not saved: the app is installed, and this change takes a new install.',
      '"Payments" is installed with a key for contacts.read; new scopes (tags.write) are granted only by installing it again: uninstall it, update it, then install it again (its server gets a new key). Removing scopes applies to the installed key at once.'],
  ])('says a 409 %s in words and keeps the form as it was', async (code, lead, message) => {
    const user = userEvent.setup();
    const calls = serveApps({ manifests: [manifest], put: [refusal(409, code, message)] });
    renderWithProviders(<MiniAppsPage />);
    const card = await editCard(user);
    await user.click(section('API scopes', card).getByRole('checkbox', { name: /Add and remove tags/ }));
    await user.click(row(row(section('Triggers', card), 'Trigger 1'), 'Item 1').getByRole('button', { name: 'Remove item 1' }));
    await user.click(within(card).getByRole('button', { name: 'Save manifest' }));

    const alert = await within(card).findByRole('alert');
    expect(alert.textContent).toBe(`${lead} ${message}`);
    expect(section('API scopes', card).getByRole('checkbox', { name: /Add and remove tags/ })).toHaveProperty('checked', true);
    await user.click(within(card).getByRole('button', { name: 'Save manifest' }));
    expect(await within(card).findByText('Manifest saved.')).toBeTruthy();
    expect(sent(calls, 'PUT')).toHaveLength(2);
    expect(sent(calls, 'PUT')[1]).toMatchObject({ scopes: ['contacts.read', 'tags.write'], triggers: [{ key: 'payment_paid', items: [] }] });
  });

  it('puts a 409 for a taken key at the key, and the server\'s 422 details at their inputs', async () => {
    const user = userEvent.setup();
    const calls = serveApps({ manifests: [manifest], put: [refusal(422, 'invalid_content', 'The trigger key is reserved', [{ path: 'body.triggers.0.key', message: 'This key is reserved' }])] });
    renderWithProviders(<MiniAppsPage />);
    await openRegister(user);
    const register = screen.getAllByRole('button', { name: 'Register app' })[0]!;
    const info = section('App info', document.querySelector('.register') as HTMLElement);
    await fill(user, info.getByLabelText('App name'), 'Payments');
    await user.click(register);
    const key = info.getByLabelText('App key');
    expect((await screen.findByRole('alert')).textContent).toContain('Not registered: another app has this key. An app with the key "payments" is already registered');
    expect(errorAt(key)).toBe('Another app has this key; choose another');
    expect(sent(calls, 'POST')).toHaveLength(1);
    // Typing a key of its own takes the message away.
    await fill(user, key, 'payments-2');
    expect(errorAt(key)).toBeUndefined();

    const card = await editCard(user);
    await user.click(within(card).getByRole('button', { name: 'Save manifest' }));
    const triggerKey = row(section('Triggers', card), 'Trigger 1').getByLabelText('Trigger key');
    expect(await within(card).findByRole('alert')).toBeTruthy();
    expect(errorAt(triggerKey)).toBe('This key is reserved');
  });
});
