/**
 * Bounded concurrency: a counting semaphore, and a set of them keyed by scope (account/region/service) under
 * one global cap, so that one busy region cannot starve the others and no service sees more than N calls at once.
 */

export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    // Hand the slot straight to the next waiter so `active` never dips and lets a newcomer jump the queue.
    if (next) next();
    else this.active--;
  }
}

export class ScopedLimiter {
  private readonly scopes = new Map<string, Semaphore>();
  private readonly global: Semaphore;

  constructor(
    private readonly perScope: number,
    globalLimit: number,
  ) {
    this.global = new Semaphore(globalLimit);
  }

  /** Runs `fn` holding one slot of `scope` and one global slot; returns what `fn` returns. */
  async run<T>(scope: string, fn: () => Promise<T>): Promise<T> {
    let s = this.scopes.get(scope);
    if (!s) this.scopes.set(scope, (s = new Semaphore(this.perScope)));
    await s.acquire();
    await this.global.acquire();
    try {
      return await fn();
    } finally {
      this.global.release();
      s.release();
    }
  }
}
