import { arch, platform, release } from 'node:os';
import type { RuntimeMetadata } from './events.js';

const OS_NAMES: Readonly<Record<string, string>> = { darwin: 'macos', win32: 'windows' };
const ARCH_NAMES: Readonly<Record<string, string>> = { x64: 'x86_64', arm64: 'aarch64', ia32: 'x86' };

/**
 * The `runtime` block of events, named as upstream names them (Rust's `std::env::consts`: `linux`, `macos`,
 * `windows`; `x86_64`, `aarch64`). `version` is the version of the program that sends the events.
 */
export function currentRuntimeMetadata(version: string): RuntimeMetadata {
  return {
    codex_rs_version: version,
    runtime_os: OS_NAMES[platform()] ?? platform(),
    runtime_os_version: release(),
    runtime_arch: ARCH_NAMES[arch()] ?? arch(),
  };
}
