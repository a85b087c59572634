// The pure rules behind the trust boundaries (SECURITY.md); the real bundles and repositories are
// exercised in tests/security.
import { describe, expect, it } from 'vitest';
import { classifyPush } from '../../src/lib/git/index.js';
import { archivedName } from '../../src/lib/evidence/file-names.js';
import { NotOursError, sectionsOf, withSection } from '../../src/lib/evidence/sections.js';
import { admitResults, expectedStep, type Candidate } from '../../src/lib/evidence/step-results.js';
import { ownedPath } from '../../src/lib/owned-paths.js';
import {
  credentialParts,
  isSensitiveHeader,
  redactJson,
  redactUrl,
  scrubText,
  urlSecrets,
} from '../../src/lib/redact.js';
import { linkTarget, linkText } from '../../src/lib/markdown.js';
import { ownUses, pinOwnUses } from '../../scripts/release.js';

const REF = 'refs/heads/main';
const OUT = (flag: string, summary: string) => `To /tmp/o.git\n${flag}\tHEAD:${REF}\t${summary}\nDone\n`;

describe('classifyPush: a refusal is not a race', () => {
  it('a hook that prints "500" is refused, with its words', () => {
    const r = classifyPush(
      REF,
      1,
      OUT('!', '[remote rejected] (pre-receive hook declined)'),
      "remote: File a.png is 500 KB; this exceeds the 100 KB limit\nerror: failed to push some refs to '/tmp/o.git'",
    );
    expect(r).toEqual({
      kind: 'refused',
      reason:
        '[remote rejected] (pre-receive hook declined) (server said: File a.png is 500 KB; this exceeds the 100 KB limit)',
    });
  });

  it('a ref that clashes with an existing one is refused', () => {
    const stderr =
      "remote: error: cannot lock ref 'refs/heads/release/2026.12': 'refs/heads/release' exists; cannot create 'refs/heads/release/2026.12'";
    expect(
      classifyPush(
        'refs/heads/release/2026.12',
        1,
        'To o\n!\tHEAD:refs/heads/release/2026.12\t[remote rejected] (failed to update ref)\nDone\n',
        stderr,
      ).kind,
    ).toBe('refused');
  });

  it("transient trouble is read only from git's own lines", () => {
    expect(
      classifyPush(REF, 128, '', 'error: RPC failed; HTTP 503 curl 22 The requested URL returned error: 503')
        .kind,
    ).toBe('transient');
    expect(classifyPush(REF, 128, '', 'fatal: the remote end hung up unexpectedly').kind).toBe('transient');
    expect(
      classifyPush(
        REF,
        1,
        '',
        'remote: Connection reset by upstream policy check\nerror: failed to push some refs',
      ).kind,
    ).toBe('refused');
  });

  it('a real race inside the server is still a race', () => {
    const stderr = "remote: error: cannot lock ref 'refs/heads/main': is at 1111aaaa but expected 2222bbbb";
    expect(classifyPush(REF, 1, OUT('!', '[remote rejected] (failed to update ref)'), stderr).kind).toBe(
      'behind',
    );
  });
});

