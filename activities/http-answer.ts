/**
 * Reading an HTTP answer whole, within a size limit: the WeChat client, the token endpoints and
 * the token service all read bodies this way, so that a huge or endless body is a clear failure
 * instead of a worker that fills its memory or waits for the end of a stream that never ends.
 */
import fetch, { type RequestInit } from 'node-fetch';

/** The largest answer body read (1 MiB): WeChat's answers are a few kilobytes at most. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/** An answer read whole. */
export interface HttpAnswer {
  status: number;
  text: string;
}

/** Thrown by {@link fetchAnswer} when the body is larger than the limit. Never quotes the URL. */
export class AnswerTooLargeError extends Error {
  /** The limit that was passed, in bytes. */
  readonly maxBytes: number;
  /** The HTTP status of the oversize answer. */
  readonly httpStatus: number;
  constructor(maxBytes: number, httpStatus: number) {
    super(`the answer is larger than ${maxBytes} bytes`);
    this.name = 'AnswerTooLargeError';
    this.maxBytes = maxBytes;
    this.httpStatus = httpStatus;
  }
}

/**
 * Fetches `url` and reads the body as text, at most `maxBytes` of it.
 * @throws {@link AnswerTooLargeError} for a larger body; node-fetch's own errors otherwise
 * (their messages quote the URL: callers redact them).
 */
export async function fetchAnswer(url: string, init: RequestInit, maxBytes: number = MAX_ANSWER_BYTES): Promise<HttpAnswer> {
  const stop = new AbortController();
  const signal = init.signal ? AbortSignal.any([init.signal, stop.signal]) : stop.signal;
  let status = 0;
  try {
    const response = await fetch(url, { ...init, signal, size: maxBytes });
    status = response.status;
    return { status, text: await response.text() };
  } catch (error) {
    // node-fetch rejects at the limit but goes on reading the body to its end: close the
    // connection instead, so that an endless body costs nothing more.
    stop.abort();
    if (isMaxSizeError(error)) throw new AnswerTooLargeError(maxBytes, status);
    throw error;
  }
}

/** node-fetch's `FetchError` of type `max-size` (checked by shape: it may come from another copy of the module). */
function isMaxSizeError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { type?: unknown }).type === 'max-size';
}
