import { describe, expect, it } from 'vitest';
import { clientGuessesGhes } from '../../src/lib/evidence/artifact.js';

// @actions/artifact refuses a server it takes for GHES; the artifact client lets Gitea, Forgejo and act
// through (they serve the v4 service) only where the client's guess would refuse them.
describe('clientGuessesGhes', () => {
  it.each([
    ['https://github.com', false],
    ['https://acme.ghe.com', false],
    ['http://runner.localhost:8080', false],
    [undefined, false],
    ['http://127.0.0.1:13000', true],
    ['https://gitea.example', true],
    ['https://ghe.example.com', true],
  ])('GITHUB_SERVER_URL %s → %s', (url, guessed) => {
    expect(clientGuessesGhes(url === undefined ? {} : { GITHUB_SERVER_URL: url })).toBe(guessed);
  });
});
