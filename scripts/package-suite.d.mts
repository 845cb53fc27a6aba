/**
 * Registers the pack test of the package at `here`: nothing outside `dist/` but LICENSE, README.md, package.json and
 * the given `bins`; no source maps or test files; every file in `contains` packed.
 */
export declare function itShipsCleanPack(
  here: string,
  options?: { readonly bins?: readonly string[]; readonly contains?: readonly string[] },
): void;
/**
 * Registers `@codex-ts/<name> as published`: the dependency rule (auth-provider, never login or the dev backend)
 * and a clean pack; `more(dir)` adds the package's own checks inside the same block.
 */
export declare function describeCallSitePackage(name: string, more?: (dir: string) => void): void;
