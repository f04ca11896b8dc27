#!/usr/bin/env node
// Runs before `npm start` and `npm test` so that both work on a fresh clone: installs the locked
// dependencies (`npm ci`) when node_modules is missing or older than the lockfile. Plain
// CommonJS with no dependencies, because it runs before there are any.
'use strict';
const { existsSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
const marker = join(root, 'node_modules', '.package-lock.json');
const lockfile = join(root, 'package-lock.json');

const stale = !existsSync(marker) || statSync(marker).mtimeMs < statSync(lockfile).mtimeMs;
if (stale) {
  console.error('wxamp-link: installing dependencies (npm ci)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('wxamp-link: `npm ci` failed; fix the error above and run the command again.');
    process.exit(result.status ?? 1);
  }
}
