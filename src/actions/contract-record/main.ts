import { readInputs } from '../../lib/action/index.js';
import { NotImplementedError } from '../../lib/errors.js';
import { metadata } from './metadata.js';

export async function main(): Promise<void> {
  // Inputs are validated first, so a bad input is reported even before the logic exists.
  readInputs(metadata.inputs);
  throw new NotImplementedError('contract-record validates its inputs, but its logic is not built yet.');
}
