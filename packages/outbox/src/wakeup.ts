/**
 * A wake-up call that is never lost: a notify() that arrives while nobody waits makes
 * the next wait() return at once.
 */
export class Wakeup {
  private pending = false;
  private waiter: (() => void) | undefined;

  /** Wakes the current or the next waiter. */
  notify(): void {
    this.pending = true;
    this.waiter?.();
  }

  /** Resolves on notify() or after `ms`, whichever comes first. */
  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiter = undefined;
        this.pending = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiter = done;
    });
  }
}
