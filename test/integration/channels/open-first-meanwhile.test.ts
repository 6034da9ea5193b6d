import { describe } from 'vitest';
import { openFirstMeanwhileSuite } from './open-first-meanwhile-suite';

describe('steps that open the WhatsApp conversation first: another run meanwhile, its variables, a long question, on SQLite', () => {
  openFirstMeanwhileSuite(() => undefined);
});
