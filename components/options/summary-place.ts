import { describePath } from '../../lib/workflow/path-words';

// The error summary names a problem's field by the label the admin sees on it (`Variable 1`,
// `Branch 1 condition 1 variable`), not by the draft's key (`variable`, `left`): that is what they
// look for. The step (or Trigger) always stays: labels repeat from step to step.

const has = (label: string, words: string) => new RegExp(`(^|\\s)${words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`, 'i').test(label);

/**
 * `trigger.mappings.0.variable` with the label "Variable 1" -> `Trigger › Variable 1`; with no
 * label shown (a folded step) the path's words. A label that numbers its row itself ("JSON key 1"
 * in the row "Variable 1", "Branch 1 condition 1 variable" in "Branch 1 › Rule 1") stands for
 * those rows, which would otherwise be said twice.
 */
export function summaryPlace(path: string, label?: string): string {
  const words = describePath(path).split(' \u203a ');
  if (!label || words.length < 2) return words.join(' \u203a ');
  const parents = words.slice(0, -1);
  const row = /\s(\d+)$/.exec(parents.at(-1) ?? '')?.[1];
  if (row && parents.length > 1 && has(label, row)) parents.pop();
  while (parents.length > 1 && has(label, parents.at(-1)!)) parents.pop();
  return [...parents, label].join(' \u203a ');
}

/** The visible label of each field under `root` that shows one of `paths` (Field marks its path). */
export function fieldLabels(root: Element | null | undefined, paths: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const el of root?.querySelectorAll<HTMLElement>('[data-path]') ?? []) {
    const path = el.dataset.path;
    const label = el.querySelector(':scope > label')?.textContent?.trim();
    if (path && label && paths.includes(path) && !(path in labels)) labels[path] = label;
  }
  return labels;
}
