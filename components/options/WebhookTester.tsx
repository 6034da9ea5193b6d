import { useId, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { IncomingWebhookTrigger } from '../../lib/contracts/triggers';
import { parseJsonExact } from '../../lib/workflow/exact-json';
import { errorMessage, request } from './api';
import type { TriggerDraftOf } from './draft-types';
import { WebhookItemsTable } from './WebhookItemsTable';
import { WebhookTestResult } from './schemas';

interface Props {
  workflowId: string | undefined;
  trigger: TriggerDraftOf<'incoming_webhook'>;
}

/** Paste a sample body: the server shows what the identifier and each mapping would extract. */
export function WebhookTester({ workflowId, trigger }: Props) {
  const id = useId();
  const [text, setText] = useState('{\n  "phone": "+14155550123"\n}');
  const [problem, setProblem] = useState<string>();
  const test = useMutation({
    mutationFn: (body: unknown) => {
      const parsed = IncomingWebhookTrigger.safeParse(trigger);
      // The unsaved trigger is sent along, so the tester follows what is on screen.
      return request(WebhookTestResult, 'POST', `/workflows/${encodeURIComponent(workflowId ?? 'unsaved')}/webhook/test`,
        parsed.success ? { body, trigger: parsed.data } : { body });
    },
  });
  const run = () => {
    let body: unknown;
    try {
      // As /hooks parses a delivery: Shopify's id 820982911946154508 keeps its digits (exact-json.ts).
      body = parseJsonExact(text);
    } catch (err) {
      setProblem(`The sample is not JSON: ${errorMessage(err)}`);
      return;
    }
    setProblem(undefined);
    test.mutate(body);
  };
  const result = test.data;
  return (
    <section className="tester" aria-label="Mapping tester">
      <h4>Test the mappings</h4>
      <label htmlFor={id}>Sample JSON body</label>
      <textarea id={id} rows={6} className="mono" value={text} onChange={(e) => setText(e.target.value)} />
      <div className="row">
        <button type="button" onClick={run} disabled={test.isPending}>{test.isPending ? 'Testing…' : 'Test mappings'}</button>
      </div>
      {problem && <p className="error" role="alert">{problem}</p>}
      {test.isError && <p className="error" role="alert">{errorMessage(test.error)}</p>}
      {result && (
        <div className="table-wrap">
          <table className="table" aria-label="Extracted values">
            <thead><tr><th>What</th><th>JSON key</th><th>Extracted</th></tr></thead>
            <tbody>
              <tr>
                <td>Contact ({result.identifier.type})</td>
                <td className="mono">{result.identifier.jsonKey}</td>
                <td>
                  {result.identifier.error
                    ? <span className="error">{result.identifier.error}</span>
                    : `${result.identifier.values.join(', ') || '—'}; ${result.contactIds.length} matching contact(s)${result.unmatched.length ? `, unmatched: ${result.unmatched.join(', ')}` : ''}`}
                </td>
              </tr>
              {trigger.mappings?.map((m) => {
                const error = result.errors.find((e) => e.variable === m.variable);
                const value = result.variables[m.variable];
                return (
                  <tr key={m.variable}>
                    <td className="mono">$trigger.{m.variable}</td>
                    <td className="mono">{m.jsonKey}</td>
                    <td>{error ? <span className="error">{error.message}</span> : <span className="mono">{value === undefined ? '—' : JSON.stringify(value)}</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {result?.items && (
        <>
          <p className="hint">The identifier goes through a list, so each item is one run: a key through the same list reads the item’s own value.</p>
          <WebhookItemsTable items={result.items} mappings={trigger.mappings ?? []} />
        </>
      )}
    </section>
  );
}
