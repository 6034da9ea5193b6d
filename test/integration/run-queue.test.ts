import { describe } from 'vitest';
import { runQueueSuite } from './run-queue-suite';

describe('run queue heads (SQLite)', () => runQueueSuite());
