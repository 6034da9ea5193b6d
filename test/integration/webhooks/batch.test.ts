import { describe } from 'vitest';
import { startTestServer } from '../../support/server';
import { batchContract } from './batch-contract';

describe('webhook group commit (SQLite)', () => batchContract(() => startTestServer()));
