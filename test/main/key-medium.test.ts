/**
 * The removable medium holding a login key file (main/key-medium.ts): real files in a temporary
 * folder that stands for the medium. A key outside the media is not watched; removing the medium
 * (or putting another file in the key's place) ends the session once, at the portal too; a session
 * that ends first stops its watcher.
 */
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthService } from '../../main/auth-service.ts';
import { keyMediumWatcher, type MediumWatch } from '../../main/key-medium.ts';
import { standInPortal, standInSigning } from './helpers/stand-in-login.ts';

let dir: string;
let medium: string;
let disk: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'joldama-medium-'));
  medium = path.join(dir, 'media', 'STICK');
  disk = path.join(dir, 'home');
  await mkdir(medium, { recursive: true });
  await mkdir(disk, { recursive: true });
  await writeFile(path.join(medium, 'AUTH.p12'), 'key');
  await writeFile(path.join(disk, 'AUTH.p12'), 'key');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

// A long interval: the tests look through check() only.
const watcher = () => keyMediumWatcher({ platform: process.platform, removableRoots: async () => [medium], intervalMs: 3_600_000 });

describe('keyMediumWatcher', () => {
  it('does not watch a key file outside the removable media', async () => {
    let gone = 0;
    expect(await watcher()(path.join(disk, 'AUTH.p12'), () => gone++)).toBeNull();
    // A link on the medium to the disk is the disk's file.
    await symlink(path.join(disk, 'AUTH.p12'), path.join(medium, 'link.p12'));
    expect(await watcher()(path.join(medium, 'link.p12'), () => gone++)).toBeNull();
    expect(gone).toBe(0);
  });

  it('says once that the medium is gone when its folder disappears', async () => {
    let gone = 0;
    const watch = (await watcher()(path.join(medium, 'AUTH.p12'), () => gone++)) as MediumWatch;
    expect(watch).not.toBeNull();
    await watch.check();
    expect(gone).toBe(0);
    await rm(medium, { recursive: true });
    await watch.check();
    await watch.check();
    expect(gone).toBe(1);
  });

  it('watches a file on the medium reached through a link on the disk', async () => {
    let gone = 0;
    await symlink(path.join(medium, 'AUTH.p12'), path.join(disk, 'to-stick.p12'));
    const watch = (await watcher()(path.join(disk, 'to-stick.p12'), () => gone++)) as MediumWatch;
    expect(watch).not.toBeNull();
    await rm(medium, { recursive: true });
    await watch.check();
    expect(gone).toBe(1);
  });

  it('counts another file in the key file\'s place (another medium mounted there) as the medium gone', async () => {
    let gone = 0;
    const watch = (await watcher()(path.join(medium, 'AUTH.p12'), () => gone++)) as MediumWatch;
    // Written beside it first, so that the old inode is still taken and cannot be reused.
    await writeFile(path.join(medium, 'other.p12'), 'another key');
    await rename(path.join(medium, 'other.p12'), path.join(medium, 'AUTH.p12'));
    await watch.check();
    expect(gone).toBe(1);
  });

  it('looks by the clock every interval', async () => {
    let gone = 0;
    const fast = keyMediumWatcher({ platform: process.platform, removableRoots: async () => [medium], intervalMs: 20 });
    await fast(path.join(medium, 'AUTH.p12'), () => gone++);
    await rm(medium, { recursive: true });
    await expect.poll(() => gone, { timeout: 5_000 }).toBe(1);
  });
});

describe('a session opened with a key file', () => {
  function authWith() {
    const ended: string[] = [];
    const logouts: string[] = [];
    const portal = standInPortal(logouts);
    const signing = standInSigning();
    const watches: MediumWatch[] = [];
    const watch = watcher();
    const auth = new AuthService(signing, portal, (reason) => ended.push(reason), async (file, onGone) => {
      const w = await watch(file, onGone);
      if (w) watches.push(w);
      return w;
    });
    return { auth, ended, logouts, watches };
  }
  const fileRef = (file: string) => ({ kind: 'file' as const, path: file, index: 0 });

  it('ends, at the portal too, when the medium holding its key is removed', async () => {
    const { auth, ended, logouts, watches } = authWith();
    await auth.login(fileRef(path.join(medium, 'AUTH.p12')), 'pw');
    // The session's user refreshed from the portal is still the same session.
    await auth.session();
    await rm(medium, { recursive: true });
    await watches[0]!.check();
    expect(auth.currentIin).toBeNull();
    expect(ended).toEqual(['medium-removed']);
    expect(logouts).toEqual(['session-0']);
  });

  it('does not end for a key file on a fixed disk, nor after it was logged out', async () => {
    const { auth, ended, watches } = authWith();
    await auth.login(fileRef(path.join(disk, 'AUTH.p12')), 'pw');
    expect(watches).toEqual([]);
    await auth.login(fileRef(path.join(medium, 'AUTH.p12')), 'pw');
    await auth.logout();
    await rm(medium, { recursive: true });
    await watches[0]!.check();
    expect(ended).toEqual([]);
  });

  it('a later login with another key stops the first key\'s watcher', async () => {
    const { auth, ended, watches } = authWith();
    await auth.login(fileRef(path.join(medium, 'AUTH.p12')), 'pw');
    await auth.login(fileRef(path.join(disk, 'AUTH.p12')), 'pw');
    await rm(medium, { recursive: true });
    await watches[0]!.check();
    expect(ended).toEqual([]);
    expect(auth.currentIin).toBe('900101300015');
  });
});
