import { readFileSync, existsSync } from 'node:fs';
import { Validator, type Schema } from '@cfworker/json-schema';
import { parse as parseYaml } from 'yaml';
import { ConfigurationError } from './errors.js';
import { describeErrors, type JsonSchema } from './schema.js';

export interface MessageSchemaRef {
  /** Path to a JSON Schema or an AsyncAPI 2/3 document (JSON or YAML). */
  file: string;
  /** AsyncAPI message name (components.messages key); omitted: the messages of the channel whose address is the topic. */
  message?: string;
  /** The topic, for finding its channel in an AsyncAPI document. */
  topic: string;
}

export type PayloadValidator = (value: unknown) => { pointer: string; message: string }[];

const DOC_ID = 'urn:command-center:schema-document';

/**
 * Builds a validator for a topic's messages from a JSON Schema file, or from an AsyncAPI document's
 * message payload (local `$ref`s resolved against the document; nothing is fetched).
 */
export function loadPayloadValidator(ref: MessageSchemaRef, input: string): PayloadValidator {
  if (!existsSync(ref.file))
    throw new ConfigurationError(
      `input '${input}': schema file ${JSON.stringify(ref.file)} for topic ${ref.topic} does not exist`,
    );
  let doc: Record<string, unknown>;
  try {
    doc = parseYaml(readFileSync(ref.file, 'utf8'), { maxAliasCount: 50 }) as Record<string, unknown>;
  } catch (err) {
    throw new ConfigurationError(
      `input '${input}': schema file ${ref.file} is not valid JSON/YAML: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  if (!doc || typeof doc !== 'object')
    throw new ConfigurationError(`input '${input}': schema file ${ref.file} does not hold an object`);

  let pointer: string;
  if (typeof doc.asyncapi === 'string') {
    pointer = asyncApiPayloadPointer(doc, ref, input);
  } else {
    if (ref.message)
      throw new ConfigurationError(
        `input '${input}': topic ${ref.topic} names message ${JSON.stringify(ref.message)}, but ${ref.file} is a JSON Schema, not an AsyncAPI document`,
      );
    pointer = '';
  }
  const validator = new Validator({ $ref: `${DOC_ID}#${pointer}` } as Schema, '2020-12', false);
  validator.addSchema(doc as Schema, DOC_ID);
  return (value) => {
    const result = validator.validate(value);
    return result.valid
      ? []
      : describeErrors(result.errors, doc as JsonSchema, value).map((v) => ({
          pointer: v.pointer,
          message: v.message,
        }));
  };
}

function asyncApiPayloadPointer(doc: Record<string, unknown>, ref: MessageSchemaRef, input: string): string {
  const components = (doc.components ?? {}) as { messages?: Record<string, unknown> };
  if (ref.message) {
    if (!components.messages || !(ref.message in components.messages)) {
      const known = Object.keys(components.messages ?? {}).join(', ') || 'none';
      throw new ConfigurationError(
        `input '${input}': message ${JSON.stringify(ref.message)} is not in ${ref.file} (components.messages has: ${known})`,
      );
    }
    return `/components/messages/${escapePointer(ref.message)}/payload`;
  }
  // AsyncAPI 3: channels.<id>.address is the topic; AsyncAPI 2: the channel key is the topic.
  const channels = (doc.channels ?? {}) as Record<
    string,
    {
      address?: string;
      messages?: Record<string, unknown>;
      subscribe?: { message?: unknown };
      publish?: { message?: unknown };
    }
  >;
  for (const [id, ch] of Object.entries(channels)) {
    const address = String(doc.asyncapi).startsWith('2.') ? id : ch.address;
    if (address !== ref.topic) continue;
    if (ch.messages) {
      const names = Object.keys(ch.messages);
      if (names.length === 1)
        return `/channels/${escapePointer(id)}/messages/${escapePointer(names[0]!)}/payload`;
      throw new ConfigurationError(
        `input '${input}': channel ${id} in ${ref.file} has ${names.length} messages (${names.join(', ')}); name one with 'message'`,
      );
    }
    const op = ch.subscribe ?? ch.publish;
    if (op?.message)
      return `/channels/${escapePointer(id)}/${ch.subscribe ? 'subscribe' : 'publish'}/message/payload`;
  }
  throw new ConfigurationError(
    `input '${input}': no channel for topic ${ref.topic} in ${ref.file}; name the message with 'message'`,
  );
}

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}
