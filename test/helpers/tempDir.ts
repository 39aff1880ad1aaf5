// Temp-dir fixtures removed when the test ends (t.after), so no test needs its own try/finally.
import { mkdtempSync, realpathSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { TestContext } from 'node:test';

export interface Fixture {
  dir: string;
  file(name: string): string;
  /** write a file (mode 0600 unless said otherwise) and return its path */
  write(name: string, content: string, mode?: number): string;
}

export function tempFixture(t: TestContext, prefix = 'ocs-test-'): Fixture {
  // realpath: /tmp may be a symlink, and providers refuse symlinked paths.
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string) => path.join(dir, name);
  return {
    dir,
    file,
    write(name, content, mode = 0o600) {
      const p = file(name);
      writeFileSync(p, content);
      chmodSync(p, mode);
      return p;
    },
  };
}
