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
 * Chatwoot's dashboard modals are mostly not <dialog>s: its Modal component (`woot-modal`, and the
 * delete and confirm modals built on it) renders, while shown, a `div.modal-mask` over the whole
 * window at z-index 9990 (v-if, so it is in the page only while open):
 * https://github.com/chatwoot/chatwoot/blob/develop/app/javascript/dashboard/components/Modal.vue
 */
const OVERLAY = '.modal-mask';

/** A page overlay of that kind, shown (not display: none, as one fading out may be left for a moment). */
export function overlayOpen(doc: Document): boolean {
  const view = doc.defaultView;
  return [...doc.querySelectorAll<HTMLElement>(OVERLAY)].some((el) => !el.hidden && view?.getComputedStyle(el).display !== 'none');
}

/** A modal dialog or a modal overlay: the toast would read as in front of it. */
export const modalOpen = (doc: Document) => modalDialogOpen(doc) || overlayOpen(doc);

/**
 * Follows the page's modals while `active` (the toast shows): opening a dialog (the built-in
 * inbox's Close conversation, Chatwoot's newer dialogs) sets its `open` attribute; Chatwoot's
 * modal overlays are added to the page and removed (childList), or toggled by class or style.
 */
export function useModalOpen(active: boolean): boolean {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (!active) return setOpen(false);
    const check = () => setOpen(modalOpen(document));
    check();
    const observer = new MutationObserver(check);
    observer.observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ['open', 'class', 'style', 'hidden'] });
    return () => observer.disconnect();
  }, [active]);
  return open;
}
