/** What the env needs to know about the dev backend the binary talks to. */
export interface UpstreamEnvOptions {
  codexHome: string;
  /** Server origin, e.g. `https://127.0.0.1:PORT` (the OAuth issuer). */
  origin: string;
  /** The refusing proxy's URL. */
  proxyUrl: string;
  /** The dev backend's CA file when it serves TLS (`CODEX_CA_CERTIFICATE`, `SSL_CERT_FILE`). */
  caFile?: string;
  /** HOME for the child; defaults to codexHome. */
  home?: string;
  /** Added last; a value of `undefined` removes a variable. */
  extra?: Record<string, string | undefined>;
}

const PROXY_VARIABLES = ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'https_proxy', 'http_proxy', 'all_proxy'];
const NO_PROXY = '127.0.0.1,localhost,::1';

/**
 * The whole environment of an upstream child process, built from nothing but PATH: a throw-away CODEX_HOME and
 * HOME, every proxy variable on the refusing proxy (loopback exempt), and every URL upstream reads from the
 * environment pointed at the dev backend. Nothing of the parent's credentials (OPENAI_API_KEY, CODEX_*) leaks in.
 */
export function upstreamEnv(options: UpstreamEnvOptions): Record<string, string> {
  const origin = options.origin.replace(/\/$/, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: options.home ?? options.codexHome,
    CODEX_HOME: options.codexHome,
    LANG: 'C.UTF-8',
    NO_PROXY,
    no_proxy: NO_PROXY,
    CODEX_REFRESH_TOKEN_URL_OVERRIDE: `${origin}/oauth/token`,
    CODEX_REVOKE_TOKEN_URL_OVERRIDE: `${origin}/oauth/revoke`,
    CODEX_APP_SERVER_LOGIN_ISSUER: origin,
    RUST_LOG: 'warn',
  };
  for (const name of PROXY_VARIABLES) env[name] = options.proxyUrl;
  if (options.caFile) {
    env.CODEX_CA_CERTIFICATE = options.caFile;
    env.SSL_CERT_FILE = options.caFile;
  }
  for (const [name, value] of Object.entries(options.extra ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}
