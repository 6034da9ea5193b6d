import { createContext, useContext } from 'react';
import type { ErrorMap } from './error-paths';

export interface FieldErrors {
  server: ErrorMap;
  client: ErrorMap;
  /** After a save attempt every client error shows; before, only on fields the user changed. */
  showAll: boolean;
  touched: ReadonlySet<string>;
  touch(path: string): void;
}

const empty: FieldErrors = { server: {}, client: {}, showAll: true, touched: new Set(), touch: () => undefined };
export const FieldErrorsContext = createContext<FieldErrors>(empty);

export function useFieldError(path: string | undefined): string | undefined {
  const errors = useContext(FieldErrorsContext);
  if (!path) return undefined;
  return errors.server[path] ?? (errors.showAll || errors.touched.has(path) ? errors.client[path] : undefined);
}

export const useTouch = () => useContext(FieldErrorsContext).touch;
