import { describe } from 'vitest';
import { listChannelsSuite } from './list-channels-suite';

describe('where each conversation is, and its unread count, on SQLite', () => {
  listChannelsSuite(() => undefined);
});
