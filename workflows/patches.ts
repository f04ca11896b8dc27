/**
 * Every `patched()` id of the workflows, in one place: what each guards, which recorded histories
 * (test/fixtures/histories/) replay each branch, and when it can go. Every `patched(...)` call
 * imports its id from here (test/unit/patches.test.ts checks both).
 *
 * Removing a patch, for every id below: once no run recorded before it can still be open — the
 * longest `timeout` a starter passes (7 days by default) plus the namespace's retention after the
 * release that added it — replace `patched(ID)` with `deprecatePatch(ID)` and keep only the new
 * branch; one release later, remove the call. Retire the fixtures that replay only the old branch
 * in the same change (see docs/deployment.md, "Upgrading safely"). A run that continues as new
 * starts its next run on the new branch, so only the longest single run counts.
 *
 * Fixture generations (names below without `.json`): files without a prefix were recorded before
 * all of these patches, `watch-` files after {@link ACCOUNT_WATCH_PATCH},
 * {@link CONFIRM_ABSENCE_PATCH} and {@link LOCAL_CONFLICT_CHECK_PATCH}, `policy-` files after the
 * ones up to {@link CAMPAIGN_REPORT_PATCH}, `join-` files after those up to
 * {@link JOIN_WITH_SEND_PATCH}, `quiet-` files after {@link QUIET_FIRST_ANSWER_PATCH}, `probe-` files after all.
 */

/**
 * Links and unlinks that reach their first wait take the account watcher's answers instead of
 * polling themselves; histories without the marker keep polling on their own.
 *
 * Fixtures with the marker: `watch-link-*`, `watch-unlink-unlinked`, `policy-link-*`,
 * `policy-unlink-unlinked`; without: `link-*`, `unlink-unlinked`. When it goes, the links' own
 * poll loop in pair/pair-workflow.ts goes with it.
 */
export const ACCOUNT_WATCH_PATCH = 'account-watch-v1';

/**
 * A link ends `expired` (an unlink `unlinked`) only after two answers in a row without its entry;
 * older histories ended on one empty or truncated answer.
 *
 * Fixtures with the marker: `watch-link-expired`, `watch-unlink-unlinked`, `policy-link-expired`,
 * `policy-unlink-unlinked`; without: `link-expired`, `unlink-unlinked`.
 */
export const CONFIRM_ABSENCE_PATCH = 'confirm-absence-v1';

/**
 * The check for a running link or unlink of the same pair is a local activity (one workflow task
 * and three events fewer on the way to `waiting`); older histories replay the ordinary activity.
 *
 * Fixtures with the marker: `watch-link-*`, `watch-unlink-unlinked`; without: `link-*`,
 * `unlink-unlinked`. Runs with {@link PAIR_OPERATOR_POLICY_PATCH} no longer reach this check
 * (their `policy-` fixtures carry neither branch), so the two can be deprecated together.
 */
export const LOCAL_CONFLICT_CHECK_PATCH = 'local-conflict-check-v1';

/**
 * Links and unlinks read the operator's policy (`WXAMP_MIN_POLL_INTERVAL`,
 * `WXAMP_ACCOUNT_REFUSAL_*`) with the conflict check, in one local activity, before their first
 * WeChat call; older runs keep their starter's intervals.
 *
 * Fixtures with the marker: `policy-link-*` (but `policy-link-continue-as-new`, a later run),
 * `policy-unlink-unlinked`; without: `watch-link-*`, `watch-unlink-unlinked`, `link-*`.
 */
export const PAIR_OPERATOR_POLICY_PATCH = 'operator-policy-v1';

/**
 * The account watcher reads the operator's policy before its first poll; older watcher runs poll
 * at their waiters' intervals. A watcher continues as new every 500 events at most, so this one
 * can be deprecated soonest: one release after it, no watcher run predates it.
 *
 * Fixtures with the marker: `policy-account-watcher`; without: `watch-account-watcher`.
 */
export const WATCH_OPERATOR_POLICY_PATCH = 'watch-operator-policy-v1';

