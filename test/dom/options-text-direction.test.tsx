import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ClosingCategoriesSettings } from '../../components/options/ClosingCategoriesSettings';
import { LifecycleStagesSettings } from '../../components/options/LifecycleStagesSettings';
import { RunContactSearch } from '../../components/options/RunContactSearch';
import { TagInput } from '../../components/options/TagInput';
import { UsersSettings } from '../../components/options/UsersSettings';
import type { User } from '../../lib/contracts/users';
import { ok, renderWithProviders, serveApi } from './options-harness';

// Options-page inputs that hold names, tags, categories and stages but are not drawn through
// Field: an Arabic or Hebrew value takes its own direction (dir="auto"), and a chip shows its
// name isolated (<bdi>) from the ✕ beside it, as the inbox does.

const user = (id: string, name: string, role: User['role']): User =>
  ({ id, name, email: `${id}@example.com`, role, kind: 'human', shortcutsEnabled: true, createdAt: '2025-01-01T00:00:00.000Z', active: true, deactivatedAt: null });

function Tags() {
  const [tags, setTags] = useState(['عميل مهم']);
  return <TagInput tags={tags} onChange={setTags} label="Tags" path="tags" />;
}

describe('text direction of options-page inputs outside Field', () => {
  it('the tag input, and each tag chip isolated', () => {
    renderWithProviders(<Tags />);
    expect(screen.getByLabelText('Tags').getAttribute('dir')).toBe('auto');
    const chip = screen.getByRole('list', { name: 'Tags chosen' }).querySelector('li')!;
    expect(chip.querySelector('bdi')?.textContent).toBe('عميل مهم');
  });

  it('closing categories and lifecycle stages: the new-name inputs and the names listed', async () => {
    serveApi({
      'GET /settings/closing-categories': ok({ categories: ['تم الحل'] }),
      'GET /settings/lifecycle-stages': ok({ stages: ['לקוח חדש'] }),
    });
    renderWithProviders(<><ClosingCategoriesSettings /><LifecycleStagesSettings /></>);
    expect((await screen.findByText('تم الحل')).tagName).toBe('BDI');
    expect((await screen.findByText('לקוח חדש')).tagName).toBe('BDI');
    expect(screen.getByLabelText('New category').getAttribute('dir')).toBe('auto');
    expect(screen.getByLabelText('New stage').getAttribute('dir')).toBe('auto');
  });

  it('renaming a user', async () => {
    const events = userEvent.setup();
    const users = [user('u_admin', 'Ada Admin', 'admin'), user('u_sara', 'שרה כהן', 'agent')];
    serveApi({ 'GET /users': ok({ users }) });
    renderWithProviders(<UsersSettings me={users[0]!} serverUrl="http://127.0.0.1:8799" />);
    const row = within((await screen.findByRole('cell', { name: 'שרה כהן' })).closest('tr')!);
    await events.click(row.getByRole('button', { name: 'Edit שרה כהן' }));
    expect(screen.getByLabelText('Name of שרה כהן').getAttribute('dir')).toBe('auto');
  });

  it('the run history\'s contact search', () => {
    renderWithProviders(<RunContactSearch onPick={() => undefined} />);
    expect(screen.getByRole('searchbox', { name: 'Contact' }).getAttribute('dir')).toBe('auto');
  });
});
