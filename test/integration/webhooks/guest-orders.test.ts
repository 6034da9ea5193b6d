import { describe } from 'vitest';
import { startTestServer } from '../../support/server';
import { guestOrdersContract } from './guest-orders-contract';

describe('webhook deliveries naming no contact (SQLite)', () => guestOrdersContract(() => startTestServer({ workers: false })));
