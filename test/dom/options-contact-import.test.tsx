import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import Papa from 'papaparse';
import { Shell } from '../../components/options/Shell';
import { ContactImportBody, type ContactImportResult, type ContactImportRow } from '../../lib/contracts/contact-import';
import type { User } from '../../lib/contracts/users';
import { ok, renderWithProviders, serveApi, type ApiCall, type Routes } from './options-harness';

const at = '2025-01-01T00:00:00.000Z';
const supervisor: User = { id: 'u_sup', name: 'Sam Supervisor', email: 'sam@example.com', role: 'supervisor', kind: 'human', shortcutsEnabled: true, createdAt: at };
const me = { user: supervisor, permissions: { launchShortcuts: true, configure: false, superviseAgents: true } };
const fields = [
  { key: 'plan', label: 'Plan', type: 'list', options: ['Gold', 'Silver'] },
  { key: 'orders', label: 'Orders', type: 'number', options: [] },
];

/** A spreadsheet of `n` people; row `bad` (1-based, among the people) has a phone the server refuses, row `nan` an order count that is no number. */
function spreadsheet(n: number, { bad, nan }: { bad?: number; nan?: number } = {}) {
  const lines = Array.from({ length: n }, (_, i) => [
    `Person ${i + 1} Smith`, i + 1 === bad ? '0151 1234' : `+1 415 555 ${String(1000 + i).padStart(4, '0')}`, `p${i + 1}@example.com`,
    i + 1 === nan ? 'many' : String(i % 5), 'gold', 'vip; lead', 'ignored',
  ]);
  return Papa.unparse({ fields: ['Name', 'Phone', 'E-mail', 'Order count', 'Plan', 'Tags', 'Notes'], data: lines });
}

/** POST /contacts/import as the server answers: each row created, but a phone without "+" refused with its index. */
function importRoute(): (call: ApiCall) => { status: number; body: ContactImportResult } {
  return (call) => {
    const body = ContactImportBody.parse(call.body);
    const results = body.contacts.map((raw, index) => {
      const row = raw as ContactImportRow;
      return row.phone?.startsWith('+')
        ? { index, status: 'created' as const, contactId: `con_${index}` }
        : { index, status: 'error' as const, contactId: null, message: `contacts[${index}].phone: Start with + and the country code` };
    });
    const failed = results.filter((r) => r.status === 'error').length;
    return ok({ created: results.length - failed, updated: 0, unchanged: 0, failed, results }) as { status: number; body: ContactImportResult };
  };
}

function serve(extra: Routes = {}) {
  return serveApi({
    'GET /fields': ok({ fields }),
    'GET /settings/restrictions': ok({ agentsCanUseShortcuts: true, agents: [] }),
    'GET /users': ok({ users: [supervisor] }),
    'POST /contacts/import': importRoute(),
    ...extra,
  });
}

async function openImport() {
  window.location.hash = '#/contacts';
  renderWithProviders(<Shell me={me} serverUrl="http://127.0.0.1:8799" />);
  return within(await screen.findByRole('region', { name: 'Import contacts from a CSV file' }));
}

const csvFile = (text: string) => new File([text], 'contacts.csv', { type: 'text/csv' });
const posts = (calls: ApiCall[]) => calls.filter((c) => c.method === 'POST').map((c) => ContactImportBody.parse(c.body));

afterEach(() => {
  vi.restoreAllMocks();
  window.location.hash = '';
});

