import { describe } from 'vitest';
import { contactFieldFilterSuite } from './contact-field-filter-suite';

describe('GET /contacts by a custom field\'s value, with the total, on SQLite', () => {
  contactFieldFilterSuite(() => undefined);
});
