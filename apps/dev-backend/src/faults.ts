import { z } from 'zod';
import { compileGlob, type Glob } from './glob.js';
import type { DevFault } from './types.js';

export const faultSchema = z.strictObject({
  path: z.string().min(1).startsWith('/'),
  method: z.string().min(1).optional(),
  status: z.number().int().min(100).max(599).optional(),
  count: z.number().int().min(1).optional(),
  delayMs: z.number().int().min(0).max(600_000).optional(),
  drop: z.boolean().optional(),
  body: z.unknown().optional(),
});

interface ActiveFault {
  fault: DevFault;
  pattern: Glob;
  remaining: number;
}

/** Injected failures, matched by path (exact or `*` glob) and optional method, first match wins. */
export class FaultList {
  private readonly active: ActiveFault[] = [];

  add(input: unknown): DevFault {
    const parsed = faultSchema.parse(input) as DevFault;
    if (parsed.status === undefined && !parsed.drop && parsed.delayMs === undefined) {
      throw new z.ZodError([
        { code: 'custom', path: [], message: 'a fault needs status, drop or delayMs', input },
      ]);
    }
    const fault: DevFault = parsed.method ? { ...parsed, method: parsed.method.toUpperCase() } : parsed;
    this.active.push({ fault, pattern: compileGlob(fault.path), remaining: fault.count ?? 1 });
    return fault;
  }

  clear(): void {
    this.active.length = 0;
  }

  list(): Array<DevFault & { remaining: number }> {
    return this.active.map((a) => ({ ...a.fault, remaining: a.remaining }));
  }

  /** The fault for this request, if any, using up one of its count. */
  take(method: string, path: string): DevFault | undefined {
    const index = this.active.findIndex(
      (a) => (a.fault.method === undefined || a.fault.method === method) && a.pattern.matches(path),
    );
    if (index < 0) return undefined;
    const active = this.active[index]!;
    active.remaining -= 1;
    if (active.remaining <= 0) this.active.splice(index, 1);
    return active.fault;
  }
}
