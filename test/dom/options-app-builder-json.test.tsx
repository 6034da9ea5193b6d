import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MiniAppsPage } from '../../components/options/MiniAppsPage';
import { renderWithProviders } from './options-harness';
import { errorAt, fill, openRegister, row, section, sent, serveApps, type User } from './app-builder-harness';

// The builder's "Edit as JSON" and its checks: the form and the JSON carry the same manifest both
// ways, and the contract's problems show at the inputs they are about, before anything is sent.

const jsonBox = () => screen.getByLabelText('Manifest (JSON)') as HTMLTextAreaElement;
const toggle = () => screen.getByRole('button', { name: 'Edit as JSON' });

async function replaceJson(user: User, value: unknown) {
  await user.clear(jsonBox());
  await user.click(jsonBox());
  await user.paste(typeof value === 'string' ? value : JSON.stringify(value, null, 2));
}

describe('app builder: Edit as JSON', () => {
  it('carries the manifest from the form to JSON and back, edits made in either kept', async () => {
    const user = userEvent.setup();
    const calls = serveApps();
    renderWithProviders(<MiniAppsPage />);
    const register = await openRegister(user);
    await user.click(toggle());
    // Nothing typed yet: an empty box to paste into.
    expect(jsonBox().value).toBe('');
    await user.click(toggle());

    await fill(user, section('App info').getByLabelText('App name'), 'Shop');
    await fill(user, section('App info').getByLabelText('Subscribe URL'), 'https://shop.example/subscribe');
    await user.click(section('App fields').getByRole('button', { name: 'Add field' }));
    await fill(user, row(section('App fields'), 'Field 1').getByLabelText('Label'), 'Order');
    await user.click(section('Triggers').getByRole('button', { name: 'Add trigger' }));
    await fill(user, row(section('Triggers'), 'Trigger 1').getByLabelText('Trigger name'), 'Order placed');
    await user.click(row(section('Triggers'), 'Trigger 1').getByRole('button', { name: 'Add item' }));

    await user.click(toggle());
    expect(toggle().getAttribute('aria-pressed')).toBe('true');
    const fromForm = JSON.parse(jsonBox().value);
    expect(fromForm).toEqual({
      key: 'shop', name: 'Shop', description: '', scopes: [], authInputs: [],
      fields: [{ key: 'order', label: 'Order', type: 'text' }],
      triggers: [{ key: 'order_placed', name: 'Order placed', items: ['order'] }],
      actions: [],
      subscribeUrl: 'https://shop.example/subscribe',
    });

    // A developer's edit in JSON: a field of type number, sent by the trigger too.
    await replaceJson(user, {
      ...fromForm,
      fields: [...fromForm.fields, { key: 'total', label: 'Total', type: 'number' }],
      triggers: [{ key: 'order_placed', name: 'Order placed', items: ['order', 'total'] }],
    });
    await user.click(toggle());
    expect(screen.queryByLabelText('Manifest (JSON)')).toBeNull();
    expect(row(section('App fields'), 'Field 2').getByLabelText('Type')).toHaveProperty('value', 'number');
    const item2 = row(row(section('Triggers'), 'Trigger 1'), 'Item 2').getByLabelText('App field');
    expect(within(item2).getByRole('option', { selected: true }).textContent).toBe('Total (total)');

    await user.click(register);
    await screen.findByText(/Shop is registered/);
    expect(sent(calls, 'POST')).toEqual([{
      ...fromForm,
      fields: [{ key: 'order', label: 'Order', type: 'text' }, { key: 'total', label: 'Total', type: 'number' }],
      triggers: [{ key: 'order_placed', name: 'Order placed', items: ['order', 'total'] }],
    }]);
  });

  it('stays in JSON when the text cannot go to the form, saying why', async () => {
    const user = userEvent.setup();
    serveApps();
    renderWithProviders(<MiniAppsPage />);
    await openRegister(user);
    await user.click(toggle());
    await replaceJson(user, '{ "key": "shop", ');
    await user.click(toggle());
    expect((await screen.findByRole('alert')).textContent).toMatch(/^Not JSON: .*Fix it to go back to the form\.$/);
    expect(jsonBox()).toBeTruthy();

    await replaceJson(user, { key: 'shop', name: 'Shop', fields: [{ key: 'total', label: { en: 'Total' }, type: 'number' }] });
    await user.click(toggle());
    expect(screen.getByRole('alert').textContent).toBe('The form has no input for fields.0.label: not the kind of value the manifest takes there. Fix it here first.');

    // Keys the contract does not know are said to be left out (the server refuses them).
    await replaceJson(user, { key: 'shop', name: 'Shop', $schema: 'https://x', fields: [{ key: 'total', label: 'Total', type: 'number', unit: 'EUR' }] });
    await user.click(toggle());
    expect(screen.getByRole('status').textContent).toBe('Left out (the manifest has no such keys; registering them as JSON is refused): $schema, fields.0.unit');
    expect(row(section('App fields'), 'Field 1').getByLabelText('Label')).toHaveProperty('value', 'Total');
  });
});

