/**
 * The signing library's public API. main/ and portal/ import from here only.
 * Pure Node: no Electron imports anywhere under signing/.
 */
export * from './types.ts';
export * from './errors.ts';
