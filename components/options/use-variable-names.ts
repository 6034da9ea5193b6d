import { useQuery } from '@tanstack/react-query';
import { FieldList } from '../../lib/contracts/contacts';
import type { VariableNames } from '../../lib/workflow/variable-labels';
import { request } from './api';
import { keys, useWorkflow } from './queries';

/**
 * What names a run's variables as the builder does (lib/workflow/variable-labels.ts): the custom
 * fields and the workflow's shortcut form, as saved now (a run of an older version may have had
 * other labels; the raw variable stays on hover). Read only when `workflowId` is given; until
 * then, or when either cannot be read, variables are shown as written.
 */
export function useVariableNames(workflowId: string | undefined): VariableNames {
  const fields = useQuery({ queryKey: keys.fields, enabled: workflowId !== undefined, queryFn: () => request(FieldList, 'GET', '/fields') });
  const trigger = useWorkflow(workflowId).data?.trigger;
  return { fields: fields.data?.fields, formFields: trigger?.type === 'shortcut' ? trigger.form.fields : undefined };
}
