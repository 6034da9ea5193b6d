import type { SendMessageConfigValue, WhatsAppTemplateRef } from '../contracts/steps';

/**
 * A link Meta can fetch media from: https only (WhatsApp and Messenger take media "by link", and
 * a `javascript:` or `http:` address would be refused at send time). Checked on the rendered
 * link when the step runs (server/channels) and, for a link written without variables, when the
 * workflow is published.
 */
export const isFetchableLink = (url: string) => /^https:\/\/\S+$/i.test(url);

type Problem = [path: (string | number)[], message: string];

const NOT_FETCHABLE = 'is not an https:// link Meta can fetch the file from: give an https:// address, or a {{…}} that gives one';

/** A link written without variables is the same on every run: one that cannot be fetched would fail them all. */
const literalLinkProblem = (url: string, what: string): string | undefined =>
  url.includes('{{') || isFetchableLink(url.trim()) ? undefined : `The ${what} link "${url.length > 100 ? `${url.slice(0, 100)}…` : url}" ${NOT_FETCHABLE}`;

function templateLinkProblems(t: WhatsAppTemplateRef | undefined, at: string): Problem[] {
  if (!t) return [];
  const problems: Problem[] = [];
  const h = t.header;
  if (h && h.type !== 'text' && h.type !== 'location') {
    const problem = literalLinkProblem(h.url, `header ${h.type}`);
    if (problem) problems.push([[at, 'header', 'url'], problem]);
  }
  t.carousel?.cards.forEach((c, i) => {
    const problem = literalLinkProblem(c.header.url, `card ${i + 1} ${c.header.type}`);
    if (problem) problems.push([[at, 'carousel', 'cards', i, 'header', 'url'], problem]);
  });
  return problems;
}

/** The media links of a Send message step (its file, its templates' headers and cards) that no run could send. */
export function sendLinkProblems(config: SendMessageConfigValue): Problem[] {
  const problems: Problem[] = [];
  if ((config.kind ?? 'text') === 'media' && config.media) {
    const problem = literalLinkProblem(config.media.url, config.media.type);
    if (problem) problems.push([['media', 'url'], problem]);
  }
  return [...problems, ...templateLinkProblems(config.template, 'template'), ...templateLinkProblems(config.fallbackTemplate, 'fallbackTemplate')];
}
