import { describe, expect, it } from 'vitest';
import { allEmptyNote, fieldTemplateText } from './empty-values';
import type { TemplateScope } from './template';

const scope: TemplateScope = { trigger: { first: 'Ana', last: 'López', blank: '  ', none: null, zero: 0, no: false, list: [] } };

describe('fieldTemplateText', () => {
  it.each<[string, unknown]>([
    ['', { kind: 'write', text: '', empty: [], unknown: [] }],
    ['Gold', { kind: 'write', text: 'Gold', empty: [], unknown: [] }],
    ['{{$trigger.first}} {{$trigger.last}}', { kind: 'write', text: 'Ana López', empty: [], unknown: [] }],
    ['{{$trigger.zero}} / {{$trigger.no}}', { kind: 'write', text: '0 / false', empty: [], unknown: [] }],
    // Partly empty: the rest, without the spaces an empty variable leaves.
    ['{{$trigger.first}} {{$trigger.none}} {{$trigger.last}}', { kind: 'write', text: 'Ana López', empty: ['$trigger.none'], unknown: [] }],
    ['{{$trigger.first}} {{$trigger.missing}}', { kind: 'write', text: 'Ana', empty: ['$trigger.missing'], unknown: ['$trigger.missing'] }],
    ['{{$trigger.blank}} {{$trigger.last}}', { kind: 'write', text: ' López', empty: ['$trigger.blank'], unknown: [] }],
    ['{{$trigger.first}} {{$trigger.none}}-x', { kind: 'write', text: 'Ana -x', empty: ['$trigger.none'], unknown: [] }],
    // Every variable empty, whatever the text around them.
    ['{{$trigger.none}}', { kind: 'keep', empty: ['$trigger.none'], unknown: [] }],
    ['Order #{{$trigger.missing}} ({{$trigger.list}})', { kind: 'keep', empty: ['$trigger.missing', '$trigger.list'], unknown: ['$trigger.missing'] }],
  ])('%j', (template, reading) => {
    expect(fieldTemplateText(template, scope)).toEqual(reading);
  });

  it('clears instead when the step says so; a literal value is not affected', () => {
    expect(fieldTemplateText('{{$trigger.none}}', scope, 'clear')).toEqual({ kind: 'clear', empty: ['$trigger.none'], unknown: [] });
    expect(fieldTemplateText('Gold', scope, 'clear')).toMatchObject({ kind: 'write', text: 'Gold' });
  });
});

describe('allEmptyNote', () => {
  it.each<[Parameters<typeof allEmptyNote>[0], unknown, string]>([
    [{ kind: 'keep', empty: ['$trigger.fname'], unknown: [] }, 'Lena', '{{$trigger.fname}} was empty: first name kept as "Lena"'],
    [{ kind: 'keep', empty: ['$trigger.a', '$trigger.b', '$trigger.c'], unknown: [] }, null, '{{$trigger.a}}, {{$trigger.b}} and {{$trigger.c}} were empty: first name kept empty'],
    [{ kind: 'keep', empty: ['$trigger.a'], unknown: [] }, 'x'.repeat(100), `{{$trigger.a}} was empty: first name kept as "${'x'.repeat(40)}…"`],
    [{ kind: 'clear', empty: ['$trigger.a'], unknown: [] }, 'Lena', '{{$trigger.a}} was empty: first name cleared, as the step says to when its value is empty'],
  ])('%j, %j', (reading, current, note) => {
    expect(allEmptyNote(reading, 'first name', current)).toBe(note);
  });
});
