import { InputError } from './errors.js';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `text` is exactly YYYY-MM-DD and a real calendar day (no path tricks, no 2026-02-30). */
export function isCalendarDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

export function dateInput(input: string, text: string): string {
  if (!isCalendarDate(text))
    throw new InputError(input, text, 'expected a calendar date written exactly as YYYY-MM-DD');
  return text;
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function timeZoneInput(input: string, text: string): string {
  if (!isTimeZone(text))
    throw new InputError(input, text, 'expected an IANA time zone such as America/Los_Angeles or UTC');
  return text;
}

/** The calendar date of `now` in `timeZone`, as YYYY-MM-DD (Integration Day is dated where the team works). */
export function dateInZone(now: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}
