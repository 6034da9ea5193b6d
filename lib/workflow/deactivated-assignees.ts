/**
 * A workflow's Assign steps that name someone deactivated. Such a step fails whenever a run
 * reaches it (a deactivated user cannot be assigned, as Chatwoot assigns no removed agent), so a
 * shortcut holding one is marked unavailable in the launcher and refused at launch before any step
 * runs (it would do its first steps, then fail), and the options page flags the workflow for the
 * admin. One rule for the server (GET /shortcuts, the launch) and the options page.
 */

/** A step as a stored definition or a Workflow answer holds it (read loosely: an older version's). */
export interface StepLike { id?: unknown; type?: unknown; config?: unknown }

export interface DeactivatedAssignee { stepId: string; userId: string; name: string }

/** `deactivated`: each deactivated user's id → name. */
export function deactivatedAssignees(steps: readonly (StepLike | null | undefined)[] | undefined, deactivated: ReadonlyMap<string, string>): DeactivatedAssignee[] {
  const found: DeactivatedAssignee[] = [];
  if (deactivated.size === 0) return found;
  for (const step of steps ?? []) {
    if (step?.type !== 'assign_to' || typeof step.id !== 'string') continue;
    const { userId, userIds } = (step.config ?? {}) as { userId?: unknown; userIds?: unknown };
    // A step taking turns among several skips whoever is deactivated: it fails only when all are.
    if (Array.isArray(userIds) && userIds.length > 0 && userIds.every((id) => typeof id === 'string' && deactivated.has(id))) {
      for (const id of userIds as string[]) found.push({ stepId: step.id, userId: id, name: deactivated.get(id)! });
      continue;
    }
    const name = typeof userId === 'string' ? deactivated.get(userId) : undefined;
    if (typeof userId === 'string' && name !== undefined) found.push({ stepId: step.id, userId, name });
  }
  return found;
}

/** "it assigns to Hana Agent, who is deactivated" (two people: "Hana Agent and Gus, who are deactivated"). */
export function deactivatedAssigneesText(found: readonly DeactivatedAssignee[]): string {
  const names = [...new Set(found.map((f) => f.name))];
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
  return `it assigns to ${list}, who ${names.length === 1 ? 'is' : 'are'} deactivated`;
}

/** What the launcher says of such a shortcut (GET /shortcuts `unavailable`, the launch's 409). */
export const unavailableShortcutText = (found: readonly DeactivatedAssignee[]) =>
  `Unavailable: ${deactivatedAssigneesText(found)}; an admin must choose someone else in its workflow`;
