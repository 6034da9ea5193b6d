import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import { RunDetails } from '../../components/options/RunDetails';
import type { LateFallbackOutcome } from '../../lib/contracts/refused-later';
import type { Run } from '../../lib/contracts/runs';
import { renderWithProviders } from './options-harness';

// A Send message step whose text WhatsApp took (a wamid) and refused later with 131047: the run
// completed, and its history must not leave the supervisor reading "accepted". The output as the
// server writes it then (channels/late-fallback-log.ts).

const at = '2026-12-07T00:00:00.000Z';
const refusal = 'WhatsApp says more than 24 hours passed since the customer last wrote (Meta error 131047: Re-engagement message — Message failed to send because more than 24 hours have passed since the customer last replied to this number.)';
const runWith = (fallback: LateFallbackOutcome): Run => ({
  id: 'run_late', workflowId: 'wf_1', workflowVersion: 1, contactId: 'con_1', conversationId: 'cnv_1',
  triggerEvent: { id: 'ev_1', type: 'tag.added' }, variables: {}, status: 'completed', cursor: 1,
  stepLog: [{
    stepId: 'say', type: 'send_message', status: 'completed', startedAt: at, endedAt: at,
    output: { messageId: 'msg_1', conversationId: 'cnv_1', sentAs: 'text', delivery: { status: 'failed', externalId: 'wamid.1', error: refusal }, refusedLater: { error: refusal, fallback } },
  }],
  wakeAt: null, attempts: 0, error: null, createdAt: at, endedAt: at,
});
const base = { template: 'we_miss_you', messageId: 'msg_2', of: 6 };

describe('run details of a message WhatsApp refused later', () => {
  it.each([
    ['replaced by the fallback template', { ...base, status: 'sent', externalId: 'wamid.2', tries: 1 } as const,
      /^Refused later by WhatsApp: WhatsApp says more than 24 hours passed .*\(Meta error 131047: .*\)\. Replaced by the fallback template we_miss_you, sent\.$/],
    ['replaced on a later try', { ...base, status: 'sent', externalId: 'wamid.2', tries: 3 } as const, /Replaced by the fallback template we_miss_you, sent on try 3\.$/],
    ['its fallback put off by Meta', { ...base, status: 'waiting', tries: 1, error: 'Meta error 4 (OAuthException): (#4) Application request limit reached', nextTryAt: '2026-12-07T00:01:30.000Z' } as const,
      /Meta did not take the fallback template we_miss_you for now \(Meta error 4 .*\); it is tried again at .+ \(try 2 of 6\)\.$/],
    ['its fallback failed too', { ...base, status: 'failed', tries: 6, error: 'Meta error 4 (OAuthException): (#4) Application request limit reached (tried 6 times over 38 minutes; not tried again)' } as const,
      /The fallback template we_miss_you failed too on try 6: .*\(tried 6 times over 38 minutes; not tried again\)\.$/],
  ])('says the step was refused later and %s', (_what, fallback, text) => {
    const { container } = renderWithProviders(<RunDetails run={runWith(fallback)} />);
    expect(screen.getByText('refused later').className).toContain('badge');
    expect(container.querySelector('.refused-later')!.textContent).toMatch(text);
  });

  it('shows nothing more for a step whose message was only accepted', () => {
    const run = runWith({ ...base, status: 'sent', tries: 1 });
    run.stepLog[0]!.output = { messageId: 'msg_1', delivery: { status: 'accepted', externalId: 'wamid.1', error: null } };
    const { container } = renderWithProviders(<RunDetails run={run} />);
    expect(screen.queryByText('refused later')).toBeNull();
    expect(container.querySelector('.refused-later')).toBeNull();
  });
});
