import { describe, expect, it } from 'vitest';
import { tagsOfTemplate } from './tag-templates';
import type { TemplateScope } from './template';

const scope: TemplateScope = { trigger: { shop: 'eu', skus: ['A', 'B', ' ', null, 7], colors: ['red'], none: [], blank: [''], items: [{ sku: 'A' }] } };

describe('tagsOfTemplate', () => {
  it.each<[string, unknown]>([
    [' vip ', { tags: ['vip'], notes: [] }],
    ['{{$trigger.shop}}-buyer', { tags: ['eu-buyer'], notes: [] }],
    ['sku-{{$trigger.skus}}', { tags: ['sku-A', 'sku-B', 'sku-7'], notes: ['2 of the 5 elements of {{$trigger.skus}} were empty and made no tag'] }],
    ['{{$trigger.shop}}:{{$trigger.colors}}:{{$trigger.colors}}', { tags: ['eu:red:red'], notes: [] }],
    ['webhook-{{$trigger.source}}', { error: 'The tag “webhook-{{$trigger.source}}” came out as “webhook-”: {{$trigger.source}} was empty for this run; no tag was changed' }],
    ['sku-{{$trigger.none}}', { error: 'The tag “sku-{{$trigger.none}}” came out as “sku-”: {{$trigger.none}} was empty for this run; no tag was changed' }],
    ['sku-{{$trigger.blank}}', { error: 'The tag “sku-{{$trigger.blank}}” came out as “sku-”: {{$trigger.blank}} was empty for this run; no tag was changed' }],
    ['{{$trigger.skus}}-{{$trigger.colors}}', { error: 'The tag “{{$trigger.skus}}-{{$trigger.colors}}” uses 2 lists ({{$trigger.skus}}, {{$trigger.colors}}); a tag makes one tag per element of one list: put each list in a tag of its own. No tag was changed' }],
    ['{{$trigger.items}}', { error: 'The tag “{{$trigger.items}}”: {{$trigger.items}} is a list of objects or lists, which make no tag; map a value inside them (such as $.items[*].sku). No tag was changed' }],
  ])('%j', (template, made) => {
    expect(tagsOfTemplate(template, scope)).toEqual(made);
  });

  it('a list of only empty elements makes no tag and says so', () => {
    expect(tagsOfTemplate('sku-{{$trigger.e}}', { trigger: { e: [' ', null] } })).toEqual({ error: 'The tag “sku-{{$trigger.e}}” came out empty: every element of {{$trigger.e}} was empty for this run; no tag was changed' });
  });
});
