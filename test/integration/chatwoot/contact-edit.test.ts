import { describe } from 'vitest';
import { chatwootContactEditSuite } from './contact-edit-suite';

describe('an edit of a contact that lives in Chatwoot', () => {
  chatwootContactEditSuite(() => undefined);
});
