import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import {
  readInputs,
  workspace,
  setOutputs,
  writeSummary,
  emitAnnotations,
  writeResultFile,
  defaultResultPath,
  runInfo,
  log,
  group,
  maskSecret,
} from '../../lib/action/index.js';
import type { Annotation } from '../../lib/annotations.js';
import { CheckFailedError, ConfigurationError } from '../../lib/errors.js';
import { dateInZone } from '../../lib/dates.js';
import { resolveInside, writeTextFile } from '../../lib/files.js';
import { ownedPath, refuseSymlinks } from '../../lib/owned-paths.js';
import {
  isSensitiveHeader,
  redactHeaders,
  redactJson,
  redactor,
  redactUrl,
  urlSecrets,
} from '../../lib/redact.js';
import { table } from '../../lib/markdown.js';
import { describeDocument } from '../../lib/contracts/kind.js';
import { normalizedJson } from '../../lib/contracts/normalize.js';
import { inferSchema } from '../../lib/contracts/infer.js';
import { topicPayloads } from '../../lib/contracts/conformance.js';
import { isSignedBundle, verifyBundle } from '../../lib/contracts/signature.js';
import {
  sha256,
  type IndexEntry,
  type RecordedKind,
  type RecordingIndex,
} from '../../lib/contracts/recording.js';
import { renderReadme, type ReadmeService, type ReadmeTopic } from '../../lib/contracts/readme.js';
import { commitBack, branchFromEnv, branchInput } from '../../lib/git/index.js';
import { KafkaInspector, tpKey, type KafkaRecord } from '../../lib/kafka/inspector.js';
import { metadata, type EndpointsConfig } from './metadata.js';
import { request } from './http.js';

type Service = EndpointsConfig['services'][number];
const toPosix = (p: string) => p.split(sep).join('/');

