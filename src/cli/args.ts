import { ConfigurationError } from '../lib/errors.js';
import type { InputSchema } from '../lib/inputs/spec.js';

export interface ActionArgs {
  /** Inputs given as flags, exactly as the runner would pass them (strings). */
  inputs: Record<string, string>;
  config?: string;
  help: boolean;
}

/**
 * Flags of `command-center <action>`: one per input, named like the input (`--fail-on warning`,
 * `--window=30s`). A boolean input may be given bare (`--diff`) or negated (`--no-diff`). A
 * multi-line input (`set`, `values`, `declared`) may be repeated; the values become its lines.
 * `--config <file>` reads the action's section of an Integration Day configuration file first;
 * flags override it.
 */
export function parseActionArgs(action: string, schema: InputSchema, argv: readonly string[]): ActionArgs {
  const inputs: Record<string, string> = {};
  let config: string | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--'))
      throw new ConfigurationError(
        `${action}: unexpected argument ${JSON.stringify(arg)}; inputs are given as --<input> <value> (see \`command-center ${action} --help\`)`,
      );
    const eq = arg.indexOf('=');
    let name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    let value: string | undefined = eq > 0 ? arg.slice(eq + 1) : undefined;
    if (name === 'config') {
      config = value ?? argv[++i];
      if (!config) throw new ConfigurationError(`${action}: --config needs a file path`);
      continue;
    }
    let spec = schema[name];
    if (!spec && name.startsWith('no-') && schema[name.slice(3)]?.kind === 'boolean' && value === undefined) {
      name = name.slice(3);
      spec = schema[name];
      value = 'false';
    }
    if (!spec)
      throw new ConfigurationError(
        `${action}: unknown flag --${name}; the inputs are ${Object.keys(schema)
          .map((n) => `--${n}`)
          .join(', ')}`,
      );
    if (value === undefined) {
      const next = argv[i + 1];
      if (
        spec.kind === 'boolean' &&
        (next === undefined || next.startsWith('--') || !/^(true|false)$/i.test(next))
      )
        value = 'true';
      else if (next === undefined) throw new ConfigurationError(`${action}: --${name} needs a value`);
      else value = argv[++i]!;
    }
    inputs[name] = spec.kind === 'lines' && inputs[name] !== undefined ? `${inputs[name]}\n${value}` : value;
  }
  return { inputs, ...(config ? { config } : {}), help };
}

/** `--help` of one action: its inputs with defaults, from the same metadata as action.yml. */
export function actionHelp(
  action: string,
  description: string,
  schema: InputSchema,
  outputs: Record<string, string>,
): string {
  const lines = [
    `command-center ${action} [--<input> <value> ...] [--config integration-day.config.yml]`,
    '',
    description,
    '',
    'Inputs:',
  ];
  for (const [name, spec] of Object.entries(schema)) {
    const flag =
      spec.kind === 'boolean'
        ? `--${name} / --no-${name}`
        : `--${name} <${spec.kind === 'lines' ? 'line, repeatable' : spec.kind}>`;
    const extra = [
      spec.required ? 'required' : '',
      spec.default !== undefined && spec.default !== '' ? `default ${spec.default}` : '',
      spec.values ? `one of ${spec.values.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    lines.push(`  ${flag}${extra ? `  (${extra})` : ''}`, `      ${spec.description}`);
  }
  lines.push('', 'Outputs (printed at the end):');
  for (const [name, d] of Object.entries(outputs)) lines.push(`  ${name}: ${d}`);
  return lines.join('\n');
}
