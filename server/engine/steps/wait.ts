import { defineStep, pause } from './define';

export const waitStep = defineStep({
  type: 'wait',
  async run({ config, run }) {
    const wakeAt = new Date(Date.parse(run.now) + config.seconds * 1000).toISOString();
    return pause(wakeAt, { wakeAt });
  },
});
