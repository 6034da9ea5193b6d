import { describe, expect, it } from 'vitest';
import type { FieldDefinition } from '../../lib/contracts/contacts';
import type { ColumnTarget } from './contact-csv';
import { buildRow, type RowContext } from './import-rows';
import { planLine } from './use-contact-import';

const fields: FieldDefinition[] = [
  { key: 'plan', label: 'Plan', type: 'list', options: ['Gold', 'Silver'] },
  { key: 'opted_in', label: 'Opted in', type: 'checkbox', options: [] },
  { key: 'orders', label: 'Orders', type: 'number', options: [] },
  { key: 'signup', label: 'Signup date', type: 'date', options: [] },
  { key: 'website', label: 'Website', type: 'url', options: [] },
  { key: 'customer_id', label: 'Customer ID', type: 'text', options: [] },
];
const headers = ['Name', 'First', 'Phone', 'Tags', 'More tags', 'Plan', 'Opted in', 'Orders', 'Signup', 'Website', 'Stage', 'Customer ID'];
const targets: ColumnTarget[] = ['fullName', 'firstName', 'phone', 'tags', 'tags', 'field:plan', 'field:opted_in', 'field:orders', 'field:signup', 'field:website', 'lifecycle', 'field:customer_id'];
const ctx = (over: Partial<RowContext> = {}): RowContext => ({
  headers, targets, fields, stages: ['Lead', 'Customer'], reading: { dateOrder: 'day-first', phoneCountry: null }, ...over,
});
const line = (cells: Partial<Record<(typeof headers)[number], string>>) => headers.map((h) => cells[h] ?? '');

describe('buildRow', () => {
  it('reads cells as people write them: list options, yes/no, "1,5", day-first dates, websites without https://, stages in any case', () => {
    expect(buildRow(line({ Name: 'Ana María Diaz', Phone: '+34 600 111 222', Tags: 'vip, lead', 'More tags': 'new;;x', Plan: 'gold', 'Opted in': 'yes', Orders: '1,5', Signup: '15/03/2024', Website: 'acme.io', Stage: 'customer' }), ctx()))
      .toEqual({
        row: { firstName: 'Ana', lastName: 'María Diaz', phone: '+34 600 111 222', tags: ['vip', 'lead', 'new', 'x'], lifecycle: 'Customer',
          fields: { plan: 'Gold', opted_in: true, orders: 1.5, signup: '2024-03-15', website: 'https://acme.io' } },
        problems: [], values: [], httpsAdded: 1, findable: true,
      });
  });

  it('an explicit first name wins over the full name\'s; empty cells are left out (never blank a value)', () => {
    expect(buildRow(line({ Name: 'Ana Diaz', First: 'Anita' }), ctx())).toMatchObject({ row: { firstName: 'Anita', lastName: 'Diaz' }, problems: [], findable: false });
  });

  it('lists every problem of a line at once: its phone (the contract\'s check) and each value that does not fit', () => {
    const built = buildRow(line({ Name: 'Row Four', Phone: '0151 1234 5678', Plan: 'Bronze', 'Opted in': 'maybe', Orders: '1,250', Signup: '03/15/2024', Stage: 'Prospect' }), ctx());
    expect(built.problems).toEqual([expect.stringMatching(/^Phone: Start with \+ and the country code/)]);
    expect(built.values).toEqual([
      { column: 'Plan', message: '"Bronze": Expected one of: Gold, Silver' },
      { column: 'Opted in', message: '"maybe" is not true or false' },
      { column: 'Orders', message: expect.stringMatching(/^"1,250" .*without a thousands separator/) },
      { column: 'Signup', message: '"03/15/2024" is not a real date (read day-first: month 15, day 3): write it as DD/MM/YYYY (the workspace\'s default country\'s order) or YYYY-MM-DD' },
      { column: 'Stage', message: 'Unknown lifecycle stage "Prospect"; use one of: Lead, Customer' },
    ]);
    expect(built.row).toEqual({ firstName: 'Row', lastName: 'Four', phone: '0151 1234 5678' });
    // Refused for its phone whatever the choice, with the values too; strict or not.
    expect(planLine(built, false)).toEqual({ refuse: [built.problems[0], ...built.values.map((v) => `${v.column}: ${v.message}`)].join('; ') });
    expect(planLine(built, true)).toEqual(planLine(built, false));
  });

  it('a value that does not fit is left out of the row sent, or refuses it when the import is strict', () => {
    const built = buildRow(line({ Name: 'Zoë', Phone: '+4915110000000', Plan: 'Bronze' }), ctx());
    expect(planLine(built, false)).toEqual({ send: { firstName: 'Zoë', phone: '+4915110000000' } });
    expect(planLine(built, true)).toEqual({ refuse: 'Plan: "Bronze": Expected one of: Gold, Silver' });
  });

  it.each([
    ['0151 10000000', '+4915110000000'],
    ['4915110000000', '+4915110000000'],
    ['+49 151 10000000', '+49 151 10000000'],
  ])('reads %s in the default country as %s', (phone, sent) => {
    expect(buildRow(line({ Name: 'Ana', Phone: phone }), ctx({ reading: { dateOrder: 'day-first', phoneCountry: 'DE' } })).row.phone).toBe(sent);
  });

  it('month first when the workspace is in the US; ISO dates and timestamps anywhere', () => {
    const us = ctx({ reading: { dateOrder: 'month-first', phoneCountry: null } });
    expect(buildRow(line({ Name: 'A', Signup: '03/15/2024' }), us).row.fields).toEqual({ signup: '2024-03-15' });
    expect(buildRow(line({ Name: 'A', Signup: '2024-03-15T10:00:00Z' }), ctx()).row.fields).toEqual({ signup: '2024-03-15' });
  });

  it('a line with the match field\'s value is findable without phone or email; stages not read yet are left to the server', () => {
    expect(buildRow(line({ Name: 'Élodie', 'Customer ID': 'C-1' }), ctx({ matchField: 'customer_id' })).findable).toBe(true);
    expect(buildRow(line({ Name: 'Élodie', 'Customer ID': 'C-1' }), ctx()).findable).toBe(false);
    expect(buildRow(line({ Name: 'A', Stage: 'whatever' }), ctx({ stages: undefined })).row.lifecycle).toBe('whatever');
  });
});
