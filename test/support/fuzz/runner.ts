import type { FuzzCase } from './cases';
import type { Answer, HttpClient } from './http-client';
import { label, type Operation } from './openapi';
import { differences, type Snapshots } from './snapshot';

/** Something the suite will fail on, with what it takes to reproduce it. */
export interface Failure {
  route: string;
  url: string;
  case: string;
  status: number | string;
  detail: string;
}

/** Reads sent at once: the api and the database overlap their work. */
const READS_AT_ONCE = 6;

const isRefusal = (status: number): boolean => status >= 400 && status < 500;

const isInvalid = (answer: Answer): boolean =>
  answer.status === 400 && answer.text.includes('"VALIDATION_FAILED"');

/** No answer in this long is a failure of its own (a stalled api), not a hang of the suite. */
const ANSWER_WITHIN_MS = 15_000;

export function format(failure: Failure): string {
  return `${failure.route} — ${failure.case} → ${failure.status}: ${failure.detail} [${failure.url.slice(0, 200)}]`;
}

/**
 * Sends the cases of one route and checks each answer: never a 5xx, and what was refused (4xx)
 * changed nothing. The database's figures are taken before and after each route's set and must
 * be equal when every case was refused; a write's cases are also checked one by one against the
 * tables' checksums, so a refused write is caught even in a set where others were accepted.
 */
export class FuzzRunner {
  readonly statuses = new Map<number, number>();
  requests = 0;
  private keys = 0;

  constructor(
    private readonly client: HttpClient,
    private readonly seed: number,
    private readonly snapshots: Snapshots,
  ) {}

  async run(op: Operation, cases: FuzzCase[], authorization: string | null): Promise<Failure[]> {
    const before = await this.snapshots.figures();
    const { failures, accepted } =
      op.method === 'get'
        ? await this.runReads(op, cases, authorization)
        : await this.runWrites(op, cases, authorization);
    const changed = differences(before, await this.snapshots.figures());
    if (!accepted && changed) {
      failures.push({
        route: label(op),
        url: '',
        case: 'all its cases',
        status: '4xx',
        detail: `every case was refused, but the set changed ${changed}`,
      });
    }
    return failures;
  }

  /** One after another, each against the checksums just before it. */
  private async runWrites(
    op: Operation,
    cases: FuzzCase[],
    authorization: string | null,
  ): Promise<{ failures: Failure[]; accepted: boolean }> {
    const failures: Failure[] = [];
    let accepted = false;
    let before = await this.snapshots.checksums();
    for (const fuzzCase of cases) {
      const { url, answer } = await this.send(op, fuzzCase, authorization);
      failures.push(...this.check(op, fuzzCase, url, answer));
      accepted ||= typeof answer === 'string' || !isRefusal(answer.status);
      const after = await this.snapshots.checksums();
      const changed = differences(before, after);
      if (typeof answer !== 'string' && isRefusal(answer.status) && changed) {
        const detail = `refused but changed ${changed}`;
        failures.push(this.failure(op, fuzzCase, url, answer.status, detail));
      }
      before = after;
    }
    return { failures, accepted };
  }

  /** A few at a time: reads change nothing, unless one answered 2xx (a receipt rendered once). */
  private async runReads(
    op: Operation,
    cases: FuzzCase[],
    authorization: string | null,
  ): Promise<{ failures: Failure[]; accepted: boolean }> {
    const failures: Failure[] = [];
    let accepted = false;
    for (let i = 0; i < cases.length; i += READS_AT_ONCE) {
      const sent = await Promise.all(
        cases.slice(i, i + READS_AT_ONCE).map(async (fuzzCase) => ({
          fuzzCase,
          ...(await this.send(op, fuzzCase, authorization)),
        })),
      );
      for (const { fuzzCase, url, answer } of sent) {
        failures.push(...this.check(op, fuzzCase, url, answer));
        accepted ||= typeof answer === 'string' || !isRefusal(answer.status);
      }
    }
    return { failures, accepted };
  }

  private check(
    op: Operation,
    fuzzCase: FuzzCase,
    url: string,
    answer: Answer | string,
  ): Failure[] {
    if (typeof answer === 'string') return [this.failure(op, fuzzCase, url, 'no answer', answer)];
    if (answer.status >= 500) {
      return [this.failure(op, fuzzCase, url, answer.status, answer.text.slice(0, 300))];
    }
    // built from the document, the baseline must pass validation, or its one-field cases test
    // nothing: the document is missing a parameter, or the world a row to point at
    if (fuzzCase.name === 'baseline' && op.body?.kind !== 'multipart' && isInvalid(answer)) {
      const detail = `the baseline was refused as invalid: ${answer.text.slice(0, 300)}`;
      return [this.failure(op, fuzzCase, url, answer.status, detail)];
    }
    return [];
  }

  private failure(
    op: Operation,
    fuzzCase: FuzzCase,
    url: string,
    status: number | string,
    detail: string,
  ): Failure {
    return { route: label(op), url, case: fuzzCase.name, status, detail };
  }

  private urlOf(op: Operation, fuzzCase: FuzzCase): string {
    const path = op.path.replace(/\{(\w+)\}/g, (_match, name: string) =>
      encodeURIComponent(fuzzCase.params[name]),
    );
    const query = fuzzCase.query
      .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
      .join('&');
    return query ? `${path}?${query}` : path;
  }

  private async send(
    op: Operation,
    fuzzCase: FuzzCase,
    authorization: string | null,
  ): Promise<{ url: string; answer: Answer | string }> {
    const url = this.urlOf(op, fuzzCase);
    const headers: Record<string, string> = {};
    if (authorization) headers.authorization = authorization;
    const key = fuzzCase.idempotencyKey;
    if (key.kind === 'fresh') headers['idempotency-key'] = `fuzz-${this.seed}-${++this.keys}`;
    if (key.kind === 'given') headers['idempotency-key'] = key.value;
    if (fuzzCase.body) headers['content-type'] = fuzzCase.body.contentType;
    this.requests += 1;
    try {
      const method = op.method.toUpperCase();
      const body = fuzzCase.body?.text;
      const answer = await this.client.send(method, url, headers, body, ANSWER_WITHIN_MS);
      this.statuses.set(answer.status, (this.statuses.get(answer.status) ?? 0) + 1);
      return { url, answer };
    } catch (error) {
      return { url, answer: `${(error as Error).name}: ${(error as Error).message}` };
    }
  }
}