describe('app builder: checks at the inputs', () => {
  it('says what is wrong at an input once changed, every problem after Register, and sends nothing', async () => {
    const user = userEvent.setup();
    const calls = serveApps();
    renderWithProviders(<MiniAppsPage />);
    const register = await openRegister(user);
    const info = section('App info');
    await fill(user, info.getByLabelText('App key'), 'Pay Ments');
    expect(errorAt(info.getByLabelText('App key'))).toBe('Use lower-case letters, digits, - and _ (a slug such as "payments")');
    await fill(user, info.getByLabelText('Logo URL'), 'http://pay.example/logo.png');
    expect(errorAt(info.getByLabelText('Logo URL'))).toBe('Use an https:// URL');
    // Not changed yet: not marked yet.
    expect(errorAt(info.getByLabelText('App name'))).toBeUndefined();

    await user.click(section('API scopes').getByRole('checkbox', { name: /Read tags/ }));
    await user.click(register);
    expect(errorAt(info.getByLabelText('App name'))).toBe('Enter a label');
    expect(document.activeElement).toBe(info.getByLabelText('App name'));
    expect(errorAt(info.getByLabelText('Subscribe URL'))).toMatch(/^An app with scopes \(tags\.read\) needs a subscribeUrl: its API key is sent to the app's server only in the subscribe request/);
    expect(screen.getByRole('alert').textContent).toContain('The manifest has problems (each is marked at its input):');
    expect(sent(calls, 'POST')).toEqual([]);

    await fill(user, info.getByLabelText('Subscribe URL'), 'https://pay.example/subscribe');
    expect(errorAt(info.getByLabelText('Subscribe URL'))).toBeUndefined();
  });

  it('offers items only once fields exist, and marks an item whose field was removed', async () => {
    const user = userEvent.setup();
    const calls = serveApps();
    renderWithProviders(<MiniAppsPage />);
    const register = await openRegister(user);
    await fill(user, section('App info').getByLabelText('App name'), 'Shop');
    await fill(user, section('App info').getByLabelText('Subscribe URL'), 'https://shop.example/subscribe');
    // No fields yet: items cannot be added, and the builder says where fields are made.
    await user.click(section('Triggers').getByRole('button', { name: 'Add trigger' }));
    const placed = row(section('Triggers'), 'Trigger 1');
    expect(placed.getByRole('button', { name: 'Add item' })).toHaveProperty('disabled', true);
    expect(placed.getByText('Items are app fields: add one under App fields first.')).toBeTruthy();

    await user.click(section('App fields').getByRole('button', { name: 'Add field' }));
    await fill(user, row(section('App fields'), 'Field 1').getByLabelText('Label'), 'Total');
    await fill(user, placed.getByLabelText('Trigger name'), 'Order placed');
    await user.click(placed.getByRole('button', { name: 'Add item' }));
    await user.click(section('App fields').getByRole('button', { name: 'Remove field 1' }));

    await user.click(register);
    const item = row(placed, 'Item 1').getByLabelText('App field');
    expect(within(item).getByRole('option', { selected: true }).textContent).toBe('total (not a field of this app)');
    expect(errorAt(item)).toBe('Trigger "order_placed" item "total" is not a field of this app; fields are never created implicitly. Existing fields: none (declare them under "fields")');
    expect(sent(calls, 'POST')).toEqual([]);
  });
});
