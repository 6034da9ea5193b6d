import { describe, expect, it } from 'vitest';
import type { FieldDefinition } from '../../lib/contracts/contacts';
import { buildRow, guessTargets, readCsv, type ColumnTarget } from './contact-csv';

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
  ] as const)('%j → %j', (headers, targets) => {
    expect(guessTargets(headers, fields)).toEqual(targets);
  });
});

describe('buildRow', () => {
  const headers = ['Name', 'First', 'Phone', 'Tags', 'More tags', 'Plan', 'Opted in', 'Orders'];
  const targets: ColumnTarget[] = ['fullName', 'firstName', 'phone', 'tags', 'tags', 'field:plan', 'field:opted_in', 'field:orders'];
  it.each([
    [['Ana María Diaz', '', '+34 600', 'vip, lead', 'new;;x', 'gold', 'yes', '1,5'],
      { row: { firstName: 'Ana', lastName: 'María Diaz', phone: '+34 600', tags: ['vip', 'lead', 'new', 'x'], fields: { plan: 'Gold', opted_in: true, orders: 1.5 } } }],
    // An explicit first name wins over the full name's; empty cells are left out (never blank a value).
    [['Ana Diaz', 'Anita', '', '', '', '', '', ''], { row: { firstName: 'Anita', lastName: 'Diaz' } }],
    [['', '', '', '', '', 'Bronze', 'maybe', '1,250'], { problems: [
      'Plan: "Bronze": Expected one of: Gold, Silver', 'Opted in: "maybe" is not true or false',
      expect.stringMatching(/^Orders: "1,250" .*without a thousands separator/),
    ] }],
  ])('%j', (line, built) => {
    expect(buildRow(line, headers, targets, fields)).toEqual(built);
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
