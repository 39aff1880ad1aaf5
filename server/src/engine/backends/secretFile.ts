// A value handed to a CLI that reads it only from a file named in its argv (`op item create --template
// FILE`): the file is created with O_CREAT|O_EXCL, mode 0600, in a fresh 0700 directory under the temp
// dir (mkdtemp), holds the payload only while the CLI runs, and is removed with its directory as soon as
// `use` settles, on success, failure, timeout or throw alike. The value never reaches argv.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The file's name inside its private directory (the directory's random part makes the path unique). */
const FILE_NAME = 'value';

/**
 * Write `content` to a new 0600 file, run `use(path)`, then remove the file and its directory.
 * The write itself failing (disk full, no temp dir) also removes whatever was created.
 */
export async function withSecretFile<T>(content: string, use: (file: string) => Promise<T>): Promise<T> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ocs-store-'));
  const file = path.join(dir, FILE_NAME);
  try {
    await fs.promises.chmod(dir, 0o700);
    const handle = await fs.promises.open(
      file,
      fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0),
      0o600,
    );
    try {
      // The mode given to open is filtered by the umask, which can only remove bits: 0600 or less.
      await handle.writeFile(content, 'utf8');
    } finally {
      await handle.close();
    }
    return await use(file);
  } finally {
    await fs.promises.rm(file, { force: true });
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}
