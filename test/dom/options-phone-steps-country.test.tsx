import { afterEach, describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditor } from '../../components/options/WorkflowEditor';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { ok, renderWithProviders, serveApi, addStep } from './options-harness';

// The workflow editor reads a phone number written in Update Contact Field as runs and publishing
// read it: with the workspace's default country (GET /settings/default-country) a national number
// is fine, and one that is no number of that country is flagged with the words the run would fail
// with, naming the country; with none set it still needs + and the country code.

async function typeValue(country: string | null, field: string, typed: string) {
  serveApi({
    'GET /fields': ok({ fields: [{ key: 'mobile', label: 'Mobile', type: 'phone', options: [] }] }),
    'GET /apps': ok({ apps: [] }),
    'GET /users': ok({ users: [] }),
    'GET /workflows': ok({ workflows: [] }),
    'GET /settings/closing-categories': ok({ categories: [] }),
    'GET /settings/default-country': ok({ country }),
  });
  const user = userEvent.setup();
  const initial: WorkflowDraft = { name: 'Phones', trigger: { type: 'manual' }, oncePerContact: false, steps: [] };
  const { client } = renderWithProviders(<WorkflowEditor id={undefined} initial={initial} restored={false} onDiscard={() => undefined} />);
  await waitFor(() => expect(client.getQueryState(['default-country'])?.status).toBe('success'));
  await addStep(user, 'Update a contact field');
  const picker = screen.getByLabelText('Contact field');
  await waitFor(() => expect(screen.getByRole('option', { name: 'Mobile (mobile)' })).toBeTruthy());
  await user.selectOptions(picker, field);
  const input = screen.getByLabelText('New value');
  await user.clear(input);
  await user.type(input, typed);
  await user.tab();
  return { input, client };
}

afterEach(() => sessionStorage.clear());

describe('Update Contact Field: phone numbers and the workspace\'s default country', () => {
  it.each([['phone', '(11) 91234-5678'], ['mobile', '011 91234 5678']])('takes %s = %j with the workspace in BR', async (field, typed) => {
    const { input } = await typeValue('BR', field, typed);
    await new Promise((r) => setTimeout(r, 50));
    expect(input.getAttribute('aria-invalid')).not.toBe('true');
    expect(screen.queryByText(/cannot set/)).toBeNull();
  });

  it.each([['phone', '"phone"'], ['mobile', '"mobile" \\(phone\\)']])('says which country it assumed for %s = "(11) 1234", as the run would', async (field, named) => {
    const { input } = await typeValue('BR', field, '(11) 1234');
    expect(await screen.findByText(new RegExp(`cannot set ${named}: "\\(11\\) 1234" is not a phone number: .*it is not a valid BR number either \\(the workspace's default country\\)`))).toBeTruthy();
    expect(input.getAttribute('aria-invalid')).toBe('true');
  });

  it('still asks for + and the country code with no default country; once the workspace is in BR the same value is fine', async () => {
    const { input, client } = await typeValue(null, 'phone', '(11) 91234-5678');
    expect(await screen.findByText(/cannot set "phone": "\(11\) 91234-5678": Start with \+ and the country code/)).toBeTruthy();
    expect(input.getAttribute('aria-invalid')).toBe('true');
    client.setQueryData(['default-country'], { country: 'BR' });
    await waitFor(() => expect(screen.queryByText(/cannot set/)).toBeNull());
    expect(input.getAttribute('aria-invalid')).not.toBe('true');
  });
});
