import type { Tool } from '@modelcontextprotocol/sdk/types.js';

const META_FILE_PARAMS = 'openai/fileParams';
const LOCAL_PATH_GUIDANCE =
  'This parameter expects an absolute local file path. If you want to upload a file, provide the absolute path to that file here.';

type JsonObject = Record<string, unknown>;

/** One tool of the `codex_apps` server, with its connector and what the model sees. */
export interface AppsTool {
  /** `mcp__codex_apps__<tool>`, sanitised and unique. */
  readonly qualifiedName: string;
  /** The raw MCP tool, as listed (its `name` is what `tools/call` sends). */
  readonly tool: Tool;
  readonly connectorId: string | null;
  readonly connectorName: string | null;
  readonly connectorDescription: string | null;
  /** Arguments declared as files (`_meta["openai/fileParams"]`): the model passes local paths, uploaded first. */
  readonly fileParams: readonly string[];
  /** Per file param, which of `mime_type` / `file_name` the uploaded-file object may carry. */
  readonly fileParamFields: Readonly<Record<string, readonly string[]>>;
  /** The input schema shown to the model and checked before a call: file params become path strings. */
  readonly modelInputSchema: JsonObject;
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function metaString(meta: JsonObject | undefined, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = meta?.[key];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return null;
}

function declaredFileParams(meta: JsonObject | undefined): string[] {
  const value = meta?.[META_FILE_PARAMS];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : [];
}

/** Which optional fields of the uploaded-file object a file param's schema accepts. */
function acceptedFileFields(schema: unknown): string[] {
  if (!isObject(schema)) return [];
  const target = isObject(schema.items) ? schema.items : schema;
  const properties = isObject(target.properties) ? target.properties : undefined;
  const open = target.additionalProperties === undefined || target.additionalProperties === true;
  const isObjectSchema = target.type === 'object' || properties !== undefined;
  if (!isObjectSchema) return [];
  return ['mime_type', 'file_name'].filter(
    (field) => open || (properties !== undefined && field in properties),
  );
}

function localPathSchema(schema: unknown): JsonObject {
  const original = isObject(schema) ? schema : {};
  const described = typeof original.description === 'string' ? original.description.trim() : '';
  const description = described === '' ? LOCAL_PATH_GUIDANCE : `${described} ${LOCAL_PATH_GUIDANCE}`;
  const isArray = original.type === 'array' || original.items !== undefined;
  return isArray
    ? { description, type: 'array', items: { type: 'string' } }
    : { description, type: 'string' };
}

/** Derives the connector, file params and model-visible schema of a listed tool. */
export function appsTool(qualifiedName: string, tool: Tool): AppsTool {
  const meta = isObject(tool._meta) ? tool._meta : undefined;
  const fileParams = declaredFileParams(meta);
  const inputSchema = tool.inputSchema as JsonObject;
  const properties = isObject(inputSchema.properties) ? inputSchema.properties : {};
  const fileParamFields: Record<string, string[]> = {};
  const modelProperties: JsonObject = { ...properties };
  for (const param of fileParams) {
    fileParamFields[param] = acceptedFileFields(properties[param]);
    if (param in modelProperties) modelProperties[param] = localPathSchema(properties[param]);
  }
  return {
    qualifiedName,
    tool,
    connectorId: metaString(meta, 'connector_id'),
    connectorName: metaString(meta, 'connector_name', 'connector_display_name'),
    connectorDescription: metaString(meta, 'connector_description', 'connectorDescription'),
    fileParams,
    fileParamFields,
    modelInputSchema: fileParams.length === 0 ? inputSchema : { ...inputSchema, properties: modelProperties },
  };
}
