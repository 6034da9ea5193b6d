import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MiniAppsPage } from '../../components/options/MiniAppsPage';
import { renderWithProviders } from './options-harness';
import { errorAt, fill, openRegister, row, section, sent, serveApps, type User } from './app-builder-harness';

// Registering a mini-app through the builder's form alone (UChat's mini-app 2.0 settings, app
// fields and triggers pages): the body POST /apps gets, exactly.

async function addField(user: User, label: string, type: string) {
  const fields = section('App fields');
  await user.click(fields.getByRole('button', { name: 'Add field' }));
  const n = fields.getAllByRole('group').length;
  const field = row(fields, `Field ${n}`);
  await fill(user, field.getByLabelText('Label'), label);
  await user.selectOptions(field.getByLabelText('Type'), type);
  return field;
}

describe('app builder: registering through the form', () => {
  it('builds info, scopes, an auth input, fields and a trigger whose items are those fields', async () => {
    const user = userEvent.setup();
    const calls = serveApps();
    renderWithProviders(<MiniAppsPage />);
    const register = await openRegister(user);

    const info = section('App info');
    await fill(user, info.getByLabelText('App name'), 'Payments');
    // The key is the name's slug until the developer types one.
    expect(info.getByLabelText('App key')).toHaveProperty('value', 'payments');
    await fill(user, info.getByLabelText('Description'), 'Tells your workflows when a customer has paid.');
    await fill(user, info.getByLabelText('Logo URL'), 'https://pay.example/logo.png');
    await fill(user, info.getByLabelText('Subscribe URL'), 'https://pay.example/subscribe');
    await fill(user, info.getByLabelText('Unsubscribe URL'), 'https://pay.example/unsubscribe');

    const scopes = section('API scopes');
    await user.click(scopes.getByRole('checkbox', { name: /Read contacts/ }));
    await user.click(scopes.getByRole('checkbox', { name: /Add and remove tags/ }));

    const auth = section('Auth inputs');
    await user.click(auth.getByRole('button', { name: 'Add auth input' }));
    const account = row(auth, 'Auth input 1');
    await fill(user, account.getByLabelText('Label'), 'Payment account ID');
    expect(account.getByLabelText('Key')).toHaveProperty('value', 'payment_account_id');
    await fill(user, account.getByLabelText('Key'), 'accountId');
    await user.click(account.getByRole('checkbox', { name: 'Required' }));
    await fill(user, account.getByLabelText('Maximum length'), '64');

    await addField(user, 'Amount', 'Number');
    const status = await addField(user, 'Payment status', 'Text');
    expect(status.getByLabelText('Key')).toHaveProperty('value', 'payment_status');
    await fill(user, status.getByLabelText('Key'), 'status');
    // Reordered from the keyboard: the status goes first.
    section('App fields').getByRole('button', { name: 'Move field 2 up' }).focus();
    await user.keyboard('{Enter}');
    expect(row(section('App fields'), 'Field 1').getByLabelText('Label')).toHaveProperty('value', 'Payment status');
    await addField(user, 'Order', 'JSON (several values in one)');

    const triggers = section('Triggers');
    await user.click(triggers.getByRole('button', { name: 'Add trigger' }));
    const paid = row(triggers, 'Trigger 1');
    await fill(user, paid.getByLabelText('Trigger name'), 'Payment paid');
    expect(paid.getByLabelText('Trigger key')).toHaveProperty('value', 'payment_paid');
    for (const [n, field] of [[1, 'Payment status (status)'], [2, 'Amount (amount)'], [3, 'Order (order)']] as const) {
      await user.click(paid.getByRole('button', { name: 'Add item' }));
      const item = row(paid, `Item ${n}`);
      await user.selectOptions(item.getByLabelText('App field'), field);
    }
    // Each item is sent under its field's key, with the field's name and type.
    expect(row(paid, 'Item 3').getByText(/Sent as/).textContent).toBe('Sent as order: Order, JSON (several values in one)');

    await user.click(register);
    const notice = await screen.findByRole('status');
    expect(notice.textContent).toContain('Payments is registered.');
    expect(sent(calls, 'POST')).toEqual([{
      key: 'payments',
      name: 'Payments',
      description: 'Tells your workflows when a customer has paid.',
      logoUrl: 'https://pay.example/logo.png',
      scopes: ['contacts.read', 'tags.write'],
      authInputs: [{ key: 'accountId', label: 'Payment account ID', type: 'string', required: true, maxLength: 64 }],
      fields: [
        { key: 'status', label: 'Payment status', type: 'text' },
        { key: 'amount', label: 'Amount', type: 'number' },
        { key: 'order', label: 'Order', type: 'json' },
      ],
      triggers: [{ key: 'payment_paid', name: 'Payment paid', items: ['status', 'amount', 'order'] }],
      actions: [],
      subscribeUrl: 'https://pay.example/subscribe',
      unsubscribeUrl: 'https://pay.example/unsubscribe',
    }]);
    const card = within(await screen.findByRole('article', { name: 'Payments' }));
    expect(card.getByText(/1 trigger: Payment paid/)).toBeTruthy();
    // A new, empty builder for the next app.
    expect(section('App info').getByLabelText('App name')).toHaveProperty('value', '');
  });

  it('builds an action: inputs, a request with a header and a JSON body of placeholders, outputs', async () => {
    const user = userEvent.setup();
    const calls = serveApps();
    renderWithProviders(<MiniAppsPage />);
    const register = await openRegister(user);
    await fill(user, section('App info').getByLabelText('App name'), 'Refunds');
    await user.click(section('Auth inputs').getByRole('button', { name: 'Add auth input' }));
    await fill(user, row(section('Auth inputs'), 'Auth input 1').getByLabelText('Label'), 'Account');

    const actions = section('Actions');
    await user.click(actions.getByRole('button', { name: 'Add action' }));
    const refund = row(actions, 'Action 1');
    await fill(user, refund.getByLabelText('Action name'), 'Refund an order');
    expect(refund.getByLabelText('Action key')).toHaveProperty('value', 'refund_an_order');
    await fill(user, refund.getByLabelText('Action key'), 'refund');
    await user.click(refund.getByRole('button', { name: 'Add input' }));
    await fill(user, row(refund, 'Input 1').getByLabelText('Input label'), 'Order ID');
    await user.click(row(refund, 'Input 1').getByRole('checkbox', { name: 'Required' }));
    expect(refund.getByText('Placeholders: {{auth.account}}, {{input.order_id}}')).toBeTruthy();
    await user.selectOptions(refund.getByLabelText('Method'), 'POST');
    await fill(user, refund.getByLabelText('Request URL'), 'https://pay.example/refunds');
    await user.click(refund.getByRole('button', { name: 'Add header' }));
    await fill(user, row(refund, 'Header 1').getByLabelText('Header name'), 'x-account-id');
    await fill(user, row(refund, 'Header 1').getByLabelText('Header value'), '{{auth.account}}');
    const body = refund.getByLabelText('Request body (JSON)');
    await fill(user, body, '{"orderId": "{{input.order_id}}", "full": true');
    await user.click(register);
    expect(errorAt(body)).toMatch(/^The body is not JSON: /);
    expect(document.activeElement).toBe(body);
    await user.type(body, '}');
    await user.click(refund.getByRole('button', { name: 'Add output' }));
    await fill(user, row(refund, 'Output 1').getByLabelText('JSON key'), '$.refund.id');
    await fill(user, row(refund, 'Output 1').getByLabelText('Variable'), 'refundId');

    await user.click(register);
    await screen.findByText(/Refunds is registered/);
    expect(sent(calls, 'POST')).toEqual([expect.objectContaining({
      authInputs: [{ key: 'account', label: 'Account', type: 'string', required: false }],
      actions: [{
        key: 'refund',
        name: 'Refund an order',
        inputs: [{ key: 'order_id', label: 'Order ID', required: true }],
        request: {
          method: 'POST',
          url: 'https://pay.example/refunds',
          headers: { 'x-account-id': '{{auth.account}}' },
          body: { orderId: '{{input.order_id}}', full: true },
          timeoutMs: 10_000,
        },
        outputs: [{ variable: 'refundId', jsonKey: '$.refund.id' }],
      }],
    })]);
  });

  it('shows HTML in names as text, and makes keys of names with accents and signs', async () => {
    const user = userEvent.setup();
    const calls = serveApps();
    renderWithProviders(<MiniAppsPage />);
    const register = await openRegister(user);
    const name = '<img src=x onerror=alert(1)> Café & Co';
    await fill(user, section('App info').getByLabelText('App name'), name);
    expect(section('App info').getByLabelText('App key')).toHaveProperty('value', 'img-src-x-onerror-alert-1-cafe-co');
    await fill(user, section('App info').getByLabelText('App key'), 'cafe');
    const field = await addField(user, '<b>Total</b>', 'Number');
    expect(field.getByLabelText('Key')).toHaveProperty('value', 'b_total_b');
    await user.click(section('Triggers').getByRole('button', { name: 'Add trigger' }));
    await fill(user, row(section('Triggers'), 'Trigger 1').getByLabelText('Trigger name'), 'Paid');
    await user.click(row(section('Triggers'), 'Trigger 1').getByRole('button', { name: 'Add item' }));
    const option = within(row(section('Triggers'), 'Item 1').getByLabelText('App field')).getByRole('option', { selected: true });
    expect(option.textContent).toBe('<b>Total</b> (b_total_b)');
    await fill(user, section('App info').getByLabelText('Subscribe URL'), 'https://cafe.example/subscribe');

    await user.click(register);
    const card = await screen.findByRole('article', { name });
    expect(within(card).getByRole('heading', { name }).textContent).toBe(name);
    expect(document.querySelector('img[src="x"]')).toBeNull();
    expect(document.querySelector('b')).toBeNull();
    await waitFor(() => expect(sent(calls, 'POST')).toEqual([expect.objectContaining({ key: 'cafe', name, fields: [{ key: 'b_total_b', label: '<b>Total</b>', type: 'number' }] })]));
  });
});
