import { describe, expect, it } from 'vitest';
import { SendMessageConfig } from '../contracts/steps';
import { WorkflowDefinition } from '../contracts/workflow';
import { buttonBodyProblem } from './button-body';
import { structuralProblems } from './validate-workflow';

// WhatsApp refuses a reply-button body over 1,024 characters, Messenger quick replies' text over
// 2,000: publishing refuses one no connected channel could send (none connected: neither), in the
// words of the refusal at send time (send-spec.ts) when one channel is connected; a body whose
// variables may make it too long is left to the send.

const buttons = (text: string) => ({ kind: 'buttons', text, buttons: [{ title: 'Yes' }, { title: 'No' }] });
const problem = (config: unknown) => buttonBodyProblem(SendMessageConfig.parse(config), 1, 'ask-rating', ['whatsapp']);
const x = (n: number) => 'x'.repeat(n);

describe('buttonBodyProblem with a WhatsApp number connected', () => {
  it.each([
    ['buttons with 1,025 characters', buttons(x(1025)), 'WhatsApp reply-button messages can be at most 1,024 characters (step 2 ("ask-rating") has 1,025): shorten it'],
    ['buttons whose text besides the variables has 1,030', buttons(`${x(1000)} {{$contact.firstName}}${x(29)}`),
      'WhatsApp reply-button messages can be at most 1,024 characters (step 2 ("ask-rating") with its variables empty has 1,030): shorten it'],
    ['buttons with exactly 1,024', buttons(x(1024)), undefined],
    ['buttons whose variables may make it longer (checked when sent)', buttons(`${x(1000)} {{$trigger.details}}`), undefined],
    ['braces that are not a variable count as written', buttons(`{{name}}${x(1020)}`), 'WhatsApp reply-button messages can be at most 1,024 characters (step 2 ("ask-rating") has 1,028): shorten it'],
    ['a text message of 4,000 (no buttons: WhatsApp takes 4,096)', { text: x(4000) }, undefined],
    ['a caption of 1,025 on media (its own check at send time)', { kind: 'media', text: x(1025), media: { type: 'image', url: 'https://x/a.png' } }, undefined],
    ['a leftover long text on a template (never sent)', { kind: 'template', text: x(2000), template: { name: 'n', language: 'en_US' } }, undefined],
  ])('%s', (_what, config, expected) => {
    expect(problem(config)).toBe(expected);
  });
});

describe('buttonBodyProblem per connected channel', () => {
  const both = 'Messages with reply buttons can be at most 1,024 characters on WhatsApp and 2,000 on Messenger (quick replies)';
  it.each([
    ['Messenger only: 2,000 publish', ['messenger'], x(2000), undefined],
    ['Messenger only: 2,001 refused', ['messenger'], x(2001), 'Messenger messages with reply buttons (quick replies) can be at most 2,000 characters (step 2 ("ask-rating") has 2,001): shorten it'],
    ['both: 1,500 publish (WhatsApp runs fail saying so)', ['whatsapp', 'messenger'], x(1500), undefined],
    ['both: 2,001 refused naming each', ['messenger', 'whatsapp', 'whatsapp'], x(2001), `${both} (step 2 ("ask-rating") has 2,001): no channel could send it; shorten it`],
    ['none connected yet: as both', [], x(2001), `${both} (step 2 ("ask-rating") has 2,001): no channel could send it; shorten it`],
    ['none connected yet: 1,500 publish', [], x(1500), undefined],
  ] as const)('%s', (_what, channels, text, expected) => {
    expect(buttonBodyProblem(SendMessageConfig.parse(buttons(text)), 1, 'ask-rating', channels)).toBe(expected);
  });
});

describe('publishing checks (structuralProblems, the server\'s and the editor\'s)', () => {
  it('name the Message field of the step with the long body', () => {
    const def = WorkflowDefinition.parse({
      name: 'Rate us', trigger: { type: 'manual' },
      steps: [{ id: 'hello', type: 'send_message', config: { text: 'Hi' } }, { id: 'ask-rating', type: 'send_message', config: buttons(x(1500)) }],
    });
    expect(structuralProblems(def, { buttonChannels: ['whatsapp'] })).toEqual([{
      path: ['steps', 1, 'config', 'text'],
      message: 'WhatsApp reply-button messages can be at most 1,024 characters (step 2 ("ask-rating") has 1,500): shorten it',
    }]);
  });

  it('leave the contract as it was: a stored or draft workflow over the limit still parses', () => {
    expect(SendMessageConfig.safeParse(buttons(x(1500))).success).toBe(true);
  });
});
