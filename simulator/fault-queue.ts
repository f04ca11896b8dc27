// Injected faults: a FIFO of one-or-more-shot rules. The queue only decides which fault a call
// meets; what the fault's answer looks like on the wire is the WeChat endpoints' business.
import { type FaultSnapshot, type FaultSpec, WeChatEndpoint } from './sim-types';
import { SimulatorError, requireCount, requireMs } from './simulator-error';
import { TokenEndpoint } from './token-types';

/** What a call is, as far as fault filters are concerned. */
export interface FaultTarget {
  endpoint: WeChatEndpoint | TokenEndpoint;
  accountAppId: string;
  miniProgramAppId: string | null;
}

/** The largest oversize body a fault may ask for: enough to pass any client's limit, not to exhaust the test machine. */
export const MAX_OVERSIZE_BYTES = 64 * 1024 * 1024;

const LINK_ENDPOINTS: readonly string[] = Object.values(WeChatEndpoint);
const ENDPOINTS: readonly string[] = [...LINK_ENDPOINTS, ...Object.values(TokenEndpoint)];

/**
 * Checks a fault spec and fills in its defaults. A spec with no effect at all means the most
 * common fault, WeChat's `-1 system error`, rather than a fault that silently does nothing.
 */
export function normalizeFault(spec: FaultSpec): FaultSpec & { times: number } {
  if (spec.endpoint !== undefined && !ENDPOINTS.includes(spec.endpoint)) {
    throw new SimulatorError('endpoint', `must be one of ${ENDPOINTS.join(', ')}`);
  }
  requireCount('times', spec.times);
  if (spec.times === 0) throw new SimulatorError('times', 'must be at least 1');
  requireMs('delayMs', spec.delayMs);
  if (spec.errcode !== undefined && !Number.isInteger(spec.errcode)) throw new SimulatorError('errcode', 'must be an integer');
  if (spec.httpStatus !== undefined && !(Number.isInteger(spec.httpStatus) && spec.httpStatus >= 200 && spec.httpStatus <= 599)) {
    throw new SimulatorError('httpStatus', 'must be an integer from 200 to 599');
  }
  if (spec.rawBody !== undefined && spec.errcode !== undefined) {
    throw new SimulatorError('rawBody', 'cannot be combined with errcode (the body would be ambiguous)');
  }
  if (spec.oversizeBytes !== undefined) {
    if (!(Number.isInteger(spec.oversizeBytes) && spec.oversizeBytes >= 1 && spec.oversizeBytes <= MAX_OVERSIZE_BYTES)) {
      throw new SimulatorError('oversizeBytes', `must be an integer from 1 to ${MAX_OVERSIZE_BYTES}`);
    }
    if (spec.rawBody !== undefined || spec.errcode !== undefined) {
      throw new SimulatorError('oversizeBytes', 'cannot be combined with rawBody or errcode (the body would be ambiguous)');
    }
  }
  if (spec.errmsg !== undefined && spec.errcode === undefined) {
    throw new SimulatorError('errmsg', 'needs errcode');
  }
  const hasEffect = [spec.errcode, spec.httpStatus, spec.rawBody, spec.oversizeBytes, spec.delayMs].some((v) => v !== undefined);
  return { ...spec, times: spec.times ?? 1, ...(hasEffect ? {} : { errcode: -1 }) };
}

/** Faults in the order they were injected; the first that matches a call takes it. */
export class FaultQueue {
  private faults: FaultSnapshot[] = [];
  private nextId = 1;

  /** Adds a fault at the end of the queue and returns it with its id. */
  add(spec: FaultSpec): FaultSnapshot {
    const { times, ...rest } = normalizeFault(spec);
    const fault: FaultSnapshot = { ...rest, times, id: this.nextId++, remaining: times };
    this.faults.push(fault);
    return { ...fault };
  }

  /** The first fault that matches `target`, with one of its uses consumed; null when none matches. */
  take(target: FaultTarget): FaultSnapshot | null {
    const index = this.faults.findIndex((f) => matches(f, target));
    const fault = this.faults[index];
    if (fault === undefined) return null;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return { ...fault };
  }

  /** The faults not used up yet. */
  list(): FaultSnapshot[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** Removes every fault. */
  clear(): void {
    this.faults = [];
  }
}

function matches(fault: FaultSpec, target: FaultTarget): boolean {
  return (
    // A fault that names no endpoint was written for the link endpoints: token calls are spared.
    (fault.endpoint === undefined ? LINK_ENDPOINTS.includes(target.endpoint) : fault.endpoint === target.endpoint) &&
    (fault.accountAppId === undefined || fault.accountAppId === target.accountAppId) &&
    (fault.miniProgramAppId === undefined || fault.miniProgramAppId === target.miniProgramAppId)
  );
}
