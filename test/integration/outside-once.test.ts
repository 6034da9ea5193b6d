import { describe } from 'vitest';
import { outsideOnceSuite } from './outside-once-suite';

describe('outside effects done once across a crash (SQLite)', () => {
  outsideOnceSuite(() => undefined);
});
