// Which forge a step talks to, from the runner's environment and its inputs: no request is sent here.
import { describe, expect, it } from 'vitest';
import { forgeOfRun } from '../../src/lib/forge/index.js';
import { ConfigurationError } from '../../src/lib/errors.js';

const env = { GITHUB_API_URL: 'https://ghe.example/api/v3', GITHUB_REPOSITORY: 'acme/platform' };

describe('forgeOfRun', () => {
  it('takes the API from the runner, and api-url over it; the repository from GITHUB_REPOSITORY', () => {
    const ghes = forgeOfRun({ token: 'ghs_x', env });
    expect([ghes.kind, ghes.owner, ghes.repo]).toEqual(['github', 'acme', 'platform']);
    const gitea = forgeOfRun({ token: 't', apiUrl: 'http://127.0.0.1:13000/api/v1', env });
    expect(gitea.kind).toBe('gitea');
  });

  it('an empty token or the unexpanded default expression is a user error naming the input', () => {
    expect(() => forgeOfRun({ token: '', env })).toThrow(ConfigurationError);
    expect(() => forgeOfRun({ token: '', env })).toThrow(/input 'token' is empty/);
    for (const literal of ['${{ github.token }}', ' ${{ secrets.FORGE_TOKEN }}\n'])
      expect(() => forgeOfRun({ token: literal, env })).toThrow(
        /input 'token' is the unexpanded expression "\$\{\{ [a-z._A-Z]+ \}\}".*only a runner expands/,
      );
  });

  it('without a repository it says what to set', () => {
    expect(() => forgeOfRun({ token: 't', env: { GITHUB_API_URL: env.GITHUB_API_URL } })).toThrow(
      /GITHUB_REPOSITORY is not set/,
    );
  });
});
