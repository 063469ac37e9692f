// Playback of a scene's frames: play, pause, step, seek and speed. No DOM: the panel renders
// whatever frame this reports, so any frame can be reached directly (scrubbing backwards included).
export interface Timers {
  set(f: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const browserTimers: Timers = { set: (f, ms) => setTimeout(f, ms), clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) };

export const SPEEDS = [0.5, 1, 2, 4] as const;

export class Player {
  index = 0;
  frames = 0;
  playing = false;
  /** Steps per second. */
  speed = 1;
  private timer: unknown;

  constructor(private readonly onChange: () => void, private readonly timers: Timers = browserTimers) {}

  /** A new scene: keeps the position when it still exists (an edited value), else starts over. */
  load(frames: number, keep: boolean): void {
    this.frames = frames;
    this.index = keep ? Math.min(this.index, Math.max(frames - 1, 0)) : 0;
    if (frames === 0) this.pause();
    this.onChange();
  }

  play(): void {
    if (this.frames === 0) return;
    if (this.index >= this.frames - 1) this.index = 0;
    this.playing = true;
    this.schedule();
    this.onChange();
  }

  pause(): void {
    this.playing = false;
    this.timers.clear(this.timer);
    this.onChange();
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  /** Moves to a frame (clamped) and stops playback: a user who steps wants to look. */
  seek(i: number): void {
    this.index = Math.max(0, Math.min(this.frames - 1, Math.round(i)));
    if (this.playing) this.pause();
    else this.onChange();
  }

  step(delta: number): void {
    this.seek(this.index + delta);
  }

  setSpeed(s: number): void {
    this.speed = s;
    if (this.playing) this.schedule();
    this.onChange();
  }

  private schedule(): void {
    this.timers.clear(this.timer);
    this.timer = this.timers.set(() => {
      if (this.index >= this.frames - 1) {
        this.pause();
        return;
      }
      this.index++;
      this.onChange();
      this.schedule();
    }, 1000 / this.speed);
  }
}
