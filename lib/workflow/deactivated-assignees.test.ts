import { describe, expect, it } from 'vitest';
import { deactivatedAssignees, deactivatedAssigneesText, unavailableShortcutText } from './deactivated-assignees';

const gone = new Map([['usr_hana', 'Hana Agent'], ['usr_gus', 'Gus']]);
const assign = (id: string, userId: unknown) => ({ id, type: 'assign_to', config: { userId } });

describe('deactivatedAssignees: the Assign steps a run could not get through', () => {
  it.each([
    ['no steps', undefined, []],
    ['an Assign step naming someone active', [assign('a', 'usr_ava')], []],
    ['unassign (no one named)', [assign('a', '__unassign__')], []],
    ['another step type with a userId', [{ id: 'x', type: 'update_contact_tag', config: { userId: 'usr_hana' } }], []],
    ['a step read loosely (no config)', [{ id: 'x', type: 'assign_to' }, null], []],
    ['one naming a deactivated user', [assign('a', 'usr_ava'), assign('esc', 'usr_hana')], [{ stepId: 'esc', userId: 'usr_hana', name: 'Hana Agent' }]],
  ])('%s', (_name, steps, expected) => {
    expect(deactivatedAssignees(steps, gone)).toEqual(expected);
  });

  it('says who, once each', () => {
    const found = deactivatedAssignees([assign('a', 'usr_hana'), assign('b', 'usr_hana'), assign('c', 'usr_gus')], gone);
    expect(deactivatedAssigneesText(found)).toBe('it assigns to Hana Agent and Gus, who are deactivated');
    expect(unavailableShortcutText(found.slice(0, 1))).toBe('Unavailable: it assigns to Hana Agent, who is deactivated; an admin must choose someone else in its workflow');
  });
});
