import type { AppField } from '../contracts/apps';
import type { WorkflowDefinition } from '../contracts/workflow';
import { stepTemplates } from './step-templates';
import { templateReferences, type TemplateReference } from './template';

// What a mini-app trigger gives `$trigger.*`: its items, each an existing app field (the mini-app
// 2.0 Triggers document), so the names are known when a workflow is published, and again when the
// app's manifest changes under published workflows (server/apps/manage.ts).
// A json item packages many values whose shape is the app's own (the document's "use a JSON
// variable to package them"): any path below it may be read (`{{$trigger.order.total}}`,
// `{{$trigger.order.lines[0].sku}}`). Any other item is one value with nothing below it.

/** One item of an app trigger, with the type of the app field it is. */
export type TriggerItem = { key: string; type: AppField['type'] };

/** A manifest as stored or edited: only what the items need, read loosely. */
export type ManifestItems = {
  triggers?: readonly { key: string; items?: readonly string[] }[];
  fields?: readonly { key: string; type: AppField['type'] }[];
};

/** The items of the trigger `triggerKey` with their field types; undefined when there is no such trigger. */
export function appTriggerItems(manifest: ManifestItems, triggerKey: string): TriggerItem[] | undefined {
  const trigger = manifest.triggers?.find((t) => t.key === triggerKey);
  if (!trigger) return undefined;
  return (trigger.items ?? []).flatMap((key) => {
    const field = manifest.fields?.find((f) => f.key === key);
    return field ? [{ key, type: field.type }] : [];
  });
}

/**
 * A run's `$trigger` on an app trigger: every item of the trigger, null where the app left it out.
 * An app field with nothing sent is "no value" (as a webhook mapping that found nothing, or a fixed
 * trigger's variable), not an unknown name: a Branch's "is empty" holds on it and the step log
 * notes no unknown variable for an item the trigger declares.
 */
export function everyItem(itemKeys: readonly string[], sent: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(itemKeys.map((key) => [key, sent[key] ?? null]));
}

/**
 * Why `items` do not give a `$trigger.*` reference: `missing` (no such item), `no_parts` (a path
 * below an item that is not json); undefined when they give it.
 */
export function itemGap(ref: Pick<TemplateReference, 'path'>, items: readonly TriggerItem[]): 'missing' | 'no_parts' | undefined {
  const [first] = ref.path;
  const item = items.find((i) => i.key === first);
  if (!item) return 'missing';
  return ref.path.length > 1 && item.type !== 'json' ? 'no_parts' : undefined;
}

/** Every `$trigger.*` reference in a definition's steps, each name once. */
export function triggerReferences(def: WorkflowDefinition): TemplateReference[] {
  const seen = new Map<string, TemplateReference>();
  for (const step of def.steps) {
    for (const { template } of stepTemplates(step)) {
      for (const ref of templateReferences(template)) if (ref.root === 'trigger' && ref.path.length > 0) seen.set(ref.name, ref);
    }
  }
  return [...seen.values()];
}
