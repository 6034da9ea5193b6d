import { describe } from 'vitest';
import { unreadableSecretsSuite } from './unreadable-secrets-suite';

describe('a workflow sealed under another secret key (SQLite)', () => unreadableSecretsSuite(() => undefined));
