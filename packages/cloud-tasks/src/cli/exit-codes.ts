/** Exit codes of the `cloud` command. */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** The backend, the network or git failed. */
  failure: 1,
  /** The command line was wrong. */
  usage: 2,
  /** `apply`: the diff did not apply (or would not, with `--preflight`) cleanly: partial or error. */
  notClean: 3,
  /** Not logged in, or the credentials were refused (401). */
  auth: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
