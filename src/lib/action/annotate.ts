import * as core from '@actions/core';
import { selectAnnotations, type Annotation, type AnnotationLevel } from '../annotations.js';

/**
 * Emits the most useful annotations within GitHub's per-step cap and says how many were left out,
 * so nothing disappears silently.
 */
export function emitAnnotations(
  all: readonly Annotation[],
  maxPerLevel?: number,
): { shown: number; omitted: number } {
  const { shown, omitted } = selectAnnotations(all, maxPerLevel);
  for (const a of shown) {
    const props: core.AnnotationProperties = {};
    if (a.title) props.title = a.title;
    if (a.file) props.file = a.file;
    if (a.line) props.startLine = a.line;
    if (a.endLine) props.endLine = a.endLine;
    emit(a.level, a.message, props);
  }
  const omittedTotal = omitted.error + omitted.warning + omitted.notice;
  if (omittedTotal > 0) {
    core.info(
      `${omittedTotal} more annotation(s) not shown (${omitted.error} error, ${omitted.warning} warning, ${omitted.notice} notice); see the step summary and result file.`,
    );
  }
  return { shown: shown.length, omitted: omittedTotal };
}

function emit(level: AnnotationLevel, message: string, props: core.AnnotationProperties): void {
  if (level === 'error') core.error(message, props);
  else if (level === 'warning') core.warning(message, props);
  else core.notice(message, props);
}
