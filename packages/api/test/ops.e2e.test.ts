/**
 * The systemd units of ops/ pass `systemd-analyze verify` and keep their hardening. Skipped
 * loudly where systemd-analyze is missing. `bun` is resolved to this machine's binary for the
 * check, since systemd looks executables up in its own fixed path.
 */
import { describe, expect, test } from 'bun:test';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './helpers.ts';

/** The SQLite deployment's units, and the PostgreSQL deployment's (the API as a template, one instance per port). */
const SQLITE_UNITS = ['lmdash-daemon.service', 'lmdash-api.service'];
const POSTGRES_UNITS = ['postgres/lmdash-daemon.service', 'postgres/lmdash-api@.service'];
const UNITS = [...SQLITE_UNITS, ...POSTGRES_UNITS];
const analyze = Bun.which('systemd-analyze');
if (!analyze) console.warn('\n!!! systemd-analyze not found: the systemd unit verification is SKIPPED.\n');

describe('ops/ systemd units', () => {
  test('hardened: strict read-only system, writes to the database folder only, no new privileges, a dedicated user', () => {
    for (const unit of UNITS) {
      const text = readFileSync(join(REPO_ROOT, 'ops', unit), 'utf8');
      for (const line of ['User=lmdash', 'NoNewPrivileges=yes', 'ProtectSystem=strict', 'ReadWritePaths=/var/lib/lmdash', 'ProtectHome=yes', 'PrivateTmp=yes', 'CapabilityBoundingSet=']) {
        expect({ unit, has: text.split('\n').includes(line) ? line : null }).toEqual({ unit, has: line });
      }
      expect(text.match(/^ReadWritePaths=.*$/gm)).toEqual(['ReadWritePaths=/var/lib/lmdash']);
      if (SQLITE_UNITS.includes(unit)) expect(text).toContain('--db /var/lib/lmdash/lmdash.sqlite');
      // On PostgreSQL the database is LMDASH_DATABASE_URL from the env file: no file named.
      else expect({ unit, db: text.includes('--db') }).toEqual({ unit, db: false });
    }
  });

  test.skipIf(!analyze)('systemd-analyze verify accepts them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lmdash-ops-'));
    try {
      const bun = Bun.which('bun') ?? process.execPath;
      // A template is verified as one of its instances; each deployment in its own folder (same names).
      const paths = UNITS.map((unit) => {
        const sub = join(dir, unit.includes('/') ? unit.split('/')[0]! : 'sqlite');
        mkdirSync(sub, { recursive: true });
        const p = join(sub, unit.split('/').at(-1)!.replace('@.service', '@8447.service'));
        writeFileSync(p, readFileSync(join(REPO_ROOT, 'ops', unit), 'utf8').replace(/^(ExecStart(?:Pre)?)=bun /gm, `$1=${bun} `));
        return p;
      });
      const r = Bun.spawnSync([analyze!, 'verify', ...paths], { stdout: 'pipe', stderr: 'pipe' });
      expect({ code: r.exitCode, out: (r.stdout.toString() + r.stderr.toString()).trim() }).toEqual({ code: 0, out: '' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
