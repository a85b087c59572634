import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { glob } from 'tinyglobby';
import { readInputs, workspace, setOutputs, writeSummary, emitAnnotations, writeResultFile, defaultResultPath, runInfo, log, group } from '../../lib/action/index.js';
import { CheckFailedError, ConfigurationError } from '../../lib/errors.js';
import { dateInZone } from '../../lib/dates.js';
import { resolveInside } from '../../lib/files.js';
import { diffContracts, loadContract, type Contract } from '../../lib/contracts/diff.js';
import { listFiles, newestRecording, readIndex, verifyIndex } from '../../lib/contracts/recording.js';
import { describeDocument } from '../../lib/contracts/kind.js';
import { parseSpecText } from '../../lib/contracts/source.js';
import { git, gitOut } from '../../lib/git/index.js';
import { metadata } from './metadata.js';
import { pairContracts } from './match.js';
import { applyWaivers, parseWaivers, type Waiver } from './waivers.js';
import { buildAnnotations, decide, renderSummary, type DocumentPair, type Finding } from './report.js';

const toPosix = (p: string) => p.split(sep).join('/');

export async function main(): Promise<void> {
  const inputs = readInputs(metadata.inputs);
  const ws = workspace();
  const startedAt = new Date();
  const today = dateInZone(startedAt, inputs.timezone);
  const loadOpts = { allowExternalRefs: inputs.allowExternalRefs, root: ws };

  const declaredFiles = (await glob(inputs.declared, { cwd: ws, onlyFiles: true, dot: false })).sort();
  if (declaredFiles.length === 0) throw new ConfigurationError(`input 'declared' matched no files in ${ws} (globs: ${inputs.declared.join(', ')})`);

  const recordedDir = inputs.recorded
    ? resolveInside(ws, inputs.recorded, "input 'recorded': the folder")
    : await newestRecording(resolveInside(ws, inputs.contractsRoot, "input 'contracts-root': the folder"));
  if (!recordedDir || !existsSync(recordedDir)) {
    throw new ConfigurationError(inputs.recorded
      ? `input 'recorded': the folder ${inputs.recorded} does not exist`
      : `no recording under ${inputs.contractsRoot}/<yyyy-mm-dd>/ (input 'contracts-root'); record the contracts with contract-record first`);
  }
  const recordedLabel = toPosix(relative(ws, recordedDir)) || '.';

  let waivers: Waiver[] = [];
  if (inputs.waivers) {
    const wf = resolveInside(ws, inputs.waivers, "input 'waivers': the file");
    if (!existsSync(wf)) throw new ConfigurationError(`input 'waivers': the file ${inputs.waivers} does not exist`);
    waivers = parseWaivers(await readFile(wf, 'utf8'), inputs.waivers);
  }

  if (inputs.baseRef) {
    const ok = await git(['rev-parse', '--verify', '--quiet', `${inputs.baseRef}^{commit}`], { cwd: ws, allowFailure: true });
    if (ok.code !== 0) throw new ConfigurationError(`input 'base-ref' has value ${JSON.stringify(inputs.baseRef)}, which is not a commit in this checkout; fetch it first (actions/checkout with fetch-depth: 0)`);
  }

  const recorded = await group('Load the recorded contracts', async () => {
    const index = await readIndex(recordedDir);
    if (index) {
      const tampered = await verifyIndex(recordedDir, index);
      if (tampered.length > 0) throw new ConfigurationError(`the recording ${recordedLabel} does not match its index.json (edited by hand?): ${tampered.join(', ')}`);
    }
    const candidates = index ? index.files.filter((f) => f.kind === 'openapi' || f.kind === 'asyncapi' || f.kind === 'json-schema').map((f) => f.path) : await listFiles(recordedDir);
    const out: Contract[] = [];
    for (const rel of candidates) {
      const abs = join(recordedDir, rel);
      const name = toPosix(relative(ws, abs));
      if (!index) {
        // Without an index, anything that is not a contract (samples, notes) is skipped.
        try {
          describeDocument(parseSpecText(name, await readFile(abs, 'utf8')), name);
        } catch {
          continue;
        }
      }
      out.push(await loadContract(name, abs, { ...loadOpts, root: recordedDir }));
      log.info(`recorded: ${name} (${out[out.length - 1]!.info.kind} ${out[out.length - 1]!.info.title ?? ''})`);
    }
    return out;
  });

  const findings: Finding[] = [];
  const documents: DocumentPair[] = [];
  await group('Compare the declared contracts', async () => {
    for (const rel of declaredFiles) {
      const declared = await loadContract(rel, join(ws, rel), loadOpts);
      const [pair] = pairContracts([declared], recorded);
      const doc: DocumentPair = { declared: rel, kind: declared.info.kind, matchedBy: pair!.matchedBy, ...(pair!.recorded ? { recorded: pair!.recorded.set.entry.name } : {}) };
      if (pair!.recorded) {
        const changes = diffContracts(pair!.recorded, declared);
        for (const c of changes) findings.push({ ...c, against: 'recorded' });
        log.info(`${rel} vs ${pair!.recorded.set.entry.name}: ${changes.length} change(s), ${changes.filter((c) => c.level === 'breaking').length} breaking`);
      } else {
        findings.push({ rule: 'contract.document.unrecorded', level: 'informational', message: `${rel} (${declared.info.kind}${declared.info.title ? ` "${declared.info.title}"` : ''}) has no recorded counterpart in ${recordedLabel}`, file: rel, pointer: '', line: 1, against: 'recorded' });
        log.info(`${rel}: no recorded counterpart`);
      }
      if (inputs.baseRef) {
        const atBase = await loadAtRef(ws, inputs.baseRef, rel, loadOpts);
        if (atBase) {
          const changes = diffContracts(atBase, declared);
          for (const c of changes) findings.push({ ...c, against: 'base-ref' });
          doc.baseRef = 'compared';
          log.info(`${rel} vs ${inputs.baseRef}: ${changes.length} change(s)`);
        } else {
          doc.baseRef = 'absent';
        }
      }
      documents.push(doc);
    }
  });

  const waiverOutcome = applyWaivers(findings, waivers, today);
  const labels = prLabels();
  const bypass = inputs.bypassLabel && labels.includes(inputs.bypassLabel) ? inputs.bypassLabel : undefined;
  const decision = decide(findings, inputs.failOn, waiverOutcome, bypass);
  const who = { ...(inputs.owner ? { owner: inputs.owner } : {}), ...(inputs.runbook ? { runbook: inputs.runbook } : {}) };

  const resultPath = inputs.resultPath ? resolve(ws, inputs.resultPath) : defaultResultPath('design-drift');
  await writeResultFile(resultPath, {
    action: 'design-drift',
    schemaVersion: 1,
    status: decision.failed ? 'failure' : 'success',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    run: runInfo(),
    result: {
      failOn: inputs.failOn,
      failed: decision.failed,
      reasons: decision.reasons,
      bypass: { label: inputs.bypassLabel ?? null, used: decision.bypassed, prLabels: labels },
      today,
      recorded: recordedLabel,
      baseRef: inputs.baseRef ?? null,
      counts: decision.counts,
      documents,
      waivers: { expired: waiverOutcome.expired, used: waiverOutcome.used, unused: waiverOutcome.unused },
      ...who,
      changes: findings.map((f) => ({ ...f, waivedBy: f.waivedBy ?? null })),
    },
  });
  await writeSummary(renderSummary({ findings, documents, recordedDir: recordedLabel, ...(inputs.baseRef ? { baseRef: inputs.baseRef } : {}), failOn: inputs.failOn, decision, waivers: waiverOutcome, ...(bypass ? { bypassLabel: bypass } : {}), who }), resultPath);
  emitAnnotations(buildAnnotations(findings, inputs.failOn, decision, who));
  setOutputs({
    breaking: decision.counts.breaking,
    'non-breaking': decision.counts.nonBreaking,
    changes: decision.counts.total,
    waived: decision.counts.waived,
    failed: decision.failed ? 'true' : decision.bypassed ? 'bypassed' : 'false',
    'result-path': resultPath,
  });
  if (decision.bypassed) log.warning(`design-drift: ${decision.reasons.join('; ')}; not failing because the pull request has the label '${bypass}'`);
  if (decision.failed) throw new CheckFailedError(`${decision.reasons.join('; ')} (fail-on: ${inputs.failOn}; see the summary)${who.owner ? ` — owner: ${who.owner}` : ''}${who.runbook ? `, runbook: ${who.runbook}` : ''}`);
}

