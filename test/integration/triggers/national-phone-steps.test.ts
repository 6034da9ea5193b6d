import { nationalPhoneStepsSuite } from './national-phone-steps-suite';

nationalPhoneStepsSuite(() => undefined);
