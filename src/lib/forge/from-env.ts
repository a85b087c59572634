import { ConfigurationError } from '../errors.js';
import { Forge } from './client.js';

/**
 * The forge of the run: its API from `api-url` or the runner's GITHUB_API_URL, the repository from
 * GITHUB_REPOSITORY (or `repository`), and the token the step was given.
 */
export function forgeOfRun(o: {
  token: string | undefined;
  apiUrl?: string | undefined;
  repository?: string | undefined;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}): Forge {
  const env = o.env ?? process.env;
  const apiUrl = o.apiUrl || env.GITHUB_API_URL || 'https://api.github.com';
  const repository = o.repository || env.GITHUB_REPOSITORY;
  if (!o.token)
    throw new ConfigurationError(
      "input 'token' is empty: give a token for the forge's API (default: the job's token)",
    );
  if (!repository)
    throw new ConfigurationError(
      'GITHUB_REPOSITORY is not set: name the repository (owner/name) the forge calls are about',
    );
  return new Forge({ token: o.token, apiUrl, repository, ...(o.log ? { log: o.log } : {}) });
}
