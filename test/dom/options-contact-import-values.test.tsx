import { afterEach, describe, expect, it, vi } from 'vitest';
import userEvent from '@testing-library/user-event';
import { csvFile, openImport, posts, serve, tableRows, windows1252 } from './contact-import-harness';

// What a first day's admin brings from respond.io or Excel: a Windows-1252 file, dates in the
// workspace's order, websites without https://, list values and stages that do not fit, national
// phone numbers, people with neither phone nor email, and the other tool's id to find them by.

afterEach(() => {
  vi.restoreAllMocks();
  window.location.hash = '';
});

const exported = [
  'First Name,Last Name,Phone Number,Email,Lifecycle,Signup date,Website,Language,Contact ID',
  'José,García,+49 151 10000000,jose@example.com,customer,15/03/2024,acme.io,German,C-1',
  'Élodie,,,,Lead,,,,C-2',
  'Zoë,,,,,,,Deutsch,C-3',
  'Max,Muster,0151,max@example.com,Prospect,31/02/2024,,German,C-4',
  'Ana,,0151 10000000,,Churned,,,,C-5',
].join('\n');

describe('options: contact import of an export from another tool', () => {
  it('reads a Windows-1252 file (Excel on Windows) as such, says so, and lets the person pick another encoding', async () => {
    const user = userEvent.setup();
    const calls = serve();
    const panel = await openImport();
    await user.upload(panel.getByLabelText('Choose a CSV file…'), csvFile(windows1252('Name;Phone\nJosé Silva;+55 11 91234 5678\nZoë Müller;+49 151 10000000\n')));
    expect((await panel.findByRole('status')).textContent)
      .toBe('This file is not UTF-8; read as Windows-1252 (Excel\'s default). If names look wrong, save the file as CSV UTF-8.');
    expect(panel.getByRole('cell', { name: 'José Silva' })).toBeTruthy();
    const encoding = panel.getByLabelText('File encoding') as HTMLSelectElement;
    expect(encoding.value).toBe('windows-1252');
    expect([...encoding.options].map((o) => o.value)).toEqual(expect.arrayContaining(['utf-8', 'windows-1252', 'iso-8859-15', 'macintosh']));

    // Read as UTF-8 on request: the replacement characters the import used to store.
    await user.selectOptions(encoding, 'utf-8');
    expect(panel.getByRole('cell', { name: 'Jos\uFFFD Silva' })).toBeTruthy();
    expect(panel.queryByRole('status')).toBeNull();
    await user.selectOptions(encoding, 'windows-1252');
    await user.click(panel.getByRole('button', { name: 'Import 2 rows' }));
    await panel.findByText(/^Import finished/);
    expect(posts(calls)[0]!.contacts.map((c) => (c as { firstName: string; lastName: string }))).toEqual([
      expect.objectContaining({ firstName: 'José', lastName: 'Silva' }), expect.objectContaining({ firstName: 'Zoë', lastName: 'Müller' }),
    ]);
  });

  it('a UTF-8 file is read as UTF-8 with no notice', async () => {
    const user = userEvent.setup();
    serve();
    const panel = await openImport();
    await user.upload(panel.getByLabelText('Choose a CSV file…'), csvFile('Name,Phone\nJosé Silva,+55 11 91234 5678\n'));
    expect(await panel.findByRole('cell', { name: 'José Silva' })).toBeTruthy();
    expect((panel.getByLabelText('File encoding') as HTMLSelectElement).value).toBe('utf-8');
    expect(panel.queryByText(/This file is not UTF-8/)).toBeNull();
  });

  it('imports what fits and lists what did not, every problem of a row at once; people without phone or email are flagged, then found by the other tool\'s id', async () => {
    const user = userEvent.setup();
    const calls = serve({}, 'DE');
    const panel = await openImport();
    await user.upload(panel.getByLabelText('Choose a CSV file…'), csvFile(exported, 'respondio.csv'));
    await panel.findByRole('table', { name: 'Preview of the file' });
    const mapped = (column: string) => (panel.getByLabelText(`Map column “${column}”`) as HTMLSelectElement).value;
    expect(['Phone Number', 'Lifecycle', 'Signup date', 'Website', 'Language', 'Contact ID'].map(mapped))
      .toEqual(['phone', 'lifecycle', 'field:signup', 'field:website', 'field:language', 'skip']);
    await user.selectOptions(panel.getByLabelText('Map column “Contact ID”'), 'field:customer_id');
    expect(panel.getByText(/^2 rows have no phone or email: they are created again at every import \(row 3, 4\)/)).toBeTruthy();
    expect((panel.getByLabelText('Read numbers without a country code as: DE') as HTMLInputElement).checked).toBe(true);
    expect(panel.getByText(/Dates are read as YYYY-MM-DD, or day first \(DD\/MM\/YYYY\), as people in DE/)).toBeTruthy();

    await user.selectOptions(panel.getByLabelText('Find existing contacts by'), 'field');
    expect((panel.getByRole('button', { name: 'Import 5 rows' }) as HTMLButtonElement).disabled).toBe(true);
    await user.selectOptions(panel.getByLabelText('Custom field to find contacts by'), 'customer_id');
    expect(panel.queryByText(/created again at every import/)).toBeNull();
    await user.click(panel.getByRole('button', { name: 'Import 5 rows' }));
    const summary = await panel.findByText(/^Import finished/);
    expect(summary.textContent).toBe('Import finished: 4 created, 0 updated, 0 unchanged, 1 failed.');

    const [sent] = posts(calls);
    expect(sent).toMatchObject({ match: { field: 'customer_id' }, onInvalidField: 'skip' });
    expect(sent!.contacts).toEqual([
      { firstName: 'José', lastName: 'García', phone: '+49 151 10000000', email: 'jose@example.com', lifecycle: 'Customer',
        fields: { signup: '2024-03-15', website: 'https://acme.io', customer_id: 'C-1' } },
      { firstName: 'Élodie', lifecycle: 'Lead', fields: { customer_id: 'C-2' } },
      { firstName: 'Zoë', fields: { language: 'Deutsch', customer_id: 'C-3' } },
      { firstName: 'Ana', phone: '+4915110000000', lifecycle: 'Churned', fields: { customer_id: 'C-5' } },
    ]);
    // Row 5: its phone and all three values that do not fit, in one line.
    expect(tableRows(panel, 'Rows not imported')).toEqual([['5', 'Phone Number: "0151" is not a phone number: it has no country code (+ and the code, e.g. +49 151 1234 5678), '
      + 'and it is not a valid DE number either (the workspace\'s default country); '
      + 'Lifecycle: Unknown lifecycle stage "Prospect"; use one of: Lead, Customer, Churned; '
      + 'Signup date: "31/02/2024" is not a real date (read day-first: month 2, day 31): write it as DD/MM/YYYY (the workspace\'s default country\'s order) or YYYY-MM-DD; '
      + 'Language: "German": Expected one of: English, Deutsch']]);
    // Left out by the page (Language) and by the server (a stage removed since the page read them).
    expect(tableRows(panel, 'Values skipped')).toEqual([
      ['2', 'Language', '"German": Expected one of: English, Deutsch'],
      ['6', 'Lifecycle', 'Unknown lifecycle stage "Churned"; use one of: Lead, Customer'],
    ]);
    expect(panel.getByText('https:// was added to 1 website written without it (acme.io → https://acme.io).')).toBeTruthy();
    expect(panel.queryByText(/created again at every import/)).toBeNull();
  });

  it('strict: a row with a value that does not fit is not imported; without the default country, national numbers are refused', async () => {
    const user = userEvent.setup();
    const calls = serve({}, 'DE');
    const panel = await openImport();
    await user.upload(panel.getByLabelText('Choose a CSV file…'), csvFile(exported));
    await user.click(await panel.findByLabelText('Skip the contact when a value does not fit'));
    await user.click(panel.getByLabelText('Read numbers without a country code as: DE'));
    await user.click(panel.getByRole('button', { name: 'Import 5 rows' }));
    expect((await panel.findByText(/^Import finished/)).textContent).toBe('Import finished: 2 created, 0 updated, 0 unchanged, 3 failed.');
    expect(posts(calls)[0]).toMatchObject({ onInvalidField: 'error', match: 'phone_or_email' });
    const columns = /(?:^|; )(Phone Number|Lifecycle|Signup date|Language):/g;
    expect(tableRows(panel, 'Rows not imported').map(([row, why]) => [row, [...why!.matchAll(columns)].map((m) => m[1])])).toEqual([
      ['2', ['Language']],
      ['5', ['Phone Number', 'Lifecycle', 'Signup date', 'Language']],
      ['6', ['Phone Number']],
    ]);
    // Created without phone or email: said before the import, and again in its summary.
    expect(panel.getAllByText(/^2 rows have no phone or email: they are created again at every import \(row 3, 4\)/)).toHaveLength(2);
  });
});
