// The one error the simulator's model throws when asked something that does not apply, so that
// the control API can answer `400 {error: "<field>: <what is wrong>"}` and tests see the same text.

/** A request to the simulator that cannot be carried out; `message` is `"<field>: <problem>"`. */
export class SimulatorError extends Error {
  /** The input field at fault (`accountAppId`, `steps[1].then`, `action`, …). */
  readonly field: string;
  /** What is wrong with it, without the field name. */
  readonly problem: string;

  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.name = 'SimulatorError';
    this.field = field;
    this.problem = problem;
  }
}

/** Type guard for {@link SimulatorError} that also works across realms (jest module registries). */
export function isSimulatorError(err: unknown): err is SimulatorError {
  return err instanceof SimulatorError || (err instanceof Error && err.name === 'SimulatorError' && 'field' in err);
}

/** Throws a {@link SimulatorError} unless `value` is a non-negative integer. */
export function requireCount(field: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
    throw new SimulatorError(field, `must be a non-negative integer, got ${String(value)}`);
  }
}

/** Throws a {@link SimulatorError} unless `value` is a finite number of milliseconds ≥ 0. */
export function requireMs(field: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
    throw new SimulatorError(field, `must be a number of milliseconds >= 0, got ${String(value)}`);
  }
}

/** Throws a {@link SimulatorError} unless `value` is a non-empty string. */
export function requireId(field: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value === '') {
    throw new SimulatorError(field, 'must be a non-empty string');
  }
}
