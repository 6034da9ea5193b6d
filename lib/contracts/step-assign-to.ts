import { z } from 'zod';

/** `assign_to.userId` value that removes the assignee. */
export const UNASSIGN = 'unassign';

/**
 * How Assign to picks the assignee, after respond.io's Assign To step
 * (https://help.respond.io/l/en/workflows/step-assign-to: "a specific user", or a user among many
 * with the assignment logic "round-robin" — each in turn — or "the user with least open contacts"):
 * `user` (the default, and what every version saved before this field means) assigns `userId`;
 * `round_robin` the next in turn among `userIds`; `least_open` the one of `userIds` with the fewest
 * open conversations. respond.io's "only online users" is left out: users here have no presence.
 * `team` (respond.io's "Assign to: team") assigns the conversation to one of its Chatwoot account's
 * teams (`teamId`, from GET /api/v1/accounts/{id}/teams): the built-in inbox has no teams, so on a
 * built-in conversation the step fails, saying so.
 */
export const ASSIGN_PICKS = ['user', 'round_robin', 'least_open', 'team'] as const;
export type AssignPick = (typeof ASSIGN_PICKS)[number];
export const MAX_ASSIGN_POOL = 100;

export const AssignToConfig = z.object({
  /** Left out: `user`. */
  pick: z.enum(ASSIGN_PICKS, { error: 'Choose user, round_robin, least_open or team' }).optional(),
  /** With `user`: a user id (a template may give it), or `unassign`. */
  userId: z.string().trim().optional(),
  /**
   * With `round_robin` / `least_open`: the users taking turns, in order (the order breaks ties).
   * An empty list may be saved in a draft; publishing refuses it, naming the step.
   */
  userIds: z.array(z.string().trim().min(1, 'A listed user id cannot be empty').max(64, 'A user id has at most 64 characters'))
    .max(MAX_ASSIGN_POOL, `At most ${MAX_ASSIGN_POOL} users take turns`).optional(),
  /** With `team`: the Chatwoot team's id in the conversation's account. */
  teamId: z.number({ error: 'A team id is a number (Chatwoot\'s team id)' }).int('A team id is a whole number').min(1, 'A team id is 1 or more').optional(),
}).superRefine((c, ctx) => {
  const pick = c.pick ?? 'user';
  if (pick !== 'team' && c.teamId !== undefined) ctx.addIssue({ code: 'custom', path: ['teamId'], message: 'A team goes with pick team; leave teamId out' });
  if (pick === 'team') {
    if (c.teamId === undefined) ctx.addIssue({ code: 'custom', path: ['teamId'], message: 'Choose a Chatwoot team' });
    for (const key of ['userId', 'userIds'] as const) if (c[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `With pick team the conversation goes to a team; leave ${key} out` });
    return;
  }
  if (pick === 'user') {
    if (!c.userId) ctx.addIssue({ code: 'custom', path: ['userId'], message: 'Choose a user or "unassign"' });
    // A list beside one user would be ignored silently: say which shape was meant.
    if (c.userIds !== undefined) ctx.addIssue({ code: 'custom', path: ['userIds'], message: 'A list of users goes with pick round_robin or least_open; to assign one user give userId only' });
    return;
  }
  if (c.userId !== undefined) ctx.addIssue({ code: 'custom', path: ['userId'], message: `With pick ${pick} the users are in userIds; leave userId out` });
  (c.userIds ?? []).forEach((id, i) => {
    if (id === UNASSIGN) ctx.addIssue({ code: 'custom', path: ['userIds', i], message: '"unassign" is not a user to take turns; list user ids only' });
    else if (c.userIds!.indexOf(id) !== i) ctx.addIssue({ code: 'custom', path: ['userIds', i], message: `${id} is listed twice; list each user once` });
  });
});
export type AssignToConfigValue = z.infer<typeof AssignToConfig>;

/** The users a step may assign, literally named (a templated `userId` is known only when it runs). */
export function assignStepUserIds(config: AssignToConfigValue): string[] {
  if (config.pick === 'team') return [];
  if ((config.pick ?? 'user') !== 'user') return config.userIds ?? [];
  return config.userId && config.userId !== UNASSIGN ? [config.userId] : [];
}
