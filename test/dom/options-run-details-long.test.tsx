import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RunDetails } from '../../components/options/RunDetails';
import type { Run } from '../../lib/contracts/runs';
import { renderWithProviders } from './options-harness';

// A run whose trigger carried a 900 KB value, a step that echoed it and an error quoting it (as
// versions before the field limit wrote): Details shows the start of each, wrapped, with Show all
// and Download, instead of 900 KB on one line that made the page 5,114,012 px wide.

const at = '2025-01-01T00:00:00.000Z';
const big = 's'.repeat(900_000);
const run: Run = {
  id: 'run_big', workflowId: 'wf_1', workflowVersion: 1, contactId: 'con_1', conversationId: null,
  triggerEvent: { id: 'ev_1', type: 'app.trigger' }, variables: { trigger: { note: big }, small: 'ok' }, status: 'failed', cursor: 0,
  stepLog: [{
    stepId: 'note', type: 'update_contact_field', status: 'failed', startedAt: at, endedAt: at,
    output: { field: 'pay_note', newValue: big }, error: `Cannot set field "pay_note": "${big}"`, notes: ['Short note'],
  }],
  wakeAt: null, attempts: 0, error: `Cannot set field "pay_note": "${big}"`, createdAt: at, endedAt: at,
};

afterEach(() => vi.restoreAllMocks());

describe('run details with a long value', () => {
  it('shows the first 10,000 characters of each long text, wrapped, with Show all and Download', async () => {
    const { container } = renderWithProviders(<RunDetails run={run} />);
    const texts = [...container.querySelectorAll('.long-text')];
    // The trigger variable, the small one, the step's error, its note, its output and the run's error.
    expect(texts).toHaveLength(6);
    for (const el of texts) {
      expect(el.textContent!.length).toBeLessThanOrEqual(10_001);
      // Wraps (entrypoints/options/style.css .long-text: pre-wrap, overflow-wrap anywhere).
      expect(el.classList.contains('long-text')).toBe(true);
    }
    expect(container.textContent!.length).toBeLessThan(70_000);
    expect(screen.getByText('Short note')).toBeTruthy();
    expect(screen.getByText('"ok"')).toBeTruthy();
    expect(screen.getAllByRole('button', { name: 'Show all' })).toHaveLength(4);
    expect(screen.getAllByText(/^The first 10,000 of 9\d\d,\d{3} characters\./)).toHaveLength(4);
  });

  it('shows all of one on Show all, and downloads all of it', async () => {
    const user = userEvent.setup();
    const created: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => { created.push(blob as Blob); return 'blob:run'; });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const { container } = renderWithProviders(<RunDetails run={run} />);
    const output = container.querySelector('pre.output')!;
    const actions = output.nextElementSibling as HTMLElement;
    await user.click(within(actions).getByRole('button', { name: 'Show all' }));
    expect(output.textContent).toBe(JSON.stringify(run.stepLog[0]!.output, null, 2));
    expect(actions.textContent).toMatch(/^All 900,\d{3} characters shown\./);
    await user.click(within(actions).getByRole('button', { name: 'Show less' }));
    expect(output.textContent!.length).toBe(10_001);

    await user.click(within(actions).getByRole('button', { name: 'Download' }));
    expect(clicked).toHaveBeenCalledTimes(1);
    expect(created).toHaveLength(1);
    expect(await created[0]!.text()).toBe(JSON.stringify(run.stepLog[0]!.output, null, 2));
    expect((clicked.mock.contexts[0] as HTMLAnchorElement).download).toBe('run_big-note-output.json');
  });
});
