import { describe, expect, it } from 'vitest';
import { describePath } from './path-words';

describe('describePath: a definition path in the editor\'s words', () => {
  it.each([
    ['steps.0.config.text', undefined, 'Step 1 › text'],
    ['steps.0.config.text', ['greet'], 'Step 1 (“greet”) › text'],
    ['steps.2.config.headers.1.value', ['a', 'b', 'call'], 'Step 3 (“call”) › Header 2 › value'],
    ['trigger.form.fields.0.label', ['greet'], 'Trigger › Field 1 › label'],
    ['name', ['greet'], 'Workflow name'],
    ['', undefined, 'Workflow'],
  ])('%j (step ids %j) → %j', (path, ids, said) => {
    expect(describePath(path, ids)).toBe(said);
  });
});
