/**
 * The structure of JSON values, without their contents: which keys an object has and what JSON type each value is,
 * recursively. Two app-servers that speak the same protocol answer the same request with the same shape even when
 * every id, time and string differs.
 */
export type Shape =
  | { type: 'null' | 'boolean' | 'number' | 'string' }
  | { type: 'array'; items: Shape | undefined }
  /** `orders`: each distinct order the keys came in (objects that leave out optional keys give several). */
  | { type: 'object'; keys: Record<string, Shape>; orders: string[][] }
  /** Several values seen at the same place (the elements of an array) that differ in type. */
  | { type: 'union'; of: Shape[] };

const ID_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ID_PLACEHOLDER = '<id>';

export function shapeOf(value: unknown): Shape {
  if (value === null || value === undefined) return { type: 'null' };
  if (Array.isArray(value)) return { type: 'array', items: mergeShapes(value.map(shapeOf)) };
  switch (typeof value) {
    case 'boolean':
      return { type: 'boolean' };
    case 'number':
      return { type: 'number' };
    case 'string':
      return { type: 'string' };
    case 'object': {
      // A map keyed by ids (`readStates`: thread id → state) has one key, `<id>`, of its values' merged shape.
      const keys: Record<string, Shape> = {};
      for (const [k, v] of Object.entries(value)) {
        const key = ID_KEY.test(k) ? ID_PLACEHOLDER : k;
        const shape = shapeOf(v);
        keys[key] = keys[key] ? mergeTwo(keys[key], shape) : shape;
      }
      return { type: 'object', keys, orders: [Object.keys(keys)] };
    }
    default:
      throw new TypeError(`not a JSON value: ${typeof value}`);
  }
}

/** The shape that covers all of `shapes` (objects: union of keys; a key missing in some is still listed). */
export function mergeShapes(shapes: readonly Shape[]): Shape | undefined {
  let merged: Shape | undefined;
  for (const shape of shapes) merged = merged === undefined ? shape : mergeTwo(merged, shape);
  return merged;
}

function mergeTwo(a: Shape, b: Shape): Shape {
  if (a.type === 'object' && b.type === 'object') {
    const keys: Record<string, Shape> = { ...a.keys };
    for (const [k, s] of Object.entries(b.keys)) keys[k] = keys[k] ? mergeTwo(keys[k], s) : s;
    const seen = new Set(a.orders.map((o) => o.join('\n')));
    return {
      type: 'object',
      keys,
      orders: [...a.orders, ...b.orders.filter((o) => !seen.has(o.join('\n')))],
    };
  }
  if (a.type === 'array' && b.type === 'array') {
    const items = a.items && b.items ? mergeTwo(a.items, b.items) : (a.items ?? b.items);
    return { type: 'array', items };
  }
  if (a.type === b.type && a.type !== 'union') return a;
  const members = [...(a.type === 'union' ? a.of : [a]), ...(b.type === 'union' ? b.of : [b])];
  const of: Shape[] = [];
  for (const m of members) {
    const same = of.findIndex((o) => o.type === m.type);
    if (same >= 0) of[same] = mergeTwo(of[same]!, m);
    else of.push(m);
  }
  return of.length === 1 ? of[0]! : { type: 'union', of };
}

/**
 * One place where the two shapes differ: a key only one side has, a different JSON type, or two keys both sides have
 * that come in the opposite order (path `<object's path> (key order)`; upstream serializes a struct's fields in their
 * declaration order, and codex-ts writes the same bytes).
 */
export interface ShapeDifference {
  /** `result.account.planType`, `params.turn.items[]`, … */
  path: string;
  ours: string;
  upstream: string;
}

/**
 * A documented difference: the paths it covers (exact, a prefix ending in `*`, or a RegExp over
 * `<step or notification>: <path>`) and why it is allowed.
 */
export interface AllowedDifference {
  path: string | RegExp;
  reason: string;
}

