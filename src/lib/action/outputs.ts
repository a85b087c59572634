import * as core from '@actions/core';

export type OutputValue = string | number | boolean | object | undefined | null;

/** Sets outputs; structured values are JSON, absent ones are empty strings (outputs are always strings). */
export function setOutputs(outputs: Record<string, OutputValue>): void {
  for (const [name, value] of Object.entries(outputs)) {
    core.setOutput(name, toOutputString(value));
  }
}

export function toOutputString(value: OutputValue): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
