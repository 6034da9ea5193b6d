import { describe } from 'vitest';
import { askAfterCloseSuite } from './ask-after-close-suite';

describe('Ask a Question and Assign to after the WhatsApp conversation closed, on SQLite', () => {
  askAfterCloseSuite(() => undefined);
});
