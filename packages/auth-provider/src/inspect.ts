/** Node's `util.inspect.custom`, reached through the global symbol registry so this package imports no `node:`. */
export const INSPECT = Symbol.for('nodejs.util.inspect.custom');
