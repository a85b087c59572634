// Text from a report, made fit to show: colour codes removed, characters XML 1.0 forbids replaced.

/**
 * ANSI escape sequences (CSI: ESC [ parameters intermediates final), raw as node:test writes them
 * under FORCE_COLOR, or as pytest escapes them (`#x1B[31m`, pytest's way of writing a character
 * XML cannot hold).
 */
const ANSI_SEQUENCE = /(?:\x1b|#x1B)\[[0-?]*[ -/]*[@-~]/g;
/** C0 controls other than tab, newline and carriage return, and the two non-characters U+FFFE/U+FFFF. */
const FORBIDDEN = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g;

export function stripAnsi(text: string): string {
  return text.includes('\x1b') || text.includes('#x1B') ? text.replace(ANSI_SEQUENCE, '') : text;
}

/** Replaces each character XML 1.0 forbids with U+FFFD. */
export function replaceForbidden(text: string): string {
  return text.replace(FORBIDDEN, '\ufffd');
}

/** Whether a UTF-16 code unit is one the engine reads on, replacing it, instead of refusing the report. */
export function isReplaceableCode(code: number): boolean {
  return (
    (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0xfffe || code === 0xffff
  );
}
