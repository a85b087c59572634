import { ERROR_SCHEMA, TRACE_HEADER_DOC, type ResponseDoc, type Route } from './http.js';
import { SERVICE_VERSION } from './metrics.js';
import type { JsonSchema } from './validation.js';

// Builds the OpenAPI 3.1 document from the very route definitions the router validates with.

const STATUS_TEXT: Record<number, string> = { 400: "The request does not match this operation's schema." };

function response(doc: ResponseDoc): Record<string, unknown> {
  const out: Record<string, unknown> = {
    description: doc.description,
    headers: {
      'X-Trace-Id': { description: TRACE_HEADER_DOC.description, schema: TRACE_HEADER_DOC.schema },
      ...Object.fromEntries(
        Object.entries(doc.headers ?? {}).map(([k, v]) => [
          k,
          { description: v.description, schema: v.schema },
        ]),
      ),
    },
  };
  if (doc.schema) out.content = { [doc.contentType ?? 'application/json']: { schema: doc.schema } };
  return out;
}

function operation(route: Route): Record<string, unknown> {
  const parameters: Record<string, unknown>[] = [];
  for (const [name, p] of Object.entries(route.params ?? {})) {
    parameters.push({
      name,
      in: 'path',
      required: true,
      description: p.description,
      schema: p.schema,
      example: p.example,
    });
  }
  if (route.query) {
    const props = (route.query.schema.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((route.query.schema.required ?? []) as string[]);
    for (const [name, schema] of Object.entries(props)) {
      const { description, ...rest } = schema as JsonSchema & { description?: string };
      parameters.push({
        name,
        in: 'query',
        required: required.has(name),
        ...(description ? { description } : {}),
        schema: rest,
        example: route.query.examples[name],
      });
    }
  }
  const responses: Record<string, unknown> = {};
  const docs: Record<number, ResponseDoc> = { ...route.responses };
  if ((route.params || route.query || route.body) && !docs[400])
    docs[400] = { description: STATUS_TEXT[400]!, schema: ERROR_SCHEMA };
  for (const code of Object.keys(docs)
    .map(Number)
    .sort((a, b) => a - b))
    responses[String(code)] = response(docs[code]!);
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: route.tags,
    ...(parameters.length ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: route.body.schema, example: route.body.example } },
          },
        }
      : {}),
    responses,
  };
}

export function buildOpenApi(opts: {
  title: string;
  description: string;
  serverUrl: string;
  routes: Route[];
  tags: { name: string; description: string }[];
}): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of opts.routes) {
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: { title: opts.title, version: SERVICE_VERSION, description: opts.description },
    servers: [{ url: opts.serverUrl }],
    tags: opts.tags,
    paths,
  };
}
