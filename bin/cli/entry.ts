/**
 * The entry of the built command line (dist/cli/cartography.mjs, see vite.cli.config.ts):
 * bin/cartography.mjs imports it and calls `run` with the process's arguments.
 */
import { main } from './main.ts';
import { nodeIo } from './node-io.ts';

export async function run(argv: readonly string[]): Promise<void> {
  process.exitCode = await main(argv, nodeIo());
}
