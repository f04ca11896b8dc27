/** The worker's one configuration error. */

/** A configuration error; the message names the variable and never quotes its value. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
