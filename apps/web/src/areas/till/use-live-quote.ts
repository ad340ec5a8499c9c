// The cart priced by the api as the clerk scans: a burst of changes is priced once, after the
// last; an answer to an older cart never replaces a newer one; `fresh` says the quote on screen
// is for the cart as it is now, which 确认兑换 requires.
import { computed, onScopeDispose, ref, watch, type Ref } from 'vue';
import type { Problem, Quote } from './till';

/** Quotes wait this long after the last change, so a burst of scans is priced once. */
export const QUOTE_DELAY_MS = 250;

/**
 * `request` is what to price, or null while there is nothing to price (no card, no lines);
 * `price` asks the api; `failed` hears why a quote could not be had.
 */
export function useLiveQuote<Request>(
  request: Ref<Request | null>,
  price: (request: Request) => Promise<Quote>,
  failed: (error: unknown) => void,
) {
  const quote = ref<Quote | null>(null);
  /** the request (as sent) the quote above priced */
  const quotedFor = ref('');
  const quoting = ref(false);
  const signature = computed(() => JSON.stringify(request.value));
  const fresh = computed(() => quote.value !== null && quotedFor.value === signature.value);

  const lineProblems = computed(() => {
    const problems = new Map<number, Problem[]>();
    for (const line of quote.value?.lines ?? []) {
      if (line.productId !== null && line.problems.length > 0) {
        problems.set(line.productId, line.problems);
      }
    }
    return problems;
  });
  const cartProblems = computed(() => quote.value?.problems ?? []);
  const hasLimitProblem = computed(() =>
    [...cartProblems.value, ...[...lineProblems.value.values()].flat()].some(
      (problem) => problem.code === 'LIMIT_EXCEEDED',
    ),
  );

  let timer: ReturnType<typeof setTimeout> | undefined;
  // every schedule and every request takes a number; only the latest may land
  let sequence = 0;

  function forget(): void {
    quote.value = null;
    quotedFor.value = '';
  }

  /** Prices the cart after a pause, or drops the quote when there is nothing to price. */
  function schedule(): void {
    clearTimeout(timer);
    sequence += 1;
    if (request.value === null) {
      forget();
      quoting.value = false;
      return;
    }
    quoting.value = true;
    timer = setTimeout(() => void refresh(), QUOTE_DELAY_MS);
  }

  /** Prices the cart now (after a checkout the api refused: the cart may have met a problem). */
  async function refresh(): Promise<void> {
    const body = request.value;
    if (body === null) return;
    quoting.value = true;
    const mine = ++sequence;
    const sent = signature.value;
    try {
      const priced = await price(body);
      if (mine !== sequence) return;
      quote.value = priced;
      quotedFor.value = sent;
    } catch (error) {
      if (mine !== sequence) return;
      forget();
      failed(error);
    } finally {
      if (mine === sequence) quoting.value = false;
    }
  }

  watch(signature, schedule);
  onScopeDispose(() => clearTimeout(timer));

  return {
    quote,
    quoting,
    fresh,
    lineProblems,
    cartProblems,
    hasLimitProblem,
    schedule,
    refresh,
    forget,
  };
}
