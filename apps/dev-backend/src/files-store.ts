/** The files feature's in-memory store: uploaded files by id (lost on restart). */
export interface FileRecord {
  fileId: string;
  userId: string;
  fileName: string;
  declaredSize: number;
  useCase: string;
  /** Capability in the upload/download URL. */
  signature: string;
  mimeType: string;
  content?: Buffer;
}

export interface FileStore {
  readonly files: Map<string, FileRecord>;
}

export function createFileStore(): FileStore {
  return { files: new Map() };
}
