import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RunDetails } from '../../components/options/RunDetails';
import type { Run, StepLogEntry } from '../../lib/contracts/runs';
import { ok, renderWithProviders, serveApi } from './options-harness';

// A Branch step's output as the server logs it (server/engine/steps/branch.ts; the shapes of
// test/integration/webhooks/branch-explained.test.ts): the run details say in sentences why the run
// went where it went, as n8n's IF node and respond.io's execution log do, raw JSON a click away.

const at = '2026-12-07T00:00:00.000Z';
const runWith = (stepLog: StepLogEntry[]): Run => ({
  id: 'run_branch', workflowId: 'wf_1', workflowVersion: 1, contactId: 'con_1', conversationId: 'cnv_1',
  triggerEvent: { id: 'ev_1', type: 'webhook' }, variables: {}, status: 'completed', cursor: 1,
  stepLog, wakeAt: null, attempts: 0, error: null, createdAt: at, endedAt: at,
});
const branchStep = (output: unknown): StepLogEntry => ({ stepId: 'route', type: 'branch', status: 'completed', startedAt: at, endedAt: at, output });
const sameCountry = {
  branch: 'Same country as the shop', goTo: 'thanks',
  checked: [
    { branch: 'VIP', matched: false, conditions: [{ condition: '{{$trigger.plan}} is "vip"', value: 'Pro', holds: false }] },
    { branch: 'Same country as the shop', matched: true, conditions: [
      { condition: '{{$trigger.country}} is {{$trigger.shopCountry}} ("FR")', value: 'FR', holds: true },
    ] },
  ],
};
const tried = (container: HTMLElement) => [...container.querySelectorAll('.branches-tried > li')].map((li) => li.textContent);

