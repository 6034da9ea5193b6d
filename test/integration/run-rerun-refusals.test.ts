import { describe } from 'vitest';
import { runRerunRefusalsSuite } from './run-rerun-refusals-suite';

describe('Run again refused where a launch is (a deactivated assignee, a shortcut\'s closed conversation)', () => {
  runRerunRefusalsSuite(() => undefined);
});
