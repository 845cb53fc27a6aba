/** Reported as the ABOM `agent_version`. Kept in step with package.json. */
export const LOGIN_PACKAGE_VERSION = '0.1.0';
