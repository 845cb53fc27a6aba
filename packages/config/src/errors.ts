/** Where in config.toml a syntax error is: line and column only, never the text around it. */
export interface ConfigPosition {
  readonly line: number;
  readonly column: number;
}

/**
 * config.toml could not be read, is not TOML, or has a value of the wrong shape. The message names the file, the
 * key and what was expected; it never quotes the file (which can hold MCP tokens), and it has no `cause` that
 * would.
 */
export class ConfigError extends Error {
  readonly code = 'invalid_config';
  readonly path: string;
  /** Dotted key (`features.use_agent_identity`), when one key is at fault. */
  readonly key: string | undefined;
  /** What the key must hold (`true or false`), when one key is at fault. */
  readonly expected: string | undefined;
  /** For a TOML syntax error. */
  readonly position: ConfigPosition | undefined;

  constructor(
    path: string,
    message: string,
    details: {
      key?: string;
      expected?: string;
      position?: ConfigPosition;
      cause?: unknown;
    } = {},
  ) {
    super(`${path}: ${message}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ConfigError';
    this.path = path;
    this.key = details.key;
    this.expected = details.expected;
    this.position = details.position;
  }
}
