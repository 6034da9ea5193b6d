import { describe } from 'vitest';
import { storedSecretsSuite } from './stored-secrets-suite';

describe('credentials quoted in errors stored by older releases (SQLite)', () => storedSecretsSuite(() => undefined));
