/** The repository root. */
export declare const repoRoot: string;
/** What `npm pack` would ship from `dir` (paths relative to the package root, sorted). */
export declare function packedFiles(dir: string): string[];
/** Problems with a publishable package as it would be packed; empty when fine. */
export declare function publishingProblems(dir: string, packed?: string[]): string[];
/** Packs `dir` and unpacks it as `node_modules/<name>` under `consumer`. */
export declare function installPacked(dir: string, consumer: string): void;
/** Links `name` into `consumer/node_modules`, resolved from the workspace package `fromDir` (no network). */
export declare function linkDependency(name: string, fromDir: string, consumer: string): void;
/** Writes a strict TypeScript consumer (skipLibCheck off) with `source` as its only file; returns its directory. */
export declare function strictConsumer(source: string): string;
/** Runs the repository's tsc in `dir`; returns its output (empty when it compiles). */
export declare function compile(dir: string): string;
/** What breaks the dependency rule in the call-site package at `dir` (auth-provider, never login or the dev backend). */
export declare function dependencyRuleViolations(dir: string): string[];
