import { describe, expect, it } from 'vitest';
import { deflateSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import { Redactor } from '../../src/lib/redact.js';
import { countMasks, isTextFile, scrubText, StreamScrubber } from '../../src/lib/evidence/scrub.js';
import { assignStorage, formatBytes, parseSize } from '../../src/lib/evidence/sizes.js';
import { evidencePaths, relativeLink, resultNames, safeName } from '../../src/lib/evidence/layout.js';
import {
  niceTicks,
  renderLineChart,
  splitAtGaps,
  timeLabel,
  timeTicks,
} from '../../src/lib/evidence/chart.js';
import {
  DEFAULT_QUERIES,
  formatValue,
  headline,
  seriesLabel,
  seriesStats,
  stepFor,
} from '../../src/lib/evidence/metrics.js';
import { decodePng, looksBlank, pixelStats, pngInfo } from '../../src/lib/evidence/png.js';
import { artifactName, artifactServiceMissing, artifactUrl } from '../../src/lib/evidence/artifact.js';
import { runInfo } from '../../src/lib/step-result.js';
import { PLAYWRIGHT_CORE_VERSION } from '../../src/lib/browser/playwright.js';
import { planArchive, resultSource, splitGlob } from '../../src/actions/evidence-archive/inputs.js';
import { parseHeader } from '../../src/lib/inputs/common.js';
import { metadata } from '../../src/actions/evidence-archive/metadata.js';
import { parseInputs } from '../../src/lib/inputs/spec.js';

describe('scrubText', () => {
  it('removes registered secrets and their base64 form', () => {
    const r = new Redactor();
    r.add('hunter2-very-secret');
    const out = scrubText(
      `pw hunter2-very-secret and ${Buffer.from('hunter2-very-secret').toString('base64')}`,
      r,
    );
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain(Buffer.from('hunter2-very-secret').toString('base64'));
    expect(countMasks(out)).toBe(2);
  });

  it('removes credential-shaped values even when nobody registered them, keeping the names', () => {
    const r = new Redactor();
    const cases: [string, string][] = [
      ['Authorization: Bearer abc.def-123', 'Authorization: Bearer ***'],
      ['{"authorization": "Basic dXNlcjpwYXNz"}', '{"authorization": "Basic ***"}'],
      ['curl -H "X-Api-Key: k-123456"', 'curl -H "X-Api-Key: ***"'],
      ['password=s3cr3t&user=a', 'password=***&user=a'],
      ['{"password": "s3cr3t", "user": "a"}', '{"password": "***", "user": "a"}'],
      ["client_secret: 'abc123'", "client_secret: '***'"],
      ['token ghp_0123456789abcdefghijklmnopqrstuvwxyz0123 used', 'token ghp_*** used'],
      ['github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', 'github_pat_***'],
      ['key AKIAIOSFODNN7EXAMPLE end', 'key AKIA*** end'],
      [
        'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U ok',
        'jwt *** ok',
      ],
      ['https://bot:pa55w0rd@git.example.com/repo.git', 'https://bot:***@git.example.com/repo.git'],
      [
        '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nabc\n-----END RSA PRIVATE KEY-----',
        '-----BEGIN RSA PRIVATE KEY-----***-----END RSA PRIVATE KEY-----',
      ],
    ];
    for (const [input, expected] of cases) expect(scrubText(input, r), input).toBe(expected);
  });

  it('leaves ordinary evidence alone and is idempotent', () => {
    const r = new Redactor();
    const text =
      '{"name":"orchestrator_stream_tokens_total","tokens":42,"status":"ok","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}';
    expect(scrubText(text, r)).toBe(text);
    const once = scrubText('Authorization: Bearer xyz password=abc', r);
    expect(scrubText(once, r)).toBe(once);
  });

  it('a secret split across two chunks is still removed', () => {
    const r = new Redactor();
    r.add('SPLIT-ACROSS-CHUNKS-SECRET');
    const s = new StreamScrubber(r, 64);
    const text = `${'x'.repeat(100)}\nvalue SPLIT-ACROSS-CHUNKS-SECRET and password=abc\n${'y'.repeat(100)}`;
    const cut = text.indexOf('CHUNKS');
    const out = Buffer.concat([
      s.push(Buffer.from(text.slice(0, cut))),
      s.push(Buffer.from(text.slice(cut))),
      s.end(),
    ]).toString();
    expect(out).toBe(
      text.replace('SPLIT-ACROSS-CHUNKS-SECRET', '***').replace('password=abc', 'password=***'),
    );
    expect(s.redactions).toBe(2);
  });

  it('clean text passes byte for byte, even when it is not valid UTF-8 or a character is cut by a chunk edge', () => {
    const r = new Redactor();
    const bytes = Buffer.concat([
      Buffer.from('caf\u00e9 line one\n'.repeat(40)),
      Buffer.from([0xff, 0xfe, 0x0a]),
      Buffer.from('\u20ac euro\n'.repeat(40)),
    ]);
    for (const chunkSize of [1, 7, 64, 1000]) {
      const s = new StreamScrubber(r, 32);
      const parts: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += chunkSize) parts.push(s.push(bytes.subarray(i, i + chunkSize)));
      parts.push(s.end());
      expect(Buffer.concat(parts).equals(bytes), `chunks of ${chunkSize}`).toBe(true);
      expect(s.redactions).toBe(0);
    }
  });

  it('a secret next to multi-byte characters cut by a chunk edge is removed without damaging them', () => {
    const r = new Redactor();
    r.add('t0k3n-\u00fc\u00f1\u00ee');
    const text =
      `${'\u20ac'.repeat(30)} key t0k3n-\u00fc\u00f1\u00ee \u00e9t\u00e9 ${'\u00e9'.repeat(30)}\n`.repeat(5);
    const bytes = Buffer.from(text);
    const s = new StreamScrubber(r, 24);
    const parts: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 5) parts.push(s.push(bytes.subarray(i, i + 5)));
    parts.push(s.end());
    expect(Buffer.concat(parts).toString()).toBe(text.replaceAll('t0k3n-\u00fc\u00f1\u00ee', '***'));
    expect(s.redactions).toBe(5);
  });

  it('tells text from binary by name, then by content', () => {
    expect(isTextFile('a.json', new Uint8Array([0]))).toBe(true);
    expect(isTextFile('a.png', new TextEncoder().encode('hello'))).toBe(false);
    expect(isTextFile('a.dat', new TextEncoder().encode('hello'))).toBe(true);
    expect(isTextFile('a.dat', new Uint8Array([104, 0, 105]))).toBe(false);
  });
});

