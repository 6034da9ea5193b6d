import { describe } from 'vitest';
import { runRerunRefusedWorkflowSuite } from './run-rerun-refused-workflow-suite';

describe('the run history words an unpublished or deleted workflow as Run again\'s 409 does', () => {
  runRerunRefusedWorkflowSuite(() => undefined);
});
