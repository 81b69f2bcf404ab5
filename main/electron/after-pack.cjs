/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: electron-builder require()s its hooks */
// electron-builder afterPack hook: flip the Electron fuses of the packaged binary
// (https://www.electronjs.org/docs/latest/tutorial/fuses). CommonJS because electron-builder
// require()s hooks (@electron/fuses 2 is an ES module: Node ≥ 20.19 require()s it).
// Every fuse of the chosen Electron is set explicitly, and strictlyRequireAllFuses makes the
// flip fail on a binary whose fuse wire has a fuse this list does not set.
// test/main/packaging.test.ts holds FUSES against @electron/fuses' list and ELECTRON_FUSE_WIRE;
// `npm run check:electron` prints them and, where the binary is installed, its own wire.
const path = require('node:path');
const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses');

/**
 * The fuse wire of the Electron in package.json, as Electron declares it (build/fuses/fuses.json5
 * in its source; the binary carries the same list after its sentinel). Upgrading Electron means
 * looking at that list again: the packaging test fails until `major` is the one installed.
 */
const ELECTRON_FUSE_WIRE = Object.freeze({
  major: 45,
  fuses: Object.freeze([
    'RunAsNode',
    'EnableCookieEncryption',
    'EnableNodeOptionsEnvironmentVariable',
    'EnableNodeCliInspectArguments',
    'EnableEmbeddedAsarIntegrityValidation',
    'OnlyLoadAppFromAsar',
    'LoadBrowserProcessSpecificV8Snapshot',
    'GrantFileProtocolExtraPrivileges',
    'WasmTrapHandlers',
  ]),
});

const FUSES = Object.freeze({
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  // No `ELECTRON_RUN_AS_NODE`: the signed binary cannot be used as a general Node.js.
  [FuseV1Options.RunAsNode]: false,
  // Cookies (and other Chromium storage) encrypted with the OS key store.
  [FuseV1Options.EnableCookieEncryption]: true,
  // NODE_OPTIONS and --inspect cannot inject code into the main process.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // The app is loaded only from app.asar, and that archive's integrity is checked.
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  // file:// gets no special powers (the app uses app://).
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  // V8's WebAssembly bounds checks by trap handlers: Electron's default, kept (the page runs no
  // WebAssembly: its CSP has no 'wasm-unsafe-eval'; turning it off only trades speed for memory).
  [FuseV1Options.WasmTrapHandlers]: true,
});

function executablePath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return path.join(appOutDir, `${name}.app`);
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${name}.exe`);
  return path.join(appOutDir, packager.executableName);
}

async function afterPack(context) {
  await flipFuses(executablePath(context), {
    ...FUSES,
    resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' && context.arch === 3 /* arm64 */,
  });
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.FUSES = FUSES;
module.exports.ELECTRON_FUSE_WIRE = ELECTRON_FUSE_WIRE;
