/** Builds the pinned Temporal CLI from its Go module (the one route this project has to it). */
import { basename, dirname } from 'node:path';
import { goInstall } from './go-install';
import { TEMPORAL_CLI_PIN } from './temporal-cli-pin';

export { GOPROXY_HINT } from './go-install';

/** Options for {@link buildTemporalCli}. */
export interface BuildTemporalCliOptions {
  /** Where the binary ends up. Its directory is created; the binary appears there whole or not at all. */
  destination: string;
  /** Receives what the build is doing: a start line, progress every 10 s, the time it took. */
  log: (line: string) => void;
  /** How often to report progress. @default 10 seconds */
  progressIntervalMs?: number;
}

const GO_MISSING_MESSAGE =
  'The Temporal CLI was not found and Go is not installed to build it: install Go 1.25 or newer ' +
  '(https://go.dev/dl/; an older Go 1.21+ fetches the toolchain it needs through GOPROXY), ' +
  'put a temporal binary on PATH, or set TEMPORAL_CLI_PATH to one.';

/**
 * Builds the pinned Temporal CLI ({@link TEMPORAL_CLI_PIN}) from source with `go install` and
 * moves it to `destination` (see {@link goInstall}: atomic, with progress).
 *
 * @throws {@link SetupError} when Go is missing or the build fails (with Go's last lines of output)
 */
export async function buildTemporalCli(options: BuildTemporalCliOptions): Promise<void> {
  const { version, mainPackage, versionVariable } = TEMPORAL_CLI_PIN;
  await goInstall({
    what: `the Temporal CLI v${version}`,
    // -s -w (no symbol table or DWARF) as in the upstream release build: 40 MB less of a 250 MB
    // binary, and panics still name their functions.
    args: ['-ldflags', `-s -w -X ${versionVariable}=${version}`, `${mainPackage}@v${version}`],
    targetDir: dirname(options.destination),
    programs: { temporal: basename(options.destination) },
    goMissingMessage: GO_MISSING_MESSAGE,
    log: options.log,
    ...(options.progressIntervalMs !== undefined && { progressIntervalMs: options.progressIntervalMs }),
  });
}
