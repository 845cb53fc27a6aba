/** The OAuth feature's in-memory store: authorization codes and device codes (lost on restart). */
export interface AuthCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  userId: string;
  expiresAtMs: number;
}

export interface DeviceCode {
  deviceAuthId: string;
  userCode: string;
  clientId: string;
  expiresAtMs: number;
  /** Set when approved: the code, and the PKCE pair the server made for it (upstream's device flow). */
  approved?: { authorizationCode: string; codeVerifier: string; codeChallenge: string };
}

export interface OAuthStore {
  readonly authCodes: Map<string, AuthCode>;
  readonly deviceCodes: Map<string, DeviceCode>;
}

export function createOAuthStore(): OAuthStore {
  return { authCodes: new Map(), deviceCodes: new Map() };
}
