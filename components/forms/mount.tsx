import { useLayoutEffect } from 'react';
import { flushSync } from 'react-dom';
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
export function mountShortcutForm(container: HTMLElement, props: ShortcutFormProps, options: { sync?: boolean } = {}): MountedForm {
  const root = createRoot(container);
  // Sync: the form appears in the same frame as the click that picked it. Only safe when this
  // module has its own React copy (as in the content script); a shared copy would be mid-commit.
  if (options.sync) flushSync(() => root.render(<MarkedForm {...props} />));
  else root.render(<MarkedForm {...props} />);
  return {
    update: (next) => root.render(<MarkedForm {...next} />),
    // Deferred: the caller unmounts from another root's effect cleanup.
    unmount: () => queueMicrotask(() => root.unmount()),
  };
}

export type FormModule = { mountShortcutForm: typeof mountShortcutForm };
