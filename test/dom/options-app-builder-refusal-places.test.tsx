import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MiniAppsPage } from '../../components/options/MiniAppsPage';
import { renderWithProviders } from './options-harness';
import { errorAt, openRegister, row, section, sent, serveApps, type User } from './app-builder-harness';

// The manifest parts POST /apps refuses because they would never be used as written (a header the
// companion sets itself, a GET's body, maxLength on a number) show under the input that holds
// them, so the developer sees what to change where they change it; a header's value problems stay
// under its value. Pasted as JSON, as a developer brings a manifest written elsewhere.

const jsonBox = () => screen.getByLabelText('Manifest (JSON)') as HTMLTextAreaElement;
const toggle = () => screen.getByRole('button', { name: 'Edit as JSON' });

async function pasteManifest(user: User, manifest: unknown) {
  await user.click(toggle());
  await user.click(jsonBox());
  await user.paste(JSON.stringify(manifest, null, 2));
  await user.click(toggle());
}

const action = (request: Record<string, unknown>) => ({
  key: 'refund', name: 'Refund', inputs: [{ key: 'orderId', label: 'Order', type: 'text' }],
  request: { method: 'POST', url: 'https://pay.example/refunds', ...request },
});
const manifest = (parts: Record<string, unknown>) => ({ key: 'pay', name: 'Pay', scopes: [], authInputs: [], fields: [], triggers: [], actions: [], ...parts });

describe('app builder: refusals of unused manifest parts, at their inputs', () => {
  it('a header the companion sets: under the header\'s name, its value left unmarked; a bad placeholder stays under the value', async () => {
    const user = userEvent.setup();
    const calls = serveApps();
    renderWithProviders(<MiniAppsPage />);
    const register = await openRegister(user);
    await pasteManifest(user, manifest({ actions: [action({ headers: { 'User-Agent': 'PayBot/2', 'X-Order': '{{input.order}}' } })] }));
    await user.click(register);

    const request = row(section('Actions'), 'Action 1');
    const header = row(request, 'Header 1');
    expect(errorAt(header.getByLabelText('Header name'))).toBe('The companion sets User-Agent on every action call (InboxCompanion-MiniApp/1), so this value would never be sent; remove it');
    expect(errorAt(header.getByLabelText('Header value'))).toBeUndefined();
    const other = row(request, 'Header 2');
    expect(errorAt(other.getByLabelText('Header name'))).toBeUndefined();
    expect(errorAt(other.getByLabelText('Header value'))).toMatch(/\{\{input\.order\}\}/);
    expect(sent(calls, 'POST')).toEqual([]);
  });

  it('a GET with a body: under the request body', async () => {
    const user = userEvent.setup();
    const calls = serveApps();
    renderWithProviders(<MiniAppsPage />);
    const register = await openRegister(user);
    await pasteManifest(user, manifest({ actions: [action({ method: 'GET', body: { orderId: '{{input.orderId}}' } })] }));
    await user.click(register);

    const request = row(section('Actions'), 'Action 1');
    expect(errorAt(request.getByLabelText('Request body (JSON)'))).toBe('A GET request cannot have a body: put the values in the URL (e.g. ?orderId={{input.orderId}}) or use POST');
    expect(sent(calls, 'POST')).toEqual([]);
  });

  it('maxLength on a number auth input: shown under its Maximum length, which clearing removes', async () => {
    const user = userEvent.setup();
    const calls = serveApps();
    renderWithProviders(<MiniAppsPage />);
    const register = await openRegister(user);
    await pasteManifest(user, manifest({ authInputs: [{ key: 'shopId', label: 'Shop', type: 'number', required: true, maxLength: 8 }] }));
    await user.click(register);

    const input = row(section('Auth inputs'), 'Auth input 1');
    const length = input.getByLabelText('Maximum length');
    expect(errorAt(length)).toBe('maxLength limits text inputs (string, text, secret); a number has no length, so it would never be checked: remove it');
    expect(sent(calls, 'POST')).toEqual([]);

    await user.clear(length);
    expect(input.queryByLabelText('Maximum length')).toBeNull();
    await user.click(register);
    await screen.findByText(/Pay is registered/);
    expect(sent(calls, 'POST')).toEqual([manifest({ authInputs: [{ key: 'shopId', label: 'Shop', type: 'number', required: true }], description: '' })]);
  });
});
