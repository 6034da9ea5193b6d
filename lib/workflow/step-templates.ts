import type { Step, WhatsAppTemplateRef } from '../contracts/steps';

export type StepTemplate = {
  /** Relative to the step: `['config', 'text']`. */
  path: (string | number)[];
  template: string;
  /** Rendered with renderJsonTemplate rather than renderTemplate. */
  json?: boolean;
};

/** Every template string a step's config holds, where it is, and how it renders. */
export function stepTemplates(step: Step): StepTemplate[] {
  switch (step.type) {
    case 'send_message': {
      const c = step.config;
      return [
        ...(c.text !== undefined ? [{ path: ['config', 'text'], template: c.text }] : []),
        ...(c.media ? [{ path: ['config', 'media', 'url'], template: c.media.url }] : []),
        ...(['template', 'fallbackTemplate'] as const).flatMap((k) => whatsAppTemplateTemplates(c[k], ['config', k])),
      ];
    }
    case 'add_comment':
      return [{ path: ['config', 'text'], template: step.config.text }];
    case 'update_contact_field':
      return [{ path: ['config', 'value'], template: step.config.value }];
    case 'close_conversation':
      return [
        ...(step.config.category === undefined ? [] : [{ path: ['config', 'category'], template: step.config.category }]),
        ...(step.config.summary === undefined ? [] : [{ path: ['config', 'summary'], template: step.config.summary }]),
      ];
    case 'update_contact_tag':
      return step.config.tags.map((tag, i) => ({ path: ['config', 'tags', i], template: tag }));
    case 'branch':
      return step.config.branches.flatMap((branch, b) =>
        branch.conditions.rules.flatMap((rule, r) => {
          const at = ['config', 'branches', b, 'conditions', 'rules', r];
          const left = { path: [...at, 'left'], template: rule.left };
          return rule.right === undefined ? [left] : [left, { path: [...at, 'right'], template: rule.right }];
        }),
      );
    case 'http_request':
      return [
        { path: ['config', 'url'], template: step.config.url },
        ...step.config.headers.map((h, i) => ({ path: ['config', 'headers', i, 'value'], template: h.value })),
        ...(step.config.body === undefined ? [] : [{ path: ['config', 'body'], template: step.config.body, json: true }]),
      ];
    case 'mini_app_action':
      return Object.entries(step.config.inputs).map(([key, template]) => ({ path: ['config', 'inputs', key], template }));
    case 'ask_question':
      return [{ path: ['config', 'question'], template: step.config.question }, { path: ['config', 'retryMessage'], template: step.config.retryMessage.replaceAll('{{question}}', '') }];
    case 'date_time':
    case 'update_lifecycle_stage':
      return [];
    case 'assign_to':
    case 'open_conversation':
    case 'wait':
    case 'jump_to':
    case 'trigger_workflow':
      return [];
  }
}

/**
 * The values of ours in a WhatsApp template reference (rendered before the send): body parameters,
 * the header's text, link or location, button values (a flow's token and JSON data, a catalog's
 * thumbnail), an authentication code, an offer's end, each carousel card's. The template's own
 * `{{1}}`/`{{first_name}}` live at Meta, and `parameterNames` are names, not templates.
 */
function whatsAppTemplateTemplates(t: WhatsAppTemplateRef | undefined, at: (string | number)[]): StepTemplate[] {
  if (!t) return [];
  const h = t.header;
  const header: StepTemplate[] = !h ? []
    : h.type === 'text' ? [{ path: [...at, 'header', 'text'], template: h.text }]
    : h.type === 'location' ? (['latitude', 'longitude', 'name', 'address'] as const).flatMap((k) => (h[k] === undefined ? [] : [{ path: [...at, 'header', k], template: h[k] }]))
    : [{ path: [...at, 'header', 'url'], template: h.url }];
  const some = (path: (string | number)[], template: string | undefined, json?: boolean): StepTemplate[] =>
    (template === undefined ? [] : [{ path, template, ...(json ? { json } : {}) }]);
  const buttons = (t.buttons ?? []).flatMap((b, i): StepTemplate[] => {
    const where = [...at, 'buttons', i];
    switch (b.type) {
      case 'flow': return [...some([...where, 'flowToken'], b.flowToken), ...some([...where, 'flowActionData'], b.flowActionData, true)];
      case 'catalog': return some([...where, 'thumbnailProductRetailerId'], b.thumbnailProductRetailerId);
      default: return [{ path: [...where, 'value'], template: b.value }];
    }
  });
  const cards = (t.carousel?.cards ?? []).flatMap((c, i): StepTemplate[] => {
    const where = [...at, 'carousel', 'cards', i];
    return [
      { path: [...where, 'header', 'url'], template: c.header.url },
      ...c.parameters.map((p, j) => ({ path: [...where, 'parameters', j], template: p })),
      ...(c.buttons ?? []).flatMap((b, j) => (b.type === 'url' ? [{ path: [...where, 'buttons', j, 'value'], template: b.value }] : some([...where, 'buttons', j, 'payload'], b.payload))),
    ];
  });
  return [
    ...t.parameters.map((p, i) => ({ path: [...at, 'parameters', i], template: p })),
    ...header,
    ...buttons,
    ...some([...at, 'code'], t.code),
    ...some([...at, 'limitedTimeOffer', 'expiresAt'], t.limitedTimeOffer?.expiresAt),
    ...cards,
  ];
}