describe('run details of a Branch step', () => {
  it('says each branch tried, each condition with the value it had and whether it held, and the branch taken', () => {
    const { container } = renderWithProviders(<RunDetails run={runWith([branchStep(sameCountry)])} />);
    expect(screen.getByText('Took branch “Same country as the shop” and went to step “thanks”.')).toBeTruthy();
    expect(tried(container)).toEqual([
      '“VIP” — did not hold{{$trigger.plan}} is "vip": it was “Pro” — no',
      '“Same country as the shop” — held, taken{{$trigger.country}} is {{$trigger.shopCountry}} ("FR"): it was “FR” — yes',
    ]);
    expect(screen.getByText('{{$trigger.plan}} is "vip": it was “Pro” — no').className).toBe('not-held');
    // The JSON is not what the admin reads first.
    expect(container.querySelector('pre.output')).toBeNull();
  });

  it('keeps the raw output a click away', async () => {
    const user = userEvent.setup();
    const { container } = renderWithProviders(<RunDetails run={runWith([branchStep(sameCountry)])} />);
    await user.click(screen.getByRole('button', { name: 'Show raw' }));
    expect(container.querySelector('pre.output')!.textContent).toBe(JSON.stringify(sameCountry, null, 2));
    await user.click(screen.getByRole('button', { name: 'Hide raw' }));
    expect(container.querySelector('pre.output')).toBeNull();
  });

  it.each([
    ['a missing value as (empty)', null, '(empty)'],
    ['an empty text as (empty)', '', '(empty)'],
    ['an empty list as (empty)', [], '(empty)'],
    ['a number as it is', 1250.5, '1250.5'],
    ['a list as its items', ['vip', 'new'], '“vip”, “new”'],
    ['a long list as its first items and how many more', Array.from({ length: 20 }, (_, i) => `tag-number-${i}`),
      '“tag-number-0”, “tag-number-1”, “tag-number-2”, “tag-number-3”, “tag-number-4” and 15 more'],
    ['a long text cut with an ellipsis', `${'x'.repeat(200)}…`, `“${'x'.repeat(80)}…”`],
    ['markup as text', '<img src=x onerror="alert(1)"><b>vip</b>', '“<img src=x onerror="alert(1)"><b>vip</b>”'],
  ])('says %s, and Else when no branch held', (_what, value, words) => {
    const output = { branch: 'else', checked: [{ branch: 'VIP', matched: false, conditions: [{ condition: '{{$trigger.plan}} is "vip"', value, holds: false }] }] };
    const { container } = renderWithProviders(<RunDetails run={runWith([branchStep(output)])} />);
    expect(screen.getByText('No branch held, so it took Else and went on to the next step.')).toBeTruthy();
    expect(screen.getByText(`{{$trigger.plan}} is "vip": it was ${words} — no`)).toBeTruthy();
    expect(container.querySelector('.branch-explained img, .branch-explained b')).toBeNull();
  });

  it('shows the raw output of other steps, and of a Branch logged before its conditions were kept, as before', () => {
    const comment = { stepId: 'note', type: 'add_comment', status: 'completed', startedAt: at, endedAt: at, output: { commentId: 'c_1' } } as const;
    const { container } = renderWithProviders(<RunDetails run={runWith([branchStep({ branch: 'VIP', goTo: 'thanks' }), comment])} />);
    expect([...container.querySelectorAll('pre.output')].map((p) => JSON.parse(p.textContent!))).toEqual([{ branch: 'VIP', goTo: 'thanks' }, { commentId: 'c_1' }]);
    expect(container.querySelector('.branch-explained')).toBeNull();
  });

  // Logged since the variable and the conditions an earlier one decided without are kept
  // (server/engine/steps/branch.ts): the shapes of test/integration/webhooks/branch-explained.test.ts.
  const bySize = {
    branch: 'else',
    checked: [
      { branch: 'Big VIP', matched: false,
        conditions: [{ condition: '{{$trigger.size}} is "L"', left: '{{$trigger.size}}', value: 'M', holds: false }],
        skipped: [{ condition: '{{$contact.fields.plan}} is "Pro"', left: '{{$contact.fields.plan}}' }, { condition: '{{$contact.tags}} has tag "vip"', left: '{{$contact.tags}}' }] },
    ],
  };
  const shortcut = {
    id: 'wf_1', name: 'Order a shirt', oncePerContact: false, steps: [], status: 'published', version: 1, createdAt: at, updatedAt: at, publishedAt: at,
    trigger: { type: 'shortcut', icon: '⚡', name: 'Order a shirt', description: '', form: { fields: [{ label: 'Size', type: 'list', variable: 'size', required: true, options: ['S', 'M', 'L'] }] } },
  };

  it('names each variable by its label as the builder does, the variable on hover, and lists the conditions not checked', async () => {
    serveApi({ 'GET /fields': ok({ fields: [{ key: 'plan', label: 'Plan', type: 'list', options: ['Free', 'Pro'] }] }), 'GET /workflows/wf_1': ok(shortcut) });
    const { container } = renderWithProviders(<RunDetails run={runWith([branchStep(bySize)])} />);
    await waitFor(() => expect(tried(container)).toEqual([
      '“Big VIP” — did not holdSize is "L": it was “M” — noPlan is "Pro": not checked{{$contact.tags}} has tag "vip": not checked',
    ]));
    expect([...container.querySelectorAll('.variable-label')].map((l) => [l.textContent, l.getAttribute('title')]))
      .toEqual([['Size', '{{$trigger.size}}'], ['Plan', '{{$contact.fields.plan}}']]);
    expect([...container.querySelectorAll('li.not-checked')].map((li) => li.textContent)).toEqual(['Plan is "Pro": not checked', '{{$contact.tags}} has tag "vip": not checked']);
  });

  it('shows the variables as written when their labels cannot be read', async () => {
    serveApi({});
    const { container } = renderWithProviders(<RunDetails run={runWith([branchStep(bySize)])} />);
    expect(tried(container)).toEqual([
      '“Big VIP” — did not hold{{$trigger.size}} is "L": it was “M” — no{{$contact.fields.plan}} is "Pro": not checked{{$contact.tags}} has tag "vip": not checked',
    ]);
    await waitFor(() => expect(screen.getByText(/those after the one that decides it are not checked/)).toBeTruthy());
  });
});
