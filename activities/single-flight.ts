/**
 * One call in flight per key: callers that ask while a call for the same key runs share its
 * result. Used so that many link workflows of one account share one `wxamplinkget`, and many
 * activities share one token fetch.
 */
export class SingleFlight<V> {
  private readonly inFlight = new Map<string, Promise<V>>();

  /** Runs `fn` for `key` unless a call for `key` is already running, whose promise is returned. */
  run(key: string, fn: () => Promise<V>): Promise<V> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const call = fn().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, call);
    return call;
  }

  /** How many keys have a call in flight. */
  get size(): number {
    return this.inFlight.size;
  }
}
