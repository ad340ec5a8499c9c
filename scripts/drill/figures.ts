// The figures the drill prints for one fault: the answers the tills got by status, first tries
// and retries apart, how long they waited, and how soon checkouts succeeded again.
import { pad, percentile } from '../bench-support';
import type { Checkout } from './burst';
import type { FaultWindow } from './faults';
import type { CheckResult } from './ledger-checks';
import type { Probe } from './probes';

function counted(labels: string[]): string {
  if (labels.length === 0) return 'none';
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([label, n]) => `${label}×${n}`)
    .join(', ');
}

export function isSuccessLabel(label: string): boolean {
  return /^2\d\d$/.test(label);
}

function secondsOf(ms: number): string {
  return (ms / 1000).toFixed(1);
}

export interface FaultFigures {
  succeeded: number;
  afterRetry: number;
  refused: number;
  unresolved: number;
  failedAnswers: number;
  /** Seconds from the fault's end to the first success answered after it; null if none came. */
  recoverySeconds: number | null;
  longestWaitSeconds: number;
}

export function figuresOf(checkouts: Checkout[], window: FaultWindow): FaultFigures {
  const attempts = checkouts.flatMap((c) => c.attempts);
  const firstAfter = attempts
    .filter((a) => isSuccessLabel(a.label) && a.answeredAt >= window.endedAt)
    .reduce((first, a) => Math.min(first, a.answeredAt), Number.POSITIVE_INFINITY);
  return {
    succeeded: checkouts.filter((c) => c.outcome === 'succeeded').length,
    afterRetry: checkouts.filter((c) => c.outcome === 'succeeded' && c.attempts.length > 1).length,
    refused: checkouts.filter((c) => c.outcome === 'refused').length,
    unresolved: checkouts.filter((c) => c.outcome === 'unresolved').length,
    failedAnswers: attempts.filter((a) => !isSuccessLabel(a.label)).length,
    recoverySeconds: Number.isFinite(firstAfter) ? (firstAfter - window.endedAt) / 1000 : null,
    longestWaitSeconds: Math.max(0, ...attempts.map((a) => a.answeredAt - a.sentAt)) / 1000,
  };
}

export interface FaultReport {
  checkouts: Checkout[];
  window: FaultWindow;
  burst: { startedAt: number; endedAt: number; tills: number };
  probes: Probe[];
  /** Lines the api logged meanwhile, with their counts, most first. */
  apiLog: [string, number][];
  /** Figures beyond the checkouts', already worded (`receipts …`). */
  notes: string[];
  checks: CheckResult[];
}

export function printFault({
  checkouts,
  window,
  burst,
  probes,
  apiLog,
  notes,
  checks,
}: FaultReport): void {
  const at = (t: number) =>
    `${t >= window.startedAt ? '+' : ''}${secondsOf(t - window.startedAt)} s`;
  const attempts = checkouts.flatMap((c) => c.attempts);
  const first = checkouts.map((c) => c.attempts[0]?.label ?? 'not sent');
  const retries = checkouts.flatMap((c) => c.attempts.slice(1).map((a) => a.label));
  const figures = figuresOf(checkouts, window);
  const failed = attempts.filter((a) => !isSuccessLabel(a.label));
  const waits = attempts.map((a) => a.answeredAt - a.sentAt).sort((a, b) => a - b);
  const toSuccess = checkouts
    .filter((c) => c.outcome === 'succeeded')
    .map((c) => (c.attempts.at(-1)?.answeredAt ?? 0) - (c.attempts[0]?.sentAt ?? 0));

  console.log(
    `  fault        from ${at(window.startedAt)} to ${at(window.endedAt)} ` +
      `(${secondsOf(window.endedAt - window.startedAt)} s; times below from its start): ${window.notes.join('; ')}`,
  );
  console.log(
    `  burst        ${checkouts.length} checkouts from ${burst.tills} tills, ${at(burst.startedAt)} to ${at(burst.endedAt)}`,
  );
  console.log(`  first tries  ${counted(first)}`);
  console.log(`  retries      ${counted(retries)}`);
  console.log(
    `  outcome      ${figures.succeeded} succeeded (${figures.afterRetry} after retrying), ` +
      `${figures.refused} refused, ${figures.unresolved} given up`,
  );
  for (const refused of checkouts.filter((c) => c.outcome === 'refused').slice(0, 3)) {
    console.log(`               refused ${refused.key}: ${refused.detail}`);
  }
  console.log(
    `  waits        per answer p50 ${percentile(waits, 50).toFixed(0)} ms, p99 ${percentile(waits, 99).toFixed(0)} ms, ` +
      `longest ${secondsOf(waits.at(-1) ?? 0)} s; a checkout took at most ${secondsOf(Math.max(0, ...toSuccess))} s to succeed`,
  );
  const recovery =
    figures.recoverySeconds === null
      ? 'no checkout succeeded after the fault ended'
      : `first success ${figures.recoverySeconds.toFixed(2)} s after the fault ended`;
  const window_ =
    failed.length === 0
      ? 'no failed answer'
      : `failed answers from ${at(Math.min(...failed.map((a) => a.answeredAt)))} to ${at(Math.max(...failed.map((a) => a.answeredAt)))}`;
  console.log(`  recovery     ${recovery}; ${window_}`);
  for (const what of [...new Set(probes.map((p) => p.what))]) {
    const mine = probes.filter((p) => p.what === what);
    const during = mine.filter((p) => p.sentAt <= window.endedAt).map((p) => p.label);
    const after = mine.filter((p) => p.sentAt > window.endedAt).map((p) => p.label);
    console.log(
      `  ${what.padEnd(12)} during the fault ${counted(during)}; after ${counted(after)}`,
    );
  }
  for (const note of notes) console.log(`  ${note}`);
  if (apiLog.length > 0) {
    console.log('  api log      (warnings and errors logged meanwhile)');
    for (const [message, n] of apiLog.slice(0, 6))
      console.log(`    ${pad(n, 5)}× ${message.slice(0, 160)}`);
  }
  console.log('  checks');
  for (const check of checks) {
    console.log(`    ${check.ok ? 'ok  ' : 'FAIL'} ${check.name.padEnd(34)} ${check.detail}`);
  }
}
