import { log, maskSecret, readInputs, workspace } from '../../lib/action/index.js';
import { forgeOfRun } from '../../lib/forge/index.js';
import { planArchive } from './inputs.js';
import { checkOwnedOutputs } from './ownership.js';
import { metadata } from './metadata.js';

/** Tokens the runner hands to every step: never let one reach a committed file. */
const ENV_SECRETS = ['GITHUB_TOKEN', 'GH_TOKEN', 'ACTIONS_RUNTIME_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'];

export async function main(): Promise<void> {
  const startedAt = new Date();
  const inputs = readInputs(metadata.inputs);
  const ws = workspace();
  // Everything is validated here, before a single file is written.
  const plan = planArchive(inputs, ws, process.env, startedAt);
  for (const k of ENV_SECRETS) maskSecret(process.env[k]);
  await checkOwnedOutputs(plan, ws);
  // One client for both uses of the forge: follow-up issues and the evidence pull request.
  const pr = plan.commit?.pullRequest;
  const forge =
    plan.followUp || pr
      ? forgeOfRun({ token: pr?.token ?? inputs.token, apiUrl: pr?.apiUrl ?? inputs.apiUrl, log: log.info })
      : undefined;
  // The archiving code (globbing, hashing, charts, git, the browser and artifact clients) loads only
  // once the inputs are known to be good, so a bad input fails fast.
  const { archive } = await import('./archive.js');
  await archive({
    plan,
    workspace: ws,
    startedAt,
    ...(forge ? { forge } : {}),
    ...(inputs.resultPath ? { resultPath: inputs.resultPath } : {}),
  });
}
