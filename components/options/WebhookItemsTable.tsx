import type { VariableMapping } from '../../lib/contracts/workflow-primitives';
import type { WebhookTestResult } from './schemas';

interface Props {
  items: NonNullable<WebhookTestResult['items']>;
  mappings: VariableMapping[];
}

/** A batch in the tester: one row per item, with the values its runs get (n8n's items). */
export function WebhookItemsTable({ items, mappings }: Props) {
  return (
    <table className="table" aria-label="Values per item">
      <thead>
        <tr>
          <th>Item</th>
          <th>Contact</th>
          {mappings.map((m) => <th key={m.variable} className="mono">$trigger.{m.variable}</th>)}
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.path}>
            <td className="mono">{item.path}</td>
            <td>{`${item.identifier.join(', ')}${item.contactIds.length === 0 ? ' (no matching contact: no run)' : ''}`}</td>
            {mappings.map((m) => {
              const error = item.errors.find((e) => e.variable === m.variable);
              const value = item.variables[m.variable];
              return (
                <td key={m.variable}>
                  {error ? <span className="error">{error.message}</span> : <span className="mono">{value === undefined ? '—' : JSON.stringify(value)}</span>}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
