import { defineStep, goTo } from './define';

export const jumpToStep = defineStep({
  type: 'jump_to',
  async run({ config }) {
    return goTo(config.stepId);
  },
});