describe('sizes', () => {
  it('parses sizes in decimal and binary units', () => {
    expect(parseSize('5MiB')).toBe(5 * 1024 * 1024);
    expect(parseSize('500KB')).toBe(500_000);
    expect(parseSize('1.5 GiB')).toBe(1.5 * 1024 ** 3);
    expect(parseSize('1024')).toBe(1024);
    expect(parseSize('5 mib')).toBe(5 * 1024 * 1024);
    expect(parseSize('five')).toBeUndefined();
    expect(formatBytes(1536)).toBe('1.5 KiB');
  });

  it('files over the per-file limit, and those past the budget, go to the artifact only', () => {
    expect(assignStorage([10, 60, 30, 50, 5], 55, 50)).toEqual([
      'repository',
      'artifact',
      'repository',
      'artifact',
      'repository',
    ]);
    expect(assignStorage([], 1, 1)).toEqual([]);
  });
});

describe('evidencePaths', () => {
  it('fills the date in and links the report to the index', () => {
    const p = evidencePaths(
      '/repo',
      '2026-11-25',
      'docs/sprints/status/{date}.md',
      'docs/sprints/status/{date}/evidence/',
    );
    expect(p).toMatchObject({
      statusFile: '/repo/docs/sprints/status/2026-11-25.md',
      evidenceDir: '/repo/docs/sprints/status/2026-11-25/evidence',
      statusFileRel: 'docs/sprints/status/2026-11-25.md',
      evidenceDirRel: 'docs/sprints/status/2026-11-25/evidence',
      evidenceLinkFromStatus: '2026-11-25/evidence/README.md',
    });
  });

  it('refuses a date that is not exactly YYYY-MM-DD and paths that leave the repository', () => {
    for (const bad of ['../2026-11-25', '2026-11-25/..', '2026-02-30', '2026-1-5', '20261125']) {
      expect(() => evidencePaths('/repo', bad, 'docs/{date}.md', 'docs/{date}/evidence'), bad).toThrow(
        /input 'date'.*YYYY-MM-DD/,
      );
    }
    expect(() => evidencePaths('/repo', '2026-11-25', '../outside/{date}.md', 'docs/{date}/e')).toThrow(
      /status-file.*'\.\.' and '\.' segments are refused/,
    );
    expect(() => evidencePaths('/repo', '2026-11-25', 'docs/{date}.md', '/etc/{date}')).toThrow(
      /evidence-dir.*not an absolute one/,
    );
    expect(() => evidencePaths('/repo', '2026-11-25', 'docs/{date}.md', '.git/{date}')).toThrow(
      /outside \.git\/ and \.github\//,
    );
    expect(() => evidencePaths('/repo', '2026-11-25', 'docs/{date}.md', '.github/workflows/{date}')).toThrow(
      /evidence-dir.*outside \.git\/ and \.github\//,
    );
    // A `..` that comes back inside the repository is refused too: it could drop the date.
    expect(() => evidencePaths('/repo', '2026-11-25', '{date}/../README.md', 'docs/{date}/e')).toThrow(
      /status-file.*'\.\.'/,
    );
    expect(() => evidencePaths('/repo', '2026-11-25', 'docs/{date}.md', 'status/{date}/../../src')).toThrow(
      /evidence-dir.*'\.\.'/,
    );
    expect(() => evidencePaths('/repo', '2026-11-25', 'docs/status.md', 'docs/{date}')).toThrow(
      /status-file.*containing \{date\}/,
    );
    expect(() =>
      evidencePaths('/repo', '2026-11-25', 'docs/{date}/evidence/x.md', 'docs/{date}/evidence'),
    ).toThrow(/must not be inside 'evidence-dir'/);
  });

  it('names results by action, then job, stably', () => {
    expect(
      resultNames([
        { action: 'helm-deploy', source: 'a' },
        { action: 'smoke-suite', job: 'x', source: 'b' },
      ]),
    ).toEqual(['helm-deploy', 'smoke-suite']);
    expect(
      resultNames([
        { action: 'smoke-suite', job: 'gov', source: 'a' },
        { action: 'smoke-suite', job: 'exp', source: 'b' },
        { action: 'smoke-suite', job: 'exp', source: 'c' },
      ]),
    ).toEqual(['smoke-suite-gov', 'smoke-suite-exp', 'smoke-suite-exp-2']);
    expect(safeName('a b/../c')).toBe('a-b-..-c');
    expect(safeName('..')).toBe('unnamed');
    expect(relativeLink('docs/s/2026/evidence/README.md', 'docs/s/2026.md')).toBe('../../2026.md');
  });
});

