// Types of build-cli.mjs for the tests that import it.
export declare const CLI_DIST: string;
/** Builds dist/cli/; returns the output files. */
export declare function buildCli(): Promise<string[]>;
/** Builds when missing or stale; says so on stderr. */
export declare function ensureCliBuilt(): Promise<void>;
