/** Types of electron-binary.js (plain JavaScript: `npm start` runs before any TypeScript loader). */
export function findElectronBinary(packageDir: string | null, env?: NodeJS.ProcessEnv): { binary: string } | { reason: string };
