import * as core from '@actions/core';
import { redactor } from '../redact.js';

/**
 * Masks a secret in the runner log and registers it for redaction from every file we write.
 * Call it before anything could print the value.
 */
export function maskSecret(value: string | undefined): void {
  if (!value) return;
  core.setSecret(value);
  // The runner masks line by line; a multi-line secret (kubeconfig, PEM) needs each line masked.
  if (value.includes('\n')) {
    for (const line of value.split(/\r?\n/)) {
      if (line.trim().length >= 8) core.setSecret(line.trim());
    }
  }
  redactor.add(value);
}
