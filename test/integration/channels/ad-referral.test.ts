import { describe } from 'vitest';
import { adReferralSuite } from './ad-referral-suite';

describe('Click-to-Chat ad referrals (SQLite)', () => adReferralSuite(() => undefined));
