// What a person would see beside the tills during a fault: logins and GET /health, and the
// checks of how the api answered during an outage (issue 15, item 8: a clear 503, not a 500; the
// till's routes answered within 5 s; logins and checkouts working while only Redis is down).
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Checkout } from './burst';
import type { Fault, FaultWindow } from './faults';
import { isSuccessLabel } from './figures';
import { send, type Call } from './http';
import type { CheckResult } from './ledger-checks';

export interface Probe {
  what: 'logins' | '/health';
  label: string;
  /** performance.now() when sent, and how long until answered (or abandoned). */
  sentAt: number;
  ms: number;
}

/** The longest a till route may take to answer during an outage (item 8: 5 s). */
const ANSWER_WITHIN_MS = 5000;
/** Allowance for the drill's own client on a busy machine. */
const CLIENT_SLACK_MS = 1000;
const PROBE_TIMEOUT_MS = ANSWER_WITHIN_MS + CLIENT_SLACK_MS;

/**
 * A login every 2 s and a GET /health every second while `active()` says so, one of each in
 * flight at a time: a login costs the api an argon2 verification, and probes piling up behind a
 * frozen database would slow the very recovery they watch.
 */
export async function probe(
  base: URL,
  credentials: { username: string; password: string },
  active: () => boolean,
): Promise<Probe[]> {
  const probes: Probe[] = [];
  const loop = async (what: Probe['what'], everyMs: number, call: Call) => {
    while (active()) {
      const sentAt = performance.now();
      const answer = await send(base, call);
      const ms = performance.now() - sentAt;
      probes.push({ what, label: answer.label, sentAt, ms });
      await sleep(Math.max(0, everyMs - ms));
    }
  };
  await Promise.all([
    loop('logins', 2000, {
      method: 'POST',
      path: '/api/v1/auth/login',
      body: credentials,
      timeoutMs: PROBE_TIMEOUT_MS,
    }),
    loop('/health', 1000, { method: 'GET', path: '/health', timeoutMs: PROBE_TIMEOUT_MS }),
  ]);
  return probes;
}

function counted(labels: string[]): string {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return [...counts].map(([label, n]) => `${label}×${n}`).join(', ');
}

/** How the api answered the tills and the probes while the fault lasted. */
export function checkOutageAnswers(
  fault: Fault,
  checkouts: Checkout[],
  probes: Probe[],
  window: FaultWindow,
): CheckResult[] {
  const attempts = checkouts.flatMap((c) => c.attempts);
  const answers = [
    ...attempts.map((a) => ({ what: 'checkout', label: a.label, ms: a.answeredAt - a.sentAt })),
    ...probes.map((p) => ({ what: p.what, label: p.label, ms: p.ms })),
  ];
  const fiveHundreds = answers.filter((a) => a.label.startsWith('500'));
  // other routes have their own, longer bound (a login waits up to the api's general one)
  const tillWaits = attempts.map((a) => a.answeredAt - a.sentAt);
  const slow = tillWaits.filter((ms) => ms > ANSWER_WITHIN_MS + CLIENT_SLACK_MS);
  const checks: CheckResult[] = [
    {
      name: 'outages answer 503, not 500',
      ok: fiveHundreds.length === 0,
      detail:
        fiveHundreds.length === 0
          ? `no 500 among ${answers.length} answers`
          : `${fiveHundreds.length} of ${answers.length} answers were 500: ` +
            counted(fiveHundreds.map((a) => `${a.what} ${a.label}`)),
    },
    {
      name: 'till answers within 5 s',
      ok: slow.length === 0,
      detail:
        `${slow.length} of ${tillWaits.length} checkout answers took longer than ` +
        `${(ANSWER_WITHIN_MS + CLIENT_SLACK_MS) / 1000} s (5 s and 1 s for the drill's client), ` +
        `the longest ${(Math.max(0, ...tillWaits) / 1000).toFixed(1)} s`,
    },
  ];
  if (fault.loginsKeepWorking) {
    const during = probes.filter(
      (p) => p.what === 'logins' && p.sentAt >= window.startedAt && p.sentAt <= window.endedAt,
    );
    const failed = during.filter((p) => !isSuccessLabel(p.label));
    const checkoutsFailed = attempts.filter((a) => !isSuccessLabel(a.label));
    checks.push({
      name: 'logins and checkouts kept working',
      ok: failed.length === 0 && checkoutsFailed.length === 0,
      detail:
        `logins during the fault: ${counted(during.map((p) => p.label)) || 'none tried'}; ` +
        `checkout answers other than 2xx: ${counted(checkoutsFailed.map((a) => a.label)) || 'none'}`,
    });
  }
  return checks;
}
