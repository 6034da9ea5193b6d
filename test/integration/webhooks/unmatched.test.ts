import { describe } from 'vitest';
import { startTestServer } from '../../support/server';
import { unmatchedContract } from './unmatched-contract';

describe('webhook acks list unmatched identifier values (SQLite)', () => unmatchedContract(() => startTestServer({ workers: false })));
