import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const { FUSES } = require('../../main/electron/after-pack.cjs') as { FUSES: Record<string | number, unknown> };

describe('packaged app fuses', () => {
  it('turns RunAsNode and Node injection off, cookie encryption and ASAR integrity on', () => {
    expect(FUSES.version).toBe(FuseVersion.V1);
    expect(FUSES.strictlyRequireAllFuses).toBe(true);
    expect(FUSES[FuseV1Options.RunAsNode]).toBe(false);
    expect(FUSES[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(FUSES[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(FUSES[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(FUSES[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(FUSES[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(FUSES[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
  });

  it('sets every fuse this version of @electron/fuses knows', () => {
    const known = Object.values(FuseV1Options).filter((v): v is number => typeof v === 'number');
    for (const fuse of known) expect(typeof FUSES[fuse], `fuse ${FuseV1Options[fuse]}`).toBe('boolean');
  });

  it('electron-builder config: app id, asar, trust store shipped, fuses hook wired', () => {
    const yml = readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8');
    expect(yml).toMatch(/^appId: kz\.joldama\.app$/m);
    expect(yml).toMatch(/^asar: true$/m);
    expect(yml).toMatch(/from: resources\/trust/);
    expect(yml).toMatch(/^afterPack: main\/electron\/after-pack\.cjs$/m);
  });
});
