import { describe, expect, it } from 'vitest';
import { listFieldOf } from './list-field-of';
import { variableLabel, variableMenuLabel } from './variable-labels';

const fields = [
  { key: 'plan', label: 'Plan', type: 'list' as const, options: ['Free', 'Pro'] },
  { key: 'city', label: 'City', type: 'text' as const, options: [] },
];
const formFields = [
  { variable: 'size', label: 'Size', type: 'list' as const, options: ['S', 'M', 'L'] },
  { variable: 'note', label: 'Note', type: 'text' as const },
];

describe('variableLabel', () => {
  it.each([
    ['{{$contact.fields.plan}}', 'Plan'],
    [' {{ $contact.fields.city }} ', 'City'],
    ['{{$contact.firstName}}', 'First name'],
    ['{{$trigger.size}}', 'Size'],
    ['{{$contact.fields.gone}}', undefined],
    ['{{$trigger.launchedBy}}', undefined],
    ['{{$contact.tags}}', undefined],
    ['{{$contact.firstName}} {{$contact.lastName}}', undefined],
    ['Dear {{$contact.fields.plan}}', undefined],
    ['{{$step.size}}', undefined],
  ])('names %j %j', (template, label) => {
    expect(variableLabel(template, { fields, formFields })).toBe(label);
  });
});

describe('listFieldOf', () => {
  it.each([
    ['{{$contact.fields.plan}}', { label: 'Plan', options: ['Free', 'Pro'], form: false }],
    ['{{$trigger.size}}', { label: 'Size', options: ['S', 'M', 'L'], form: true }],
    ['{{$contact.fields.city}}', undefined],
    ['{{$trigger.note}}', undefined],
    ['{{$trigger.size.x}}', undefined],
  ])('finds the list %j reads', (left, list) => {
    expect(listFieldOf(left, fields, formFields)).toEqual(list);
  });
});

describe('variableMenuLabel', () => {
  it.each([
    ['$contact.fields.plan', 'Plan'],
    ['$contact.firstName', 'First name'],
    ['$trigger.size', 'Size'],
    ['$contact.tags', 'Contact tags'],
    ['$contact.id', 'Contact ID'],
    ['$conversation.adReferral.headline', 'Conversation ad referral headline'],
    ['$trigger.firstIncomingMessage', 'First incoming message'],
    ['$trigger.launchedByName', 'Launched by'],
    ['$trigger.order_total', 'Order total'],
    ['$system.now', 'Now (date and time)'],
    ['$step.refund_id', 'Refund ID'],
    ['$contact.fields.gone', 'Contact fields gone'],
  ])('reads %j as %j', (variable, label) => {
    expect(variableMenuLabel(variable, { fields, formFields })).toBe(label);
  });
});
