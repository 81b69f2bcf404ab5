/**
 * How to start one of signing/'s worker threads (the key-store worker, the token worker): the built
 * `<name>.js` in `folder` when it is part of a build, else the source `<name>.ts` there, run with
 * tsx's loader (tsx, Vitest). A bundler (scripts/build-cli.mjs, main/electron/build.ts) emits each
 * worker as its own entry named `<name>.js` in the folder of the bundle that imports its client, and
 * leaves `import.meta.dirname` meaning the bundle's folder.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A worker's script (a file URL, or code when `eval`) and a name for it. */
export interface WorkerStart {
  id: string;
  script: URL | string;
  eval: boolean;
}

export function workerStart(folder: string, name: string): WorkerStart {
  const built = join(folder, `${name}.js`);
  if (existsSync(built)) {
    const entry = pathToFileURL(built);
    return { id: entry.href, script: entry, eval: false };
  }
  const source = join(folder, `${name}.ts`);
  if (!existsSync(source)) throw new Error(`No worker in ${folder} (${name}.js or ${name}.ts)`);
  // The worker registers tsx's loader before importing the entry (Node 20 ignores --import in a
  // worker's execArgv).
  const entry = pathToFileURL(source).href;
  const tsx = new URL(
    'dist/esm/api/index.mjs',
    pathToFileURL(createRequire(import.meta.url).resolve('tsx/package.json')),
  ).href;
  const script = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return { id: entry, script, eval: true };
}
