import { describe } from 'vitest';
import { chatwootAttributeEchoSuite } from './attribute-echo-suite';

describe('custom fields written on a Chatwoot conversation', () => {
  chatwootAttributeEchoSuite(() => undefined);
});
