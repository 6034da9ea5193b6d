import { describe } from 'vitest';
import { chatwootNationalPhoneSuite } from './national-phone-steps-suite';

describe('phone numbers without a country code written to a contact that lives in Chatwoot', () => {
  chatwootNationalPhoneSuite(() => undefined);
});
