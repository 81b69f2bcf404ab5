import { describe, expect, it, vi } from 'vitest';
import { keyFilePicker, linuxRemovableRoots, proofFilePicker, windowsRemovableRoots, withinRoots } from '../../main/removable-media.ts';

const MOUNTINFO = [
  '22 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw',
  '25 22 0:23 / /proc rw,nosuid shared:12 - proc proc rw',
  '90 22 8:17 / /run/media/aliya/KEYS rw,nosuid,nodev shared:50 - vfat /dev/sdb1 rw,uid=1000',
  '91 22 8:33 / /media/aliya/My\\040Stick rw,nosuid,nodev shared:51 - exfat /dev/sdc1 rw',
  '92 22 0:50 / /media/aliya/net rw shared:52 - cifs //server/share rw',
  '93 22 8:49 / /mnt/backup rw shared:53 - ext4 /dev/sdd1 rw',
].join('\n');

describe('removable media', () => {
  it('Linux: block devices mounted under /media and /run/media (udisks), with escaped names', () => {
    expect(linuxRemovableRoots(MOUNTINFO)).toEqual(['/run/media/aliya/KEYS', '/media/aliya/My Stick']);
    expect(linuxRemovableRoots('')).toEqual([]);
  });

  it('Windows: the removable drives PowerShell lists', () => {
    expect(windowsRemovableRoots('E:\r\nf:\r\n\r\nnonsense\r\n')).toEqual(['E:\\', 'F:\\']);
  });

  it.each([
    ['/media/aliya/KEYS/nca/AUTH.p12', ['/media/aliya/KEYS'], 'linux', true],
    ['/media/aliya/KEYS', ['/media/aliya/KEYS'], 'linux', true],
    ['/media/aliya/KEYSX/a.p12', ['/media/aliya/KEYS'], 'linux', false],
    ['/media/aliya/KEYS/../../../home/aliya/a.p12', ['/media/aliya/KEYS'], 'linux', false],
    ['/home/aliya/a.p12', ['/media/aliya/KEYS'], 'linux', false],
    ['e:\\keys\\AUTH.p12', ['E:\\'], 'win32', true],
    ['C:\\Users\\a\\AUTH.p12', ['E:\\'], 'win32', false],
  ] as const)('%s inside %j (%s): %s', (p, roots, platform, inside) => {
    expect(withinRoots(p, roots, platform)).toBe(inside);
  });
});

describe('the key-file dialog held to removable media', () => {
  const picker = (picked: string | null, roots: string[], real: (p: string) => string = (p) => p) => {
    const showOpenDialog = vi.fn(async (_start: string | null) => picked);
    const pick = keyFilePicker({ platform: 'linux', removableMediaOnly: true, showOpenDialog, removableRoots: async () => roots, realpath: async (p) => real(p) });
    return { pick, showOpenDialog };
  };

  it('starts on the medium (or the last key folder on it) and returns a file from it', async () => {
    const { pick, showOpenDialog } = picker('/media/u/KEYS/AUTH.p12', ['/media/u/KEYS']);
    expect(await pick('/home/u/keys')).toBe('/media/u/KEYS/AUTH.p12');
    expect(showOpenDialog).toHaveBeenLastCalledWith('/media/u/KEYS');
    await pick('/media/u/KEYS/nca');
    expect(showOpenDialog).toHaveBeenLastCalledWith('/media/u/KEYS/nca');
  });

  it('refuses to open with no medium inserted, and a file from elsewhere or linked from the medium to the disk', async () => {
    await expect(picker('/x', []).pick(null)).rejects.toMatchObject({ code: 'KEY_PATH_REFUSED', details: { reason: 'no-removable-media' } });
    await expect(picker('/home/u/AUTH.p12', ['/media/u/KEYS']).pick(null)).rejects.toMatchObject({ details: { reason: 'not-removable' } });
    const linked = picker('/media/u/KEYS/AUTH.p12', ['/media/u/KEYS'], () => '/home/u/AUTH.p12');
    await expect(linked.pick(null)).rejects.toMatchObject({ details: { reason: 'not-removable' } });
  });

  it('cancelled is null; without the policy the dialog is not fenced', async () => {
    expect(await picker(null, ['/media/u/KEYS']).pick(null)).toBeNull();
    const showOpenDialog = vi.fn(async () => '/home/u/AUTH.p12');
    const removableRoots = vi.fn(async () => []);
    const pick = keyFilePicker({ platform: 'linux', removableMediaOnly: false, showOpenDialog, removableRoots, realpath: async (p) => p });
    expect(await pick('/home/u')).toBe('/home/u/AUTH.p12');
    expect(removableRoots).not.toHaveBeenCalled();
  });
});

describe("the application proof's dialog", () => {
  const options = (picked: string | null, roots: string[], removableMediaOnly = true) => ({
    platform: 'linux' as const,
    removableMediaOnly,
    showOpenDialog: vi.fn(async (_start: string | null) => picked),
    removableRoots: async () => roots,
    realpath: async (p: string) => p,
  });

  it('under the kiosk policy: starts on the medium, takes a file from it, refuses one from the disk or no medium', async () => {
    const on = options('/media/u/STICK/certificate.pdf', ['/media/u/STICK']);
    expect(await proofFilePicker(on)()).toBe('/media/u/STICK/certificate.pdf');
    expect(on.showOpenDialog).toHaveBeenLastCalledWith('/media/u/STICK');
    await expect(proofFilePicker(options('/home/u/certificate.pdf', ['/media/u/STICK']))()).rejects.toMatchObject({
      code: 'APPLY_PROOF_NOT_REMOVABLE',
      details: { reason: 'not-removable' },
    });
    await expect(proofFilePicker(options('/x', []))()).rejects.toMatchObject({
      code: 'APPLY_PROOF_NOT_REMOVABLE',
      details: { reason: 'no-removable-media' },
    });
  });

  it('without the policy any file may be chosen; cancelled is null', async () => {
    expect(await proofFilePicker(options('/home/u/certificate.pdf', [], false))()).toBe('/home/u/certificate.pdf');
    expect(await proofFilePicker(options(null, ['/media/u/STICK']))()).toBeNull();
  });
});
