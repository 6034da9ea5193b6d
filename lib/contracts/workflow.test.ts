import { describe, expect, it } from 'vitest';
import { Workflow, WorkflowCreateBody, WorkflowDefinition, WorkflowList } from './workflow';
import { makeStep, makeWorkflowDefinition } from './workflow.fixtures';

const definition = makeWorkflowDefinition();

describe('WorkflowDefinition', () => {
  it('defaults oncePerContact to false', () => {
    const { oncePerContact: _, ...rest } = definition;
    expect(WorkflowDefinition.parse(rest).oncePerContact).toBe(false);
  });

  it.each<[string, object, (string | number)[] | null]>([
    ['the default definition', {}, null],
    ['no steps', { steps: [] }, null],
    ['100 steps', { steps: Array.from({ length: 100 }, (_, i) => makeStep('wait', {}, `s${i}`)) }, null],
    ['once per contact on a shortcut', { oncePerContact: true }, null],
    ['an empty name', { name: ' ' }, ['name']],
    ['a name over 100', { name: 'n'.repeat(101) }, ['name']],
    ['101 steps', { steps: Array.from({ length: 101 }, (_, i) => makeStep('wait', {}, `s${i}`)) }, ['steps']],
    ['duplicate step ids', { steps: [makeStep('wait', {}, 'a'), makeStep('wait', {}, 'b'), makeStep('add_comment', {}, 'a')] }, ['steps', 2, 'id']],
    ['once per contact on manual', { trigger: { type: 'manual' }, oncePerContact: true }, null],
    ['a bad trigger', { trigger: { type: 'shortcut' } }, ['trigger', 'name']],
  ])('%s', (_, overrides, problemPath) => {
    const result = WorkflowDefinition.safeParse({ ...definition, ...overrides });
    if (problemPath === null) expect(result.error).toBeUndefined();
    else expect(result.error?.issues.map((i) => i.path)).toContainEqual(problemPath);
  });
});

describe('WorkflowCreateBody', () => {
  it.each([
    [{}, 'draft'],
    [{ status: 'published' }, 'published'],
  ])('%j gives status %s', (extra, status) => {
    expect(WorkflowCreateBody.parse({ ...definition, ...extra }).status).toBe(status);
  });

  it('applies the definition refinements', () => {
    const twice = [makeStep('wait', {}, 'a'), makeStep('wait', {}, 'a')];
    expect(WorkflowCreateBody.safeParse({ ...definition, steps: twice }).success).toBe(false);
  });
});

describe('Workflow', () => {
  const stored = {
    ...definition,
    id: 'wf_01',
    status: 'published',
    version: 3,
    createdAt: '2026-01-01T10:00:00.000Z',
    updatedAt: '2026-01-02T10:00:00+02:00',
    publishedAt: null,
  };

  it.each<[string, object, boolean]>([
    ['a stored workflow', {}, true],
    ['version 0', { version: 0 }, false],
    ['a date without time', { createdAt: '2026-01-01' }, false],
    ['an unknown status', { status: 'archived' }, false],
  ])('%s valid: %s', (_, overrides, valid) => {
    expect(Workflow.safeParse({ ...stored, ...overrides }).success).toBe(valid);
  });

  it('parses a list', () => {
    expect(WorkflowList.parse({ workflows: [stored] }).workflows).toHaveLength(1);
  });
});
