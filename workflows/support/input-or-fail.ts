/** Turning an input validation error into the workflow failure DESIGN fixes. */
import { ApplicationFailure } from '@temporalio/workflow';
import { INVALID_INPUT_FAILURE_TYPE } from '../contract';
import { InputValidationError } from './validate-input';

/**
 * The normalized input, or a non-retryable `InvalidInput` failure whose message names the field.
 * Called before anything else, so an invalid input calls no API.
 */
export function inputOrFail<T>(normalize: (input: unknown) => T, rawInput: unknown): T {
  try {
    return normalize(rawInput);
  } catch (error) {
    if (error instanceof InputValidationError) throw invalidInputFailure(error);
    throw error;
  }
}

/** The non-retryable `InvalidInput` failure for `error`: its message names the field, and its details carry it. */
export function invalidInputFailure(error: InputValidationError): ApplicationFailure {
  return ApplicationFailure.create({
    type: INVALID_INPUT_FAILURE_TYPE,
    message: `Invalid input: ${error.message}`,
    nonRetryable: true,
    details: [{ field: error.field }],
  });
}
