// One job kept for when a thread is idle: the analysis worker's figures after a reply (the CodeLens's
// memory), which the next edit's analysis should never wait for, and the rest of its report, posted once the
// hints are on their way. A newer job, or a request that comes first, drops it, and whoever waited for it is
// told at once (the rest is then posted at once). Pure (timers only).

export class IdleTask {
  private due: { dropped: () => void; timer: ReturnType<typeof setTimeout> } | undefined;

  constructor(private readonly delayMs: number) {}

  /** Runs `run` once the thread has been idle for the delay, unless drop() or a newer set() comes first: then `dropped` runs. */
  set(run: () => void, dropped: () => void): void {
    this.drop();
    const timer = setTimeout(() => {
      this.due = undefined;
      run();
    }, this.delayMs);
    this.due = { dropped, timer };
  }

  /** Whether a job waits to run. */
  get pending(): boolean {
    return this.due !== undefined;
  }

  /** Gives up the job not yet run (its `dropped` runs now); nothing if there is none. */
  drop(): void {
    const d = this.due;
    if (!d) return;
    this.due = undefined;
    clearTimeout(d.timer);
    d.dropped();
  }
}
