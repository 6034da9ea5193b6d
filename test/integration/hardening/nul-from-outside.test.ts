import { describe } from 'vitest';
import { nulFromOutsideSuite } from './nul-from-outside-suite';

describe('NUL in text from the outside world (SQLite)', () => nulFromOutsideSuite(() => undefined));
