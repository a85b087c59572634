import { ConfigurationError } from '../errors.js';

export type DocumentKind = 'openapi' | 'asyncapi' | 'json-schema';

export interface DocumentInfo {
  kind: DocumentKind;
  /** The spec version the document declares (3.0.3, 3.1.0, 2.6.0, 3.0.0) or the JSON Schema dialect. */
  version: string;
  /** info.title (OpenAPI, AsyncAPI), or title / $id (JSON Schema). */
  title: string | undefined;
  /** info.version. */
  apiVersion: string | undefined;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Says what a contract document is, or why it is not one this engine reads. */
export function describeDocument(value: unknown, name: string): DocumentInfo {
  if (!isObj(value))
    throw new ConfigurationError(
      `${name} is not a contract: expected an OpenAPI 3.x, AsyncAPI 2/3 or JSON Schema object at the top level`,
    );
  const info = isObj(value.info) ? value.info : {};
  const title = typeof info.title === 'string' ? info.title : undefined;
  const apiVersion =
    typeof info.version === 'string' || typeof info.version === 'number' ? String(info.version) : undefined;
  if (typeof value.openapi === 'string') {
    if (!/^3\.[01]\./.test(value.openapi))
      throw new ConfigurationError(
        `${name} declares openapi ${value.openapi}; OpenAPI 3.0 and 3.1 are supported`,
      );
    if (!isObj(value.paths) && !isObj(value.webhooks) && !isObj(value.components))
      throw new ConfigurationError(
        `${name} is not a valid OpenAPI document: it has no paths, webhooks or components`,
      );
    return { kind: 'openapi', version: value.openapi, title, apiVersion };
  }
  if (typeof value.swagger === 'string')
    throw new ConfigurationError(
      `${name} is Swagger ${value.swagger}; OpenAPI 3.0 and 3.1 are supported (convert it first)`,
    );
  if (typeof value.asyncapi === 'string') {
    if (!/^[23]\./.test(value.asyncapi))
      throw new ConfigurationError(
        `${name} declares asyncapi ${value.asyncapi}; AsyncAPI 2.x and 3.x are supported`,
      );
    return { kind: 'asyncapi', version: value.asyncapi, title, apiVersion };
  }
  const looksLikeSchema =
    typeof value.$schema === 'string' ||
    'type' in value ||
    'properties' in value ||
    'oneOf' in value ||
    'anyOf' in value ||
    'allOf' in value ||
    '$ref' in value ||
    '$defs' in value;
  if (looksLikeSchema) {
    const t =
      typeof value.title === 'string' ? value.title : typeof value.$id === 'string' ? value.$id : undefined;
    return {
      kind: 'json-schema',
      version: typeof value.$schema === 'string' ? value.$schema : 'unspecified',
      title: t,
      apiVersion: undefined,
    };
  }
  throw new ConfigurationError(
    `${name} is not a contract: no openapi, asyncapi or JSON Schema keywords at the top level`,
  );
}
