// The record of every request made to the WeChat side, which tests assert on ("exactly one
// wxamplink was sent"). Tokens are masked before anything is stored, so no later reader can leak one.
import { type CallCounts, type CallEndpoint, type CallFilter, type CallRecord } from './sim-types';

/** The most records kept; older ones are dropped so that a long-running standalone simulator stays small. */
export const MAX_CALL_RECORDS = 10_000;

/**
 * `url` with the value of every `access_token` (and `component_access_token`,
 * `authorizer_access_token`) query parameter replaced by `***`
 * (`/cgi-bin/wxopen/wxamplinkget?access_token=***`).
 */
export function maskAccessToken(url: string): string {
  return url.replace(/([?&;](?:component_|authorizer_)?access_token=)[^&#]*/gi, '$1***');
}

/** What is known about a call when it arrives; `url` is the raw path and query, masked on the way in. */
export type CallStart = Omit<CallRecord, 'seq' | 'at' | 'httpStatus' | 'errcode' | 'faulted' | 'maskedUrl'> & { url: string };

/** Calls in order of arrival, each completed once its answer is known. */
export class CallLog {
  private records: CallRecord[] = [];
  private nextSeq = 1;

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Records a call as it arrives, so that a call whose answer is still being delayed already
   * counts; {@link CallLog.finish} fills in the answer.
   */
  begin(start: CallStart): CallRecord {
    const record: CallRecord = {
      seq: this.nextSeq++,
      at: new Date(this.now()).toISOString(),
      method: start.method,
      endpoint: start.endpoint,
      accountAppId: start.accountAppId,
      miniProgramAppId: start.miniProgramAppId,
      body: start.body,
      httpStatus: null,
      errcode: null,
      maskedUrl: maskAccessToken(start.url),
      faulted: false,
    };
    this.records.push(record);
    if (this.records.length > MAX_CALL_RECORDS) this.records.shift();
    return record;
  }

  /** Completes a record with its answer. */
  finish(record: CallRecord, answer: { httpStatus: number; errcode: number | null; faulted: boolean }): void {
    record.httpStatus = answer.httpStatus;
    record.errcode = answer.errcode;
    record.faulted = answer.faulted;
  }

  /** Copies of the records that match `filter`, oldest first. */
  list(filter: CallFilter = {}): CallRecord[] {
    return this.records.filter((r) => matches(r, filter)).map((r) => structuredClone(r));
  }

  /** How many records match `filter`. */
  count(filter: CallFilter = {}): number {
    return this.records.reduce((n, r) => (matches(r, filter) ? n + 1 : n), 0);
  }

  /** Totals per endpoint. */
  counts(): CallCounts {
    const counts: CallCounts = {
      wxamplinkget: 0,
      wxamplink: 0,
      wxampunlink: 0,
      stable_token: 0,
      api_component_token: 0,
      api_authorizer_token: 0,
      other: 0,
      total: 0,
    };
    for (const r of this.records) {
      counts[r.endpoint satisfies CallEndpoint] += 1;
      counts.total += 1;
    }
    return counts;
  }

  /** Forgets every record and starts numbering at 1 again. */
  clear(): void {
    this.records = [];
    this.nextSeq = 1;
  }
}

function matches(record: CallRecord, filter: CallFilter): boolean {
  return (
    (filter.endpoint === undefined || record.endpoint === filter.endpoint) &&
    (filter.accountAppId === undefined || record.accountAppId === filter.accountAppId) &&
    (filter.miniProgramAppId === undefined || record.miniProgramAppId === filter.miniProgramAppId)
  );
}
