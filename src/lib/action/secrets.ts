import * as core from '@actions/core';
import { credentialParts, redactor } from '../redact.js';

/**
 * Masks a secret in the runner log and registers it for redaction from every file we write.
 * Call it before anything could print the value.
 */
export function maskSecret(value: string | undefined): void {
  if (!value) return;
  for (const part of credentialParts(value)) {
    core.setSecret(part);
    // The runner masks line by line; a multi-line secret (kubeconfig, PEM) needs each line masked.
    if (part.includes('\n')) {
      for (const line of part.split(/\r?\n/)) {
        if (line.trim().length >= 8) core.setSecret(line.trim());
      }
    }
    redactor.add(part);
  }
}
