/**
 * Every change the diff engine reports has a stable rule id from this catalogue. Waivers, the
 * summary and the JSON result use the ids; the level can depend on the direction data flows.
 *
 * Direction: `request` is data the service reads (HTTP request, a message the service receives):
 * narrowing what it accepts breaks the senders. `response` is data clients read (HTTP response,
 * a message the service sends): widening what it sends breaks the readers.
 */
export type Level = 'breaking' | 'non-breaking' | 'informational';
export type Direction = 'request' | 'response';

export interface Rule {
  id: string;
  summary: string;
  request: Level;
  response: Level;
  /** The oasdiff check(s) this corresponds to, when there is one. */
  oasdiff?: string;
}

const B: Level = 'breaking';
const N: Level = 'non-breaking';
const I: Level = 'informational';

function rule(
  id: string,
  summary: string,
  request: Level,
  response: Level = request,
  oasdiff?: string,
): Rule {
  return { id, summary, request, response, ...(oasdiff ? { oasdiff } : {}) };
}

/** Property rules exist once per context, so a waiver can say which side of the wire it covers. */
const PROPERTY_CONTEXTS = ['openapi.request', 'openapi.response', 'asyncapi.message', 'schema'] as const;
export type PropertyContext = (typeof PROPERTY_CONTEXTS)[number];

function propertyRules(ctx: PropertyContext): Rule[] {
  // A context with a fixed direction gets that direction's level for both columns (readers of the catalogue see one level).
  const fixed = (req: Level, res: Level): [Level, Level] =>
    ctx === 'openapi.request' ? [req, req] : ctx === 'openapi.response' ? [res, res] : [req, res];
  return [
    rule(
      `${ctx}.property.added`,
      'optional property added',
      ...fixed(N, N),
      'new-optional-request-property / response-optional-property-added',
    ),
    rule(
      `${ctx}.property.required-added`,
      'required property added',
      ...fixed(B, N),
      'new-required-request-property / response-required-property-added',
    ),
    rule(
      `${ctx}.property.removed`,
      'property removed',
      ...fixed(N, B),
      'request-property-removed (warning) / response-(required|optional)-property-removed',
    ),
    // Only data the service reads can be rejected for carrying a property the schema no longer knows.
    ...(ctx === 'openapi.response'
      ? []
      : [
          rule(
            `${ctx}.property.removed-closed`,
            'property removed from an object that rejects unknown properties',
            ...fixed(B, B),
          ),
        ]),
    rule(
      `${ctx}.property.became-required`,
      'property became required',
      ...fixed(B, N),
      'request-property-became-required / response-property-became-required',
    ),
    rule(
      `${ctx}.property.became-optional`,
      'property became optional',
      ...fixed(N, B),
      'request-property-became-optional / response-property-became-optional',
    ),
  ];
}

