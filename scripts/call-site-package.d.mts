/**
 * Registers `@codex-ts/<name> as published`: the dependency rule (auth-provider, never login or the dev backend)
 * and a clean pack; `more(dir)` adds the package's own checks inside the same block.
 */
export declare function describeCallSitePackage(name: string, more?: (dir: string) => void): void;
