import { useLayoutEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { ShortcutForm, type ShortcutFormProps } from './ShortcutForm';

export interface MountedForm {
  update(props: ShortcutFormProps): void;
  unmount(): void;
}

/** performance mark set when a form has been committed to the DOM (read by bench/menu.ts). */
export const FORM_RENDERED_MARK = 'ic:form-rendered';

function MarkedForm(props: ShortcutFormProps) {
  useLayoutEffect(() => {
    performance.mark(FORM_RENDERED_MARK);
  }, []);
  return <ShortcutForm {...props} />;
}

/**
 * Renders a ShortcutForm in its own React root. The content script loads this lazily from a
 * separate bundle (with its own React copy), so the two never share a tree.
 */
export function mountShortcutForm(container: HTMLElement, props: ShortcutFormProps): MountedForm {
  const root = createRoot(container);
  root.render(<MarkedForm {...props} />);
  return {
    update: (next) => root.render(<MarkedForm {...next} />),
    // Deferred: the caller unmounts from another root's effect cleanup.
    unmount: () => queueMicrotask(() => root.unmount()),
  };
}

export type FormModule = { mountShortcutForm: typeof mountShortcutForm };
