import { describe, expect, it } from 'vitest';
import type { FieldDefinition } from '../../lib/contracts/contacts';
import Papa from 'papaparse';
import { guessTargets, readCsv, rowsToFixCsv } from './contact-csv';

const fields: FieldDefinition[] = [
  { key: 'plan', label: 'Plan', type: 'list', options: ['Gold', 'Silver'] },
  { key: 'vip_since', label: 'VIP since', type: 'date', options: [] },
  { key: 'opted_in', label: 'Opted in', type: 'checkbox', options: [] },
  { key: 'orders', label: 'Orders', type: 'number', options: [] },
];

describe('guessTargets', () => {
  it.each([
    // respond.io's export, Chatwoot's export, and words people use
    [['First Name', 'Last Name', 'Phone', 'Email', 'Tags'], ['firstName', 'lastName', 'phone', 'email', 'tags']],
    [['name', 'email', 'phone_number', 'labels'], ['fullName', 'email', 'phone', 'tags']],
    [['Mobile', 'E-Mail', 'VIP since', 'plan', 'Opted in', 'Notes'], ['phone', 'email', 'field:vip_since', 'field:plan', 'field:opted_in', 'skip']],
    [['Phone', 'Phone', 'Tag', 'Tags'], ['phone', 'skip', 'tags', 'tags']],
    [['FirstName', 'Lifecycle', 'Stage'], ['firstName', 'lifecycle', 'skip']],
  ] as const)('%j → %j', (headers, targets) => {
    expect(guessTargets(headers, fields)).toEqual(targets);
  });
});

describe('readCsv', () => {
  it.each([
    ['\uFEFFName;Phone\r\nAna;+34600111222\r\n\r\n', { headers: ['Name', 'Phone'], lines: [['Ana', '+34600111222']] }],
    ['Name,Note\n"Diaz, Ana","said ""hi""\nand left"\n', { headers: ['Name', 'Note'], lines: [['Diaz, Ana', 'said "hi"\nand left']] }],
    ['', { error: expect.stringMatching(/^The file is empty/) }],
    ['Name,Phone\n', { error: 'The file has a header line and no contacts under it' }],
    ['Name,Note\nAna,"never closed\n', { error: expect.stringMatching(/quote that is never closed/) }],
  ])('%j', (text, read) => {
    expect(readCsv(text)).toEqual(read);
  });
});

describe('rowsToFixCsv', () => {
  it('starts with a byte order mark (Excel on Windows reads it as UTF-8) and says why each row is there', () => {
    const text = rowsToFixCsv({ headers: ['Name', 'City'], lines: [['José', 'São Paulo'], ['Zoë', 'Köln']] }, [
      { line: 0, error: 'Phone: Start with +' }, { line: 1, skipped: 'Language: "German": Expected one of: English, Deutsch' },
    ]);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(Papa.parse<string[]>(text.slice(1)).data).toEqual([
      ['Name', 'City', 'Error', 'Skipped values'],
      ['José', 'São Paulo', 'Phone: Start with +', ''],
      ['Zoë', 'Köln', '', 'Language: "German": Expected one of: English, Deutsch'],
    ]);
  });
});

describe('rowsToFixCsv and formulas', () => {
  // What a spreadsheet would run when the file is opened (CSV injection): written as text, with a
  // ' in front, and read back as it was when the fixed file is imported again.
  const cells = ['=HYPERLINK("http://evil.example","Click")', '@SUM(A1:A9)', '+34600111222', '-1+2', '\tx', '\rx', 'Ana', '1+1'];
  const text = rowsToFixCsv({ headers: ['Value'], lines: cells.map((c) => [c]) }, cells.map((_, line) => ({ line, error: '=1+1' })));

  it('writes every cell that starts like a formula as text', () => {
    const rows = Papa.parse<string[]>(text.slice(1)).data.slice(1);
    expect(rows.map((r) => r[0])).toEqual([
      '\'=HYPERLINK("http://evil.example","Click")', '\'@SUM(A1:A9)', '\'+34600111222', '\'-1+2', '\'\tx', '\'\rx', 'Ana', '1+1',
    ]);
    expect(rows.every((r) => r[1] === '\'=1+1')).toBe(true);
  });

  it('reads back as the values it was made of', () => {
    const read = readCsv(text);
    if ('error' in read) throw new Error(read.error);
    expect(read.lines.map((l) => l[0])).toEqual(cells);
  });
});

