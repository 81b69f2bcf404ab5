/**
 * The import boundaries in eslint.config.js bite: each forbidden import (static or dynamic) is an
 * error in the folder it is forbidden in, and the allowed ones are not.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const eslint = new ESLint({ cwd: root });

/** The boundary errors ESLint reports for `code` as if it were the file at `file`. */
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message);
}

const forbidden: [file: string, importPath: string][] = [
  ['signing/xml/x.ts', '../../portal/server/start.ts'],
  ['signing/x.ts', '../protocol/portal-api.ts'],
  ['protocol/x.ts', '../signing/index.ts'],
  ['contract/x.ts', '../main/dispatch.ts'],
  ['contract/x.ts', '../signing/index.ts'],
  ['renderer/src/x.ts', '../../main/dispatch.ts'],
  ['renderer/src/x.ts', '../../portal/server/start.ts'],
  ['renderer/src/x.ts', '../../signing/index.ts'],
  ['main/x.ts', '../portal/server/start.ts'],
  ['main/x.ts', '../signing/xml/verify.ts'],
  ['main/handlers/x.ts', '../../demo/app.ts'],
  ['main/x.ts', '../renderer/src/App.tsx'],
  ['portal/auth/x.ts', '../../main/dispatch.ts'],
  ['portal/auth/x.ts', '../../signing/types.ts'],
  ['portal/auth/x.ts', '../../contract/contract.ts'],
  ['portal/x.ts', '../demo/portal/seed.ts'],
  ['demo/x.ts', '../renderer/src/App.tsx'],
  ['cli/x.ts', '../main/dispatch.ts'],
];

const allowed: [file: string, importPath: string][] = [
  ['signing/xml/x.ts', '../trust/validate.ts'],
  ['protocol/x.ts', './portal-api.ts'],
  ['contract/x.ts', '../protocol/portal-api.ts'],
  ['renderer/src/x.ts', '../../contract/contract.ts'],
  ['renderer/src/x.ts', '../../protocol/portal-api.ts'],
  ['main/x.ts', '../signing/index.ts'],
  ['main/x.ts', '../protocol/signed-documents.ts'],
  ['main/x.ts', './portal-client.ts'],
  ['portal/auth/x.ts', '../../signing/index.ts'],
  ['portal/auth/x.ts', '../../protocol/portal-api.ts'],
  ['demo/x.ts', '../portal/server/start.ts'],
  ['cli/x.ts', '../demo/portal/start.ts'],
];

describe('import boundaries', () => {
  it.each(forbidden)('%s may not import %s (static or dynamic)', async (file, importPath) => {
    expect(await boundaryErrors(file, `import '${importPath}';\n`)).toHaveLength(1);
    expect(await boundaryErrors(file, `export const m = () => import('${importPath}');\n`)).toHaveLength(1);
  });

  it.each(allowed)('%s may import %s', async (file, importPath) => {
    expect(await boundaryErrors(file, `import '${importPath}';\n`)).toEqual([]);
    expect(await boundaryErrors(file, `export const m = () => import('${importPath}');\n`)).toEqual([]);
  });
});
