import type { EndpointsConfig } from './metadata.js';
import type { TopicSampling } from './inputs.js';
import { request as send } from './http.js';
import { log } from '../../lib/action/index.js';
import { CheckFailedError } from '../../lib/errors.js';
import { redactHeaders, redactJson, redactUrl } from '../../lib/redact.js';
import { describeDocument } from '../../lib/contracts/kind.js';
import { normalizedJson } from '../../lib/contracts/normalize.js';
import { inferSchema } from '../../lib/contracts/infer.js';
import { topicPayloads } from '../../lib/contracts/conformance.js';
import { isSignedBundle, verifyBundle } from '../../lib/contracts/signature.js';
import type { IndexEntry, RecordedKind } from '../../lib/contracts/recording.js';
import type { ReadmeService, ReadmeTopic } from '../../lib/contracts/readme.js';
import { harOf, type HttpExchange } from '../../lib/contracts/har.js';
import { COMMAND_CENTER_VERSION } from '../../lib/version.js';
import { KafkaInspector, tpKey, type KafkaRecord } from '../../lib/kafka/inspector.js';

type Service = EndpointsConfig['services'][number];

export type Put = (path: string, kind: RecordedKind, text: string, extra?: Partial<IndexEntry>) => void;

export async function recordService(
  svc: Service,
  runbook: string | undefined,
  timeoutMs: number,
  put: Put,
  asyncapis: { service: string; value: unknown; path: string }[],
  problems: string[],
): Promise<ReadmeService> {
  const base = svc.url.replace(/\/+$/, '');
  const out: ReadmeService = {
    name: svc.name,
    url: redactUrl(base),
    ...(svc.squad ? { squad: svc.squad } : {}),
    ...(runbook ? { runbook } : {}),
    documents: [],
    samples: [],
    signatures: [],
  };
  // Every request and its answer, in order, for the service's HAR file.
  const exchanges: HttpExchange[] = [];
  const request: typeof send = async (...args) => {
    const res = await send(...args);
    exchanges.push(res.exchange);
    return res;
  };
  // Every failure names the service's owner and runbook, where known.
  const who = [svc.squad ? `owner: ${svc.squad}` : '', runbook ? `runbook: ${runbook}` : ''].filter(Boolean);
  const owner = who.length ? ` (${who.join(', ')})` : '';
  for (const docPath of svc.documents ?? []) {
    const url = `${base}${docPath}`;
    const res = await request(svc.name, 'GET', url, { timeoutMs });
    if (res.status !== 200)
      throw new CheckFailedError(
        `service ${svc.name}: GET ${redactUrl(url)} answered HTTP ${res.status}, not a contract document${owner}`,
      );
    if (res.json === undefined)
      throw new CheckFailedError(
        `service ${svc.name}: GET ${redactUrl(url)} did not return JSON (content-type ${res.headers['content-type'] ?? 'none'}), so it is not a valid OpenAPI/AsyncAPI document${owner}`,
      );
    let info;
    try {
      info = describeDocument(res.json, url);
    } catch (err) {
      throw new CheckFailedError(`service ${svc.name}: ${(err as Error).message}${owner}`);
    }
    if (info.kind === 'json-schema')
      throw new CheckFailedError(
        `service ${svc.name}: ${redactUrl(url)} is not an OpenAPI or AsyncAPI document${owner}`,
      );
    const file = docPath
      .replace(/^\/+/, '')
      .replace(/\.(ya?ml)$/i, '.json')
      .replace(/\//g, '-');
    const path = `${svc.name}/${file.endsWith('.json') ? file : `${file}.json`}`;
    put(path, info.kind, normalizedJson(res.json), { service: svc.name, source: redactUrl(url) });
    out.documents.push({ kind: info.kind, path, value: res.json });
    if (info.kind === 'asyncapi') asyncapis.push({ service: svc.name, value: res.json, path });
    log.info(`${svc.name}: ${docPath} → ${path} (${info.kind} ${info.version}, "${info.title ?? ''}")`);
  }
  for (const r of svc.requests ?? []) {
    const method = r.method ?? (r.body !== undefined ? 'POST' : 'GET');
    const url = `${base}${r.path}`;
    const res = await request(svc.name, method, url, { headers: r.headers ?? {}, body: r.body, timeoutMs });
    const wanted = new Set(['content-type', ...(r.capture ?? []).map((h) => h.toLowerCase())]);
    const captured: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers))
      if (wanted.has(k)) captured[canonicalHeader(k, r.capture ?? [])] = v;
    const missing = (r.capture ?? []).filter((h) => !(h.toLowerCase() in res.headers));
    if (missing.length > 0)
      problems.push(
        `service ${svc.name}: sample ${r.name} (${method} ${r.path}) answered without the header(s) ${missing.join(', ')} it should capture${owner}`,
      );
    // Recordings are committed and used as fixtures: credentials are replaced by field, so the
    // sample stays valid JSON a test can load.
    const sample = {
      name: r.name,
      service: svc.name,
      request: {
        method,
        path: redactUrl(r.path),
        url: redactUrl(url),
        headers: redactHeaders(r.headers ?? {}),
        ...(r.body !== undefined ? { body: redactJson(r.body) } : {}),
      },
      response: {
        status: res.status,
        headers: redactHeaders(captured),
        body: redactJson(res.json !== undefined ? res.json : res.text),
      },
    };
    const path = `${svc.name}/samples/${r.name}.json`;
    put(path, 'sample', `${JSON.stringify(sample, null, 2)}\n`, {
      service: svc.name,
      source: redactUrl(url),
    });
    out.samples.push({
      name: r.name,
      path,
      method,
      url: redactUrl(r.path),
      status: res.status,
      captured: redactHeaders(
        Object.fromEntries(Object.entries(captured).filter(([k]) => k.toLowerCase() !== 'content-type')),
      ),
    });
    log.info(
      `${svc.name}: sample ${r.name}: ${method} ${redactUrl(r.path)} → ${res.status}${
        Object.keys(captured).length > 1
          ? ` (${Object.entries(redactHeaders(captured))
              .filter(([k]) => k !== 'content-type')
              .map(([k, v]) => `${k}: ${v}`)
              .join(', ')})`
          : ''
      }`,
    );
  }
  for (const b of svc.bundles ?? []) {
    const url = `${base}${b.path}`;
    const res = await request(svc.name, 'GET', url, { timeoutMs });
    if (res.status !== 200 || !isSignedBundle(res.json))
      throw new CheckFailedError(
        `service ${svc.name}: GET ${redactUrl(url)} answered HTTP ${res.status} without a signed bundle (bundle, signature.value)${owner}`,
      );
    let published: string[] | undefined;
    if (b.keys) {
      const keys = await request(svc.name, 'GET', `${base}${b.keys}`, { timeoutMs });
      const list = (keys.json as { keys?: { public_key?: string }[] } | undefined)?.keys;
      if (keys.status !== 200 || !Array.isArray(list))
        throw new CheckFailedError(
          `service ${svc.name}: GET ${redactUrl(`${base}${b.keys}`)} did not list public keys ({keys: [{public_key}]})${owner}`,
        );
      published = list.map((k) => k.public_key ?? '').filter(Boolean);
    }
    const check = verifyBundle(res.json, published);
    const path = `${svc.name}/bundles/${b.name}.json`;
    put(
      path,
      'signature',
      normalizedJson({ source: redactUrl(url), bundle: res.json, verification: check }),
      { service: svc.name, source: redactUrl(url) },
    );
    const bundle = res.json as { tenant?: string; version?: number };
    out.signatures.push({
      name: b.name,
      path,
      ...(bundle.tenant ? { tenant: bundle.tenant } : {}),
      ...(typeof bundle.version === 'number' ? { version: bundle.version } : {}),
      check,
    });
    if (!check.verified)
      problems.push(
        `service ${svc.name}: bundle ${b.name} (${redactUrl(url)}) is not verified: ${check.problems.join('; ')}${owner}`,
      );
    log.info(
      `${svc.name}: bundle ${b.name}: ${check.verified ? `signature verified (key ${check.keyId})` : `NOT verified: ${check.problems.join('; ')}`}`,
    );
  }
  out.har = `${svc.name}.har`;
  const har = harOf(
    exchanges,
    { name: 'command-center contract-record', version: COMMAND_CENTER_VERSION },
    `Requests made to ${svc.name} (${redactUrl(base)}) while recording its contracts`,
  );
  put(out.har, 'har', `${JSON.stringify(har, null, 2)}\n`, { service: svc.name, source: redactUrl(base) });
  return out;
}

