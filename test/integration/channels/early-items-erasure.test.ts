import { describe } from 'vitest';
import { earlyItemsErasureSuite } from './early-items-erasure-suite';

describe('Erasing a contact removes their reactions and edits waiting for a message, on SQLite', () => {
  earlyItemsErasureSuite(() => undefined);
});
