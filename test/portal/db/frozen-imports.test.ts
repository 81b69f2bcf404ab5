/**
 * The lint rules that keep migrations frozen and the scheduler free of the queue bite: the same
 * import is refused in those folders and allowed elsewhere.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries of migrations and the scheduler', () => {
  it('refuses a migration importing live code, not the migration index', async () => {
    const code =
      "import { holidayRows } from '../../calendar/holidays.ts';\nexport const rows = holidayRows();\n";
    expect(await restricted('portal/db/migrations/0099_example.ts', code)).toEqual([
      expect.stringContaining('A migration is frozen'),
    ]);
    expect(await restricted('portal/db/migrations/index.ts', code)).toEqual([]);
    expect(await restricted('portal/db/example.ts', code)).toEqual([]);
  });

  it('refuses the scheduler importing the queue', async () => {
    const code =
      "import { QUEUED_STATUSES } from '../queue/eligibility.ts';\nexport const s = QUEUED_STATUSES;\n";
    expect(await restricted('portal/scheduler/example.ts', code)).toEqual([
      expect.stringContaining('knows nothing of the queue'),
    ]);
    expect(await restricted('portal/repositories/example.ts', code)).toEqual([]);
  });
});
