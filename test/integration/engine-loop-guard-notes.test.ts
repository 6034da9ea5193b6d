import { loopGuardNotesSuite } from './engine-loop-guard-notes';

loopGuardNotesSuite();
