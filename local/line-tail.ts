/**
 * Keeps the last `capacity` lines written to it, so that a failure can show what a child
 * process printed just before it went wrong without holding its whole output in memory.
 */
export class LineTail {
  private readonly buffer: string[] = [];

  /** @param capacity how many of the most recent lines to keep */
  constructor(readonly capacity: number) {}

  /** Appends one line (without its newline), dropping the oldest if full. */
  push(line: string): void {
    this.buffer.push(line);
    if (this.buffer.length > this.capacity) this.buffer.shift();
  }

  /** The last `count` lines kept (all of them by default), oldest first. */
  lines(count = this.capacity): string[] {
    return this.buffer.slice(-count);
  }

  /** The last `count` lines as one indented block, for an error message. */
  format(count = this.capacity): string {
    const lines = this.lines(count);
    return lines.length === 0 ? '  (no output)' : lines.map((line) => `  ${line}`).join('\n');
  }
}