describe('metrics', () => {
  it('labels series by their labels, without the metric name', () => {
    expect(seriesLabel({ __name__: 'up', job: 'p', instance: 'i' }, 'q')).toBe('{instance="i", job="p"}');
    expect(seriesLabel({}, 'q')).toBe('q');
  });

  it('computes stats, skipping NaN and infinities', () => {
    const [s] = seriesStats(
      [
        {
          metric: { a: '1' },
          values: [
            [1, '2'],
            [2, 'NaN'],
            [3, '4'],
            [4, '+Inf'],
            [5, '3'],
          ],
        },
      ],
      'q',
    );
    expect(s).toEqual({ label: '{a="1"}', samples: 3, last: 3, min: 2, max: 4, mean: 3 });
    expect(headline({ stats: [s!], unit: 's' })).toBe('last 3.00 s (min 2.00 s, max 4.00 s)');
    expect(headline({ stats: [], error: 'boom' })).toBe('not captured: boom');
    expect(headline({ stats: [{ label: 'x', samples: 0 }] })).toBe('no data in the window');
  });

  it('formats values the way people read them', () => {
    expect(formatValue(0.0123, 's')).toBe('12.3 ms');
    expect(formatValue(0.0000042, 's')).toBe('4.20 µs');
    expect(formatValue(300, 's')).toBe('5.00 min');
    expect(formatValue(3 * 1024 * 1024, 'bytes')).toBe('3.00 MiB');
    expect(formatValue(42, 'messages')).toBe('42 messages');
    expect(formatValue(0.123456)).toBe('0.123');
    expect(formatValue(undefined)).toBe('n/a');
  });

  it('picks a step of about 240 points unless one is given', () => {
    expect(stepFor({ rangeMs: 3_600_000 })).toBe(15);
    expect(stepFor({ rangeMs: 3_600_000, stepMs: 60_000 })).toBe(60);
    expect(stepFor({ rangeMs: 60_000 })).toBe(1);
  });

  it('the default queries are the DESIGN panels, one per squad panel, with unique names', () => {
    expect(DEFAULT_QUERIES.map((q) => q.name)).toEqual([
      'policy-decision-latency',
      'constitution-sync-freshness',
      'streaming-latency',
      'training-mode-state',
      'kafka-consumer-lag',
      'api-latency',
      'streaming-throughput',
      'web-vitals',
      'websocket-throughput',
    ]);
    expect(new Set(DEFAULT_QUERIES.map((q) => q.squad))).toEqual(
      new Set(['Governance Core', 'Runtime & Training', 'Experience & Ecosystem']),
    );
  });
});

