import { describe, expect, it } from 'vitest';
import { walkBase } from '../../src/lib/glob-inside.js';

describe('where a declared glob starts its walk', () => {
  it.each([
    ['specs/**/*.json', 'specs'],
    ['specs/*.yaml', 'specs'],
    ['specs/shared/users.json', 'specs/shared'],
    ['users.json', ''],
    ['**/*.json', ''],
    ['specs/{a,b}/*.json', 'specs'],
    ['docs/design/declared/*/openapi.json', 'docs/design/declared'],
  ])('%s walks from "%s"', (pattern, base) => {
    expect(walkBase(pattern)).toBe(base);
  });
});
