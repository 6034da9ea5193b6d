import { describe } from 'vitest';
import { startTestServer } from '../../support/server';
import { valueShapesContract } from './value-shapes-contract';

describe('webhook values as users see them: lists, big ids, amounts (SQLite)', () =>
  valueShapesContract(() => startTestServer({ env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } })));