/** The declared file as it is on `ref`, with its local `$ref`s read from the same ref; undefined when the file is new. */
async function loadAtRef(ws: string, ref: string, rel: string, opts: { allowExternalRefs: boolean; root: string }): Promise<Contract | undefined> {
  const top = await gitOut(['rev-parse', '--show-toplevel'], { cwd: ws });
  const show = async (abs: string) => {
    const inRepo = toPosix(relative(top, abs));
    const r = await git(['show', `${ref}:${inRepo}`], { cwd: ws, allowFailure: true });
    if (r.code !== 0) throw new Error(`${inRepo} does not exist at ${ref}`);
    return r.stdout;
  };
  let text: string;
  try {
    text = await show(join(ws, rel));
  } catch {
    return undefined;
  }
  return loadContract(`${rel}@${ref}`, join(ws, rel), { ...opts, text, readLocal: show });
}

/** Labels of the pull request that triggered the run, from the event payload the runner wrote. */
function prLabels(): string[] {
  const path = process.env.GITHUB_EVENT_PATH;
  if (!path || !existsSync(path)) return [];
  try {
    const event = JSON.parse(readFileSync(path, 'utf8')) as { pull_request?: { labels?: { name?: string }[] } };
    return (event.pull_request?.labels ?? []).map((l) => l.name ?? '').filter(Boolean);
  } catch {
    return [];
  }
}