describe('renderLineChart', () => {
  const start = Date.UTC(2026, 10, 25, 17, 0) / 1000;
  const series = [
    {
      label: '{job="api"}',
      points: Array.from(
        { length: 61 },
        (_, i) =>
          [start + i * 60, i === 30 ? undefined : Math.sin(i / 5) + 2] as [number, number | undefined],
      ),
    },
    {
      label: '{job="<web> & co"}',
      points: [
        [start, 1],
        [start + 60, 1.5],
        [start + 120, 1.2],
        [start + 900, 1],
      ] as [number, number | undefined][],
    },
  ];

  it('is well-formed SVG with axes, time labels in the zone, and a legend', () => {
    const svg = renderLineChart({
      title: 'API latency',
      subtitle: 'histogram_quantile(0.95, ...)',
      unit: 's',
      series,
      start,
      end: start + 3600,
      stepSeconds: 60,
      timeZone: 'America/Los_Angeles',
    });
    const parser = new SaxesParser();
    const names: string[] = [];
    const texts: string[] = [];
    parser.on('opentag', (t) => names.push(t.name));
    parser.on('text', (t) => texts.push(t));
    parser.write(svg).close();
    expect(names[0]).toBe('svg');
    expect(texts).toContain('API latency');
    expect(texts).toContain('{job="<web> & co"}');
    // 17:00 UTC is 09:00 in Los Angeles in November.
    expect(texts).toContain('09:00');
    expect(texts).toContain('10:00');
    // The gap at minute 30 splits the first series into two lines; the second is a line and, after
    // its own gap, a lone point.
    expect(names.filter((n) => n === 'path')).toHaveLength(3);
    expect(names.filter((n) => n === 'circle')).toHaveLength(1);
    expect(texts.some((t) => /ms|s$/.test(t))).toBe(true);
  });

  it('says so when there is no data', () => {
    const svg = renderLineChart({
      title: 't',
      series: [],
      start,
      end: start + 60,
      stepSeconds: 15,
      timeZone: 'UTC',
    });
    expect(svg).toContain('no data in this window');
  });

  it('draws on a log axis when told, leaving values at or below zero out, and writes the caption under it', () => {
    const wide = [
      {
        label: 'big',
        points: [
          [start, 0],
          [start + 60, 1e9],
          [start + 120, 2e9],
        ] as [number, number | undefined][],
      },
      {
        label: 'small',
        points: [
          [start, 0.01],
          [start + 60, 0.02],
          [start + 120, -1],
        ] as [number, number | undefined][],
      },
    ];
    const svg = renderLineChart({
      title: 't',
      series: wide,
      start,
      end: start + 120,
      stepSeconds: 60,
      timeZone: 'UTC',
      scale: 'log',
      caption: ['Log scale: the values above zero span 11.3 orders of magnitude.'],
    });
    const texts: string[] = [];
    const parser = new SaxesParser();
    parser.on('text', (t) => texts.push(t));
    parser.write(svg).close();
    // Powers of ten from 1e-2 to 1e10, every second decade.
    expect(texts).toContain('0.01');
    expect(texts).toContain('1.00e+10');
    expect(texts).toContain('Log scale: the values above zero span 11.3 orders of magnitude.');
    // Each series keeps two positive points: one line each, no stray point for 0 or -1.
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).not.toContain('<circle');
  });

  it('ticks are round numbers and whole times', () => {
    expect(niceTicks(0, 0.93, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-3, 7, 5)).toEqual([-4, -2, 0, 2, 4, 6, 8]);
    expect(timeTicks(0, 3600)).toEqual([0, 600, 1200, 1800, 2400, 3000, 3600]);
    expect(timeLabel(0, 'UTC', true)).toBe('1970-01-01 00:00');
    expect(
      splitAtGaps(
        [
          [0, 1],
          [15, 2],
          [60, 3],
          [75, undefined],
          [90, 4],
        ],
        15,
      ),
    ).toEqual([
      [
        [0, 1],
        [15, 2],
      ],
      [[60, 3]],
      [[90, 4]],
    ]);
  });
});

