/** The `<oa> <mp> [--unlink]` that most commands take, and what they name. */
import { linkWorkflowId, unlinkWorkflowId } from '../../workflows/contract';
import type { PairKind } from '../link-client';

/** One official account / mini program pair, and which of its workflows a command is about. */
export interface Pair {
  officialAccountAppId: string;
  miniProgramAppId: string;
  kind: PairKind;
}

/** The pair from a command's arguments; `--unlink` picks the unlink workflow. */
export function pairOf(officialAccountAppId: string, miniProgramAppId: string, options: { unlink?: boolean }): Pair {
  return { officialAccountAppId, miniProgramAppId, kind: options.unlink === true ? 'unlink' : 'link' };
}

/** The pair's default workflow id, as the client library starts it. */
export function pairWorkflowId(pair: Pair): string {
  return pair.kind === 'link'
    ? linkWorkflowId(pair.officialAccountAppId, pair.miniProgramAppId)
    : unlinkWorkflowId(pair.officialAccountAppId, pair.miniProgramAppId);
}
