import { describe } from 'vitest';
import { workflowPagesSuite } from './workflow-pages-suite';

describe('GET /workflows pages (SQLite)', () => {
  workflowPagesSuite(() => undefined);
});
