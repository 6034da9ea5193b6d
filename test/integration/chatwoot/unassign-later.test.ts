import { describe } from 'vitest';
import { unassignLaterSuite } from './unassign-later-suite';

describe('an unassign Chatwoot put off at a deactivation is tried again', () => {
  unassignLaterSuite(() => undefined);
});
