import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { FormFieldInput } from '../../lib/contracts/forms';
import { FormBuilder } from '../../components/options/FormBuilder';
import { ok, renderWithProviders, serveApi } from './options-harness';

// The form builder's preview reads a phone as the launcher does: with the workspace's default
// country (GET /settings/default-country) a national number passes "Try the form", and one that
// is not a number of that country either says which country was assumed.

function Builder() {
  const [fields, setFields] = useState<FormFieldInput[]>([]);
  return <FormBuilder path="trigger.form.fields" fields={fields} onChange={setFields} />;
}

const preview = () => within(screen.getByRole('region', { name: 'Form preview' }));

async function tryPhone(country: string | null, typed: string) {
  serveApi({ 'GET /settings/default-country': ok({ country }) });
  const user = userEvent.setup();
  const { client } = renderWithProviders(<Builder />);
  await waitFor(() => expect(client.getQueryState(['default-country'])?.status).toBe('success'));
  await user.selectOptions(screen.getByLabelText('New field type'), 'Phone');
  await user.click(screen.getByRole('button', { name: 'Add field' }));
  const input = preview().getByRole('textbox', { name: /Field 1/ });
  await user.type(input, typed);
  await user.click(preview().getByRole('button', { name: 'Try the form' }));
  return input;
}

describe('form preview: phone numbers and the workspace\'s default country', () => {
  it('takes "(11) 91234-5678" with the workspace in BR', async () => {
    const input = await tryPhone('BR', '(11) 91234-5678');
    await new Promise((r) => setTimeout(r, 50));
    expect(input.getAttribute('aria-invalid')).not.toBe('true');
    expect(preview().queryByText(/Start with \+/)).toBeNull();
  });

  it('says which country it assumed for a number that is not Brazilian either', async () => {
    const input = await tryPhone('BR', '(11) 1234');
    expect(await preview().findByText(/it is not a valid BR number either \(the workspace's default country\)/)).toBeTruthy();
    expect(input.getAttribute('aria-invalid')).toBe('true');
  });

  it('still asks for + and the country code with no default country', async () => {
    const input = await tryPhone(null, '(11) 91234-5678');
    expect(await preview().findByText(/^Start with \+ and the country code/)).toBeTruthy();
    expect(input.getAttribute('aria-invalid')).toBe('true');
  });
});
