/**
 * Names the PostgreSQL adapter shares with other processes: the notification channel every
 * version bump is announced on, and the advisory lock keys.
 * @module
 */

/**
 * `pg_notify` channel of every `meta.version` bump, sent in the bumping transaction (so it is
 * delivered at commit, never for a rolled-back change). Payload: `{"epoch":E,"version":V}`.
 * @example LISTEN lmdash_version
 */
export const VERSION_CHANNEL = 'lmdash_version';

/** `pg_try_advisory_lock` key of the single-writer claim (the daemon's), held by a session until it ends. */
export const WRITER_LOCK_KEY = 0x6c6d_6401; // 'lmd' 1
/** `pg_advisory_lock` key held while a process applies the migrations, so two first opens do not race. */
export const MIGRATION_LOCK_KEY = 0x6c6d_6402; // 'lmd' 2

/** The notification payload of a version bump. */
export type VersionNotice = { epoch: number; version: number };