/**
 * After a `wxamplink` that may have reached WeChat unanswered, the link reads `wxamplinkget`
 * before sending again; older histories resent at once.
 *
 * Fixtures with the marker: `policy-link-*` (the lost send: `policy-link-lost-send-answer`);
 * without: `watch-link-*`, `link-*`.
 */
export const LOOK_BEFORE_RESEND_PATCH = 'look-before-resend-v1';

/**
 * A link that learned its username by elimination tells its account's watcher, so that the other
 * waiters stop counting that entry as theirs; older histories do not send the claim.
 *
 * Fixtures with the marker: `policy-link-linked-by-snapshot-diff`; without:
 * `watch-link-linked-by-snapshot-diff`.
 */
export const ENTRY_CLAIMS_PATCH = 'entry-claims-v1';

/**
 * A link started by a campaign (its input carries `campaignId`) reports its ending, and a 45011 or
 * 45009 on its send, to the campaign. Only such links record the marker; links without a campaign
 * never call it.
 *
 * Fixtures with the marker: `policy-link-in-campaign`; every other link fixture has no campaign.
 */
export const CAMPAIGN_REPORT_PATCH = 'campaign-report-v1';

/**
 * A campaign reads the operator's policy (a local activity) when it ends, to post
 * `campaign.finished` to the webhook receivers; one started with `notifyUrl` reads it first, too, to
 * check the URL before starting any link. Campaigns recorded before webhooks end without the read.
 *
 * Fixtures with the marker: `webhook-campaign`.
 */
export const CAMPAIGN_WEBHOOK_PATCH = 'campaign-webhook-v1';

/**
 * A link's send activity joins the account's watcher (a signal-with-start beside `wxamplink`), so
 * the link reaches `waiting` in two workflow tasks fewer; older histories join from the workflow
 * at the first wait (a signal, then a child start when no watcher ran). Decided in a run's first
 * activation, with {@link ACCOUNT_WATCH_PATCH} beside it.
 *
 * Fixtures with the marker: `join-link-*`; without: `policy-link-*`, `watch-link-*`, `link-*`.
 */
export const JOIN_WITH_SEND_PATCH = 'join-with-send-v1';

/**
 * A watcher's first answer is not followed by a second one to every waiter (it confirms nothing
 * anyone saw): only waiters whose entry was listed before and is missing now get the next answer
 * (workflows/watch/first-answer.ts). Older watcher runs send the next answer to all. A watcher
 * continues as new every 500 events at most, so this can be deprecated one release after it.
 *
 * Fixtures with the marker: `quiet-account-watcher`, `probe-account-watcher`,
 * `probe-account-watcher-probe`; without: `join-account-watcher`, `policy-account-watcher`,
 * `watch-account-watcher`.
 */
export const QUIET_FIRST_ANSWER_PATCH = 'quiet-first-answer-v1';

/**
 * A watcher sends the next answer to waiters it has not heard from (no join, no answer taken) for
 * 1.5 watchdog periods, so that a terminated waiter's signal fails and the watcher drops it
 * (workflows/watch/silent-waiters.ts). Older watcher runs answer only the waiters owed an answer.
 * Marked only at the first poll that finds a silent waiter.
 *
 * Fixtures with the marker: `probe-account-watcher-probe`; without: `probe-account-watcher`,
 * `quiet-account-watcher` and older watcher fixtures.
 */
export const PROBE_SILENT_WAITERS_PATCH = 'probe-silent-waiters-v1';

/** Every patch id above, for the test that checks each is used and replayed. */
export const PATCH_IDS = [
  ACCOUNT_WATCH_PATCH,
  CONFIRM_ABSENCE_PATCH,
  LOCAL_CONFLICT_CHECK_PATCH,
  PAIR_OPERATOR_POLICY_PATCH,
  WATCH_OPERATOR_POLICY_PATCH,
  LOOK_BEFORE_RESEND_PATCH,
  ENTRY_CLAIMS_PATCH,
  CAMPAIGN_REPORT_PATCH,
  CAMPAIGN_WEBHOOK_PATCH,
  JOIN_WITH_SEND_PATCH,
  QUIET_FIRST_ANSWER_PATCH,
  PROBE_SILENT_WAITERS_PATCH,
] as const;