export async function main(): Promise<void> {
  const inputs = readInputs(metadata.inputs);
  const ws = workspace();
  const startedAt = new Date();
  const date = inputs.date ?? dateInZone(startedAt, inputs.timezone);
  const endpoints = inputs.endpoints!;
  // Credentials (request headers, a URL's user-info, credential query parameters) are masked before
  // anything is printed and kept out of every file.
  for (const s of endpoints.services) {
    for (const secret of urlSecrets(s.url)) maskSecret(secret);
    for (const r of s.requests ?? []) {
      for (const secret of urlSecrets(r.path)) maskSecret(secret);
      for (const [k, v] of Object.entries(r.headers ?? {})) if (isSensitiveHeader(k)) maskSecret(v);
    }
  }
  const branch = inputs.commit ? branchInput('branch', inputs.branch ?? branchFromEnv() ?? '') : undefined;
  const { abs: outDir, rel: outRel } = ownedPath(ws, inputs.outputDir, date, 'output-dir');
  await refuseSymlinks(ws, outRel, "input 'output-dir':");
  if (existsSync(outDir) && (await readdir(outDir)).length > 0 && !existsSync(join(outDir, 'index.json'))) {
    throw new ConfigurationError(
      `input 'output-dir': ${outRel} already holds files that are not a recording (no index.json); choose an empty folder`,
    );
  }
  const timeoutMs = inputs.requestTimeout;

  const files: IndexEntry[] = [];
  const contents = new Map<string, string>();
  const put = (path: string, kind: RecordedKind, text: string, extra: Partial<IndexEntry> = {}) => {
    const redacted = redactor.redact(text);
    contents.set(path, redacted);
    files.push({ path, kind, sha256: sha256(redacted), bytes: Buffer.byteLength(redacted), ...extra });
  };

  const services: ReadmeService[] = [];
  const asyncapis: { service: string; value: unknown; path: string }[] = [];
  const problems: string[] = [];
  for (const svc of endpoints.services) {
    await group(`Record ${svc.name} (${redactUrl(svc.url)})`, async () => {
      services.push(await recordService(svc, timeoutMs, put, asyncapis, problems));
    });
  }

  const topics: ReadmeTopic[] = [];
  if (endpoints.kafka) {
    const kafka = endpoints.kafka;
    await group(`Sample ${kafka.topics.length} topic(s)`, async () => {
      topics.push(...(await sampleTopics(kafka, asyncapis, put, problems)));
    });
  }

  const recordedAt = new Date().toISOString();
  const readme = renderReadme({ date, recordedAt, services, topics, files: [...files] });
  put('README.md', 'readme', readme);
  const index: RecordingIndex = {
    schemaVersion: 1,
    date,
    recordedAt,
    files: [...files].sort((a, b) => (a.path < b.path ? -1 : 1)),
  };

  await group(`Write ${outRel}/`, async () => {
    if (existsSync(outDir)) await rm(outDir, { recursive: true, force: true });
    for (const [p, text] of contents) await writeTextFile(join(outDir, p), text);
    await writeTextFile(join(outDir, 'index.json'), normalizedJson(index));
    log.info(`${files.length + 1} file(s) written to ${outRel}/`);
  });

  let commitSha = '';
  if (inputs.commit && branch) {
    const message = inputs.commitMessage.replaceAll('{date}', date);
    const r = await group(`Commit ${outRel} to ${branch}`, () =>
      commitBack({
        repoDir: ws,
        paths: [toPosix(relative(ws, outDir))],
        branch,
        message,
        pushAttempts: inputs.pushAttempts,
        log: (l) => log.info(l),
      }),
    );
    commitSha = r.commitSha;
    log.info(
      r.upToDate
        ? `${branch} already has this recording`
        : `pushed ${r.commitSha} to ${branch} after ${r.attempts} attempt(s)`,
    );
  }

  const signatures = services.flatMap((s) => s.signatures);
  const allVerified =
    signatures.length === 0 ? '' : signatures.every((s) => s.check.verified) ? 'true' : 'false';
  const resultPath = inputs.resultPath
    ? resolveInside(ws, inputs.resultPath, "input 'result-path'")
    : defaultResultPath('contract-record');
  const failed = problems.length > 0;
  await writeResultFile(resultPath, {
    action: 'contract-record',
    schemaVersion: 1,
    status: failed ? 'failure' : 'success',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    run: runInfo(),
    result: {
      date,
      outputDir: outRel,
      commitSha: commitSha || null,
      problems,
      services: services.map((s) => ({
        name: s.name,
        url: s.url,
        squad: s.squad ?? null,
        documents: s.documents.map((d) => ({ kind: d.kind, path: d.path })),
        samples: s.samples,
        signatures: s.signatures,
      })),
      topics: topics.map((t) => ({
        topic: t.topic,
        sampled: t.sampled,
        partitions: t.partitions,
        newest: t.newest ?? null,
        conformance: t.conformance,
        schema: t.schemaPath,
        messages: t.messagesPath,
      })),
      files: index.files,
    },
  });
  const summary = [
    `## Contracts recorded: ${outRel}`,
    '',
    `${services.length} service(s), ${topics.length} topic(s), ${index.files.length + 1} file(s)${commitSha ? `, committed as \`${commitSha.slice(0, 12)}\` on \`${branch}\`` : ''}.`,
    '',
    table(
      ['service', 'documents', 'samples', 'signed bundles'],
      services.map((s) => [
        s.name,
        s.documents.map((d) => d.kind).join(', '),
        s.samples.map((x) => `${x.name} → ${x.status}`).join('<br>'),
        s.signatures
          .map(
            (x) =>
              `${x.name}: ${x.check.verified ? 'verified' : `NOT verified (${x.check.problems.join('; ')})`}`,
          )
          .join('<br>'),
      ]),
    ),
    ...(topics.length
      ? [
          '',
          table(
            ['topic', 'sampled', 'conform to AsyncAPI'],
            topics.map((t) => [
              t.topic,
              t.sampled,
              t.conformance.against ? `${t.conformance.conforming}/${t.sampled}` : 'no channel',
            ]),
          ),
        ]
      : []),
    ...(problems.length ? ['', '### Problems', '', ...problems.map((p) => `- ${p}`)] : []),
  ].join('\n');
  await writeSummary(summary, join(outRel, 'README.md'));
  const annotations: Annotation[] = problems.map((p, i) => ({
    level: 'error',
    message: p,
    title: 'contract-record',
    rank: i,
  }));
  emitAnnotations(annotations);
  setOutputs({
    'output-dir': outRel,
    'index-path': join(outRel, 'index.json'),
    'commit-sha': commitSha,
    files: index.files.length + 1,
    'signatures-verified': allVerified,
    'result-path': resultPath,
  });
  if (failed)
    throw new CheckFailedError(
      `${problems.length} problem(s) in the recording (it was written so they can be read): ${problems.join('; ')}`,
    );
}

type Put = (path: string, kind: RecordedKind, text: string, extra?: Partial<IndexEntry>) => void;

async function recordService(
  svc: Service,
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
    documents: [],
    samples: [],
    signatures: [],
  };
  const owner = svc.squad ? ` (owner: ${svc.squad})` : '';
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
  return out;
}

/** Records a header under the spelling the user asked for (X-Policy-Decision), not fetch's lower case. */
function canonicalHeader(lower: string, asked: string[]): string {
  return asked.find((h) => h.toLowerCase() === lower) ?? lower;
}

async function sampleTopics(
  kafka: NonNullable<EndpointsConfig['kafka']>,
  asyncapis: { service: string; value: unknown; path: string }[],
  put: Put,
  problems: string[],
): Promise<ReadmeTopic[]> {
  const brokers = (Array.isArray(kafka.brokers) ? kafka.brokers : kafka.brokers.split(','))
    .map((b) => b.trim())
    .filter(Boolean);
  const n = kafka.messages ?? 20;
  const inspector = new KafkaInspector({ brokers, clientId: 'command-center-contract-record' });
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