describe('PNG decoding', () => {
  function png(
    width: number,
    height: number,
    pixel: (x: number, y: number) => [number, number, number],
  ): Buffer {
    const raw = Buffer.alloc((width * 3 + 1) * height);
    for (let y = 0; y < height; y++) {
      // Alternate the filter types so each unfilter path is exercised.
      const filter = y % 5;
      raw[y * (width * 3 + 1)] = filter;
      for (let x = 0; x < width; x++) {
        const p = pixel(x, y);
        for (let c = 0; c < 3; c++) {
          const i = y * (width * 3 + 1) + 1 + x * 3 + c;
          const a = x > 0 ? pixel(x - 1, y)[c]! : 0;
          const b = y > 0 ? pixel(x, y - 1)[c]! : 0;
          const cc = x > 0 && y > 0 ? pixel(x - 1, y - 1)[c]! : 0;
          const pa = Math.abs(b - cc);
          const pb = Math.abs(a - cc);
          const pc = Math.abs(a + b - 2 * cc);
          const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : cc][filter]!;
          raw[i] = (p[c]! - pred) & 0xff;
        }
      }
    }
    const chunk = (type: string, data: Buffer) => {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(data.length);
      return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(width, 0);
    ihdr.writeUInt32BE(height, 4);
    ihdr[8] = 8;
    ihdr[9] = 2;
    return Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(raw)),
      chunk('IEND', Buffer.alloc(0)),
    ]);
  }

  it('decodes every filter type back to the original pixels', () => {
    const pixel = (x: number, y: number): [number, number, number] => [
      (x * 37 + y * 11) % 256,
      (x * y) % 256,
      (255 - x * 3) & 0xff,
    ];
    const decoded = decodePng(png(23, 17, pixel));
    expect(pngInfo(png(23, 17, pixel))).toEqual({ width: 23, height: 17, bitDepth: 8, colorType: 2 });
    for (let y = 0; y < 17; y++) {
      for (let x = 0; x < 23; x++) {
        const j = (y * 23 + x) * 4;
        expect([decoded.rgba[j], decoded.rgba[j + 1], decoded.rgba[j + 2], decoded.rgba[j + 3]]).toEqual([
          ...pixel(x, y),
          255,
        ]);
      }
    }
    expect(looksBlank(pixelStats(decoded))).toBe(false);
  });

  it('a flat image is blank; a non-PNG is refused', () => {
    const flat = pixelStats(decodePng(png(40, 30, () => [250, 250, 250])));
    expect(flat).toEqual({ lumaStdDev: expect.closeTo(0, 6), distinctColors: 1, dominantShare: 1 });
    expect(looksBlank(flat)).toBe(true);
    expect(() => pngInfo(Buffer.from('GIF89a........................................'))).toThrow(/not a PNG/);
  });
});

