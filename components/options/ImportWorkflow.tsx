import { useId, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Workflow, type WorkflowDefinition } from '../../lib/contracts/workflow';
import { ApiFailure, errorMessage, request } from './api';
import { detailsToMap, type ErrorMap } from './error-paths';
import { ErrorSummary } from './ErrorSummary';
import { keys } from './queries';
import { navigate } from './router';
import { parseImport } from './workflow-file';

/** Import a workflow from a JSON file: validated with the contract, created as a draft. */
export function ImportWorkflow() {
  const id = useId();
  const client = useQueryClient();
  const [errors, setErrors] = useState<ErrorMap>({});
  const create = useMutation({
    mutationFn: (definition: WorkflowDefinition) => request(Workflow, 'POST', '/workflows', { ...definition, status: 'draft' }),
    onSuccess: (w) => {
      void client.invalidateQueries({ queryKey: keys.workflows, exact: true });
      navigate('workflows', w.id);
    },
    onError: (err) => setErrors(err instanceof ApiFailure && err.details.length ? detailsToMap(err.details) : { '': errorMessage(err) }),
  });
  const onFile = async (file: File | undefined) => {
    if (!file) return;
    const result = parseImport(await file.text());
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    create.mutate(result.definition);
  };
  return (
    <div className="import">
      <label htmlFor={id} className="button">Import JSON…</label>
      <input id={id} type="file" accept="application/json,.json" className="sr-only"
        onChange={(e) => { void onFile(e.target.files?.[0]); e.target.value = ''; }} />
      <ErrorSummary title="This file is not a valid workflow:" errors={errors} />
    </div>
  );
}
