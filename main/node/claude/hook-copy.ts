// The AppImage's hook: its one-file bundle copied from the temporary mount into the user's
// private data dir, where nobody else can plant a file, and verified by checksum every start.
import { createHash } from 'node:crypto';
import { lstat, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InvalidInputError, errorMessage } from '../../common/base/errors.js';
import { writeFileDurable } from '../base/durable-file.js';
import { readRegularFile } from '../base/safe-read.js';

/** The hook bundle is ~20 KB; anything far bigger is not it. */
const MAX_HOOK_BYTES = 8 * 1024 * 1024;

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** A directory of ours: not a symlink, not writable by group or others. */
async function assertPrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const st = await lstat(dir);
  if (!st.isDirectory())
    throw new InvalidInputError(
      `${dir} is ${st.isSymbolicLink() ? 'a symbolic link' : 'not a directory'}: the Claude hook is not copied there`,
    );
  if ((st.mode & 0o022) !== 0)
    throw new InvalidInputError(
      `${dir} is writable by group or others (mode ${(st.mode & 0o777).toString(8)}): the Claude hook is not copied there; run: chmod 700 ${JSON.stringify(dir)}`,
    );
  if (typeof process.getuid === 'function' && st.uid !== process.getuid())
    throw new InvalidInputError(`${dir} belongs to another user (uid ${st.uid}): the Claude hook is not copied there`);
}

/**
 * Makes `target` a byte-identical, private (0600) copy of `source` and returns its sha256. An
 * identical copy is left alone; anything else there (older version, tampered, a symlink) is
 * replaced atomically, then read back and checked.
 */
export async function installHookCopy(source: string, target: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(source, MAX_HOOK_BYTES);
  } catch (err) {
    throw new InvalidInputError(`the bundled Claude hook ${source} cannot be read: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  const want = sha256(bytes);
  await assertPrivateDir(dirname(target));
  const have = await readRegularFile(target, MAX_HOOK_BYTES).then(sha256, () => null);
  const mode = await lstat(target).then(
    (s) => s.mode & 0o777,
    () => null,
  );
  if (have !== want || mode !== 0o600) await writeFileDurable(target, bytes, undefined, 0o600);
  const back = sha256(await readRegularFile(target, MAX_HOOK_BYTES));
  if (back !== want)
    throw new InvalidInputError(`the Claude hook copy ${target} does not match ${source} (sha256 ${back} ≠ ${want})`);
  return want;
}
