// A throwaway password-store for one e2e run: its own GnuPG home with a passphrase-less ed25519 key (made in
// well under a second, unlike RSA) and `pass init` on that key. Debian's gnupg and pass, nothing else.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const GPG = '/usr/bin/gpg';
const GPGCONF = '/usr/bin/gpgconf';
const PASS = '/usr/bin/pass';

function missingPassTools() {
  return [GPG, GPGCONF, PASS].filter((tool) => !fs.existsSync(tool));
}

/**
 * Creates DIR/gnupg and DIR/password-store. gpg-agent puts its sockets in the GnuPG home when /run/user/UID is
 * absent, and a socket path is capped at 107 bytes: keep DIR short.
 */
function createPassStore(dir) {
  const gnupgHome = path.join(dir, 'gnupg');
  const storeDir = path.join(dir, 'password-store');
  fs.mkdirSync(gnupgHome, { recursive: true, mode: 0o700 });
  const env = { PATH: '/usr/bin:/bin', HOME: dir, GNUPGHOME: gnupgHome, PASSWORD_STORE_DIR: storeDir };
  const run = (file, args, input) =>
    execFileSync(file, args, { env, input, stdio: ['pipe', 'pipe', 'pipe'], timeout: 30_000 }).toString('utf8');
  run(GPG, [
    '--batch',
    '--quiet',
    '--passphrase',
    '',
    '--quick-gen-key',
    'OpenClaw e2e <e2e@openclaw.invalid>',
    'future-default',
    'default',
    'never',
  ]);
  const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(run(GPG, ['--batch', '--list-keys', '--with-colons']))?.[1];
  if (!fingerprint) throw new Error('gpg made no key');
  run(PASS, ['init', fingerprint]);
  return {
    gnupgHome,
    storeDir,
    fingerprint,
    /** The env a process needs to read this store (what the code-server process and the oracle get). */
    env: { GNUPGHOME: gnupgHome, PASSWORD_STORE_DIR: storeDir },
    /** Entry names (paths under the store without .gpg). */
    entries() {
      const found = [];
      const walk = (d, prefix) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
          if (e.name.startsWith('.')) continue;
          if (e.isDirectory()) walk(path.join(d, e.name), `${prefix}${e.name}/`);
          else if (e.isFile() && e.name.endsWith('.gpg')) found.push(prefix + e.name.slice(0, -4));
        }
      };
      if (fs.existsSync(storeDir)) walk(storeDir, '');
      return found.sort();
    },
    /** `pass show NAME`, the way a person reads the value back. */
    show(name) {
      return run(PASS, ['show', name]);
    },
    /** Stops the gpg-agent this store started (every child process we start is gone when we answer). */
    stop() {
      try {
        run(GPGCONF, ['--kill', 'gpg-agent']);
      } catch {
        /* no agent running */
      }
    },
  };
}

module.exports = { createPassStore, missingPassTools };
