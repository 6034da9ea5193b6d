import { describe } from 'vitest';
import { teamAssigneeSuite } from './team-assignee-suite';

describe('a Chatwoot team\'s assignee stays the same here and in Chatwoot', () => {
  teamAssigneeSuite(() => undefined);
});
