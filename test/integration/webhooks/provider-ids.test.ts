import { describe } from 'vitest';
import { startTestServer } from '../../support/server';
import { providerIdsContract } from './provider-ids-contract';

describe('webhook deliveries de-duplicated by their sender\'s delivery id (SQLite)', () => providerIdsContract(() => startTestServer({ workers: false })));
