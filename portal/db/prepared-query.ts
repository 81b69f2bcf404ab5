/**
 * Hot queries built and compiled once. Kysely builds an operation tree and compiles it to SQL on
 * every call; for the journal's three small statements that was over a third of the server's CPU
 * (more than SQLite running them). `preparedQuery(build)` calls `build` once per database (and
 * per shape) with placeholders instead of values, keeps the compiled SQL, and each run only puts
 * the values in.
 *
 * `build` may use `values` only as query values (where, limit, ...), never look at them or branch
 * on them: whatever changes the SQL text goes in `shape` (JSON-able; part of the cache key, so keep
shapes few).
 * An array value is expanded to one parameter per element (`in (?, ?, ...)`), its length part of
 * the key. A placeholder that does not reach the compiled parameters (used as anything but a
 * value) is an error at the first run, and so is an undefined value.
 * With Kysely plugins the query is built every time (plugins may rewrite it per call).
 *
 * On PostgreSQL each compiled text is also a named prepared statement (`preparedStatementName`,
 * used by portal/db/database.ts): a connection parses and plans it once, later runs only bind.
 */
import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { DB } from './schema.ts';

type Value = string | number | bigint | boolean | null | Uint8Array;
export type QueryValues = Record<string, Value | readonly Value[]>;

class Placeholder {
  constructor(
    readonly key: string,
    readonly index: number | null,
  ) {}
}

type ShapeArg<S> = S extends undefined ? [shape?: S] : [shape: S];

export interface PreparedQuery<V extends QueryValues, O, S> {
  execute(db: Kysely<DB>, values: V, ...shape: ShapeArg<S>): Promise<O[]>;
  executeTakeFirst(db: Kysely<DB>, values: V, ...shape: ShapeArg<S>): Promise<O | undefined>;
}

// Every compiled template's SQL text → its statement name. Bounded like the templates themselves
// (one per hot query, shape and array length), and so is what each connection keeps prepared.
const statementNames = new Map<string, string>();

/** The name a PostgreSQL connection prepares `sql` under, when it is a preparedQuery template. */
export function preparedStatementName(sql: string): string | undefined {
  return statementNames.get(sql);
}

export function preparedQuery<V extends QueryValues, O, S = undefined>(
  build: (db: Kysely<DB>, values: V, shape: S) => Compilable<O>,
): PreparedQuery<V, O, S> {
  // By the executor's adapter: one per database, shared by its transactions.
  const cache = new WeakMap<object, Map<string, CompiledQuery<O>>>();

  function template(db: Kysely<DB>, values: V, shape: S): CompiledQuery<O> {
    let key = shape === undefined ? '' : JSON.stringify(shape);
    for (const name in values) {
      const v = values[name];
      if (Array.isArray(v)) key += `\u0000${name}:${v.length}`;
    }
    const adapter = db.getExecutor().adapter;
    let byKey = cache.get(adapter);
    if (!byKey) cache.set(adapter, (byKey = new Map()));
    const cached = byKey.get(key);
    if (cached) return cached;
    const placeholders: Record<string, Placeholder | Placeholder[]> = {};
    for (const name in values) {
      const v = values[name];
      placeholders[name] = Array.isArray(v)
        ? v.map((_, i) => new Placeholder(name, i))
        : new Placeholder(name, null);
    }
    const compiled = build(db, placeholders as unknown as V, shape).compile();
    const used = new Set(compiled.parameters.filter((p) => p instanceof Placeholder));
    for (const p of Object.values(placeholders).flat()) {
      if (!used.has(p))
        throw new Error(`preparedQuery: value "${p.key}" is not a query parameter (${compiled.sql})`);
    }
    byKey.set(key, compiled);
    if (!statementNames.has(compiled.sql)) statementNames.set(compiled.sql, `joldama_${statementNames.size + 1}`);
    return compiled;
  }

  function bind(compiled: CompiledQuery<O>, values: V): CompiledQuery<O> {
    const parameters = compiled.parameters.map((p) => {
      if (!(p instanceof Placeholder)) return p;
      const v = p.index === null ? values[p.key] : (values[p.key] as readonly Value[])[p.index];
      if (v === undefined) throw new Error(`preparedQuery: no value for "${p.key}"`);
      return v;
    });
    return { ...compiled, parameters };
  }

  async function execute(db: Kysely<DB>, values: V, ...args: ShapeArg<S>): Promise<O[]> {
    const shape = args[0] as S;
    const compiled =
      db.getExecutor().plugins.length > 0
        ? build(db, values, shape).compile()
        : bind(template(db, values, shape), values);
    return (await db.executeQuery(compiled)).rows;
  }

  return {
    execute,
    executeTakeFirst: async (db, values, ...shape) => (await execute(db, values, ...shape))[0],
  };
}
