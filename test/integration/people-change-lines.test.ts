import { peopleChangeLinesSuite } from './people-change-lines-suite';

peopleChangeLinesSuite(() => undefined);
