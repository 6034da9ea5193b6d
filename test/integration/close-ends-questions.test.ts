import { closeEndsQuestionsSuite } from './close-ends-questions-suite';

closeEndsQuestionsSuite(() => undefined);
