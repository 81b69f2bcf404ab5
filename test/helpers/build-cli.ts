/** Vitest global setup: builds dist/cli/ once per run, so tests that spawn `joldama` run today's sources. */
import { buildCli } from '../../scripts/build-cli.mjs';

export default async function setup(): Promise<void> {
  await buildCli();
}
