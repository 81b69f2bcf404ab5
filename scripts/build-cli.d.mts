// Types of build-cli.mjs for the tests that import it.
export declare const CLI_DIST: string;
/** Builds dist/cli/; returns the output files. */
export declare function buildCli(): Promise<string[]>;
/** Why the build in `dist` (default dist/cli) cannot be run as it is, or undefined when it is current. */
export declare function cliBuildProblem(dist?: string): string | undefined;
/** Builds when missing or stale; says so on stderr. */
export declare function ensureCliBuilt(): Promise<void>;
