import { describe } from 'vitest';
import { contactDuplicatesSuite } from './contact-duplicates-suite';

describe('a duplicate phone or email names the contact that has it, on SQLite', () => {
  contactDuplicatesSuite(() => undefined);
});
