/**
 * The one place that pins which Temporal CLI this project builds and caches. Bump the version
 * here; the cache directory name follows it, so an old binary is never reused by mistake.
 */
export const TEMPORAL_CLI_PIN = {
  /** Release of `github.com/temporalio/cli` to build, without the leading `v`. */
  version: '1.5.1',
  /** The Go module that holds the CLI. */
  module: 'github.com/temporalio/cli',
  /** The `main` package inside {@link TEMPORAL_CLI_PIN.module}. */
  mainPackage: 'github.com/temporalio/cli/cmd/temporal',
  /**
   * The Go variable that `temporal --version` prints. Releases set it with
   * `-ldflags -X` (see the module's `.goreleaser.yml`); without it a source build calls itself
   * `0.0.0-DEV` and the server reports that as its client version.
   */
  versionVariable: 'github.com/temporalio/cli/temporalcli.Version',
} as const;