describe('evidence-archive inputs', () => {
  const WS = '/work/ws';
  const env = {
    RUNNER_TEMP: '/work/rt',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_RUN_ID: '77',
    GITHUB_RUN_ATTEMPT: '2',
  };
  const parse = (raw: Record<string, string>) => {
    const yml: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(metadata.inputs)) yml[k] = v.default;
    return parseInputs(metadata.inputs, (n) => raw[n] ?? yml[n], { workspace: WS });
  };

  it("plans the day with defaults: today in the zone, the other actions' results, the run's branch", () => {
    const plan = planArchive(parse({}), WS, env, new Date('2026-11-26T05:00:00Z'));
    expect(plan.date).toBe('2026-11-25'); // still the 25th in Los Angeles
    expect(plan.paths.statusFileRel).toBe('docs/sprints/status/2026-11-25.md');
    expect(plan.results).toEqual([
      {
        pattern: '{runner-temp}/command-center/*.json',
        root: 'runner-temp',
        rootDir: '/work/rt',
        glob: 'command-center/*.json',
        base: 'command-center',
      },
    ]);
    expect(plan.commit).toEqual({
      mode: 'push',
      branch: 'main',
      target: 'main',
      message: 'chore: Integration Day evidence for 2026-11-25 [skip ci]',
      pushAttempts: 5,
    });
    expect(plan.artifact).toEqual({ name: 'integration-day-2026-11-25-77-2', retentionDays: 0 });
    expect(plan.maxFileSize).toBe(5 * 1024 * 1024);
    expect(plan.queries).toEqual([]);
  });

  it('uses the DESIGN panels when Prometheus is given without queries', () => {
    const plan = planArchive(parse({ 'prometheus-url': 'http://p:9090', 'metrics-range': '2h' }), WS, env);
    expect(plan.queries.map((q) => q.name)).toEqual(DEFAULT_QUERIES.map((q) => q.name));
    expect(plan.queries.every((q) => q.rangeMs === 7_200_000)).toBe(true);
  });

  it("fills each query's chart options with the defaults, and keeps what a query sets", () => {
    const plan = planArchive(
      parse({
        'prometheus-url': 'http://p:9090',
        queries:
          '- name: a\n  query: up\n- name: b\n  query: x_bucket\n  max-series: 3\n  select: last\n  scale: log\n  as-rate: false\n  quantiles: [0.99, 0.5]\n',
      }),
      WS,
      env,
    );
    expect(plan.queries.map((q) => q.chart)).toEqual([
      { maxSeries: 8, select: 'peak', scale: 'auto', asRate: 'auto', quantiles: [0.5, 0.95, 0.99] },
      { maxSeries: 3, select: 'last', scale: 'log', asRate: false, quantiles: [0.5, 0.99] },
    ]);
  });

  it('refuses chart options that cannot be drawn, naming the query, the key and what is allowed', () => {
    const refused = (extra: string) => () =>
      planArchive(
        parse({ 'prometheus-url': 'http://p', queries: `- name: a\n  query: up\n${extra}` }),
        WS,
        env,
      );
    expect(refused('  max-series: 0')).toThrow(
      /input 'queries' is invalid: at \/0\/max-series \(value "0"\)/,
    );
    expect(refused('  max-series: 11')).toThrow(/at \/0\/max-series \(value "11"\)/);
    expect(refused('  select: top')).toThrow(/at \/0\/select \(value "top"\).*peak.*last/);
    expect(refused('  scale: sqrt')).toThrow(/at \/0\/scale \(value "sqrt"\).*auto.*linear.*log/);
    expect(refused('  as-rate: yes')).toThrow(/at \/0\/as-rate \(value "yes"\)/);
    expect(refused('  quantiles: [0.5, 1.5]')).toThrow(/at \/0\/quantiles\/1 \(value "1.5"\)/);
    expect(refused('  quantiles: [0.5, 0.5]')).toThrow(/at \/0\/quantiles/);
  });

  it('refuses what cannot work, naming the input', () => {
    expect(() => planArchive(parse({ queries: '- name: a\n  query: up' }), WS, env)).toThrow(
      /'queries' is set but 'prometheus-url' is empty/,
    );
    expect(() =>
      planArchive(
        parse({ 'prometheus-url': 'http://p', queries: '- name: a\n  query: up\n- name: a\n  query: x' }),
        WS,
        env,
      ),
    ).toThrow(/input 'queries' has value "a": expected every name to be unique/);
    expect(() =>
      planArchive(
        parse({ 'prometheus-url': 'http://p', queries: '- name: a\n  query: up\n  range: 30d\n  step: 1s' }),
        WS,
        env,
      ),
    ).toThrow(/2592000 points per series; Prometheus allows at most 11000/);
    expect(() => planArchive(parse({}), WS, { ...env, GITHUB_REF: 'refs/pull/3/merge' })).toThrow(
      /input 'branch'.*not on a branch \(GITHUB_REF=refs\/pull\/3\/merge\)/,
    );
    expect(() => planArchive(parse({ branch: 'a..b' }), WS, env)).toThrow(
      /input 'branch' has value "a\.\.b"/,
    );
    expect(() => planArchive(parse({ results: '../../etc/*' }), WS, env)).toThrow(
      /input 'results' has value "\.\.\/\.\.\/etc\/\*": every glob must stay inside/,
    );
    expect(() => planArchive(parse({ 'dashboard-auth-header': 'no colon here' }), WS, env)).toThrow(
      /input 'dashboard-auth-header' has value "\*\*\*"/,
    );
    expect(() => parse({ 'max-file-size': 'huge' })).toThrow(/input 'max-file-size' has value "huge"/);
    expect(() => parse({ dashboards: '- name: d\n  url: file:///etc/passwd' })).toThrow(
      /input 'dashboards' is invalid.*\/0\/url/,
    );
  });

  it('reads result globs from the workspace or $RUNNER_TEMP only', () => {
    expect(resultSource('smoke-reports/**/*.xml', WS, '/work/rt')).toMatchObject({
      root: 'workspace',
      rootDir: WS,
      glob: 'smoke-reports/**/*.xml',
      base: 'smoke-reports',
    });
    // The folder the glob names: files below it are archived by their path below it.
    expect(resultSource('{runner-temp}/command-center-files/**', WS, '/work/rt')).toMatchObject({
      root: 'runner-temp',
      glob: 'command-center-files/**',
      base: 'command-center-files',
    });
    expect(resultSource('*.log', WS, '/work/rt')).toMatchObject({
      root: 'workspace',
      glob: '*.log',
      base: '',
    });
    expect(resultSource('/work/rt/command-center/*.json', WS, '/work/rt')).toMatchObject({
      root: 'runner-temp',
      glob: 'command-center/*.json',
    });
    expect(resultSource('reports/a.json', WS, '/work/rt')).toMatchObject({
      root: 'workspace',
      glob: 'reports/a.json',
    });
    expect(() => resultSource('/etc/*.conf', WS, '/work/rt')).toThrow(/every glob must stay inside/);
    expect(() => resultSource('reports/**/../../../x', WS, '/work/rt')).toThrow(
      /every glob must stay inside/,
    );
    expect(splitGlob('a/b/*.json')).toEqual({ base: 'a/b', glob: '*.json' });
    expect(splitGlob('/abs/x/{a,b}/*.json')).toEqual({ base: '/abs/x', glob: '{a,b}/*.json' });
    expect(splitGlob('file.json')).toEqual({ base: '', glob: 'file.json' });
  });

  it('headers are Name: value, and their values never appear in errors', () => {
    expect(parseHeader('h', 'Authorization: Bearer abc: def')).toEqual({
      name: 'Authorization',
      value: 'Bearer abc: def',
    });
    let message = '';
    try {
      parseHeader('h', 'Bearer only-a-token');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/input 'h'/);
    expect(message).not.toContain('only-a-token');
  });
});

