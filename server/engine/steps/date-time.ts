import { inSchedule } from '../../../lib/workflow/date-time';
import { defineStep, goTo, next } from './define';

/** Branches on whether the step's start time, read in the chosen zone, is inside the schedule. */
export const dateTimeStep = defineStep({
  type: 'date_time',
  async run(ctx) {
    const { matched, local } = inSchedule(ctx.config.schedule, new Date(ctx.run.now), ctx.config.timeZone);
    const output = { matched, timeZone: ctx.config.timeZone, localDate: local.date, localTime: local.clock, weekday: local.weekday };
    const target = matched ? ctx.config.matchGoTo : ctx.config.elseGoTo;
    return target ? goTo(target, output) : next(output);
  },
});
