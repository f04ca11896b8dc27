/**
 * The one place that pins the Temporal server of the production-local stack: the version the
 * pinned CLI (v1.5.1) embeds as its dev server, so that both stacks run the same server code and
 * differ only in what a production cluster changes (persistence, visibility, registration).
 */
export const TEMPORAL_SERVER_PIN = {
  /** Release of `go.temporal.io/server`, without the leading `v`. */
  version: '1.29.1',
  module: 'go.temporal.io/server',
  /** The server and its SQL schema tool; `go install` names each after its package's last element. */
  packages: { server: 'go.temporal.io/server/cmd/server', sql: 'go.temporal.io/server/cmd/tools/sql' },
  /** The module's PostgreSQL schema, relative to the module's root. */
  postgresSchemaDir: 'schema/postgresql/v12',
} as const;
