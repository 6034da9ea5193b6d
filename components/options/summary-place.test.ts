import { describe, expect, it } from 'vitest';
import { summaryPlace } from './summary-place';

describe('summaryPlace', () => {
  it.each([
    ['trigger.mappings.0.variable', 'Variable 1', 'Trigger › Variable 1'],
    ['trigger.mappings.1.jsonKey', 'JSON key 2', 'Trigger › JSON key 2'],
    ['steps.0.config.branches.0.conditions.rules.0.left', 'Branch 1 condition 1 variable', 'Step 1 › Branch 1 condition 1 variable'],
    ['steps.2.config.text', 'Message', 'Step 3 › Message'],
    // The step stays even when the label has its number: another step's field has the same label.
    ['steps.0.config.seconds', 'Wait 1 minute', 'Step 1 › Wait 1 minute'],
    ['steps.1.config.form.fields.0.variable', 'Variable', 'Step 2 › Field 1 › Variable'],
    ['trigger.mappings.0.variable', undefined, 'Trigger › Variable 1 › variable'],
    ['name', 'Workflow name', 'Workflow name'],
  ])('%s labelled %s -> %s', (path, label, place) => {
    expect(summaryPlace(path, label)).toBe(place);
  });
});
