import { spawnSync } from 'node:child_process';
import { createRequire, isBuiltin } from 'node:module';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { afterEach, describe, expect, it } from 'vitest';
import { aclProblem } from '../../main/policy/windows-acl.ts';
import { getConfig, packagedModuleFiles, projectDir } from './helpers/packaged-files.ts';

const require = createRequire(import.meta.url);
type AfterPack = ((context: unknown) => Promise<void>) & {
  FUSES: Record<string | number, unknown>;
  ELECTRON_FUSE_WIRE: { major: number; fuses: string[] };
};
const afterPack = require('../../main/electron/after-pack.cjs') as AfterPack;
const { FUSES, ELECTRON_FUSE_WIRE } = afterPack;

const fuseNamesKnown = () => Object.values(FuseV1Options).filter((v): v is string => typeof v === 'string');
const fuseNamesSet = () =>
  Object.keys(FUSES)
    .filter((k) => /^\d+$/.test(k))
    .map((k) => FuseV1Options[Number(k)]);

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

  it('sets exactly the fuses the chosen Electron declares, each to a boolean', () => {
    const electronVersion = (require('electron/package.json') as { version: string }).version;
    // The recorded wire is the installed Electron's: an upgrade must look at its fuse list again.
    expect(Number(electronVersion.split('.')[0]), 'ELECTRON_FUSE_WIRE.major in after-pack.cjs').toBe(ELECTRON_FUSE_WIRE.major);
    expect(fuseNamesKnown(), '@electron/fuses knows the same fuses, in wire order').toEqual(ELECTRON_FUSE_WIRE.fuses);
    expect(fuseNamesSet()).toEqual(ELECTRON_FUSE_WIRE.fuses);
    for (const name of ELECTRON_FUSE_WIRE.fuses) {
      expect(typeof FUSES[FuseV1Options[name as keyof typeof FuseV1Options]], `fuse ${name}`).toBe('boolean');
    }
  });

  it('pins Electron, @electron/fuses and electron-builder exactly', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { devDependencies: Record<string, string> };
    expect(pkg.devDependencies.electron).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.devDependencies['@electron/fuses']).toMatch(/^2\.\d+\.\d+$/);
    expect(pkg.devDependencies['electron-builder']).toMatch(/^\d+\.\d+\.\d+$/);
    // #16: the updater runs in the app (bundled into main): exactly the version reviewed.
    expect((pkg as unknown as { dependencies: Record<string, string> }).dependencies['electron-updater']).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe("electron-builder's configuration", () => {
  const projectDir = fileURLToPath(new URL('../..', import.meta.url));
  type Config = Record<string, unknown> & { win: Record<string, unknown>; linux: Record<string, unknown>; nsis: Record<string, unknown> };
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
    getConfig: (dir: string, file: string, extra: unknown) => Promise<Config>;
    validateConfiguration: (config: Config, logger: unknown) => Promise<void>;
  };
  const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
  const load = (file: string, extra: unknown = null) => getConfig(projectDir, file, extra);
  const targets = (platform: { target: { target: string }[] }) => platform.target.map((t) => t.target);

  it.each(['electron-builder.yml', 'electron-builder.release.yml'])("%s passes electron-builder's own schema", async (file) => {
    await expect(validateConfiguration(await load(file), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('the schema check bites: a misspelt option is refused', async () => {
    const misspelt = await load('electron-builder.yml', { nsis: { perMachin: true } });
    await expect(validateConfiguration(misspelt, new DebugLogger(false))).rejects.toThrow(/Invalid configuration object/);
  });

  it('packages: NSIS (per-user or per-machine) and portable for Windows; AppImage, deb and tar.gz for Linux', async () => {
    const config = await load('electron-builder.yml');
    expect(targets(config.win as never)).toEqual(['nsis', 'portable']);
    expect(targets(config.linux as never)).toEqual(['AppImage', 'deb', 'tar.gz']);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowElevation: true });
  });

  it('app id, product name, icons, asar, the trust store in resources, the fuses hook', async () => {
    const config = await load('electron-builder.yml');
    expect(config).toMatchObject({ appId: 'kz.joldama.app', productName: 'Joldama', asar: true, afterPack: 'main/electron/after-pack.cjs' });
    expect(config.win.icon).toBe('resources/icon.png');
    expect(config.linux.icon).toBe('resources/icon.png');
    expect(config.extraResources).toEqual([
      expect.objectContaining({ from: 'resources/trust', to: 'trust' }),
      // The release key's public half at the resources folder's root (`to: .`, which getConfig
      // gives as no `to`), beside app-update.yml, where main/updates.ts reads it.
      { from: 'resources', to: undefined, filter: ['update-key.pem'] },
    ]);
  });

  it('Windows code signing: SHA-256 with a time stamp; required (forceCodeSigning) for release builds only', async () => {
    const config = await load('electron-builder.yml');
    expect(config.win.signtoolOptions).toMatchObject({ signingHashAlgorithms: ['sha256'], rfc3161TimeStampServer: expect.stringMatching(/^http/) });
    expect(config.forceCodeSigning).toBe(false);
    expect((await load('electron-builder.release.yml')).forceCodeSigning).toBe(true);
  });

  // #16: updates (docs/kiosk.md, "Updates"; main/updates.ts).
  it('names an update feed only in release builds, from JOLDAMA_UPDATE_FEED; Windows updates must carry the publisher', async () => {
    expect((await load('electron-builder.yml')).publish).toBeNull();
    expect((await load('electron-builder.release.yml')).publish).toEqual({ provider: 'generic', url: '${env.JOLDAMA_UPDATE_FEED}' });
    const config = await load('electron-builder.release.yml');
    expect(config.win).toMatchObject({ verifyUpdateCodeSignature: true, signtoolOptions: { publisherName: expect.any(String) } });
  });

  it('the release script refuses to build without an https feed address', () => {
    const release = (feed: string | undefined) =>
      spawnSync(process.execPath, [path.join(projectDir, 'scripts', 'release.mjs'), '--linux'], {
        env: { ...process.env, JOLDAMA_UPDATE_FEED: feed ?? '' },
        encoding: 'utf8',
      });
    for (const feed of [undefined, 'http://updates.joldama.kz', 'updates.joldama.kz']) {
      const run = release(feed);
      expect(run.status, String(feed)).toBe(2);
      expect(run.stderr).toMatch(/JOLDAMA_UPDATE_FEED/);
    }
  });

  it('the release script refuses to build without the release key that signs updates', () => {
    for (const key of [undefined, path.join(projectDir, 'no-such-release-key.pem')]) {
      const run = spawnSync(process.execPath, [path.join(projectDir, 'scripts', 'release.mjs'), '--linux'], {
        env: { ...process.env, JOLDAMA_UPDATE_FEED: 'https://updates.joldama.kz/stable', JOLDAMA_RELEASE_KEY: key ?? '' },
        encoding: 'utf8',
      });
      expect(run.status, String(key)).toBe(2);
      expect(run.stderr).toMatch(/JOLDAMA_RELEASE_KEY/);
    }
  });
});

describe('the afterPack hook on a binary (a stand-in with a fuse wire)', () => {
  // The wire as Electron lays it out: sentinel, schema version, length, one byte per fuse ('0', '1').
  const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function packagedBinary(wireLength: number): Promise<string> {
    dir = await mkdtemp(path.join(os.tmpdir(), 'joldama-fuses-'));
    const file = path.join(dir, 'joldama');
    const wire = Buffer.concat([Buffer.from(SENTINEL), Buffer.from([1, wireLength]), Buffer.alloc(wireLength, '1')]);
    await writeFile(file, Buffer.concat([Buffer.alloc(4096, 0xcc), wire, Buffer.alloc(4096, 0xcc)]));
    return file;
  }
  const context = () => ({ appOutDir: dir, electronPlatformName: 'linux', arch: 1, packager: { appInfo: { productFilename: 'Joldama' }, executableName: 'joldama' } });

  it("writes every fuse of the chosen Electron's wire", async () => {
    const file = await packagedBinary(ELECTRON_FUSE_WIRE.fuses.length);
    await afterPack(context());
    const bytes = await readFile(file);
    const at = bytes.indexOf(SENTINEL) + SENTINEL.length + 2;
    const written = [...bytes.subarray(at, at + ELECTRON_FUSE_WIRE.fuses.length)].map((b) => String.fromCharCode(b));
    expect(written).toEqual(ELECTRON_FUSE_WIRE.fuses.map((name) => (FUSES[FuseV1Options[name as keyof typeof FuseV1Options]] ? '1' : '0')));
  });

  it('refuses a binary with a fuse the list does not set (a newer Electron), leaving it untouched', async () => {
    const file = await packagedBinary(ELECTRON_FUSE_WIRE.fuses.length + 1);
    const before = await readFile(file);
    await expect(afterPack(context())).rejects.toThrow(/strictlyRequireAllFuses/);
    expect((await readFile(file)).equals(before)).toBe(true);
  });
});

// #16: the PKCS#11 binding in the package (electron-builder.yml `files` and `asarUnpack`).
describe('pkcs11js in the package', () => {
  it('ships its loader, package.json and the addon built for this OS, and nothing else of node_modules', async () => {
    expect(await packagedModuleFiles('pkcs11js')).toEqual(['build/Release/pkcs11.node', 'index.js', 'package.json']);
    // Everything else main needs is bundled: other production dependencies stay out.
    expect(await packagedModuleFiles('zod')).toEqual([]);
    expect(await packagedModuleFiles('better-sqlite3')).toEqual([]);
  }, 60_000);

  it('everything pkcs11js requires at run time is shipped or built into Node, and it has no dependencies', async () => {
    const dir = path.join(projectDir, 'node_modules', 'pkcs11js');
    const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { main?: string; dependencies?: object };
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.main).toBe('index.js');
    const required = [...(await readFile(path.join(dir, 'index.js'), 'utf8')).matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]!);
    expect(required.length).toBeGreaterThan(0);
    const shipped = await packagedModuleFiles('pkcs11js');
    for (const id of required) {
      if (id.startsWith('.')) expect(shipped, id).toContain(path.posix.normalize(id));
      else expect(isBuiltin(id), id).toBe(true);
    }
  }, 60_000);

  it('unpacks the addon from app.asar (a native addon cannot be loaded from inside it)', async () => {
    const config = (await getConfig(projectDir, 'electron-builder.yml', null)) as { asarUnpack?: string[] };
    expect(config.asarUnpack).toEqual(['node_modules/pkcs11js/build/Release/*.node']);
  });
});