describe('artifact naming', () => {
  it('fills the placeholders and removes characters GitHub refuses', () => {
    expect(
      artifactName('integration-day-{date}-{run-id}-{run-attempt}', {
        date: '2026-11-25',
        runId: '9',
        runAttempt: '3',
      }),
    ).toBe('integration-day-2026-11-25-9-3');
    expect(artifactName('a/b:c*{job}', { date: 'd', job: 'build' })).toBe('a-b-c-build');
    expect(
      artifactUrl(
        { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '5' },
        12,
      ),
    ).toBe('https://github.com/o/r/actions/runs/5/artifacts/12');
    expect(artifactServiceMissing({})).toMatch(/ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL not set/);
    expect(artifactServiceMissing({ ACTIONS_RUNTIME_TOKEN: 'x', ACTIONS_RESULTS_URL: 'y' })).toBeUndefined();
  });

  it('a run under act links to no page: act fills in github.com and a run id GitHub never had', () => {
    const env = {
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'o/r',
      GITHUB_RUN_ID: '5',
      ACT: 'true',
    };
    expect(artifactUrl(env, 12)).toBeUndefined();
    expect(runInfo(env)).toEqual({ repository: 'o/r', runId: '5' });
    expect(runInfo({ ...env, ACT: undefined }).url).toBe('https://github.com/o/r/actions/runs/5');
  });
});

it('the playwright-core version the runtime installs is the one the project is tested with', () => {
  const pkg = JSON.parse(
    readFileSync(join(__dirname, '../../node_modules/playwright-core/package.json'), 'utf8'),
  ) as { version: string };
  expect(PLAYWRIGHT_CORE_VERSION).toBe(pkg.version);
});

it('an auth header value and its credential are both treated as secrets', async () => {
  const { credentialParts } = await import('../../src/lib/redact.js');
  expect(credentialParts('Bearer abc.def')).toEqual(['Bearer abc.def', 'abc.def']);
  expect(credentialParts('rawtoken123')).toEqual(['rawtoken123']);
  expect(credentialParts('Authorization: Bearer abc.def')).toEqual([
    'Authorization: Bearer abc.def',
    'Bearer abc.def',
    'abc.def',
  ]);
  expect(credentialParts('http://svc:pw-123@host:80/x')).toEqual(['http://svc:pw-123@host:80/x', 'pw-123']);
  expect(credentialParts('apiVersion: v1\nkind: Config')).toEqual(['apiVersion: v1\nkind: Config']);
});
