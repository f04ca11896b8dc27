/** The `<oa> <mp> [--unlink]` that most commands take, and what they name. */
import { linkWorkflowId, unlinkWorkflowId } from '../../workflows/contract';
import { checkAppId, inputObject, requiredField } from '../../workflows/support/input-fields';
import { InputValidationError } from '../../workflows/support/validate-input';
import type { PairKind } from '../link-client';
import { inputCliError } from './cli-error';

/** One official account / mini program pair, and which of its workflows a command is about. */
export interface Pair {
  officialAccountAppId: string;
  miniProgramAppId: string;
  kind: PairKind;
}

/**
 * The pair from a command's arguments; `--unlink` picks the unlink workflow. The appids are
 * checked here, before any connection: a typo is a usage error naming `<oa>` or `<mp>`, not a
 * "no workflow" after a round trip (and an appid with a `/` would name another workflow id).
 * @throws {@link CliError} (usage) naming the argument.
 */
export function pairOf(officialAccountAppId: string, miniProgramAppId: string, options: { unlink?: boolean }): Pair {
  try {
    const args = inputObject({ officialAccountAppId, miniProgramAppId }, 'arguments');
    requiredField(args, 'officialAccountAppId', checkAppId);
    requiredField(args, 'miniProgramAppId', checkAppId);
  } catch (error) {
    throw error instanceof InputValidationError ? inputCliError(error) : error;
  }
  return { officialAccountAppId, miniProgramAppId, kind: options.unlink === true ? 'unlink' : 'link' };
}

/** The pair's default workflow id, as the client library starts it. */
export function pairWorkflowId(pair: Pair): string {
  return pair.kind === 'link'
    ? linkWorkflowId(pair.officialAccountAppId, pair.miniProgramAppId)
    : unlinkWorkflowId(pair.officialAccountAppId, pair.miniProgramAppId);
}
