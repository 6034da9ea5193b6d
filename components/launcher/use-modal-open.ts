import { useEffect, useState } from 'react';

/** Whether the page shows a modal dialog (`showModal()`: in the top layer, the rest of the page behind its backdrop). */
export function modalDialogOpen(doc: Document): boolean {
  return [...doc.querySelectorAll('dialog[open]')].some((dialog) => {
    try {
      return dialog.matches(':modal');
    } catch {
      return false; // a browser without :modal
    }
  });
}

/**
 * Follows the page's modal dialogs while `active` (the toast shows): opening one (the built-in
 * inbox's Close conversation, Chatwoot's dialogs) sets its `open` attribute, closing removes it.
 */
export function useModalOpen(active: boolean): boolean {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (!active) return setOpen(false);
    const check = () => setOpen(modalDialogOpen(document));
    check();
    const observer = new MutationObserver(check);
    observer.observe(document.documentElement, { subtree: true, attributes: true, attributeFilter: ['open'] });
    return () => observer.disconnect();
  }, [active]);
  return open;
}
