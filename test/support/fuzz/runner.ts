import type { FuzzCase } from './cases';
import { label, type Operation } from './openapi';
import { differences, type Snapshot } from './snapshot';

/** Something the suite will fail on, with what it takes to reproduce it. */
export interface Failure {
  route: string;
  url: string;
  case: string;
  status: number | string;
  detail: string;
}

export interface Answer {
  status: number;
  text: string;
}

/** Reads sent at once: the api and the database overlap their work. */
const READS_AT_ONCE = 4;

const isRefusal = (status: number): boolean => status >= 400 && status < 500;

const isInvalid = (answer: Answer): boolean =>
  answer.status === 400 && answer.text.includes('"VALIDATION_FAILED"');

/** No answer in this long is a failure of its own (a stalled api), not a hang of the suite. */
const ANSWER_WITHIN_MS = 15_000;

export function format(failure: Failure): string {
  return `${failure.route} — ${failure.case} → ${failure.status}: ${failure.detail} [${failure.url.slice(0, 200)}]`;
}

/**
 * Sends the cases of one route after another over one kept-alive connection and checks each
 * answer: never a 5xx, and a write that was refused (4xx) changed nothing in the database.
 */
export class FuzzRunner {
  readonly statuses = new Map<number, number>();
  requests = 0;
  private keys = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly seed: number,
    private readonly snapshot: () => Promise<Snapshot>,
  ) {}

  /**
   * A write's cases are checked one by one against the figures just before each. A read's are
   * checked as a set: reads never write, unless one answered 2xx (a receipt rendered on demand).
   */
  async run(op: Operation, cases: FuzzCase[], authorization: string | null): Promise<Failure[]> {
    return op.method === 'get'
      ? this.runReads(op, cases, authorization)
      : this.runWrites(op, cases, authorization);
  }

  /** Each case against the figures just before it: a refused write must leave them as they were. */
  private async runWrites(
    op: Operation,
    cases: FuzzCase[],
    authorization: string | null,
  ): Promise<Failure[]> {
    const failures: Failure[] = [];
    let before = await this.snapshot();
    for (const fuzzCase of cases) {
      const { url, answer } = await this.send(op, fuzzCase, authorization);
      failures.push(...this.check(op, fuzzCase, url, answer));
      const after = await this.snapshot();
      const changed = differences(before, after);
      if (typeof answer !== 'string' && isRefusal(answer.status) && changed) {
        failures.push(
          this.failure(op, fuzzCase, url, answer.status, `refused but changed ${changed}`),
        );
      }
      before = after;
    }
    return failures;
  }

  /**
   * Reads go a few at a time and are checked as a set: none may change anything unless one was
   * answered 2xx (a receipt rendered on demand is kept).
   */
  private async runReads(
    op: Operation,
    cases: FuzzCase[],
    authorization: string | null,
  ): Promise<Failure[]> {
    const failures: Failure[] = [];
    const before = await this.snapshot();
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
    const changed = differences(before, await this.snapshot());
    if (!accepted && changed) {
      failures.push({
        route: label(op),
        url: '',
        case: 'all its cases',
        status: '4xx',
        detail: `refused reads changed ${changed}`,
      });
    }
    return failures;
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
      const response = await fetch(`${this.baseUrl}${url}`, {
        method: op.method.toUpperCase(),
        headers,
        body: fuzzCase.body?.text,
        signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
      });
      const text = await response.text();
      this.statuses.set(response.status, (this.statuses.get(response.status) ?? 0) + 1);
      return { url, answer: { status: response.status, text } };
    } catch (error) {
      return { url, answer: `${(error as Error).name}: ${(error as Error).message}` };
    }
  }
}
