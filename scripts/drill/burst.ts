// A burst of checkouts from several tills. Each till rings up one checkout at a time with a fresh
// Idempotency-Key, and sends a checkout that got no definite answer (no answer, a timeout, a 5xx,
// a 429) again with the same key and body, backing off, until it gets one or gives up; then it
// pauses as a clerk would before the next household.
import { randomUUID } from 'node:crypto';
import type { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchCart } from '../bench-checkout-floor';
import { cartFor, type BenchProduct } from '../bench-county';
import { random } from '../seeded-random';
import { isDefinite, isSuccess, send } from './http';

export interface DrillTill {
  username: string;
  storeId: number;
  cards: string[];
  token: string;
  agent: Agent;
}

export interface Attempt {
  label: string;
  /** performance.now() when sent and when answered (or abandoned). */
  sentAt: number;
  answeredAt: number;
}

export interface Checkout {
  key: string;
  till: string;
  storeId: number;
  cart: BenchCart;
  attempts: Attempt[];
  outcome: 'pending' | 'succeeded' | 'refused' | 'unresolved';
  /** What the api answered on success. */
  redemption?: { id: number; receiptNo: string };
  /** The refusal's body, for a refused checkout. */
  detail?: string;
}

export interface BurstOptions {
  checkouts: number;
  /** The clerk's pause between two households. */
  thinkMs: number;
  /** How long a till waits for one answer. */
  timeoutMs: number;
  /** Attempts per checkout, the first included. */
  maxAttempts: number;
  /** A checkout is given up this long after its first attempt. */
  giveUpMs: number;
  keyPrefix: string;
  seed: number;
}

const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 1000;

export class Burst {
  readonly checkouts: Checkout[] = [];
  private answered = 0;
  private readonly waiting: { count: number; resolve: () => void }[] = [];
  startedAt = 0;
  endedAt = 0;

  constructor(
    private readonly base: URL,
    private readonly tills: DrillTill[],
    private readonly products: BenchProduct[],
    private readonly options: BurstOptions,
  ) {}

  /** Runs every till until the burst's checkouts are all answered or given up. */
  async run(): Promise<void> {
    this.startedAt = performance.now();
    await Promise.all(this.tills.map((till, index) => this.runTill(till, index)));
    this.endedAt = performance.now();
    // a fault waiting for more first answers than came must not wait forever
    for (const waiter of this.waiting.splice(0)) waiter.resolve();
  }

  /** Resolves once `count` checkouts have had their first answer (or the burst is over). */
  firstAnswers(count: number): Promise<void> {
    if (this.answered >= count || this.endedAt > 0) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ count, resolve }));
  }

  private async runTill(till: DrillTill, index: number): Promise<void> {
    const next = random(this.options.seed + index * 7919);
    while (this.checkouts.length < this.options.checkouts) {
      const checkout: Checkout = {
        key: `${this.options.keyPrefix}-${randomUUID()}`,
        till: till.username,
        storeId: till.storeId,
        cart: cartFor(till, this.products, next),
        attempts: [],
        outcome: 'pending',
      };
      this.checkouts.push(checkout);
      await this.ringUp(till, checkout);
      await sleep(this.options.thinkMs);
    }
  }

  private async ringUp(till: DrillTill, checkout: Checkout): Promise<void> {
    const first = performance.now();
    for (;;) {
      const sentAt = performance.now();
      const answer = await send(this.base, {
        method: 'POST',
        path: '/api/v1/redemptions',
        token: till.token,
        body: checkout.cart,
        headers: { 'idempotency-key': checkout.key },
        timeoutMs: this.options.timeoutMs,
        agent: till.agent,
      });
      checkout.attempts.push({ label: answer.label, sentAt, answeredAt: performance.now() });
      if (checkout.attempts.length === 1) this.countFirstAnswer();
      if (isSuccess(answer)) {
        const body = answer.body as { id: number; receiptNo: string };
        checkout.outcome = 'succeeded';
        checkout.redemption = { id: Number(body.id), receiptNo: String(body.receiptNo) };
        return;
      }
      if (isDefinite(answer)) {
        checkout.outcome = 'refused';
        checkout.detail = JSON.stringify(answer.body).slice(0, 300);
        return;
      }
      const attempts = checkout.attempts.length;
      if (
        attempts >= this.options.maxAttempts ||
        performance.now() - first > this.options.giveUpMs
      ) {
        checkout.outcome = 'unresolved';
        return;
      }
      await sleep(Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (attempts - 1)));
    }
  }

  private countFirstAnswer(): void {
    this.answered += 1;
    for (let i = this.waiting.length - 1; i >= 0; i -= 1) {
      if (this.answered >= this.waiting[i].count) this.waiting.splice(i, 1)[0].resolve();
    }
  }
}
