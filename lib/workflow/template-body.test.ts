import { describe, expect, it } from 'vitest';
import { fillTemplateBody } from './template-body';

describe('fillTemplateBody', () => {
  it.each([
    ['positional', 'Hi {{1}}, order {{2}} ships {{3}}.', ['Ana', 'A-1042', 'today'], null, 'Hi Ana, order A-1042 ships today.'],
    ['positional, spaces inside the braces', 'Hi {{ 1 }}!', ['Ana'], null, 'Hi Ana!'],
    ['named', 'Hi {{first_name}}, order {{order_id}}.', ['Ana', 'A-1042'], ['first_name', 'order_id'], 'Hi Ana, order A-1042.'],
    ['a value not typed yet stays a placeholder', 'Hi {{1}}, order {{2}}.', ['Ana', '  '], null, 'Hi Ana, order {{2}}.'],
    ['a name not given stays', 'Hi {{first_name}}.', ['Ana'], ['name'], 'Hi {{first_name}}.'],
    ['no placeholders', 'Thanks for waiting.', [], null, 'Thanks for waiting.'],
    ['a value with braces is not filled again', 'A {{1}} B {{2}}', ['{{2}}', 'x'], null, 'A {{2}} B x'],
  ] as const)('%s', (_what, body, parameters, names, expected) => {
    expect(fillTemplateBody(body, parameters, names)).toBe(expected);
  });
});
