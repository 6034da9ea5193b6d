import { describe } from 'vitest';
import { storedHttpCredentialsSuite } from './stored-secrets-http-step-suite';

describe('HTTP step credentials quoted in a stored run (SQLite)', () => storedHttpCredentialsSuite(() => undefined));
