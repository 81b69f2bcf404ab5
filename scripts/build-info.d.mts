// Types of build-info.mjs for TypeScript callers (renderer/vite.config.ts, tests).
export declare function writeBuildInfo(dir: string, startedAt: number, inputs: string[], parts?: Record<string, string[]>): void;
export declare function buildProblem(dir: string, part?: string): string | undefined;
