import { workflowImportReplaceSuite } from './workflow-import-replace-suite';

workflowImportReplaceSuite(() => undefined);
