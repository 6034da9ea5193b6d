import { describe } from 'vitest';
import { businessInitiatedSuite } from './business-initiated-suite';

describe('a workflow’s WhatsApp template to a contact who never wrote (SQLite)', () => businessInitiatedSuite(() => undefined));
