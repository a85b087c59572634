/**
 * Turns the runner's workflow commands in an action's output into lines a person reads in a
 * terminal: groups become headings, annotations become `error:`/`warning:` lines with their file and
 * line, masked values are hidden from everything printed after their `::add-mask::`, and debug lines
 * are dropped unless asked for. Text between `::stop-commands::<token>` and `::<token>::` is shown as is.
 */
export class TerminalTranslator {
  private readonly secrets = new Set<string>();
  private stopToken: string | undefined;
  private partial = '';

  constructor(private readonly opts: { debug?: boolean } = {}) {}

  /** Feeds a chunk of output; returns what to print (complete lines only). */
  push(chunk: string): string {
    const text = this.partial + chunk;
    const cut = text.lastIndexOf('\n');
    if (cut < 0) {
      this.partial = text;
      return '';
    }
    this.partial = text.slice(cut + 1);
    return text
      .slice(0, cut + 1)
      .split('\n')
      .slice(0, -1)
      .map((l) => this.line(l))
      .filter((l): l is string => l !== undefined)
      .map((l) => `${l}\n`)
      .join('');
  }

  /** Whatever is left without a final newline. */
  flush(): string {
    const rest = this.partial;
    this.partial = '';
    const out = rest ? this.line(rest) : undefined;
    return out === undefined ? '' : `${out}\n`;
  }

  private mask(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('***');
    return out;
  }

  private line(raw: string): string | undefined {
    if (this.stopToken !== undefined) {
      if (raw === `::${this.stopToken}::`) {
        this.stopToken = undefined;
        return undefined;
      }
      return this.mask(raw);
    }
    const m = /^::([a-z-]+)( [^:]*)?::(.*)$/.exec(raw);
    if (!m) return this.mask(raw);
    const [, command, props = '', data = ''] = m;
    const value = unescapeData(data);
    switch (command) {
      case 'add-mask':
        if (value.trim()) this.secrets.add(value);
        return undefined;
      case 'stop-commands':
        this.stopToken = value;
        return undefined;
      case 'group':
        return this.mask(`\n▸ ${value}`);
      case 'endgroup':
        return undefined;
      case 'debug':
        return this.opts.debug ? this.mask(`debug: ${value}`) : undefined;
      case 'error':
      case 'warning':
      case 'notice': {
        const p = parseProperties(props.trim());
        const where = p.file ? ` (${p.file}${p.line ? `:${p.line}` : ''})` : '';
        const title = p.title ? `${p.title}: ` : '';
        return this.mask(`${command}: ${title}${value}${where}`);
      }
      default:
        return this.mask(raw);
    }
  }
}

function parseProperties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = unescapeProperty(part.slice(eq + 1));
  }
  return out;
}

function unescapeData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

function unescapeProperty(s: string): string {
  return s
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%3A/g, ':')
    .replace(/%2C/g, ',')
    .replace(/%25/g, '%');
}
