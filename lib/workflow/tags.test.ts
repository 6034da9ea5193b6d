import { describe, expect, it } from 'vitest';
import { applyTags, hasTag, uniqueTags } from './tags';

describe('tags in any case', () => {
  it.each<[string[], 'add' | 'remove', string[], string[], string[]]>([
    [['vip'], 'add', ['VIP'], ['vip'], []],
    [['vip'], 'add', ['New', 'NEW', 'vip'], ['vip', 'New'], ['New']],
    [['vip', 'Gold'], 'remove', ['VIP'], ['Gold'], ['vip']],
    // Held twice (before migration 071): removing takes both.
    [['vip', 'VIP', 'x'], 'remove', ['Vip'], ['x'], ['vip', 'VIP']],
    [['vip'], 'remove', ['gold'], ['vip'], []],
  ])('%j %s %j -> %j (changed %j)', (current, action, tags, after, changed) => {
    expect(applyTags(current, action, tags)).toEqual({ tags: after, changed });
  });

  it('keeps the first casing and compares folded', () => {
    expect(uniqueTags(['Été', 'été', 'ÉTÉ', 'a', 'A'])).toEqual(['Été', 'a']);
    expect(hasTag(['VIP'], 'vip')).toBe(true);
    expect(hasTag(['VIP'], 'vi')).toBe(false);
  });
});
