import { describe } from 'vitest';
import { chatwootAnswerSecretsSuite } from './answer-secrets-suite';

describe('Chatwoot answers never show a token, wherever they are kept', () => {
  chatwootAnswerSecretsSuite(() => undefined);
});
