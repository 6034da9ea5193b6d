import { describe } from 'vitest';
import { askSaveHeldContactSuite } from './ask-save-held-contact-suite';

describe('Ask a Question saving to a contact that lives in Chatwoot, on a built-in conversation', () => {
  askSaveHeldContactSuite(() => undefined);
});
