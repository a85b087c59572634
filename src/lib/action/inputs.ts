import * as core from '@actions/core';
import { parseInputs, type InputSchema, type InputValues } from '../inputs/spec.js';
import { maskSecret } from './secrets.js';

export function workspace(): string {
  return process.env.GITHUB_WORKSPACE || process.cwd();
}

/**
 * Reads the action's inputs from the runner. Secret inputs are masked before parsing,
 * so even a parse error cannot echo them.
 */
export function readInputs<S extends InputSchema>(schema: S): InputValues<S> {
  for (const [name, spec] of Object.entries(schema)) {
    if (spec.secret) maskSecret(core.getInput(name));
  }
  return parseInputs(schema, (name) => core.getInput(name), { workspace: workspace() });
}
