// One job at a time, and only the latest per key: while typing, a document's versions arrive faster
// than a large file is analysed, and only the newest is worth analysing. A job that is still waiting
// when a newer one with the same key arrives is dropped (its promise resolves to undefined); the job
// already running is never interrupted. Background jobs (documents nobody is looking at) start only when
// no other job waits: a file the user opens is not analysed after every hidden one. Pure: no vscode, no Node API.

interface Waiting<T> {
  run: () => Promise<T>;
  resolve: (value: T | undefined) => void;
}

export class LatestQueue<T> {
  private readonly waiting = new Map<string, Waiting<T>>();
  private readonly background = new Map<string, Waiting<T>>();
  private running = false;

  /**
   * Runs `run` after the jobs before it (a `background` one after every other job too); undefined when a
   * newer job with the same key replaced it first.
   */
  push(key: string, run: () => Promise<T>, background = false): Promise<T | undefined> {
    return new Promise((resolve) => {
      for (const line of [this.waiting, this.background]) {
        line.get(key)?.resolve(undefined);
        // delete first, so that the newest job of a key also goes to the back of the line
        line.delete(key);
      }
      (background ? this.background : this.waiting).set(key, { run, resolve });
      this.next();
    });
  }

  /** Drops every waiting job (their promises resolve to undefined). */
  clear(): void {
    for (const line of [this.waiting, this.background]) {
      for (const w of line.values()) w.resolve(undefined);
      line.clear();
    }
  }

  private next(): void {
    if (this.running) return;
    const line = this.waiting.size ? this.waiting : this.background;
    const first = line.entries().next();
    if (first.done) return;
    const [key, job] = first.value;
    line.delete(key);
    this.running = true;
    const done = (value: T | undefined) => {
      this.running = false;
      job.resolve(value);
      this.next();
    };
    job.run().then(done, () => done(undefined));
  }
}
