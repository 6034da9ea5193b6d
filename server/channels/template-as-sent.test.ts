import { describe, expect, it } from 'vitest';
import { templateAsSent } from './template-as-sent';

const ref = (over: Record<string, unknown> = {}) => ({ name: 't', language: 'en_US', parameters: [] as string[], ...over });

describe('templateAsSent', () => {
  it('fills named parameters by name, a text header and the buttons\' labels', () => {
    const t = { name: 't', language: 'en_US', parameter_format: 'NAMED', components: [
      { type: 'HEADER', format: 'TEXT', text: 'Hello {{first_name}}' },
      { type: 'BODY', text: 'Your table for {{guests}} on {{day}}.' },
      { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Manage', url: 'https://x.example/{{1}}' }] },
    ] };
    expect(templateAsSent(t, ref({ parameters: ['Saturday', '4'], parameterNames: ['day', 'guests'], header: { type: 'text', text: 'Ana', parameterName: 'first_name' } })))
      .toBe('Hello Ana\nYour table for 4 on Saturday.\n[Manage]');
  });

  it('is null without a body, and for a one-time code (never shown)', () => {
    expect(templateAsSent({ components: [{ type: 'HEADER', format: 'IMAGE' }] }, ref())).toBeNull();
    expect(templateAsSent({ components: [{ type: 'BODY', text: '{{1}} is your verification code.' }] }, ref({ code: '123456' }))).toBeNull();
  });
});
