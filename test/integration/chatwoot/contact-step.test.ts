import { describe } from 'vitest';
import { chatwootContactStepSuite } from './contact-step-suite';

describe('a step writing a Chatwoot contact with no Chatwoot conversation open', () => {
  chatwootContactStepSuite(() => undefined);
});
