/** JSON Schema patterns shared by the YAML inputs of several actions. */
export const DURATION_PATTERN = '^(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h|d))+$';
export const SIZE_PATTERN = '^\\d+(?:\\.\\d+)?\\s*(?:B|KB|KiB|MB|MiB|GB|GiB)?$';
