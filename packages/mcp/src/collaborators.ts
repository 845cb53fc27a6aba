import type { AuthProvider } from '@codex-ts/auth-provider';

/**
 * One entry of the connector directory (`GET /connectors/directory/list`), in camelCase. `@codex-ts/backend-client`
 * returns these; any object of this shape will do.
 */
export interface Connector {
  readonly id: string;
  readonly name: string;
  readonly description?: string | null;
  readonly logoUrl?: string | null;
  readonly logoUrlDark?: string | null;
  readonly distributionChannel?: string | null;
  /** Icon URLs by asset name, light and dark. */
  readonly iconAssets?: Readonly<Record<string, string>> | null;
  readonly iconDarkAssets?: Readonly<Record<string, string>> | null;
  /** Where to install the app; upstream's chatgpt.com link when absent. */
  readonly installUrl?: string | null;
  readonly labels?: Readonly<Record<string, string>> | null;
  readonly branding?: Readonly<Record<string, unknown>> | null;
  readonly appMetadata?: Readonly<Record<string, unknown>> | null;
}

/** The connector directory listing (all pages). The app-server wires backend-client's client here. */
export interface ConnectorDirectory {
  listConnectors(options: { signal?: AbortSignal; forceRefetch?: boolean }): Promise<Connector[]>;
}

/** What an upload returns; `fileId` is what the tool gets, with the other fields when known. */
export interface UploadedFile {
  readonly fileId: string;
  readonly downloadUrl?: string;
  readonly fileName?: string;
  readonly mimeType?: string | null;
}

/**
 * Uploads a local file to OpenAI file storage (`POST /files`, the upload, `POST /files/{id}/uploaded`), authorized
 * by the provider it is given: the thread's, for a tool call made in a thread. backend-client's client satisfies it.
 */
export interface FileUploader {
  uploadFile(
    file: string | { readonly bytes: Uint8Array; readonly fileName: string },
    options: { readonly provider: AuthProvider; readonly signal?: AbortSignal },
  ): Promise<UploadedFile>;
}