/** Records a header under the spelling the user asked for (X-Policy-Decision), not fetch's lower case. */
function canonicalHeader(lower: string, asked: string[]): string {
  return asked.find((h) => h.toLowerCase() === lower) ?? lower;
}

export async function sampleTopics(
  kafka: TopicSampling,
  asyncapis: { service: string; value: unknown; path: string }[],
  put: Put,
  problems: string[],
): Promise<ReadmeTopic[]> {
  const brokers = kafka.connection.brokers;
  const n = kafka.messages;
  const inspector = new KafkaInspector(kafka.connection);
  const out: ReadmeTopic[] = [];
  try {
    await inspector.connect();
    const meta = await inspector.describeTopics(kafka.topics);
    for (const t of meta) {
      if (!t.exists) throw new CheckFailedError(`topic ${t.name} does not exist on ${brokers.join(',')}`);
      const tps = t.partitions.map((p) => ({ topic: t.name, partition: p.partition }));
      const [ends, starts] = await Promise.all([inspector.endOffsets(tps), inspector.startOffsets(tps)]);
      // The newest n of each partition, then the newest n overall by timestamp.
      const requests = tps.map((tp) => {
        const end = ends.get(tpKey(tp.topic, tp.partition)) ?? 0n;
        const start = starts.get(tpKey(tp.topic, tp.partition)) ?? 0n;
        const from = end - BigInt(n) > start ? end - BigInt(n) : start;
        return { ...tp, offset: from, maxRecords: Number(end - from) };
      });
      const fetched = await inspector.fetchFrom(requests);
      const records: KafkaRecord[] = [...fetched.values()]
        .flat()
        .sort((a, b) => b.timestamp - a.timestamp || Number(b.offset - a.offset))
        .slice(0, n);
      const values = records.map((r) => {
        const text = r.value?.toString('utf8') ?? '';
        try {
          return { record: r, value: JSON.parse(text) as unknown, json: true };
        } catch {
          return { record: r, value: text, json: false };
        }
      });
      const published = asyncapis
        .map((a) => ({ a, topic: topicPayloads(a.value, t.name) }))
        .find((x) => x.topic);
      let conforming = 0;
      const msgProblems: string[] = [];
      const messages = values.map(({ record, value, json }) => {
        const check = published ? published.topic!.validate(value) : undefined;
        if (check?.valid) conforming++;
        else if (check)
          msgProblems.push(
            `partition ${record.partition} offset ${record.offset}: ${check.problems.slice(0, 2).join('; ')}`,
          );
        const headers = redactHeaders(record.headers);
        return {
          partition: record.partition,
          offset: record.offset.toString(),
          timestamp: new Date(record.timestamp).toISOString(),
          key: record.key,
          headers,
          json,
          value: redactJson(value),
          ...(check ? { conforms: check.valid, problems: check.problems } : {}),
        };
      });
      // The title is the topic alone: design-drift pairs a declared schema with this one by title.
      const schema = {
        ...inferSchema(
          values.filter((v) => v.json).map((v) => v.value),
          t.name,
        ),
        description: `Inferred from the ${values.length} newest message(s) of ${t.name}; describes what was seen, not everything the producers may send.`,
      };
      const schemaPath = `topics/${t.name}.schema.json`;
      const messagesPath = `topics/${t.name}.messages.json`;
      put(schemaPath, 'json-schema', normalizedJson(schema), { topic: t.name });
      put(
        messagesPath,
        'messages',
        `${JSON.stringify({ topic: t.name, brokers, sampled: messages.length, conformsTo: published ? `${published.a.path}#${published.topic!.payloads.join(', ')}` : null, messages }, null, 2)}\n`,
        { topic: t.name },
      );
      const against = published ? `${published.a.path}` : null;
      if (records.length === 0)
        problems.push(`topic ${t.name}: no messages to sample (all ${tps.length} partition(s) are empty)`);
      if (published && conforming < values.length)
        problems.push(
          `topic ${t.name}: ${values.length - conforming} of ${values.length} sampled message(s) do not conform to ${against}`,
        );
      out.push({
        topic: t.name,
        schemaPath,
        messagesPath,
        sampled: values.length,
        partitions: tps.length,
        ...(records[0] ? { newest: new Date(records[0].timestamp).toISOString() } : {}),
        schema,
        conformance: { against, conforming, problems: msgProblems },
      });
      log.info(
        `${t.name}: ${values.length} message(s) from ${tps.length} partition(s)${against ? `, ${conforming} conform to ${against}` : ', no AsyncAPI channel for it'}`,
      );
    }
  } finally {
    await inspector.close();
  }
  return out;
}
