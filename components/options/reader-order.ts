import { byName, nameCollator } from '../../lib/workflow/name-order';

/**
 * Names as this browser's languages sort them (lib/workflow/name-order.ts). The browser sends the
 * same languages as Accept-Language, by which the server orders GET /workflows' pages: a picker
 * sorted here lists workflows in the order of the Workflows list. That list, paged by the
 * server, is shown as its pages come and never sorted again here (page 2 would interleave page 1).
 */
export const readerCollator = nameCollator(navigator.languages);
export const byReaderName = byName(readerCollator);
