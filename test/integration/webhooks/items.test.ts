import { describe } from 'vitest';
import { startTestServer } from '../../support/server';
import { itemsContract } from './items-contract';

describe('webhook batches read per item, as n8n items (SQLite)', () => itemsContract(() => startTestServer()));
