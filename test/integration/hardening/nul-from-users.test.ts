import { describe } from 'vitest';
import { nulFromUsersSuite } from './nul-from-users-suite';

describe('NUL in values our users send (SQLite)', () => nulFromUsersSuite(() => undefined));
