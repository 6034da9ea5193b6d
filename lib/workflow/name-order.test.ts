import { describe, expect, it } from 'vitest';
import { byName, nameCollator, nameWith, sharedNames } from './name-order';

const rows = (...names: string[]) => names.map((name, i) => ({ id: `wf_${i}`, name }));
const sortedNames = (names: string[], locales?: string[]) => rows(...names).sort(byName(nameCollator(locales))).map((r) => r.name);

describe('byName', () => {
  it.each<[string, string[], string[]]>([
    ['numbers by value', ['Flow 10', 'Flow 2', 'Flow 1'], ['Flow 1', 'Flow 2', 'Flow 10']],
    ['any case', ['beta', 'Zeta', 'alpha', 'Gamma'], ['alpha', 'beta', 'Gamma', 'Zeta']],
    ['accents beside their letter', ['Zoe', 'Émile', 'Eve'], ['Émile', 'Eve', 'Zoe']],
    ['a shorter name first', ['Refund order', 'Refund'], ['Refund', 'Refund order']],
  ])('%s', (_what, names, want) => {
    expect(sortedNames(names, ['en-US'])).toEqual(want);
  });

  it('sorts as the reader\'s language does (Swedish: å after z)', () => {
    expect(sortedNames(['Åsa', 'Zoe', 'Anna'], ['sv'])).toEqual(['Anna', 'Zoe', 'Åsa']);
    expect(sortedNames(['Åsa', 'Zoe', 'Anna'], ['en'])).toEqual(['Anna', 'Åsa', 'Zoe']);
  });

  it('names equal in that order keep the order of their ids', () => {
    const order = byName(nameCollator(['en']));
    expect([{ id: 'wf_b', name: 'refund' }, { id: 'wf_a', name: 'Refund' }].sort(order).map((r) => r.id)).toEqual(['wf_a', 'wf_b']);
  });

  it.each([[['*']], [['not a tag!', 'sv']], [[]]])('skips tags Intl cannot use: %j', (locales) => {
    expect(() => nameCollator(locales)).not.toThrow();
    expect(sortedNames(['Flow 10', 'Flow 2'], locales)).toEqual(['Flow 2', 'Flow 10']);
  });
});

describe('sharedNames and nameWith', () => {
  it('finds the people whose name another has, in any case', () => {
    const people = [{ id: 'u1', name: 'Sam Lee' }, { id: 'u2', name: 'Ava' }, { id: 'u3', name: 'sam lee' }];
    expect([...sharedNames(people, nameCollator(['en']))].sort()).toEqual(['u1', 'u3']);
  });

  it('says what is known of a name, leaving out the rest', () => {
    expect(nameWith('Sam Lee', ['sam@example.com', false, 'you'])).toBe('Sam Lee (sam@example.com, you)');
    expect(nameWith('Sam Lee', [null, undefined])).toBe('Sam Lee');
  });
});