describe('owned path templates', () => {
  it('keeps a plain dated path and refuses every way out', () => {
    expect(ownedPath('/repo', 'docs/status/{date}.md', '2026-12-02', 'status-file')).toEqual({
      abs: '/repo/docs/status/2026-12-02.md',
      rel: 'docs/status/2026-12-02.md',
    });
    const refused: [string, RegExp][] = [
      ['{date}/../README.md', /'\.\.' and '\.' segments are refused/],
      ['docs/./{date}', /'\.\.' and '\.' segments are refused/],
      ['/abs/{date}', /not an absolute one/],
      ['.github/{date}', /outside \.git\/ and \.github\//],
      ['docs/.git/{date}', /outside \.git\/ and \.github\//],
      ['docs/status.md', /contains \{date\}/],
    ];
    for (const [template, why] of refused)
      expect(() => ownedPath('/repo', template, '2026-12-02', 'status-file'), template).toThrow(why);
  });
});

describe('the shared status file', () => {
  const file = 'status.md';
  it('adds, replaces and keeps sections and the text around them', () => {
    const one = withSection(undefined, 'integration-day', '# Day\nall good\n', { file });
    expect(one).toBe(
      '<!-- command-center:begin integration-day -->\n# Day\nall good\n<!-- command-center:end integration-day -->\n',
    );
    const withNotes = `# Notes\n\n${one}\nSigned\n`;
    const two = withSection(withNotes, 'infra-pulse', 'pulse ok', { file });
    expect(sectionsOf(two)).toEqual({ 'integration-day': '# Day\nall good', 'infra-pulse': 'pulse ok' });
    const three = withSection(two, 'integration-day', '# Day\nfailed', { file });
    expect(
      three.startsWith('# Notes\n\n<!-- command-center:begin integration-day -->\n# Day\nfailed\n'),
    ).toBe(true);
    expect(three).toContain('Signed');
    expect(sectionsOf(three)['infra-pulse']).toBe('pulse ok');
  });

  it('refuses a file a person wrote, and broken markers', () => {
    expect(() => withSection('# My notes\n', 'integration-day', 'x', { file })).toThrow(NotOursError);
    expect(() => withSection('<!-- command-center:begin a -->\nx\n', 'a', 'y', { file })).toThrow(
      /never closed/,
    );
    expect(
      withSection('# Integration Day 2026-12-02\nold', 'integration-day', 'new', {
        file,
        legacy: (t) => t.startsWith('# Integration Day'),
      }),
    ).toContain('new');
  });
});

describe('file names in the evidence', () => {
  it('escapes control characters, invalid UTF-8 and %, and nothing else', () => {
    expect(archivedName('a/b c.txt')).toEqual({ path: 'a/b c.txt', shown: 'a/b c.txt' });
    expect(archivedName('50%.txt').path).toBe('50%25.txt');
    expect(archivedName('x\ny\r.txt')).toMatchObject({
      path: 'x%0Ay%0D.txt',
      note: 'archived as "x%0Ay%0D.txt": its name has a line break or another control character',
    });
    expect(archivedName(Buffer.from([0x61, 0xff, 0xc3, 0xa9])).path).toBe('a%FFé');
    // Two different names never become one.
    expect(archivedName('a\nb').path).not.toBe(archivedName('a%0Ab').path);
  });

  it('link text and targets cannot make a link of their own', () => {
    expect(linkText('[x](https:evil.com)')).toBe('&#91;x&#93;&#40;https:evil.com&#41;');
    expect(linkTarget('files/a b/[x](y).txt')).toBe('files/a%20b/%5Bx%5D%28y%29.txt');
  });
});

describe('which results count', () => {
  const env = (action: string, status: string) => ({
    action,
    schemaVersion: 1 as const,
    status: status as 'success',
    startedAt: '',
    finishedAt: '',
    run: {},
    result: {},
  });
  const c = (action: string, status: string, job?: string): Candidate => ({
    envelope: env(action, status),
    source: `runner-temp:${action}.json`,
    jobFromHandoff: true,
    ...(job ? { job } : {}),
  });

  it('binds a result to the job that runs its step, and lets a failed job overrule a success', () => {
    const expected = {
      'helm-deploy': expectedStep({ job: 'deploy', result: 'failure' }),
      'smoke-suite': expectedStep('success'),
    };
    const { admitted, refused } = admitResults(
      [
        c('helm-deploy', 'success', 'smoke'),
        c('helm-deploy', 'success', 'deploy'),
        c('smoke-suite', 'failure', 'smoke'),
        c('kafka-topic-check', 'success'),
      ],
      expected,
    );
    expect(refused.map((r) => r.reason)).toEqual([
      'a helm-deploy result arrived from job smoke, but only job deploy runs helm-deploy: not counted',
    ]);
    expect(admitted.map((a) => `${a.candidate.envelope.action}:${a.status}`)).toEqual([
      'helm-deploy:failure',
      'smoke-suite:failure',
      'kafka-topic-check:success',
    ]);
    expect(admitted[0]!.note).toBe(
      "job deploy ended failure although its result file says success: the job's result counts",
    );
  });

  it("a job run once per Kafka cluster: each cluster's result counts by itself, still only from that job", () => {
    const cluster = (name: string, status: string, job: string): Candidate => ({
      ...c('kafka-topic-check', status, job),
      envelope: { ...env('kafka-topic-check', status), result: { cluster: name } },
    });
    const expected = {
      'kafka-topic-check': expectedStep({ job: 'kafka', result: 'failure', clusters: 'main,legacy' }),
    };
    expect(expected['kafka-topic-check'].clusters).toEqual(['main', 'legacy']);
    const { admitted, refused } = admitResults(
      [
        cluster('main', 'success', 'kafka'),
        cluster('legacy', 'failure', 'kafka'),
        cluster('x', 'success', 'smoke'),
      ],
      expected,
    );
    // The matrix failed because of legacy; main's healthy result is not overruled by it.
    expect(
      admitted.map(
        (a) => `${String((a.candidate.envelope.result as { cluster: string }).cluster)}:${a.status}`,
      ),
    ).toEqual(['main:success', 'legacy:failure']);
    expect(refused).toHaveLength(1);
  });

  it('a result for a skipped job, or from an unknown job where the job is named, is refused', () => {
    const { refused } = admitResults([c('helm-deploy', 'success', 'deploy'), c('smoke-suite', 'success')], {
      'helm-deploy': { job: 'deploy', result: 'skipped' },
      'smoke-suite': { job: 'smoke', result: 'success' },
    });
    expect(refused.map((r) => r.reason)).toEqual([
      'a helm-deploy result arrived although job deploy was skipped: not counted',
      'a smoke-suite result arrived from an unknown job, but only job smoke runs smoke-suite: not counted',
    ]);
  });
});

describe('redaction rules shared by every writer', () => {
  it('finds the parts of a credential that travel alone', () => {
    expect(credentialParts('X-Service-Auth: Token abc123')).toEqual([
      'X-Service-Auth: Token abc123',
      'Token abc123',
      'abc123',
    ]);
    expect(urlSecrets('http://svc:pw@host/x?api_key=k1&page=2&access_token=t%2B1')).toEqual([
      'pw',
      'svc:pw',
      'k1',
      'k1',
      't%2B1',
      't+1',
    ]);
  });

  it('redacts URLs, headers and JSON by field, keeping JSON valid', () => {
    expect(redactUrl('http://svc:pw@host/x?api_key=k1&page=2')).toBe(
      'http://svc:***@host/x?api_key=***&page=2',
    );
    for (const h of [
      'Authorization',
      'Cookie',
      'Set-Cookie',
      'X-Service-Auth',
      'X-Session-Token',
      'x-api-key',
    ])
      expect(isSensitiveHeader(h), h).toBe(true);
    for (const h of ['Content-Type', 'X-Policy-Decision', 'X-Constitution-Hash'])
      expect(isSensitiveHeader(h), h).toBe(false);
    expect(
      redactJson({ user: 'u', password: 'p', nested: [{ token: 't', id: 1 }], token: { kind: 'x' } }),
    ).toEqual({ user: 'u', password: '***', nested: [{ token: '***', id: 1 }], token: { kind: 'x' } });
    const text = '{"token": {"expires": 5}, "password": "p"}';
    expect(JSON.parse(scrubText(text))).toEqual({ token: { expires: 5 }, password: '***' });
  });
});

describe('release pinning', () => {
  it('pins every own uses: to the tested commit and leaves others alone', () => {
    const sha = 'a'.repeat(40);
    const text = [
      '      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1',
      '        uses: command-center/command-center/actions/helm-deploy@v1',
      '        uses: command-center/command-center/config@v1 # the helper',
    ].join('\n');
    const pinned = pinOwnUses(text, sha, 'v1.4.0');
    expect(pinned).toContain('actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1');
    expect(ownUses(pinned)).toEqual([
      { path: 'actions/helm-deploy', ref: sha },
      { path: 'config', ref: sha },
    ]);
    expect(pinned).toContain(`command-center/command-center/config@${sha} # v1.4.0`);
  });
});
