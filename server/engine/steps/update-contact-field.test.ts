import { describe, expect, it } from 'vitest';
import type { FieldDefinition } from '../../../lib/contracts/contacts';
import { coerceFieldValue } from './update-contact-field';

const field = (type: FieldDefinition['type'], options: string[] = []): FieldDefinition => ({ key: 'f', label: 'F', type, options });

describe('coerceFieldValue', () => {
  it.each<[FieldDefinition, string, unknown]>([
    [field('number'), ' 1,250.5 ', 1250.5],
    [field('checkbox'), 'Yes', true],
    [field('checkbox'), '0', false],
    [field('date'), '2025-02-03', '2025-02-03'],
    [field('date'), '2025-02-03T11:00:00.000Z', '2025-02-03'],
    [field('list', ['Gold', 'Silver']), 'silver', 'Silver'],
    [field('email'), 'Ada@Example.COM', 'ada@example.com'],
    [field('phone'), '+1 (415) 555-0123', '+14155550123'],
    [field('url'), 'https://example.com/x', 'https://example.com/x'],
    [field('text'), 'anything', 'anything'],
    [field('number'), '   ', null],
  ])('%o <- %j', (def, text, value) => {
    expect(coerceFieldValue(def, text)).toEqual({ value });
  });

  it.each<[FieldDefinition, string]>([
    [field('number'), 'ten'],
    [field('checkbox'), 'maybe'],
    [field('date'), '03/02/2025'],
    [field('list', ['Gold']), 'Bronze'],
    [field('url'), 'ftp://x'],
    [field('email'), 'not-an-email'],
  ])('%o refuses %j', (def, text) => {
    expect(coerceFieldValue(def, text)).toEqual({ error: expect.any(String) });
  });
});
