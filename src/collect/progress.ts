/**
 * Progress of a collection: accounts × regions × calls, done and failed. On a terminal one stderr line is
 * redrawn in place (at most ten times a second); otherwise each finished account/region is one plain line,
 * so logs in CI stay readable.
 */

export interface ProgressSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface ProgressCounts {
  accounts: number;
  accountsDone: number;
  units: number;
  unitsDone: number;
  callsDone: number;
  callsFailed: number;
  callsSkipped: number;
  retries: number;
}

export class CollectProgress {
  readonly counts: ProgressCounts = { accounts: 0, accountsDone: 0, units: 0, unitsDone: 0, callsDone: 0, callsFailed: 0, callsSkipped: 0, retries: 0 };
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly sink: ProgressSink | undefined,
    private readonly tty = sink?.isTTY === true,
    private readonly now: () => number = Date.now,
  ) {}

  accountsPlanned(n: number): void {
    this.counts.accounts = n;
    this.draw();
  }

  unitsPlanned(n: number): void {
    this.counts.units += n;
    this.draw();
  }

  call(outcome: 'done' | 'failed' | 'skipped'): void {
    if (outcome === 'done') this.counts.callsDone++;
    else if (outcome === 'failed') this.counts.callsFailed++;
    else this.counts.callsSkipped++;
    this.draw();
  }

  retry(): void {
    this.counts.retries++;
    this.draw();
  }

  unitDone(account: string, region: string, calls: number, failed: number, skipped: number): void {
    this.counts.unitsDone++;
    if (!this.tty) this.line(`collect: ${account} ${region}: ${calls} calls, ${failed} failed${skipped ? `, ${skipped} already on disk` : ''}`);
    this.draw();
  }

  accountDone(account: string, result: string): void {
    this.counts.accountsDone++;
    if (!this.tty) this.line(`collect: account ${account}: ${result}`);
    this.draw();
  }

  /** Clears the redrawn line so that what follows starts on a clean line. */
  finish(): void {
    if (this.tty && this.drawn) this.sink?.write('\r\x1b[2K');
    this.drawn = false;
  }

  private line(text: string): void {
    this.sink?.write(`${text}\n`);
  }

  private draw(): void {
    if (!this.tty || !this.sink) return;
    const t = this.now();
    if (t - this.lastDraw < 100) return;
    this.lastDraw = t;
    const c = this.counts;
    this.sink.write(
      `\r\x1b[2Kcollect: accounts ${c.accountsDone}/${c.accounts} · regions ${c.unitsDone}/${c.units} · calls ${c.callsDone} done, ${c.callsFailed} failed, ${c.callsSkipped} on disk${c.retries ? `, ${c.retries} retries` : ''}`,
    );
    this.drawn = true;
  }
}
