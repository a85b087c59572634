import { randomBytes } from 'node:crypto';
import { runPageUrl } from '../step-result.js';

export interface UploadedArtifact {
  name: string;
  id: number;
  size: number;
  digest?: string;
  url?: string;
}

/** Artifact names GitHub accepts: no " : < > | * ? \r \n \ / and not empty. */
export function artifactName(
  template: string,
  vars: { date: string; runId?: string; runAttempt?: string; job?: string },
): string {
  const filled = template
    .replaceAll('{date}', vars.date)
    .replaceAll('{run-id}', vars.runId ?? 'local')
    .replaceAll('{run-attempt}', vars.runAttempt ?? '1')
    .replaceAll('{job}', vars.job ?? 'job');
  return filled.replace(/["':<>|*?\r\n\\/]+/g, '-').slice(0, 200);
}

export function artifactUrl(env: NodeJS.ProcessEnv, id: number): string | undefined {
  const run = runPageUrl(env);
  return run ? `${run}/artifacts/${id}` : undefined;
}

/** Why an upload cannot happen here, or undefined when the runner provides the artifact service. */
export function artifactServiceMissing(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const missing = ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RESULTS_URL'].filter((k) => !env[k]);
  return missing.length
    ? `the artifact service is not available here (${missing.join(' and ')} not set; the runner sets them for actions)`
    : undefined;
}

/**
 * Uploads `files` (absolute, all under `root`) as one artifact through the v4 artifact service.
 * Artifacts are immutable and names are unique per run, so a name already taken (a matrix job, a
 * re-run step) gets a short suffix instead of failing the step.
 */
export async function uploadArtifact(opts: {
  name: string;
  root: string;
  files: string[];
  retentionDays?: number;
  env?: NodeJS.ProcessEnv;
  log?: (l: string) => void;
}): Promise<UploadedArtifact> {
  const env = opts.env ?? process.env;
  const client = await artifactClient(env);
  let name = opts.name;
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await client.uploadArtifact(name, opts.files, opts.root, {
        ...(opts.retentionDays ? { retentionDays: opts.retentionDays } : {}),
        // Evidence is mostly JSON and text, which compresses well; screenshots are already compressed.
        compressionLevel: 6,
      });
      if (r.id === undefined) throw new Error(`the artifact service did not return an id for ${name}`);
      const url = artifactUrl(env, r.id);
      return {
        name,
        id: r.id,
        size: r.size ?? 0,
        ...(r.digest ? { digest: r.digest } : {}),
        ...(url ? { url } : {}),
      };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (attempt < 3 && /\(409\)|conflict|already exists/i.test(message)) {
        const next = `${opts.name}-${randomBytes(3).toString('hex')}`;
        opts.log?.(`artifact name ${name} is taken in this run; uploading as ${next}`);
        name = next;
        continue;
      }
      throw err;
    }
  }
}

/** The calls of the artifact client that the actions make. */
export interface ArtifactClient {
  uploadArtifact: ArtifactSdkClient['uploadArtifact'];
  listArtifacts: ArtifactSdkClient['listArtifacts'];
  downloadArtifact: ArtifactSdkClient['downloadArtifact'];
}
type ArtifactSdkClient = import('@actions/artifact').ArtifactClient;

/**
 * Whether @actions/artifact takes this server for GitHub Enterprise Server and refuses it ("not
 * currently supported on GHES"). It guesses from GITHUB_SERVER_URL's host at each call: anything but
 * github.com, *.ghe.com and *.localhost.
 */
export function clientGuessesGhes(env: NodeJS.ProcessEnv): boolean {
  const host = new URL(env.GITHUB_SERVER_URL || 'https://github.com').hostname.trimEnd().toLowerCase();
  return !(host === 'github.com' || host.endsWith('.ghe.com') || host.endsWith('.localhost'));
}

/**
 * The artifact client (@actions/artifact). Gitea and Forgejo runners, and act, serve the same v4
 * artifact service as GitHub and say so with ACTIONS_RESULTS_URL, yet their own server URL makes the
 * client guess GHES and refuse every call. Where the runner offers the service, the client's calls
 * therefore see github.com as the server; where it does not (GHES), the client's refusal stands.
 */
export async function artifactClient(env: NodeJS.ProcessEnv = process.env): Promise<ArtifactClient> {
  // Loaded on use: the artifact client and its storage SDK are most of the bundle's code.
  const { DefaultArtifactClient } = await import('@actions/artifact');
  const client = new DefaultArtifactClient();
  if (artifactServiceMissing(env) || !clientGuessesGhes(env)) return client;
  return {
    uploadArtifact: (...a) => asGitHubServer(() => client.uploadArtifact(...a)),
    listArtifacts: (...a) => asGitHubServer(() => client.listArtifacts(...a)),
    downloadArtifact: (...a) => asGitHubServer(() => client.downloadArtifact(...a)),
  };
}

let overlapping = 0;
let serverUrl: string | undefined;

/** Runs one client call with GITHUB_SERVER_URL at github.com; calls that overlap share one restore. */
async function asGitHubServer<T>(call: () => Promise<T>): Promise<T> {
  if (overlapping++ === 0) {
    serverUrl = process.env.GITHUB_SERVER_URL;
    process.env.GITHUB_SERVER_URL = 'https://github.com';
  }
  try {
    return await call();
  } finally {
    if (--overlapping === 0) {
      if (serverUrl === undefined) delete process.env.GITHUB_SERVER_URL;
      else process.env.GITHUB_SERVER_URL = serverUrl;
    }
  }
}