function covers(allowed: AllowedDifference, path: string): boolean {
  if (allowed.path instanceof RegExp) return allowed.path.test(path);
  return allowed.path.endsWith('*') ? path.startsWith(allowed.path.slice(0, -1)) : path === allowed.path;
}

const describe = (s: Shape | undefined): string =>
  s === undefined
    ? 'absent'
    : s.type === 'union'
      ? s.of.map(describe).join(' | ')
      : s.type === 'array'
        ? `array<${s.items ? describe(s.items) : 'empty'}>`
        : s.type;

/**
 * Every difference between our shape and upstream's, depth first. An empty array on either side matches any array
 * (nothing to compare); `null` on one side and a value on the other is a difference (the nullability differs).
 */
export function compareShapes(
  ours: Shape | undefined,
  upstream: Shape | undefined,
  path = '',
): ShapeDifference[] {
  if (ours === undefined || upstream === undefined) {
    return ours === upstream ? [] : [{ path, ours: describe(ours), upstream: describe(upstream) }];
  }
  if (ours.type === 'object' && upstream.type === 'object') {
    const keys = [...new Set([...Object.keys(upstream.keys), ...Object.keys(ours.keys)])].sort();
    return [
      ...keyOrderDifference(ours, upstream, path),
      ...keys.flatMap((k) => compareShapes(ours.keys[k], upstream.keys[k], path ? `${path}.${k}` : k)),
    ];
  }
  if (ours.type === 'array' && upstream.type === 'array') {
    if (!ours.items || !upstream.items) return [];
    return compareShapes(ours.items, upstream.items, `${path}[]`);
  }
  if (ours.type === 'union' || upstream.type === 'union') {
    const a = ours.type === 'union' ? ours.of : [ours];
    const b = upstream.type === 'union' ? upstream.of : [upstream];
    const sameTypes =
      a.length === b.length &&
      a.every((m) => b.some((n) => n.type === m.type && compareShapes(m, n).length === 0));
    return sameTypes ? [] : [{ path, ours: describe(ours), upstream: describe(upstream) }];
  }
  if (ours.type !== upstream.type) return [{ path, ours: describe(ours), upstream: describe(upstream) }];
  return [];
}

type ObjectShape = Extract<Shape, { type: 'object' }>;

/**
 * The keys both sides have, in each side's order, when some two of them come in the opposite order (only orders a
 * side was seen in count: two optional keys never seen together are in no order).
 */
function keyOrderDifference(ours: ObjectShape, upstream: ObjectShape, path: string): ShapeDifference[] {
  const before = new Set<string>();
  for (const order of upstream.orders)
    order.forEach((k, i) => {
      for (const later of order.slice(i + 1)) before.add(`${k}\n${later}`);
    });
  // Some `k` we write before `later` where upstream writes `later` before `k`.
  const contradicts = ours.orders.some((order) =>
    order.some((k, i) => order.slice(i + 1).some((later) => before.has(`${later}\n${k}`))),
  );
  if (!contradicts) return [];
  const shared = (side: ObjectShape, other: ObjectShape) =>
    Object.keys(side.keys)
      .filter((k) => Object.hasOwn(other.keys, k))
      .join(', ');
  return [{ path: `${path} (key order)`, ours: shared(ours, upstream), upstream: shared(upstream, ours) }];
}

/** The differences no allow-list entry covers. */
export function unexplained(
  differences: readonly ShapeDifference[],
  allowed: readonly AllowedDifference[],
): ShapeDifference[] {
  return differences.filter((d) => !allowed.some((a) => covers(a, d.path)));
}

/** The allow-list entries that cover none of the differences (the gap they document is closed: remove them). */
export function unused(
  differences: readonly ShapeDifference[],
  allowed: readonly AllowedDifference[],
): AllowedDifference[] {
  return allowed.filter((a) => !differences.some((d) => covers(a, d.path)));
}