export const RULES: readonly Rule[] = [
  // Documents
  rule('contract.document.unrecorded', 'declared contract has no recorded counterpart', I),
  rule('contract.version.changed', 'info.version changed', I),
  rule('contract.spec-version.changed', 'OpenAPI/AsyncAPI version changed (3.0 → 3.1, 2 → 3)', I),
  // OpenAPI structure
  rule('openapi.path.added', 'path added', N, N, 'endpoint-added'),
  rule('openapi.path.removed', 'path removed', B, B, 'api-path-removed-without-deprecation'),
  rule('openapi.operation.added', 'operation added', N, N, 'endpoint-added'),
  rule('openapi.operation.removed', 'operation removed', B, B, 'api-removed-without-deprecation'),
  rule(
    'openapi.operation.removed-deprecated',
    'operation removed after it was deprecated',
    N,
    N,
    'api-removed-with-deprecation',
  ),
  rule('openapi.operation.deprecated', 'operation deprecated', I, I, 'endpoint-deprecated'),
  rule('openapi.operation.id-changed', 'operationId changed', I, I, 'api-operation-id-updated'),
  rule(
    'openapi.security.anonymous-access-removed',
    'operation that allowed anonymous callers now requires credentials',
    B,
    B,
    'api-security-anonymous-access-removed',
  ),
  rule(
    'openapi.security.requirement-removed',
    'callers using one of the earlier security alternatives are no longer accepted (scheme replaced, scope added)',
    B,
    B,
    'api-security-removed / api-security-scope-added',
  ),
  rule(
    'openapi.security.changed',
    'security requirements changed, every earlier caller still accepted',
    I,
    I,
    'api-security-added',
  ),
  rule('openapi.parameter.added', 'optional parameter added', N, N, 'new-optional-request-parameter'),
  rule(
    'openapi.parameter.required-added',
    'required parameter added',
    B,
    B,
    'new-required-request-parameter',
  ),
  rule('openapi.parameter.removed', 'parameter removed', N, N, 'request-parameter-removed (warning)'),
  rule(
    'openapi.parameter.became-required',
    'parameter became required',
    B,
    B,
    'request-parameter-became-required',
  ),
  rule(
    'openapi.parameter.became-optional',
    'parameter became optional',
    N,
    N,
    'request-parameter-became-optional',
  ),
  rule('openapi.request-body.added', 'optional request body added', N, N),
  rule(
    'openapi.request-body.required-added',
    'required request body added',
    B,
    B,
    'request-body-added-required',
  ),
  rule('openapi.request-body.removed', 'request body removed', B, B, 'request-body-removed'),
  rule(
    'openapi.request-body.became-required',
    'request body became required',
    B,
    B,
    'request-body-became-required',
  ),
  rule(
    'openapi.request-body.became-optional',
    'request body became optional',
    N,
    N,
    'request-body-became-optional',
  ),
  rule(
    'openapi.request-body.media-type.added',
    'request media type added',
    N,
    N,
    'request-body-media-type-added',
  ),
  rule(
    'openapi.request-body.media-type.removed',
    'request media type removed',
    B,
    B,
    'request-body-media-type-removed',
  ),
  rule(
    'openapi.response.status.added',
    'response status added',
    N,
    N,
    'response-success-status-added / response-non-success-status-added',
  ),
  rule(
    'openapi.response.status.removed',
    'success response status removed',
    B,
    B,
    'response-success-status-removed',
  ),
  rule(
    'openapi.response.error-status.removed',
    'non-success response status removed',
    I,
    I,
    'response-non-success-status-removed',
  ),
  rule('openapi.response.media-type.added', 'response media type added', N, N, 'response-media-type-added'),
  rule(
    'openapi.response.media-type.removed',
    'response media type removed',
    B,
    B,
    'response-media-type-removed',
  ),
  rule('openapi.response.header.added', 'response header added', N, N, 'response-header-added'),
  rule(
    'openapi.response.header.removed',
    'response header removed',
    B,
    B,
    'required-response-header-removed / optional-response-header-removed (info)',
  ),
  rule(
    'openapi.response.header.became-optional',
    'response header became optional',
    B,
    B,
    'response-header-became-optional',
  ),
  rule('openapi.response.header.became-required', 'response header became required', N, N),
  // AsyncAPI structure
  rule('asyncapi.channel.added', 'channel added', N),
  rule('asyncapi.channel.removed', 'channel removed', B),
  rule('asyncapi.operation.added', 'send/receive operation added on a channel', N),
  rule('asyncapi.operation.removed', 'send/receive operation removed from a channel', B),
  rule('asyncapi.message.added', 'message added to a channel', N),
  rule('asyncapi.message.removed', 'message removed from a channel', B),
  rule(
    'asyncapi.message.payload.changed',
    'message payload replaced by one that cannot be compared (schema format changed, or a non-JSON-Schema payload changed)',
    B,
  ),
  rule('asyncapi.message.content-type.changed', 'message content type changed', B),
  // Properties, per context
  ...PROPERTY_CONTEXTS.flatMap(propertyRules),
  // Schema values (every context)
  rule(
    'schema.type.changed',
    'type changed to an incompatible one',
    B,
    B,
    'request-property-type-changed / response-property-type-changed',
  ),
  rule(
    'schema.type.narrowed',
    'type narrowed (fewer values allowed, e.g. number → integer)',
    B,
    N,
    'request-property-type-changed / response-property-type-specialized',
  ),
  rule(
    'schema.type.widened',
    'type widened (more values allowed, e.g. integer → number)',
    N,
    B,
    'request-property-type-generalized / response-property-type-generalized',
  ),
  rule(
    'schema.nullable.added',
    'null became allowed',
    N,
    B,
    'request-property-became-nullable / response-property-became-nullable',
  ),
  rule(
    'schema.nullable.removed',
    'null no longer allowed',
    B,
    N,
    'request-property-became-not-nullable / response-property-became-not-nullable',
  ),
  rule(
    'schema.enum.added',
    'value restricted to an enum',
    B,
    N,
    'request-property-became-enum / response-property-became-enum',
  ),
  rule(
    'schema.enum.removed',
    'enum restriction removed',
    N,
    B,
    'request-property-became-not-enum / response-property-became-not-enum',
  ),
  rule(
    'schema.enum.value-added',
    'enum value added',
    N,
    B,
    'request-property-enum-value-added / response-property-enum-value-added',
  ),
  rule(
    'schema.enum.value-removed',
    'enum value removed',
    B,
    N,
    'request-property-enum-value-removed / response-property-enum-value-removed',
  ),
  rule('schema.format.added', 'format added', B, N),
  rule('schema.format.removed', 'format removed', N, B),
  rule(
    'schema.format.changed',
    'format changed',
    B,
    B,
    'request-property-type-changed / response-property-type-changed',
  ),
  rule(
    'schema.pattern.added',
    'pattern added',
    B,
    N,
    'request-property-pattern-added / response-property-pattern-added',
  ),
  rule(
    'schema.pattern.removed',
    'pattern removed',
    N,
    B,
    'request-property-pattern-removed / response-property-pattern-removed',
  ),
  rule('schema.pattern.changed', 'pattern changed', B, B, 'request-property-pattern-changed (warning)'),
  rule(
    'schema.bound.narrowed',
    'a bound tightened (min/max, length, items, properties)',
    B,
    N,
    'request-*-max-decreased / -min-increased / -set',
  ),
  rule(
    'schema.bound.widened',
    'a bound loosened (min/max, length, items, properties)',
    N,
    B,
    'response-*-max-increased / -min-decreased / -unset',
  ),
  rule(
    'schema.multiple-of.changed',
    'multipleOf changed',
    B,
    B,
    'request-property-multiple-of-changed / response-property-multiple-of-changed',
  ),
  rule(
    'schema.one-of.variant-added',
    'oneOf variant added',
    N,
    B,
    'request-body-one-of-added / response-body-one-of-added',
  ),
  rule(
    'schema.one-of.variant-removed',
    'oneOf variant removed',
    B,
    N,
    'request-body-one-of-removed / response-body-one-of-removed',
  ),
  rule(
    'schema.any-of.variant-added',
    'anyOf variant added',
    N,
    B,
    'request-body-any-of-added / response-body-any-of-added',
  ),
  rule(
    'schema.any-of.variant-removed',
    'anyOf variant removed',
    B,
    N,
    'request-body-any-of-removed / response-body-any-of-removed',
  ),
  rule('schema.additional-properties.narrowed', 'unknown properties no longer accepted', B, N),
  rule('schema.additional-properties.widened', 'unknown properties now accepted', N, N),
  rule('schema.items.removed', 'array item schema removed (items unconstrained)', N, B),
  rule('schema.items.added', 'array item schema added', B, N),
  rule('schema.read-only.changed', 'readOnly/writeOnly changed', I),
  rule('schema.default.changed', 'default value changed', I, I, 'request-property-default-value-changed'),
  rule('schema.discriminator.changed', 'discriminator changed', I, I, 'request-property-discriminator-*'),
  rule('schema.deprecated.changed', 'deprecated flag changed', I),
  rule('schema.description.changed', 'description or title changed', I),
];

export const RULE_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.id, r]));

export function levelOf(ruleId: string, direction: Direction | undefined): Level {
  const r = RULE_BY_ID.get(ruleId);
  if (!r) throw new Error(`unknown rule id ${ruleId}`);
  return direction === 'request' ? r.request : r.response;
}
