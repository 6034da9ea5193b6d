import { describe, expect, it } from 'vitest';
import cts from '../../test/fixtures/jsonpath/cts.json';
import { compileJsonPath } from '../contracts/jsonpath';
import { JsonKey } from '../contracts/workflow-primitives';
import { queryJsonPath } from './jsonpath-mapping';

// The JSONPath Compliance Test Suite (RFC 9535; see test/fixtures/jsonpath/README.md). The product
// accepts the whole RFC syntax, so every case applies: invalid selectors are refused when a
// workflow is saved, valid ones select what the suite says (through the fast path when simple).
type Case = { name: string; selector: string; document?: unknown; result?: unknown[]; results?: unknown[][]; invalid_selector?: boolean };
const cases = (cts as { tests: Case[] }).tests;

describe('JSONPath compliance test suite', () => {
  it.each(cases.filter((c) => c.invalid_selector).map((c) => [c.name, c] as const))('refuses: %s', (_, c) => {
    expect(compileJsonPath(c.selector)).toMatchObject({ error: expect.stringMatching(/at position \d+/) });
    // The form trims what the admin typed; what is still invalid after that is refused at save.
    const trimmed = c.selector.trim();
    if (trimmed.startsWith('$') && trimmed.length <= 500 && 'error' in compileJsonPath(trimmed)) {
      expect(JsonKey.safeParse(c.selector).success).toBe(false);
    }
  });

  it.each(cases.filter((c) => !c.invalid_selector).map((c) => [c.name, c] as const))('selects: %s', (_, c) => {
    expect(JsonKey.safeParse(c.selector).success || c.selector.length > 500).toBe(true);
    const found = queryJsonPath(c.document, c.selector);
    expect(found).not.toHaveProperty('error');
    const matches = 'matches' in found ? found.matches : [];
    if (c.results) expect(c.results).toContainEqual(matches);
    else expect(matches).toEqual(c.result);
  });
});
