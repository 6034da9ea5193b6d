import { describe, expect, it } from 'vitest';
import type { Step } from '../contracts/steps';
import { makeStep } from '../contracts/workflow.fixtures';
import { mappedStepVariables, stepVariables } from './step-variables';

const call = (id: string, ...names: string[]) => makeStep('http_request', { responseMappings: names.map((v) => ({ jsonKey: `$.${v}`, variable: v })) }, id);
const note = (id: string) => makeStep('add_comment', { text: 'x' }, id);
const jump = (id: string, to: string) => makeStep('jump_to', { stepId: to }, id);
const branch = (id: string, goTo: string, elseGoTo?: string) => makeStep('branch', {
  branches: [{ name: 'B', conditions: { logic: 'and', rules: [{ left: '{{$contact.tags}}', operator: 'has_tag', right: 'x' }] }, goTo }],
  ...(elseGoTo ? { elseGoTo } : {}),
}, id);
const ask = (id: string, saveToVariable: string) => makeStep('ask_question', { question: 'Q?', answerType: 'text', saveToVariable }, id);
const action = (id: string) => makeStep('mini_app_action', { appId: 'app_1', actionKey: 'status' }, id);

/** Per step id, the names it may read. */
const readable = (steps: Step[], outputs?: (appId: string, key: string) => string[] | undefined) => {
  const found = stepVariables(steps, outputs);
  return Object.fromEntries(steps.map((s, i) => [s.id, found.open[i] ? 'any' : [...found.before[i]!].sort().join(',')]));
};

describe('stepVariables', () => {
  it.each<[string, Step[], Record<string, string>]>([
    ['in list order', [note('a'), call('h', 'rid'), note('b')], { a: '', h: '', b: 'rid' }],
    ['a jump back makes a later step\'s variable readable before it', [note('a'), call('h', 'rid'), jump('j', 'a'), note('never')], { a: 'rid', h: 'rid', j: 'rid', never: '' }],
    ['a jump forward over the setter does not', [jump('j', 'b'), call('h', 'rid'), note('b')], { j: '', h: '', b: '' }],
    ['a branch with an else: either way', [branch('c', 'x', 'y'), call('x', 'one'), jump('s', 'z'), call('y', 'two'), note('z')], { c: '', x: '', s: 'one', y: '', z: 'one,two' }],
    ['a branch without else falls through to the next step', [branch('c', 'z'), call('h', 'rid'), note('z')], { c: '', h: '', z: 'rid' }],
    ['an answer saved as a variable', [ask('q', 'size'), note('n')], { q: '', n: 'size' }],
    ['a step only a jump from itself reaches', [call('h', 'rid'), jump('j', 'h')], { h: 'rid', j: 'rid' }],
  ])('%s', (_, steps, expected) => {
    expect(readable(steps)).toEqual(expected);
  });

  it('a mini-app action: its outputs when the app is known, anything after it when not', () => {
    expect(readable([note('a'), action('m'), note('b')], () => ['orderStatus'])).toEqual({ a: '', m: '', b: 'orderStatus' });
    expect(readable([note('a'), action('m'), note('b')])).toEqual({ a: '', m: '', b: 'any' });
    expect(stepVariables([action('m')]).anyOpen).toBe(true);
  });

  it('says which steps set each name', () => {
    expect([...stepVariables([call('h1', 'rid'), call('h2', 'rid', 'x')]).setBy]).toEqual([['rid', [0, 1]], ['x', [1]]]);
  });
});

describe('mappedStepVariables', () => {
  it('gives every mapped name, null where the mapping filled none', () => {
    expect(mappedStepVariables([{ variable: 'rid' }, { variable: 'status' }], { status: 'paid' })).toEqual({ rid: null, status: 'paid' });
    expect(mappedStepVariables([], {})).toEqual({});
  });
});