// #16: the NSIS include that creates %ProgramData%\Joldama locked (docs/kiosk.md, "Windows").
describe('the Windows installer and %ProgramData%\\Joldama', () => {
  const script = () => readFile(path.join(projectDir, 'resources', 'nsis', 'program-data.nsh'), 'utf8');
  /** icacls permission letters as the security descriptor's access masks. */
  const MASKS: Record<string, string> = { F: 'FA', M: '0x1301bf', RX: '0x1200a9', R: 'FR', W: '0x100116' };

  it('electron-builder.yml includes the script, which exists', async () => {
    const config = (await getConfig(projectDir, 'electron-builder.yml', null)) as { nsis: { include?: string } };
    expect(config.nsis.include).toBe('resources/nsis/program-data.nsh');
    expect(await script()).toMatch(/^!macro customInstall$/m);
  });

  it('runs for per-machine installs only, and never follows a link in the folder\'s place', async () => {
    const text = await script();
    const body = /^!macro customInstall\n([\s\S]*?)^!macroend/m.exec(text)![1]!;
    const lines = body.split('\n').filter((l) => l.trim() && !l.trim().startsWith(';'));
    expect(lines[0]!.trim()).toBe('${if} $installMode == "all"');
    expect(lines.at(-1)!.trim()).toBe('${endIf}');
    const icacls = lines.filter((l) => l.includes('icacls.exe'));
    expect(icacls.length).toBe(2);
    for (const line of icacls) expect(line).toMatch(/"\$APPDATA\\Joldama" \/L /);
  });

  it('leaves the folder with permissions the app trusts (main/policy/windows-acl.ts)', async () => {
    const text = await script();
    const grant = /\/inheritance:r \/grant:r ([^']+)'/.exec(text)![1]!.trim().split(/\s+/);
    const owner = /\/setowner \*(S-1-[0-9-]+)/.exec(text)![1]!;
    const aces = grant.map((entry) => {
      const [, sid, flags, perm] = /^\*(S-1-[0-9-]+):((?:\((?:OI|CI)\))*)\(?([A-Z]+)\)?$/.exec(entry)!;
      return `(A;${flags!.replace(/[()]/g, '')};${MASKS[perm!]};;;${sid})`;
    });
    // Inheritance removed: a protected DACL holding exactly the granted entries.
    const sddl = `O:${owner}G:SYD:P${aces.join('')}`;
    expect(aces).toHaveLength(3);
    expect(aclProblem(sddl)).toBeNull();
    // Users (S-1-5-32-545) may read and nothing more.
    expect(grant).toContain('*S-1-5-32-545:(OI)(CI)RX');
  });

  // makensis (Debian's nsis, which scripts/setup.sh installs) compiles the include into an installer
  // that stands in for electron-builder's: the same LogicLib, the installMode variable of its
  // multiUser.nsh, customInstall inserted in the install section as its installSection.nsh does.
  // -WX: a warning (an unknown variable, an unused one...) fails the build. Running the installer
  // and reading the folder's ACL needs Windows (docs/kiosk.md).
  const TEMPLATES = path.join(projectDir, 'node_modules', 'app-builder-lib', 'templates', 'nsis');
  function standInInstaller(include: string, dir: string) {
    const script = path.join(dir, 'installer.nsi');
    const out = path.join(dir, 'installer.exe');
    const text = [
      'Unicode true',
      '!include LogicLib.nsh',
      'Var installMode',
      'Name "Joldama"',
      `OutFile "${out}"`,
      'RequestExecutionLevel user',
      `!include "${include}"`,
      'Section',
      '  StrCpy $installMode "all"',
      '  !ifmacrodef customInstall',
      '    !insertmacro customInstall',
      '  !endif',
      'SectionEnd',
      '',
    ].join('\n');
    return { script, out, text };
  }
  const compile = async (include: string) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'joldama-nsis-'));
    const { script, out, text } = standInInstaller(include, dir);
    await writeFile(script, text);
    const run = spawnSync('makensis', ['-WX', '-V2', script], { encoding: 'utf8' });
    if (run.error) throw new Error(`makensis is missing (${run.error.message}): run scripts/setup.sh, which installs Debian's nsis`);
    const built = await readFile(out).then((b) => b.length, () => 0);
    await rm(dir, { recursive: true, force: true });
    return { status: run.status, output: `${run.stdout}${run.stderr}`, built };
  };

  it('the stand-in matches electron-builder\'s template: installMode is its variable, customInstall inserted in its install section', async () => {
    expect(await readFile(path.join(TEMPLATES, 'multiUser.nsh'), 'utf8')).toMatch(/^Var installMode$/m);
    expect(await readFile(path.join(TEMPLATES, 'installSection.nsh'), 'utf8')).toMatch(/^!ifmacrodef customInstall\n\s+!insertmacro customInstall\n!endif$/m);
  });

  it('compiles with makensis -WX into an installer, and a broken include does not', async () => {
    const include = path.join(projectDir, 'resources', 'nsis', 'program-data.nsh');
    const good = await compile(include);
    expect(good.status, good.output).toBe(0);
    expect(good.built).toBeGreaterThan(0);
    // The check bites: a misspelt variable is a warning, which -WX makes an error.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'joldama-nsis-bad-'));
    try {
      const bad = path.join(dir, 'bad.nsh');
      await writeFile(bad, (await script()).replace('${if} $installMode == "all"', '${if} $installMod == "all"'));
      const broken = await compile(bad);
      expect(broken.status).not.toBe(0);
      expect(broken.output).toMatch(/installMod/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