describe('options: contact import', () => {
  it('previews the file, guesses the columns, and imports in chunks with a progress bar and a summary of what failed and why', async () => {
    const user = userEvent.setup();
    const calls = serve();
    const panel = await openImport();
    expect(screen.getAllByRole('link').map((l) => l.textContent)).toEqual(['Restrictions', 'Contacts']);
    await waitFor(() => expect(calls.some((c) => c.path === '/fields')).toBe(true));

    await user.upload(panel.getByLabelText('Choose a CSV file…'), csvFile(spreadsheet(1_200, { bad: 3, nan: 700 })));
    const preview = within(panel.getByRole('table', { name: 'Preview of the file' }));
    expect(preview.getAllByRole('row')).toHaveLength(2 + 5);
    expect(preview.getByRole('cell', { name: 'Person 1 Smith' })).toBeTruthy();
    const mapped = (column: string) => (panel.getByLabelText(`Map column “${column}”`) as HTMLSelectElement).value;
    expect(['Name', 'Phone', 'E-mail', 'Order count', 'Plan', 'Tags', 'Notes'].map(mapped))
      .toEqual(['fullName', 'phone', 'email', 'skip', 'field:plan', 'tags', 'skip']);
    await user.selectOptions(panel.getByLabelText('Map column “Order count”'), 'field:orders');

    // Off unless asked, with what turning it on means.
    expect((panel.getByLabelText('Run workflows for these changes') as HTMLInputElement).checked).toBe(false);
    expect(panel.getByText(/may message every one of them/)).toBeTruthy();
    expect((panel.getByLabelText('Find existing contacts by') as HTMLSelectElement).value).toBe('phone_or_email');

    await user.click(panel.getByRole('button', { name: 'Import 1,200 rows' }));
    const summary = await panel.findByText(/^Import finished/);
    expect(summary.textContent).toBe('Import finished: 1,198 created, 0 updated, 0 unchanged, 2 failed.');
    const bar = panel.getByRole('progressbar', { name: 'Import progress' }) as HTMLProgressElement;
    expect([bar.value, bar.max]).toEqual([1_200, 1_200]);

    // In parts of 500; the line whose order count is no number never left the page.
    const sent = posts(calls);
    expect(sent.map((b) => b.contacts.length)).toEqual([500, 500, 199]);
    expect(sent.every((b) => b.fireTriggers === false && b.match === 'phone_or_email')).toBe(true);
    expect(sent[0]!.contacts[0]).toEqual({
      firstName: 'Person', lastName: '1 Smith', phone: '+1 415 555 1000', email: 'p1@example.com', tags: ['vip', 'lead'], fields: { orders: 0, plan: 'Gold' },
    });

    // Each failure by its row in the spreadsheet (the header is row 1), saying what to fix.
    const failures = within(panel.getByRole('table', { name: 'Rows not imported' })).getAllByRole('row').slice(1).map((r) => r.textContent);
    expect(failures).toEqual(['4phone: Start with + and the country code', '701Order count: "many" is not a number']);

    // And as a file: the same columns plus the error, to fix and import again.
    let saved: { name: string; blob: Blob } | undefined;
    URL.createObjectURL = (blob: Blob) => { saved = { name: '', blob }; return 'blob:failed'; };
    URL.revokeObjectURL = () => undefined;
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) { saved!.name = this.download; });
    await user.click(panel.getByRole('button', { name: 'Download the failed rows (CSV)' }));
    expect(saved!.name).toBe('contacts-failed.csv');
    const rows = Papa.parse<string[]>(await saved!.blob.text()).data;
    expect(rows[0]).toEqual(['Name', 'Phone', 'E-mail', 'Order count', 'Plan', 'Tags', 'Notes', 'Error']);
    expect(rows.slice(1).map((r) => [r[0], r[7]])).toEqual([
      ['Person 3 Smith', 'phone: Start with + and the country code'], ['Person 700 Smith', 'Order count: "many" is not a number'],
    ]);
  });

  it('runs workflows only when asked, and matches by the key chosen', async () => {
    const user = userEvent.setup();
    const calls = serve();
    const panel = await openImport();
    await user.upload(panel.getByLabelText('Choose a CSV file…'), csvFile('First name,Email,Labels\nAna,ana@example.com,VIP\n'));
    await user.selectOptions(panel.getByLabelText('Find existing contacts by'), 'email');
    await user.click(panel.getByLabelText('Run workflows for these changes'));
    await user.click(panel.getByRole('button', { name: 'Import 1 row' }));
    await panel.findByText(/^Import finished/);
    expect(posts(calls)).toEqual([{ contacts: [{ firstName: 'Ana', email: 'ana@example.com', tags: ['VIP'] }], match: 'email', fireTriggers: true }]);
  });

  it('stops at a chunk the server refuses whole, saying what was imported', async () => {
    const user = userEvent.setup();
    serve({ 'POST /contacts/import': { status: 403, body: { error: { code: 'forbidden', message: 'This needs the supervisor role; you are an agent' } } } });
    const panel = await openImport();
    await user.upload(panel.getByLabelText('Choose a CSV file…'), csvFile('Name,Phone\nAna Diaz,+34600111222\n'));
    await user.click(panel.getByRole('button', { name: 'Import 1 row' }));
    expect((await panel.findByRole('alert')).textContent).toBe('Stopped at row 2: This needs the supervisor role; you are an agent. Nothing was imported.');
    expect(panel.getByRole('status').textContent).toContain('Import stopped: 0 created');
  });

  it('says why a file cannot be read, and warns when no column finds existing contacts', async () => {
    const user = userEvent.setup();
    serve();
    const panel = await openImport();
    await user.upload(panel.getByLabelText('Choose a CSV file…'), csvFile('Name,Phone\n'));
    expect((await panel.findByRole('alert')).textContent).toBe('The file has a header line and no contacts under it');
    await user.upload(panel.getByLabelText('Choose a CSV file…'), csvFile('Name,City\nAna,Lyon\n'));
    expect((await panel.findByRole('status')).textContent).toMatch(/No column is mapped to Phone or Email: every row creates a new contact/);
    expect(panel.queryByRole('alert')).toBeNull();
  });
});
