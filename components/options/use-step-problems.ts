import { useContext } from 'react';
import { FieldErrorsContext } from './errors-context';

/**
 * Every problem the editor knows about one step (what the server refused, the contract's errors,
 * the publish checks such as a jump to a missing step), with the same visibility rules as the
 * fields: the server's always, the editor's own once the admin tried to save or touched the field.
 */
export function useStepProblems(index: number): [path: string, message: string][] {
  const errors = useContext(FieldErrorsContext);
  const prefix = `steps.${index}`;
  const mine = (path: string) => path === prefix || path.startsWith(`${prefix}.`);
  const found = new Map<string, string>();
  for (const [path, message] of Object.entries(errors.server)) if (mine(path)) found.set(path, message);
  for (const [path, message] of Object.entries(errors.client)) {
    if (mine(path) && !found.has(path) && (errors.showAll || errors.touched.has(path))) found.set(path, message);
  }
  return [...found];
}
