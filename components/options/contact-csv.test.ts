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
