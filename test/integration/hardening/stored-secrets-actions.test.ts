import { describe } from 'vitest';
import { storedSecretsActionsSuite } from './stored-secrets-actions-suite';

describe('credentials quoted in stored errors, as run actions, the live stream and ad accounts answer them (SQLite)', () => storedSecretsActionsSuite(() => undefined));
