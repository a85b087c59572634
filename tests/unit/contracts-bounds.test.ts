import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/lib/errors.js';
import { checkBounds, DOCUMENT_LIMITS, parseSpecText } from '../../src/lib/contracts/source.js';

/** A "billion laughs": `levels` anchors, each a list of `width` aliases of the one before. */
function aliasBomb(levels: number, width: number): string {
  const lines = [
    'openapi: 3.0.3',
    'info: { title: bomb, version: "1" }',
    'paths: {}',
    `x-0: &a0 [${Array(width).fill('lol').join(', ')}]`,
  ];
  for (let i = 1; i <= levels; i++)
    lines.push(
      `x-${i}: &a${i} [${Array(width)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  return `${lines.join('\n')}\n`;
}

const nestedJson = (depth: number) => `{"openapi":"3.0.3","x":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;

describe('contract documents are bounded', () => {
  it('refuses more YAML aliases than the limit with the parser’s own alias error, naming the file', () => {
    const bomb = aliasBomb(9, 9);
    expect(bomb.match(/\*/g)!.length).toBeGreaterThan(DOCUMENT_LIMITS.aliases);
    const err = (() => {
      try {
        parseSpecText('specs/bomb.yaml', bomb);
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ConfigurationError);
    expect(err!.message).toMatch(
      /^specs\/bomb\.yaml uses more than 50 YAML aliases \(aliases exceeded maxAliases \(50\)/,
    );
  });

  it('refuses aliases under the count limit that still expand past the value limit', () => {
    // 16 levels of 3 aliases: 48 aliases, 3^16 (43 million) values once expanded.
    const bomb = aliasBomb(16, 3);
    expect(bomb.match(/\*/g)!.length).toBeLessThanOrEqual(DOCUMENT_LIMITS.aliases);
    expect(() => parseSpecText('specs/wide.yaml', bomb)).toThrow(
      /^specs\/wide\.yaml holds more than 2000000 values once its YAML aliases are expanded/,
    );
    // A few aliases that expand to little are fine.
    expect(parseSpecText('specs/small.yaml', aliasBomb(3, 3))).toMatchObject({ openapi: '3.0.3' });
  });

  it('refuses JSON nested deeper than the limit by name, without overflowing the stack', () => {
    expect(() => parseSpecText('specs/deep.json', nestedJson(10_000))).toThrow(
      /^specs\/deep\.json nests deeper than 100 levels/,
    );
    // The root object is the first level: the root and 99 nested objects fit, one more does not.
    expect(() => parseSpecText('specs/ok.json', nestedJson(DOCUMENT_LIMITS.depth - 1))).not.toThrow();
    expect(() => parseSpecText('specs/edge.json', nestedJson(DOCUMENT_LIMITS.depth))).toThrow(
      /nests deeper than 100/,
    );
  });

  it('refuses YAML nested deeper than the limit at the parser', () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    expect(() => parseSpecText('specs/deep.yaml', deep)).toThrow(
      /^specs\/deep\.yaml nests deeper than 100 levels .*exceeded maxDepth/,
    );
  });

  it('counts depth along aliases too (the parser does not)', () => {
    // Each anchor is 60 lists deep; using one inside the other makes 120.
    const inner = `${'['.repeat(60)}1${']'.repeat(60)}`;
    const text = `a: &a ${inner}\nb: ${'['.repeat(60)}*a${']'.repeat(60)}\n`;
    expect(() => parseSpecText('specs/stacked.yaml', text)).toThrow(
      /^specs\/stacked\.yaml nests deeper than 100 levels of mappings and lists; contract/,
    );
    expect(() => checkBounds('x', JSON.parse(nestedJson(50)))).not.toThrow();
  });
});
