import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { benchDispatch } from './dispatch';
import { benchE2eRuns } from './e2e-runs';
import { benchE2eVs } from './e2e-vs';
import { benchExpress } from './express';
import { benchHooksFlood } from './hooks-flood';
import { benchMenu } from './menu';
import { benchRuns } from './runs';
import { withKeptNotes } from './results-file';
import { benchWebhooks } from './webhooks';

// `npm run bench`: every benchmark in one run on this machine, written to bench/RESULTS.md.
// Targets are ratios measured within one run (not absolute timings), so they hold on any machine.
const only = process.env.BENCH_ONLY?.split(',');
const suites: [string, () => Promise<string>][] = [
  ['webhooks', benchWebhooks],
  ['dispatch', benchDispatch],
  ['runs', benchRuns],
  ['e2e-runs', benchE2eRuns],
  ['e2e-vs', benchE2eVs],
  ['express', benchExpress],
  ['menu', benchMenu],
  ['hooks-flood', benchHooksFlood],
];

const sections: string[] = [];
for (const [name, run] of suites) {
  if (only && !only.includes(name)) continue;
  process.stdout.write(`bench: ${name}…\n`);
  try {
    const out = await run();
    process.stdout.write(`${out}\n`);
    sections.push(out);
  } catch (err) {
    const message = `### ${name}\n\nFailed: ${err instanceof Error ? err.message : String(err)}\n`;
    process.stdout.write(message);
    sections.push(message);
  }
}

const header = [
  '# Benchmark results',
  '',
  `Measured ${new Date().toISOString()} with \`npm run bench\` on ${process.platform}, Node ${process.versions.node}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB; load average ${loadavg()[0]!.toFixed(1)} at the end.`,
  'Targets (DESIGN §11) are ratios within one run: webhook ingest ≥ 0.5 of bare Fastify; dispatch with 10,000 vs 10 workflows ≥ 0.8; menu open and form render p95 ≤ 16 ms from the cache with 500 shortcuts in real Chromium.',
  '',
].join('\n');
// A partial run (BENCH_ONLY) must not replace the full results with its one section.
const target = only ? `bench/results/${only.join('+')}.md` : 'bench/RESULTS.md';
// RESULTS.md also holds notes by hand, below a mark (results-file.ts): a full run keeps them.
const figures = `${header}\n${sections.join('\n')}`;
await writeFile(target, only ? figures : withKeptNotes(figures, await readFile(target, 'utf8').catch(() => '')));
process.stdout.write(`Wrote ${target}\n`);
process.exit(0);
