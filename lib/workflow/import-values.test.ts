import { describe, expect, it } from 'vitest';
import { lifecycleStage, readImportDate, websiteWithScheme } from './import-values';

describe('websiteWithScheme', () => {
  it.each([
    ['acme.io', 'https://acme.io'],
    ['www.acme.io/pricing?x=1', 'https://www.acme.io/pricing?x=1'],
    ['shop.example.co.uk:8080', 'https://shop.example.co.uk:8080'],
    ['münchen.de', 'https://münchen.de'],
    ['https://acme.io', 'https://acme.io'],
    ['HTTP://ACME.IO', 'HTTP://ACME.IO'],
    ['acme', undefined],
    ['ana@acme.io', undefined],
    ['mailto:ana@acme.io', undefined],
    ['ftp://acme.io', undefined],
    ['acme .io', undefined],
    ['192.168.1.1', undefined],
    ['/pricing', undefined],
  ])('%s → %s', (raw, url) => {
    expect(websiteWithScheme(raw)).toBe(url);
  });
});

describe('readImportDate', () => {
  it.each([
    ['15/03/2024', 'day-first', { date: '2024-03-15' }],
    ['15.03.2024', 'day-first', { date: '2024-03-15' }],
    ['03/15/2024', 'month-first', { date: '2024-03-15' }],
    ['2024-03-15', 'month-first', { date: '2024-03-15' }],
    ['2024-03-15 10:22:33', 'day-first', { date: '2024-03-15' }],
    ['31/02/2024', 'day-first', { error: '"31/02/2024" is not a real date (read day-first: month 2, day 31): write it as DD/MM/YYYY (the workspace\'s default country\'s order) or YYYY-MM-DD' }],
    ['March 15', 'month-first', { error: '"March 15" is not a date: write it as MM/DD/YYYY (the workspace\'s default country\'s order) or YYYY-MM-DD' }],
  ] as const)('%s read %s', (raw, order, read) => {
    expect(readImportDate(raw, order)).toEqual(read);
  });
});

describe('lifecycleStage', () => {
  it.each([
    ['customer', ['Lead', 'Customer'], { stage: 'Customer' }],
    [' LEAD ', ['Lead', 'Customer'], { stage: 'Lead' }],
    ['Prospect', ['Lead', 'Customer'], { error: 'Unknown lifecycle stage "Prospect"; use one of: Lead, Customer' }],
    ['Lead', [], { error: 'There are no lifecycle stages yet; define them under Settings → Lifecycle stages first' }],
  ] as const)('%s among %j', (raw, stages, read) => {
    expect(lifecycleStage(raw, stages)).toEqual(read);
  });
});
