import { describe } from 'vitest';
import { workflowFiltersSuite } from './workflow-filters-suite';

describe('GET /workflows search and filters (SQLite)', () => {
  workflowFiltersSuite(() => undefined);
});
