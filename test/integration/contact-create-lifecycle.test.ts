import { describe } from 'vitest';
import { contactCreateLifecycleSuite } from './contact-create-lifecycle-suite';

describe('POST /contacts with a lifecycle stage (SQLite)', () => contactCreateLifecycleSuite(() => undefined));
