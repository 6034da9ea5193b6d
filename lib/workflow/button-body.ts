import { buttonBodyTooLong } from '../contracts/reply-limits';
import type { SendMessageConfigValue } from '../contracts/steps';
import { renderTemplate } from './template';

/**
 * A Send message with reply buttons whose body no run could send on WhatsApp (over 1,024
 * characters): refused at publish, in the words of the refusal at send time. A variable renders
 * at least empty, so the text with every variable empty is the least any run sends; what the
 * variables add is known only when it is sent (the step then fails saying so). Not a refinement of
 * SendMessageConfig: a stored workflow over the limit must still load, and a draft still save.
 */
export function buttonBodyProblem(config: SendMessageConfigValue, index: number, id: string): string | undefined {
  if (config.kind !== 'buttons' || !config.text) return undefined;
  const least = renderTemplate(config.text, {}).text;
  const withVariables = least !== config.text;
  const whose = `step ${index + 1} ("${id}")${withVariables ? ' with its variables empty' : ''}`;
  return buttonBodyTooLong(least.length, whose) ?? undefined;
}
