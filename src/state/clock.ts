/**
 * The one clock of the emulator. Every lifecycle state, expiry and timestamp is derived from it, so tests drive
 * a ManualClock and never sleep.
 */
export interface Clock {
  now(): Date;
}

export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that moves only when told to. */
export class ManualClock implements Clock {
  #ms: number;

  constructor(start: Date | string | number = "2026-01-01T00:00:00.000Z") {
    this.#ms = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.#ms);
  }

  advance(ms: number): void {
    this.#ms += ms;
  }

  advanceSeconds(seconds: number): void {
    this.advance(seconds * 1000);
  }

  set(time: Date | string | number): void {
    this.#ms = new Date(time).getTime();
  }
}
