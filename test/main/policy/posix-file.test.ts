/** The Linux policy file's checks, on real files in a temporary folder (owner, mode, links, FIFOs). */
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readPosixPolicyFile } from '../../../main/policy/posix-file.ts';
import { MAX_POLICY_BYTES } from '../../../main/policy/schema.ts';

let root: string;
let folder: string;
let file: string;
const me = process.getuid!();
/** This user stands for root: the test makes the files it checks. */
const rules = { trustedUids: [me] };

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'joldama-policy-'));
  folder = path.join(root, 'joldama');
  file = path.join(folder, 'policy.json');
  await mkdir(folder, { mode: 0o755 });
  await chmod(folder, 0o755);
  await writeFile(file, '{"kiosk":false}', { mode: 0o644 });
  await chmod(file, 0o644);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const refusal = (why: RegExp) => expect.objectContaining({ code: 'POLICY_INSECURE', message: expect.stringMatching(why) });

describe('the policy file on Linux', () => {
  it('is read when its owner is trusted and only the owner may write it and its folder', async () => {
    expect(await readPosixPolicyFile(file, rules)).toBe('{"kiosk":false}');
  });

  it('is no policy when the folder or the file does not exist', async () => {
    expect(await readPosixPolicyFile(path.join(root, 'none', 'policy.json'), rules)).toBeNull();
    await rm(file);
    expect(await readPosixPolicyFile(file, rules)).toBeNull();
  });

  it.each([
    ['group-writable', 0o664],
    ['world-writable', 0o646],
  ])('refuses a %s file', async (_label, mode) => {
    await chmod(file, mode);
    await expect(readPosixPolicyFile(file, rules)).rejects.toThrow(refusal(/writable by its group or by everyone/));
  });

  it.each([
    ['group-writable', 0o775],
    ['world-writable', 0o757],
  ])('refuses a %s folder', async (_label, mode) => {
    await chmod(folder, mode);
    await expect(readPosixPolicyFile(file, rules)).rejects.toThrow(refusal(/its folder is writable/));
  });

  it('refuses a file or folder owned by an untrusted user', async () => {
    await expect(readPosixPolicyFile(file, { trustedUids: [me + 1] })).rejects.toThrow(refusal(/its folder is owned by uid/));
    if (me === 0) {
      // As root the test can hand the file itself to someone else.
      execFileSync('chown', ['1000', file]);
      await expect(readPosixPolicyFile(file, { trustedUids: [0] })).rejects.toThrow(refusal(/it is owned by uid 1000, not root/));
    }
  });

  it('refuses a symbolic link, even to a good file', async () => {
    const real = path.join(folder, 'real.json');
    await writeFile(real, '{}', { mode: 0o644 });
    await rm(file);
    await symlink(real, file);
    await expect(readPosixPolicyFile(file, rules)).rejects.toThrow(refusal(/symbolic link/));
  });

  it('refuses a folder that is a symbolic link', async () => {
    const linked = path.join(root, 'linked');
    await symlink(folder, linked);
    await expect(readPosixPolicyFile(path.join(linked, 'policy.json'), rules)).rejects.toThrow(refusal(/is a symbolic link/));
  });

  it('refuses a FIFO without waiting for a writer, and a folder in its place', async () => {
    await rm(file);
    execFileSync('mkfifo', ['-m', '644', file]);
    await expect(readPosixPolicyFile(file, rules)).rejects.toThrow(refusal(/not a regular file/));
    await rm(file);
    await mkdir(file, { mode: 0o755 });
    await expect(readPosixPolicyFile(file, rules)).rejects.toThrow(refusal(/not a regular file/));
  });

  it('refuses a file over the size limit as unreadable', async () => {
    await writeFile(file, ' '.repeat(MAX_POLICY_BYTES + 1));
    await expect(readPosixPolicyFile(file, rules)).rejects.toThrow(expect.objectContaining({ code: 'POLICY_INVALID' }));
  });
});
