import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AdsCatalogSettings } from '../../components/options/AdsCatalogSettings';
import { CustomFieldsSettings } from '../../components/options/CustomFieldsSettings';
import { UsersSettings } from '../../components/options/UsersSettings';
import { ok, renderWithProviders, serveApi } from './options-harness';

// The settings forms put the server's refusals where the admin types: each 422 detail (and a 409
// that names its field) on the input it is about, wired for screen readers, gone once edited.

const refused = (status: number, message: string, details?: { path: string; message: string }[]) =>
  ({ status, body: { error: { code: status === 409 ? 'conflict' : 'invalid_content', message, ...(details ? { details } : {}) } } });

/** The text of everything an input's aria-describedby points at. */
const description = (input: HTMLElement) =>
  (input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? '').join(' ');

async function expectErrorOn(label: string, message: string) {
  const input = screen.getByLabelText(label);
  await waitFor(() => expect(input.getAttribute('aria-invalid')).toBe('true'));
  expect(description(input)).toContain(message);
}

function expectClean(label: string) {
  const input = screen.getByLabelText(label);
  expect(input.getAttribute('aria-invalid')).toBeNull();
  expect(description(input)).toBe('');
}

describe('users form', () => {
  it('puts a 422\'s details on their inputs, says on top to correct them (not the API\'s "body.email:" words), and clears a field when edited', async () => {
    const user = userEvent.setup();
    serveApi({
      'GET /users': ok({ users: [] }),
      'POST /users': refused(422, 'The body is invalid: body.name: Reserved name; body.email: That domain does not take mail', [
        { path: 'body.name', message: 'Reserved name' },
        { path: 'body.email', message: 'That domain does not take mail' },
      ]),
    });
    renderWithProviders(<UsersSettings />);
    await user.type(screen.getByLabelText('Name'), 'Root');
    await user.type(screen.getByLabelText('Email'), 'root@nowhere.example');
    await user.click(screen.getByRole('button', { name: 'Create user' }));

    await expectErrorOn('Email', 'That domain does not take mail');
    await expectErrorOn('Name', 'Reserved name');
    expectClean('Role');
    expect((await screen.findByRole('alert')).textContent).toBe('Correct the fields marked below.');
    expect(document.activeElement).toBe(screen.getByLabelText('Name'));

    await user.type(screen.getByLabelText('Email'), 'x');
    expectClean('Email');
    expect(screen.queryByText('That domain does not take mail')).toBeNull();
    await expectErrorOn('Name', 'Reserved name');
  });

  it('shows a taken email on the email field, and a 409 that names no field on top', async () => {
    const user = userEvent.setup();
    let answer = refused(409, 'A user with email bo@example.com already exists');
    serveApi({ 'GET /users': ok({ users: [] }), 'POST /users': () => answer });
    renderWithProviders(<UsersSettings />);
    await user.type(screen.getByLabelText('Name'), 'Bo');
    await user.type(screen.getByLabelText('Email'), 'bo@example.com');
    await user.click(screen.getByRole('button', { name: 'Create user' }));

    await expectErrorOn('Email', 'A user with email bo@example.com already exists');
    expect(screen.queryByRole('alert')).toBeNull();
    await user.type(screen.getByLabelText('Email'), '.uk');
    expectClean('Email');

    answer = refused(409, 'This conflicts with an existing record');
    await user.click(screen.getByRole('button', { name: 'Create user' }));
    expect((await screen.findByRole('alert')).textContent).toBe('This conflicts with an existing record');
    expectClean('Email');
  });
});

describe('custom fields form', () => {
  it('puts details on key and options (paths as the route builds them) and clears each when edited', async () => {
    const user = userEvent.setup();
    serveApi({
      'GET /fields': ok({ fields: [] }),
      'PUT /fields/plan': refused(422, 'Invalid field definition', [
        { path: 'key', message: 'That key is reserved' },
        { path: 'body.options.1', message: 'Options must differ' },
      ]),
    });
    renderWithProviders(<CustomFieldsSettings />);
    await user.type(screen.getByLabelText('Key'), 'plan');
    await user.type(screen.getByLabelText('Label'), 'Plan');
    await user.selectOptions(screen.getByLabelText('Type'), 'list');
    await user.type(screen.getByLabelText('Options (comma separated)'), 'Pro, Pro');
    await user.click(screen.getByRole('button', { name: 'Save field' }));

    await expectErrorOn('Key', 'That key is reserved');
    await expectErrorOn('Options (comma separated)', 'Options must differ');
    expectClean('Label');
    expect((await screen.findByRole('alert')).textContent).toBe('Invalid field definition');

    await user.type(screen.getByLabelText('Options (comma separated)'), ', Free');
    expectClean('Options (comma separated)');
    await expectErrorOn('Key', 'That key is reserved');
    await user.type(screen.getByLabelText('Key'), '_x');
    expectClean('Key');
    expect(screen.getByRole('alert').textContent).toBe('Invalid field definition');
  });

  it('puts a too-long key in the URL (params.key) on the key input', async () => {
    const user = userEvent.setup();
    serveApi({
      'GET /fields': ok({ fields: [] }),
      'PUT /fields/plan': refused(422, 'The URL path is invalid: params.key: Too long', [{ path: 'params.key', message: 'Too long' }]),
    });
    renderWithProviders(<CustomFieldsSettings />);
    await user.type(screen.getByLabelText('Key'), 'plan');
    await user.type(screen.getByLabelText('Label'), 'Plan');
    await user.click(screen.getByRole('button', { name: 'Save field' }));
    await expectErrorOn('Key', 'Too long');
  });
});

describe('ads catalog form', () => {
  it('puts a 422\'s detail on its input, lists a detail no input takes on top, and clears the field when edited', async () => {
    const user = userEvent.setup();
    serveApi({
      'GET /ads': ok({ ads: [] }),
      'POST /ads': refused(422, 'The ad was refused', [
        { path: 'body.adId', message: 'Ad ids are digits' },
        { path: 'body', message: 'The catalog is full' },
      ]),
    });
    renderWithProviders(<AdsCatalogSettings />);
    await user.type(screen.getByLabelText('Ad account ID'), 'act_1');
    await user.type(screen.getByLabelText('Ad ID'), 'ad_x');
    await user.type(screen.getByLabelText('Name'), 'Spring sale');
    await user.click(screen.getByRole('button', { name: 'Add ad' }));

    await expectErrorOn('Ad ID', 'Ad ids are digits');
    expectClean('Ad account ID');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The ad was refused');
    expect(alert.textContent).toContain('The catalog is full');
    expect(alert.textContent).not.toContain('Ad ids are digits');

    await user.clear(screen.getByLabelText('Ad ID'));
    await user.type(screen.getByLabelText('Ad ID'), '123');
    expectClean('Ad ID');
    expect(screen.queryByText('Ad ids are digits')).toBeNull();
  });
});
