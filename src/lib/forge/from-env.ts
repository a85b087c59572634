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
  // Outside a runner (the CLI, a local run) nobody expands the default `${{ github.token }}`: the
  // literal expression is no token, and sending it would only earn a 401 that names nothing.
  const token = o.token && !/^\$\{\{[\s\S]*\}\}$/.test(o.token.trim()) ? o.token : undefined;
  const apiUrl = o.apiUrl || env.GITHUB_API_URL || 'https://api.github.com';
  const repository = o.repository || env.GITHUB_REPOSITORY;
  if (!token)
    throw new ConfigurationError(
      `input 'token' is ${o.token ? `the unexpanded expression ${JSON.stringify(o.token.trim())}` : 'empty'}: give a token for the forge's API (default: the job's github.token, which only a runner expands)`,
    );
  if (!repository)
    throw new ConfigurationError(
      'GITHUB_REPOSITORY is not set: name the repository (owner/name) the forge calls are about',
    );
  return new Forge({ token, apiUrl, repository, ...(o.log ? { log: o.log } : {}) });
}
