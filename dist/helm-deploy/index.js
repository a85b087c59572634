import { createRequire as __ccCreateRequire } from 'node:module';
import { fileURLToPath as __ccFileURLToPath } from 'node:url';
import { dirname as __ccDirname } from 'node:path';
var require = __ccCreateRequire(import.meta.url);
var __filename = __ccFileURLToPath(import.meta.url);
var __dirname = __ccDirname(__filename);
import {
  DURATION_HELP,
  HelmClient,
  credentialParts,
  escapeSetValue,
  formatDuration,
  parseDurationMs,
  redactor,
  require_dist
} from "./chunks/chunk-IEODZ7YL.js";
import {
  CheckFailedError,
  ConfigurationError,
  InputError,
  NotImplementedError,
  __toESM,
  isConfigurationError,
  toError
} from "./chunks/chunk-ZGN5AOSV.js";

// node_modules/@actions/core/lib/command.js
import * as os from "os";

// node_modules/@actions/core/lib/utils.js
function toCommandValue(input) {
  if (input === null || input === void 0) {
    return "";
  } else if (typeof input === "string" || input instanceof String) {
    return input;
  }
  return JSON.stringify(input);
}
function toCommandProperties(annotationProperties) {
  if (!Object.keys(annotationProperties).length) {
    return {};
  }
  return {
    title: annotationProperties.title,
    file: annotationProperties.file,
    line: annotationProperties.startLine,
    endLine: annotationProperties.endLine,
    col: annotationProperties.startColumn,
    endColumn: annotationProperties.endColumn
  };
}

// node_modules/@actions/core/lib/command.js
function issueCommand(command, properties, message) {
  const cmd = new Command(command, properties, message);
  process.stdout.write(cmd.toString() + os.EOL);
}
function issue(name, message = "") {
  issueCommand(name, {}, message);
}
var CMD_STRING = "::";
var Command = class {
  constructor(command, properties, message) {
    if (!command) {
      command = "missing.command";
    }
    this.command = command;
    this.properties = properties;
    this.message = message;
  }
  toString() {
    let cmdStr = CMD_STRING + this.command;
    if (this.properties && Object.keys(this.properties).length > 0) {
      cmdStr += " ";
      let first = true;
      for (const key in this.properties) {
        if (this.properties.hasOwnProperty(key)) {
          const val = this.properties[key];
          if (val) {
            if (first) {
              first = false;
            } else {
              cmdStr += ",";
            }
            cmdStr += `${key}=${escapeProperty(val)}`;
          }
        }
      }
    }
    cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
    return cmdStr;
  }
};
function escapeData(s) {
  return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(s) {
  return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/:/g, "%3A").replace(/,/g, "%2C");
}

// node_modules/@actions/core/lib/file-command.js
import * as crypto from "crypto";
import * as fs from "fs";
import * as os2 from "os";
function issueFileCommand(command, message) {
  const filePath = process.env[`GITHUB_${command}`];
  if (!filePath) {
    throw new Error(`Unable to find environment variable for file command ${command}`);
  }
  if (!fs.existsSync(filePath)) {
    throw new Error(`Missing file at path: ${filePath}`);
  }
  fs.appendFileSync(filePath, `${toCommandValue(message)}${os2.EOL}`, {
    encoding: "utf8"
  });
}
function prepareKeyValueMessage(key, value) {
  const delimiter = `ghadelimiter_${crypto.randomUUID()}`;
  const convertedValue = toCommandValue(value);
  if (key.includes(delimiter)) {
    throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
  }
  if (convertedValue.includes(delimiter)) {
    throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
  }
  return `${key}<<${delimiter}${os2.EOL}${convertedValue}${os2.EOL}${delimiter}`;
}

// node_modules/@actions/core/lib/core.js
import * as os4 from "os";

// node_modules/@actions/core/lib/summary.js
import { EOL as EOL3 } from "os";
import { constants, promises } from "fs";
var __awaiter = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve4) {
      resolve4(value);
    });
  }
  return new (P || (P = Promise))(function(resolve4, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve4(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var { access, appendFile, writeFile } = promises;
var SUMMARY_ENV_VAR = "GITHUB_STEP_SUMMARY";
var Summary = class {
  constructor() {
    this._buffer = "";
  }
  /**
   * Finds the summary file path from the environment, rejects if env var is not found or file does not exist
   * Also checks r/w permissions.
   *
   * @returns step summary file path
   */
  filePath() {
    return __awaiter(this, void 0, void 0, function* () {
      if (this._filePath) {
        return this._filePath;
      }
      const pathFromEnv = process.env[SUMMARY_ENV_VAR];
      if (!pathFromEnv) {
        throw new Error(`Unable to find environment variable for $${SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
      }
      try {
        yield access(pathFromEnv, constants.R_OK | constants.W_OK);
      } catch (_a) {
        throw new Error(`Unable to access summary file: '${pathFromEnv}'. Check if the file has correct read/write permissions.`);
      }
      this._filePath = pathFromEnv;
      return this._filePath;
    });
  }
  /**
   * Wraps content in an HTML tag, adding any HTML attributes
   *
   * @param {string} tag HTML tag to wrap
   * @param {string | null} content content within the tag
   * @param {[attribute: string]: string} attrs key-value list of HTML attributes to add
   *
   * @returns {string} content wrapped in HTML element
   */
  wrap(tag, content, attrs = {}) {
    const htmlAttrs = Object.entries(attrs).map(([key, value]) => ` ${key}="${value}"`).join("");
    if (!content) {
      return `<${tag}${htmlAttrs}>`;
    }
    return `<${tag}${htmlAttrs}>${content}</${tag}>`;
  }
  /**
   * Writes text in the buffer to the summary buffer file and empties buffer. Will append by default.
   *
   * @param {SummaryWriteOptions} [options] (optional) options for write operation
   *
   * @returns {Promise<Summary>} summary instance
   */
  write(options) {
    return __awaiter(this, void 0, void 0, function* () {
      const overwrite = !!(options === null || options === void 0 ? void 0 : options.overwrite);
      const filePath = yield this.filePath();
      const writeFunc = overwrite ? writeFile : appendFile;
      yield writeFunc(filePath, this._buffer, { encoding: "utf8" });
      return this.emptyBuffer();
    });
  }
  /**
   * Clears the summary buffer and wipes the summary file
   *
   * @returns {Summary} summary instance
   */
  clear() {
    return __awaiter(this, void 0, void 0, function* () {
      return this.emptyBuffer().write({ overwrite: true });
    });
  }
  /**
   * Returns the current summary buffer as a string
   *
   * @returns {string} string of summary buffer
   */
  stringify() {
    return this._buffer;
  }
  /**
   * If the summary buffer is empty
   *
   * @returns {boolen} true if the buffer is empty
   */
  isEmptyBuffer() {
    return this._buffer.length === 0;
  }
  /**
   * Resets the summary buffer without writing to summary file
   *
   * @returns {Summary} summary instance
   */
  emptyBuffer() {
    this._buffer = "";
    return this;
  }
  /**
   * Adds raw text to the summary buffer
   *
   * @param {string} text content to add
   * @param {boolean} [addEOL=false] (optional) append an EOL to the raw text (default: false)
   *
   * @returns {Summary} summary instance
   */
  addRaw(text, addEOL = false) {
    this._buffer += text;
    return addEOL ? this.addEOL() : this;
  }
  /**
   * Adds the operating system-specific end-of-line marker to the buffer
   *
   * @returns {Summary} summary instance
   */
  addEOL() {
    return this.addRaw(EOL3);
  }
  /**
   * Adds an HTML codeblock to the summary buffer
   *
   * @param {string} code content to render within fenced code block
   * @param {string} lang (optional) language to syntax highlight code
   *
   * @returns {Summary} summary instance
   */
  addCodeBlock(code, lang) {
    const attrs = Object.assign({}, lang && { lang });
    const element = this.wrap("pre", this.wrap("code", code), attrs);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML list to the summary buffer
   *
   * @param {string[]} items list of items to render
   * @param {boolean} [ordered=false] (optional) if the rendered list should be ordered or not (default: false)
   *
   * @returns {Summary} summary instance
   */
  addList(items, ordered = false) {
    const tag = ordered ? "ol" : "ul";
    const listItems = items.map((item) => this.wrap("li", item)).join("");
    const element = this.wrap(tag, listItems);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML table to the summary buffer
   *
   * @param {SummaryTableCell[]} rows table rows
   *
   * @returns {Summary} summary instance
   */
  addTable(rows) {
    const tableBody = rows.map((row) => {
      const cells = row.map((cell2) => {
        if (typeof cell2 === "string") {
          return this.wrap("td", cell2);
        }
        const { header, data, colspan, rowspan } = cell2;
        const tag = header ? "th" : "td";
        const attrs = Object.assign(Object.assign({}, colspan && { colspan }), rowspan && { rowspan });
        return this.wrap(tag, data, attrs);
      }).join("");
      return this.wrap("tr", cells);
    }).join("");
    const element = this.wrap("table", tableBody);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds a collapsable HTML details element to the summary buffer
   *
   * @param {string} label text for the closed state
   * @param {string} content collapsable content
   *
   * @returns {Summary} summary instance
   */
  addDetails(label, content) {
    const element = this.wrap("details", this.wrap("summary", label) + content);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML image tag to the summary buffer
   *
   * @param {string} src path to the image you to embed
   * @param {string} alt text description of the image
   * @param {SummaryImageOptions} options (optional) addition image attributes
   *
   * @returns {Summary} summary instance
   */
  addImage(src, alt, options) {
    const { width, height } = options || {};
    const attrs = Object.assign(Object.assign({}, width && { width }), height && { height });
    const element = this.wrap("img", null, Object.assign({ src, alt }, attrs));
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML section heading element
   *
   * @param {string} text heading text
   * @param {number | string} [level=1] (optional) the heading level, default: 1
   *
   * @returns {Summary} summary instance
   */
  addHeading(text, level) {
    const tag = `h${level}`;
    const allowedTag = ["h1", "h2", "h3", "h4", "h5", "h6"].includes(tag) ? tag : "h1";
    const element = this.wrap(allowedTag, text);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML thematic break (<hr>) to the summary buffer
   *
   * @returns {Summary} summary instance
   */
  addSeparator() {
    const element = this.wrap("hr", null);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML line break (<br>) to the summary buffer
   *
   * @returns {Summary} summary instance
   */
  addBreak() {
    const element = this.wrap("br", null);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML blockquote to the summary buffer
   *
   * @param {string} text quote text
   * @param {string} cite (optional) citation url
   *
   * @returns {Summary} summary instance
   */
  addQuote(text, cite) {
    const attrs = Object.assign({}, cite && { cite });
    const element = this.wrap("blockquote", text, attrs);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML anchor tag to the summary buffer
   *
   * @param {string} text link text/content
   * @param {string} href hyperlink
   *
   * @returns {Summary} summary instance
   */
  addLink(text, href) {
    const element = this.wrap("a", text, { href });
    return this.addRaw(element).addEOL();
  }
};
var _summary = new Summary();

// node_modules/@actions/core/lib/platform.js
import os3 from "os";
var platform = os3.platform();
var arch = os3.arch();

// node_modules/@actions/core/lib/core.js
var __awaiter2 = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve4) {
      resolve4(value);
    });
  }
  return new (P || (P = Promise))(function(resolve4, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve4(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var ExitCode;
(function(ExitCode2) {
  ExitCode2[ExitCode2["Success"] = 0] = "Success";
  ExitCode2[ExitCode2["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
function setSecret(secret) {
  issueCommand("add-mask", {}, secret);
}
function getInput(name, options) {
  const val = process.env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] || "";
  if (options && options.required && !val) {
    throw new Error(`Input required and not supplied: ${name}`);
  }
  if (options && options.trimWhitespace === false) {
    return val;
  }
  return val.trim();
}
function setOutput(name, value) {
  const filePath = process.env["GITHUB_OUTPUT"] || "";
  if (filePath) {
    return issueFileCommand("OUTPUT", prepareKeyValueMessage(name, value));
  }
  process.stdout.write(os4.EOL);
  issueCommand("set-output", { name }, toCommandValue(value));
}
function setFailed(message) {
  process.exitCode = ExitCode.Failure;
  error(message);
}
function debug(message) {
  issueCommand("debug", {}, message);
}
function error(message, properties = {}) {
  issueCommand("error", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function warning(message, properties = {}) {
  issueCommand("warning", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function notice(message, properties = {}) {
  issueCommand("notice", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function info(message) {
  process.stdout.write(message + os4.EOL);
}
function startGroup(name) {
  issue("group", name);
}
function endGroup() {
  issue("endgroup");
}
function group(name, fn) {
  return __awaiter2(this, void 0, void 0, function* () {
    startGroup(name);
    let result;
    try {
      result = yield fn();
    } finally {
      endGroup();
    }
    return result;
  });
}

// src/lib/action/run.ts
async function runAction(name, main2) {
  const onRejection = (reason) => reportFailure(name, reason);
  process.on("unhandledRejection", onRejection);
  try {
    await main2();
  } catch (thrown) {
    reportFailure(name, thrown);
  } finally {
    process.off("unhandledRejection", onRejection);
  }
}
function reportFailure(name, thrown) {
  const err = toError(thrown);
  const message = redactor.redact(err.message);
  if (isConfigurationError(thrown) || thrown instanceof CheckFailedError) {
    setFailed(`${name}: ${message}`);
  } else if (thrown instanceof NotImplementedError) {
    setFailed(`${name}: not implemented yet: ${message}`);
  } else {
    setFailed(`${name}: ${message}`);
    info(
      `${name}: this failure is not about your inputs: it is a bug in the action or an outage of something it talks to. Details:`
    );
    info(redactor.redact(err.stack ?? String(err)));
  }
}

// src/lib/inputs/spec.ts
var import_yaml = __toESM(require_dist(), 1);
function spec(s) {
  return s;
}
function string(o) {
  return spec({
    kind: "string",
    description: o.description,
    required: o.required ?? false,
    ...o.default !== void 0 ? { default: o.default } : {},
    ...o.secret ? { secret: true } : {},
    parse(input, raw) {
      if (o.pattern && !o.pattern.test(raw))
        throw new InputError(
          input,
          o.secret ? "***" : raw,
          o.allowed ?? `expected a value matching ${o.pattern}`
        );
      return raw;
    }
  });
}
function boolean(o) {
  return spec({
    kind: "boolean",
    description: o.description,
    required: false,
    default: String(o.default),
    parse(input, raw) {
      if (["true", "True", "TRUE"].includes(raw)) return true;
      if (["false", "False", "FALSE"].includes(raw)) return false;
      throw new InputError(input, raw, "expected true or false");
    }
  });
}
function integer(o) {
  const min = o.min ?? Number.MIN_SAFE_INTEGER;
  const max = o.max ?? Number.MAX_SAFE_INTEGER;
  const range = o.min !== void 0 && o.max !== void 0 ? ` from ${min} to ${max}` : o.min !== void 0 ? ` of at least ${min}` : o.max !== void 0 ? ` of at most ${max}` : "";
  return spec({
    kind: "integer",
    description: o.description,
    required: o.required ?? false,
    ...o.default !== void 0 ? { default: String(o.default) } : {},
    parse(input, raw) {
      if (!/^-?\d+$/.test(raw)) throw new InputError(input, raw, `expected a whole number${range}`);
      const n = Number(raw);
      if (!Number.isSafeInteger(n) || n < min || n > max)
        throw new InputError(input, raw, `expected a whole number${range}`);
      return n;
    }
  });
}
function oneOf(values, o) {
  return spec({
    kind: "enum",
    description: o.description,
    required: o.required ?? false,
    values,
    ...o.default !== void 0 ? { default: o.default } : {},
    parse(input, raw) {
      if (!values.includes(raw)) throw new InputError(input, raw, `expected one of ${values.join(", ")}`);
      return raw;
    }
  });
}
function duration(o) {
  return spec({
    kind: "duration",
    description: o.description,
    required: false,
    ...o.default !== void 0 ? { default: o.default } : {},
    parse(input, raw) {
      const ms = parseDurationMs(raw);
      if (ms === void 0) throw new InputError(input, raw, DURATION_HELP);
      if (o.min !== void 0 && ms < o.min)
        throw new InputError(input, raw, `expected a duration of at least ${o.min}ms`);
      if (o.max !== void 0 && ms > o.max)
        throw new InputError(input, raw, `expected a duration of at most ${o.max}ms`);
      return ms;
    }
  });
}
function lines(o) {
  return spec({
    kind: "lines",
    description: o.description,
    required: o.required ?? false,
    ...o.default !== void 0 ? { default: o.default } : {},
    parse(_input, raw) {
      return raw.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
    }
  });
}
function camelCase(name) {
  return name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
}
function parseInputs(schema, get, ctx) {
  const out = {};
  for (const [name, s] of Object.entries(schema)) {
    let raw = (get(name) ?? "").trim();
    if (raw === "" && s.default !== void 0) raw = s.default;
    if (raw === "") {
      if (s.required) throw new InputError(name, "", `this input is required: ${s.description}`);
      out[camelCase(name)] = s.kind === "lines" ? [] : void 0;
      continue;
    }
    out[camelCase(name)] = s.parse(name, raw, ctx);
  }
  return out;
}

// src/lib/action/secrets.ts
function maskSecret(value) {
  if (!value) return;
  for (const part of credentialParts(value)) {
    setSecret(part);
    if (part.includes("\n")) {
      for (const line of part.split(/\r?\n/)) {
        if (line.trim().length >= 8) setSecret(line.trim());
      }
    }
    redactor.add(part);
  }
}

// src/lib/action/inputs.ts
function workspace() {
  return process.env.GITHUB_WORKSPACE || process.cwd();
}
function readInputs(schema) {
  for (const [name, spec2] of Object.entries(schema)) {
    if (spec2.secret) maskSecret(getInput(name));
  }
  return parseInputs(schema, (name) => getInput(name), { workspace: workspace() });
}

// src/lib/action/outputs.ts
function setOutputs(outputs) {
  for (const [name, value] of Object.entries(outputs)) {
    setOutput(name, toOutputString(value));
  }
}
function toOutputString(value) {
  if (value === void 0 || value === null) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

// src/lib/action/summary.ts
import { appendFile as appendFile2 } from "node:fs/promises";

// src/lib/markdown.ts
var STEP_SUMMARY_LIMIT_BYTES = 1024 * 1024;
var STEP_SUMMARY_BUDGET_BYTES = 1e6;
function fitToBudget(markdown, budget = STEP_SUMMARY_BUDGET_BYTES, fullContentAt) {
  const bytes = Buffer.byteLength(markdown, "utf8");
  if (bytes <= budget) return markdown;
  const note = `

> **Summary truncated**: ${bytes} bytes exceed the ${budget}-byte step summary budget.${fullContentAt ? ` The full report is in \`${fullContentAt}\`.` : ""}
`;
  const room = budget - Buffer.byteLength(note, "utf8") - "\n```".length;
  let cut = Buffer.from(markdown, "utf8").subarray(0, Math.max(0, room)).toString("utf8");
  if (cut.endsWith("\uFFFD")) cut = cut.slice(0, -1);
  const lastBreak = cut.lastIndexOf("\n");
  if (lastBreak > 0) cut = cut.slice(0, lastBreak);
  const fences = (cut.match(/^```/gm) ?? []).length;
  return `${cut}${fences % 2 === 1 ? "\n```" : ""}${note}`;
}
function cell(text) {
  if (text === void 0 || text === null) return "";
  return String(text).replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
}
function table(headers, rows) {
  const head = `| ${headers.map(cell).join(" | ")} |`;
  const sep3 = `| ${headers.map(() => "---").join(" | ")} |`;
  const body = rows.map((r) => `| ${r.map(cell).join(" | ")} |`);
  return [head, sep3, ...body].join("\n");
}

// src/lib/action/summary.ts
async function writeSummary(markdown, fullContentAt) {
  const text = fitToBudget(redactor.redact(markdown), void 0, fullContentAt);
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (file) {
    await appendFile2(file, `${text}
`, "utf8");
  } else {
    info(text);
  }
}

// src/lib/annotations.ts
var ANNOTATIONS_SHOWN_PER_LEVEL = 10;
function selectAnnotations(all, maxPerLevel = ANNOTATIONS_SHOWN_PER_LEVEL) {
  const ordered = all.map((a, i) => ({ a, i })).sort((x, y) => (x.a.rank ?? 0) - (y.a.rank ?? 0) || x.i - y.i);
  const counts = { error: 0, warning: 0, notice: 0 };
  const omitted = { error: 0, warning: 0, notice: 0 };
  const shown = [];
  for (const { a } of ordered) {
    if (counts[a.level] < maxPerLevel) {
      counts[a.level]++;
      shown.push(a);
    } else {
      omitted[a.level]++;
    }
  }
  return { shown, omitted };
}

// src/lib/action/annotate.ts
function emitAnnotations(all, maxPerLevel) {
  const { shown, omitted } = selectAnnotations(all, maxPerLevel);
  for (const a of shown) {
    const props = {};
    if (a.title) props.title = a.title;
    if (a.file) props.file = a.file;
    if (a.line) props.startLine = a.line;
    if (a.endLine) props.endLine = a.endLine;
    emit(a.level, a.message, props);
  }
  const omittedTotal = omitted.error + omitted.warning + omitted.notice;
  if (omittedTotal > 0) {
    info(
      `${omittedTotal} more annotation(s) not shown (${omitted.error} error, ${omitted.warning} warning, ${omitted.notice} notice); see the step summary and result file.`
    );
  }
  return { shown: shown.length, omitted: omittedTotal };
}
function emit(level, message, props) {
  if (level === "error") error(message, props);
  else if (level === "warning") warning(message, props);
  else notice(message, props);
}

// src/lib/step-result.ts
import { join } from "node:path";
import { tmpdir } from "node:os";

// src/lib/files.ts
import { mkdir, writeFile as writeFile2, rename } from "node:fs/promises";
import { dirname, resolve, relative, isAbsolute, sep } from "node:path";
async function writeTextFile(path, content) {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  await writeFile2(tmp, redactor.redact(content), "utf8");
  await rename(tmp, path);
}
async function writeJsonFile(path, value) {
  await writeTextFile(path, `${JSON.stringify(value, null, 2)}
`);
}

// src/lib/step-result.ts
function runInfo(env = process.env) {
  const info2 = {};
  if (env.GITHUB_REPOSITORY) info2.repository = env.GITHUB_REPOSITORY;
  if (env.GITHUB_RUN_ID) info2.runId = env.GITHUB_RUN_ID;
  if (env.GITHUB_RUN_ATTEMPT) info2.runAttempt = env.GITHUB_RUN_ATTEMPT;
  if (env.GITHUB_JOB) info2.job = env.GITHUB_JOB;
  if (env.GITHUB_WORKFLOW) info2.workflow = env.GITHUB_WORKFLOW;
  if (env.GITHUB_SHA) info2.sha = env.GITHUB_SHA;
  const url = runPageUrl(env);
  if (url) info2.url = url;
  return info2;
}
function runPageUrl(env = process.env) {
  if (env.ACT === "true" || !env.GITHUB_SERVER_URL || !env.GITHUB_REPOSITORY || !env.GITHUB_RUN_ID)
    return void 0;
  return `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
}
function defaultResultPath(action, env = process.env) {
  const base = env.RUNNER_TEMP || tmpdir();
  const attempt = env.GITHUB_RUN_ATTEMPT ? `-${env.GITHUB_RUN_ATTEMPT}` : "";
  return join(base, "command-center", `${action}${attempt}.json`);
}
async function writeResultFile(path, envelope) {
  await writeJsonFile(path, envelope);
  return path;
}

// src/lib/action/log.ts
var log = {
  info: (msg) => info(msg),
  warning: (msg) => warning(msg),
  error: (msg) => error(msg),
  debug: (msg) => debug(msg)
};
async function group2(title, fn) {
  const started = Date.now();
  return group(title, async () => {
    try {
      return await fn();
    } finally {
      info(`(${title}: ${((Date.now() - started) / 1e3).toFixed(1)}s)`);
    }
  });
}

// src/lib/action/finish.ts
async function finishStep(end) {
  const resultPath = end.resultPath ?? defaultResultPath(end.action);
  await writeResultFile(resultPath, {
    action: end.action,
    schemaVersion: 1,
    status: end.status,
    startedAt: end.startedAt.toISOString(),
    finishedAt: (/* @__PURE__ */ new Date()).toISOString(),
    run: runInfo(),
    result: end.result
  });
  setOutputs({ ...end.outputs, "result-path": resultPath });
  const summary2 = typeof end.summary === "function" ? end.summary(resultPath) : end.summary;
  await writeSummary(summary2, end.summaryFullAt ?? resultPath);
  if (end.annotations?.length) emitAnnotations(end.annotations, end.maxAnnotationsPerLevel);
  if (end.fail) throw end.fail;
  return resultPath;
}

// src/actions/helm-deploy/main.ts
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir as tmpdir2 } from "node:os";
import { join as join3 } from "node:path";

// src/lib/kube/kubeconfig-secrets.ts
var import_yaml2 = __toESM(require_dist(), 1);
var SECRET_NAME = /token|secret|password|passwd|key|credential/i;
function kubeconfigCredentials(content) {
  let doc;
  try {
    doc = (0, import_yaml2.parse)(content, { maxAliasCount: 100 });
  } catch {
    return [];
  }
  const out = /* @__PURE__ */ new Set();
  const add = (v) => {
    if (typeof v === "string" && v.trim().length >= 8) out.add(v.trim());
  };
  for (const entry of Array.isArray(doc?.users) ? doc.users : []) {
    const user = entry?.user;
    if (!user || typeof user !== "object") continue;
    add(user.token);
    add(user.password);
    for (const data of [user["client-key-data"], user["client-certificate-data"]]) {
      if (typeof data !== "string") continue;
      add(data);
      for (const line of Buffer.from(data, "base64").toString("utf8").split(/\r?\n/)) {
        if (!line.startsWith("-----")) add(line);
      }
    }
    for (const [k, v] of Object.entries(user["auth-provider"]?.config ?? {})) if (SECRET_NAME.test(k)) add(v);
    for (const e of user.exec?.env ?? []) {
      if (typeof e?.name === "string" && SECRET_NAME.test(e.name)) add(e.value);
    }
  }
  return [...out];
}

// src/actions/helm-deploy/inputs.ts
import { existsSync as existsSync2, realpathSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute as isAbsolute3, join as join2, resolve as resolve2 } from "node:path";

// src/lib/helm/chart-shown.ts
import { isAbsolute as isAbsolute2, relative as relative2, sep as sep2 } from "node:path";
function shownChart(c) {
  const given = c.given.trim();
  if (!c.local) return given;
  const inWorkspace = below(c.workspace.path, c.local.path) ?? below(c.workspace.realPath, c.local.realPath);
  if (inWorkspace !== void 0) return inWorkspace || ".";
  for (const f of c.runnerFolders ?? []) {
    const rel = below(f.path, c.local.path) ?? below(f.realPath, c.local.realPath);
    if (rel !== void 0) return rel ? `${f.placeholder}/${rel}` : f.placeholder;
  }
  return given;
}
function below(root, path) {
  if (!root || !path || !isAbsolute2(root) || !isAbsolute2(path)) return void 0;
  const rel = relative2(root, path);
  if (rel === ".." || rel.startsWith(`..${sep2}`) || isAbsolute2(rel)) return void 0;
  return rel.split(sep2).join("/");
}

// src/actions/helm-deploy/inputs.ts
function planDeploy(inputs, workspace2, env = process.env) {
  const inWorkspace = (p) => isAbsolute3(p) ? p : resolve2(workspace2, p);
  if (inputs.mode === "deploy" && !inputs.chart)
    throw new InputError(
      "chart",
      "",
      "a chart is required for mode: deploy (a path, repo/chart with repository, a repository URL or oci://...)"
    );
  let chart = inputs.chart ?? "";
  let localChart;
  if (chart && !chart.startsWith("oci://") && !/^https?:\/\//.test(chart) && !inputs.repository) {
    const local = inWorkspace(chart);
    const looksLocal = chart.startsWith(".") || chart.startsWith("/") || existsSync2(local);
    if (looksLocal) {
      if (!existsSync2(local))
        throw new InputError("chart", chart, `no such chart directory or archive (resolved to ${local})`);
      if (statSync(local).isDirectory() && !existsSync2(join2(local, "Chart.yaml")))
        throw new InputError("chart", chart, `the directory has no Chart.yaml (resolved to ${local})`);
      localChart = local;
      chart = local;
    }
  }
  const chartShown = showChart(inputs.chart ?? "", localChart, workspace2, env);
  const valuesFiles = inputs.values.map((v) => {
    const p = inWorkspace(v);
    if (!existsSync2(p)) throw new InputError("values", v, `no such values file (resolved to ${p})`);
    return p;
  });
  const keyValue = (input, lines2) => lines2.map((l) => {
    if (!/^[^=]+=/.test(l)) throw new InputError(input, l, "expected key=value, one per line");
    return l;
  });
  const setFile = keyValue("set-file", inputs.setFile).map((l) => {
    const eq = l.indexOf("=");
    const p = inWorkspace(l.slice(eq + 1));
    if (!existsSync2(p)) throw new InputError("set-file", l, `no such file (resolved to ${p})`);
    return `${l.slice(0, eq)}=${p}`;
  });
  const plan = {
    mode: inputs.mode,
    release: inputs.release,
    namespace: inputs.namespace,
    chartShown,
    upgrade: {
      release: inputs.release,
      chart,
      namespace: inputs.namespace,
      createNamespace: inputs.createNamespace,
      ...inputs.repository ? { repository: inputs.repository } : {},
      ...inputs.version ? { version: inputs.version } : {},
      valuesFiles,
      set: keyValue("set", inputs.set).map(escapeSetValue),
      setString: keyValue("set-string", inputs.setString).map(escapeSetValue),
      setFile,
      timeoutMs: inputs.timeout,
      wait: inputs.wait,
      atomic: inputs.atomic,
      historyMax: inputs.historyMax
    },
    kubeconfig: kubeconfigSource(inputs.kubeconfig, workspace2, env),
    ...inputs.context ? { context: inputs.context } : {},
    helm: inputs.helm,
    diff: inputs.diff,
    recoverStuck: inputs.recoverStuck,
    ...inputs.revision !== void 0 ? { revision: inputs.revision } : {}
  };
  const warning2 = budgetWarning(inputs.timeout, inputs.atomic, inputs.stepTimeout);
  if (warning2) plan.budgetWarning = warning2;
  return plan;
}
function budgetWarning(timeoutMs, atomic, stepTimeoutMs) {
  if (stepTimeoutMs === void 0) return void 0;
  const needed = timeoutMs * (atomic ? 2 : 1) + 6e4;
  if (needed <= stepTimeoutMs) return void 0;
  return `timeout ${formatDuration(timeoutMs)}${atomic ? " plus an automatic rollback of up to the same" : ""} plus a minute of margin (${formatDuration(needed)}) does not fit in the step's ${formatDuration(stepTimeoutMs)}: if the runner kills helm mid-upgrade the release is left pending. Lower 'timeout' or raise the step's timeout-minutes.`;
}
function showChart(given, local, workspace2, env) {
  const real = (p) => {
    try {
      return realpathSync(p);
    } catch {
      return void 0;
    }
  };
  const folders = [
    ["{runner-temp}", env.RUNNER_TEMP],
    ["{tool-cache}", env.RUNNER_TOOL_CACHE]
  ];
  return shownChart({
    given,
    ...local ? { local: { path: local, realPath: real(local) } } : {},
    workspace: { path: resolve2(workspace2), realPath: real(workspace2) },
    runnerFolders: folders.flatMap(
      ([placeholder, path]) => path ? [{ placeholder, path: resolve2(path), realPath: real(path) }] : []
    )
  });
}
function kubeconfigSource(value, workspace2, env) {
  if (value && (value.includes("\n") || /^\s*apiVersion\s*:/.test(value) || value.trim().startsWith("{")))
    return { kind: "content", content: value };
  const path = value ? isAbsolute3(value) ? value : resolve2(workspace2, value) : env.KUBECONFIG?.split(":")[0] || join2(homedir(), ".kube", "config");
  if (!existsSync2(path)) {
    if (value)
      throw new ConfigurationError(
        `input 'kubeconfig' names a file that does not exist (resolved to ${path}); give the kubeconfig content or an existing path`
      );
    throw new ConfigurationError(
      `no kubeconfig: input 'kubeconfig' is empty and ${env.KUBECONFIG ? `KUBECONFIG (${path})` : `${path}`} does not exist`
    );
  }
  return { kind: "path", path };
}

// src/lib/inputs/metadata.ts
function defineAction(m) {
  return m;
}

// src/lib/inputs/common.ts
import { isAbsolute as isAbsolute4, resolve as resolve3 } from "node:path";
function resolveResultPath(raw, workspace2) {
  const path = isAbsolute4(raw) ? resolve3(raw) : resolve3(workspace2, raw);
  if (path.split(/[\\/]/).includes(".git")) {
    throw new InputError("result-path", raw, "expected a file path outside any .git folder");
  }
  if (raw.endsWith("/") || raw.endsWith("\\"))
    throw new InputError("result-path", raw, "expected a file path, not a folder");
  return path;
}
var resultPathInput = {
  ...string({
    description: "Where to write the JSON result file: a path relative to the workspace, or absolute (default: a file under $RUNNER_TEMP/command-center/). Its path is the `result-path` output."
  }),
  parse: (_input, raw, ctx) => resolveResultPath(raw, ctx.workspace)
};
var apiUrlInput = string({
  pattern: /^https?:\/\/\S+$/,
  allowed: "expected the http(s) URL of the REST API root, e.g. https://ghe.example/api/v3 or https://gitea.example/api/v1",
  description: "The forge's REST API root. Default: the runner's `GITHUB_API_URL` (set by GitHub, GitHub Enterprise Server, Gitea and Forgejo runners)."
});
var commitModeInput = oneOf(["push", "pull-request"], {
  default: "push",
  description: "`push`: commit straight onto `branch` (never forced). `pull-request`: commit onto the step's own branch `command-center/<kind>-<date>` (replaced on each run for that date, with a lease) and open or update a pull request into `branch`, for branches that refuse direct pushes. Needs `token` with `contents: write` and `pull-requests: write`; the default commit message then leaves out `[skip ci]`, so the pull request's required checks run."
});
var autoMergeInput = boolean({
  default: false,
  description: "With `commit-mode: pull-request`, try to merge the pull request at once. A merge the forge refuses (required checks pending, protection rules) leaves it open with a warning; the step does not fail for it."
});

// src/actions/helm-deploy/metadata.ts
var metadata = defineAction({
  name: "helm-deploy",
  title: "Command Center: helm-deploy",
  description: "Deploy a Helm release (Helm 3 or 4), verify every workload rolls out in parallel, diagnose failures, roll back, and recover stuck releases.",
  branding: { icon: "anchor", color: "blue" },
  inputs: {
    mode: oneOf(["deploy", "rollback"], {
      default: "deploy",
      description: "`deploy` installs or upgrades the release; `rollback` undoes an earlier deploy (to `revision`, or uninstalls after a first install)."
    }),
    release: string({
      required: true,
      pattern: /^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$/,
      allowed: "expected a Helm release name: lowercase letters, digits and dashes, at most 53 characters",
      description: "Helm release name."
    }),
    chart: string({
      description: "Chart: a path in the workspace, `repo/chart` with `repository`, a repository URL, or an `oci://` reference. Required for `mode: deploy`."
    }),
    repository: string({ description: "Chart repository URL, when `chart` is a chart name." }),
    version: string({ description: "Chart version constraint (semver); empty means the latest." }),
    namespace: string({
      default: "default",
      pattern: /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
      allowed: "expected a Kubernetes namespace name (RFC 1123 label)",
      description: "Kubernetes namespace of the release."
    }),
    "create-namespace": boolean({
      default: false,
      description: "Create the namespace if it does not exist."
    }),
    values: lines({ description: "Values files, one path per line." }),
    set: lines({ description: "Values as `key=value`, one per line (never split on commas)." }),
    "set-string": lines({ description: "String values as `key=value`, one per line." }),
    "set-file": lines({ description: "Values read from files as `key=path`, one per line." }),
    kubeconfig: string({
      secret: true,
      description: "Kubeconfig content or path to a kubeconfig file. Masked in logs and never written to the workspace. Default: $KUBECONFIG or ~/.kube/config."
    }),
    context: string({ description: "Kubeconfig context to use." }),
    timeout: duration({
      default: "5m",
      min: 1e3,
      description: "Helm timeout and the rollout deadline shared by all workloads."
    }),
    "step-timeout": duration({
      description: "The step's `timeout-minutes` as a duration (e.g. `10m`); warns when `timeout` plus rollback would not fit inside it."
    }),
    atomic: boolean({
      default: true,
      description: "Roll back automatically when the deploy fails (Helm 3 `--atomic`, Helm 4 `--rollback-on-failure`)."
    }),
    wait: boolean({
      default: true,
      description: "Wait for and verify the rollout of every workload in the release."
    }),
    diff: boolean({
      default: false,
      description: "Render what the deploy changes into the summary before deploying: Helm renders the next revision against the cluster (a server-side dry run) and it is compared object by object, hooks included, with the deployed revision."
    }),
    helm: string({
      default: "helm",
      description: "Helm binary to run (name on PATH or a path). Helm 3 and 4 are both supported."
    }),
    "history-max": integer({
      default: 10,
      min: 0,
      max: 1e3,
      description: "Revisions to keep in the release history (0 keeps all)."
    }),
    "recover-stuck": boolean({
      default: true,
      description: "Recover a release stuck in pending-install/upgrade/rollback before deploying."
    }),
    revision: integer({
      min: 1,
      description: "For `mode: rollback`: the revision to return to (usually the `previous-revision` output of the deploy step)."
    }),
    "result-path": resultPathInput
  },
  outputs: {
    status: "Final release status: deployed, failed, rolled-back, uninstalled.",
    revision: "Release revision after the step.",
    "previous-revision": "Revision that was deployed before this step (empty for a first install).",
    "rolled-back": "true when the step rolled the release back.",
    "diagnostics-path": "Path of the diagnostics JSON (workload status, pod reasons, events, logs) when something failed.",
    duration: "Seconds the step took.",
    "result-path": "Path of the JSON result file."
  }
});

// src/actions/helm-deploy/render.ts
var ICON = {
  deployed: "\u2705",
  failed: "\u274C",
  "rolled-back": "\u21A9\uFE0F",
  uninstalled: "\u{1F5D1}\uFE0F"
};
var STATE_ICON = {
  ready: "\u2705",
  progressing: "\u23F3",
  failed: "\u274C",
  timeout: "\u274C",
  missing: "\u274C",
  stopped: "\u23F9\uFE0F",
  "not-run": "\u23ED\uFE0F"
};
function renderSummary(r, paths) {
  const out = [];
  const rev = r.revision !== void 0 ? ` revision ${r.revision}` : "";
  out.push(`## helm-deploy: ${ICON[r.status]} ${r.release} ${r.status}${rev}`, "");
  out.push(
    table(
      [
        "release",
        "namespace",
        "chart",
        "helm",
        "mode",
        "status",
        "revision",
        "previous revision",
        "duration"
      ],
      [
        [
          r.release,
          r.namespace,
          r.chart,
          r.helmVersion,
          r.mode,
          r.status,
          r.revision ?? "",
          r.previousRevision ?? "",
          formatDuration(r.durationMs)
        ]
      ]
    )
  );
  if (r.budgetWarning) out.push("", `> \u26A0\uFE0F ${r.budgetWarning}`);
  if (r.unverified) out.push("", `> \u26A0\uFE0F Not verified: ${r.unverified}.`);
  if (r.recovered)
    out.push(
      "",
      `> \u267B\uFE0F Recovered a release stuck in \`${r.recovered.from}\` (revision ${r.recovered.revision}) by ${r.recovered.action === "rollback" ? `rolling back to revision ${r.recovered.to}` : "uninstalling the unfinished first install"}.`
    );
  if (r.failure) out.push("", `**Failure:** ${r.failure}`);
  if (r.bug)
    out.push(
      "",
      `> \u{1F41E} This is a bug in helm-deploy, not in the release: please report it. The release was left as helm deployed it.`
    );
  if (r.verification) {
    out.push(
      "",
      `### Rollout (verified in parallel: ${formatDuration(r.verification.wallMs)} wall time; ${formatDuration(r.verification.sumMs)} if waited one by one)`,
      ""
    );
    out.push(
      table(
        ["", "workload", "state", "time", "detail"],
        r.verification.workloads.map((w) => [
          STATE_ICON[w.state],
          `${w.kind}/${w.name}${w.hook ? ` (${w.hook.join(", ")} hook)` : ""}`,
          w.state,
          w.durationMs !== void 0 ? formatDuration(w.durationMs) : "",
          w.message
        ])
      )
    );
  }
  if (r.diagnostics?.length) {
    out.push("", "### Diagnostics", "");
    for (const d of r.diagnostics) {
      out.push(`#### ${d.kind}/${d.name}${d.hook ? ` (${d.hook.join(", ")} hook)` : ""} \u2014 ${d.status}`, "");
      const bad = d.pods.filter((p) => !p.ready);
      if (bad.length)
        out.push(
          table(
            ["pod", "phase", "restarts", "node", "why not ready"],
            bad.slice(0, 10).map((p) => [p.name, p.phase, p.restarts, p.node ?? "", p.reasons.join("; ")])
          ),
          ""
        );
      if (d.events.length)
        out.push(
          "Recent events:",
          "",
          table(
            ["type", "reason", "object", "message", "count"],
            d.events.slice(0, 10).map((e) => [e.type, e.reason, e.object, e.message, e.count])
          ),
          ""
        );
      for (const l of d.logs.slice(0, 3))
        out.push(
          l.text ? `<details><summary>logs of ${l.pod}/${l.container}${l.previous ? " (previous run)" : ""}</summary>

\`\`\`
${l.text.slice(-4e3)}
\`\`\`
</details>` : `Logs of ${l.pod}/${l.container}: unavailable (${l.unavailable?.slice(0, 200)})`
        );
    }
    if (paths.diagnostics) out.push("", `Full diagnostics: \`${paths.diagnostics}\``);
  }
  if (r.diff) {
    out.push("", `### Changes against the deployed release (${r.diff.length} object(s))`, "");
    if (!r.diff.length) out.push("No changes.");
    for (const c of r.diff) {
      const what = `${c.change}${c.hook ? ` (${c.hook.join(", ")} hook)` : ""}: ${c.from ? `${c.from} \u2192 ` : ""}${c.object}`;
      out.push(
        c.patch ? `<details><summary>${what}</summary>

\`\`\`diff
${c.patch.slice(0, 2e4)}
\`\`\`
</details>` : `- ${what} (unchanged since the deployed revision)`
      );
    }
  }
  out.push("", `Result: \`${paths.result}\``);
  return out.join("\n");
}
function buildAnnotations(r) {
  const out = [];
  if (r.budgetWarning)
    out.push({ level: "warning", title: "helm-deploy: timeout budget", message: r.budgetWarning, rank: 5 });
  if (r.unverified)
    out.push({
      level: "warning",
      title: "helm-deploy: rollout not verified",
      message: r.unverified,
      rank: 4
    });
  if (r.recovered)
    out.push({
      level: "notice",
      title: "helm-deploy: recovered a stuck release",
      message: `release ${r.release} was stuck in ${r.recovered.from} (revision ${r.recovered.revision}); recovered by ${r.recovered.action}`,
      rank: 6
    });
  for (const d of r.diagnostics ?? []) {
    const pod = d.pods.find((p) => !p.ready);
    const why = pod ? `pod ${pod.name}: ${pod.reasons[0] ?? pod.phase}` : d.status;
    const title = d.hook ? `helm-deploy: ${d.hook.join(", ")} hook ${d.kind}/${d.name} failed` : `helm-deploy: ${d.kind}/${d.name} did not become ready`;
    out.push({ level: "error", title, message: `${d.kind}/${d.name} in ${d.namespace}: ${why}`, rank: 1 });
  }
  if (r.bug)
    out.push({ level: "error", title: "helm-deploy: a bug in helm-deploy", message: r.bug, rank: 0 });
  return out;
}

// src/actions/helm-deploy/main.ts
var SIGNAL_GRACE_MS = 5e3;
async function main() {
  const startedAt = /* @__PURE__ */ new Date();
  const inputs = readInputs(metadata.inputs);
  const plan = planDeploy(inputs, workspace());
  for (const credential of kubeconfigCredentials(kubeconfigText(plan))) maskSecret(credential);
  const kubeconfig = materializeKubeconfig(plan);
  let helm;
  let stopping = false;
  const onSignal = (sig) => {
    kubeconfig.remove();
    const end = () => {
      unlisten();
      process.kill(process.pid, sig);
    };
    if (stopping || !helm) return end();
    stopping = true;
    helm.signal(sig);
    void helm.idle(SIGNAL_GRACE_MS).then(end);
  };
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"];
  const handlers = signals.map((sig) => [sig, () => onSignal(sig)]);
  const unlisten = () => {
    for (const [sig, handler] of handlers) process.off(sig, handler);
    process.off("exit", kubeconfig.remove);
  };
  for (const [sig, handler] of handlers) process.on(sig, handler);
  process.on("exit", kubeconfig.remove);
  try {
    helm = new HelmClient({
      binary: plan.helm,
      kubeconfigPath: kubeconfig.path,
      ...plan.context ? { kubeContext: plan.context } : {},
      onLine: (l) => log.info(`  helm| ${l}`)
    });
    const detecting = helm.detectVersion();
    detecting.catch(() => void 0);
    const history = plan.mode === "deploy" ? helm.history(plan.release, plan.namespace) : void 0;
    history?.catch(() => void 0);
    const modules = Promise.all([import("./chunks/client-PAKZRFLA.js"), import("./chunks/deploy-AYZZ57AV.js")]);
    modules.catch(() => void 0);
    const { version } = await group2("Preflight", async () => {
      const v = await detecting;
      log.info(`helm ${v.version} (Helm ${v.major} flags)`);
      return v;
    });
    const [{ KubeClient }, { deploy, rollback }] = await modules;
    const kube = new KubeClient({
      kubeconfigPath: kubeconfig.path,
      ...plan.context ? { context: plan.context } : {},
      requestTimeoutMs: 2e4
    });
    try {
      await kube.get("/version").catch((err) => {
        throw new CheckFailedError(`the Kubernetes API at ${kube.server} does not answer: ${err.message}`);
      });
      const deps = {
        helm,
        kube,
        log: (l) => log.info(l),
        ...process.env.HELM_DRIVER ? { helmDriver: process.env.HELM_DRIVER } : {},
        ...history ? { history } : {}
      };
      const result = await group2(
        plan.mode === "deploy" ? `Deploying ${plan.release} with helm ${version}` : `Rolling back ${plan.release}`,
        () => plan.mode === "deploy" ? deploy(plan, deps) : rollback(plan, deps)
      );
      await report(result, startedAt, inputs.resultPath);
    } finally {
      kube.close();
    }
  } finally {
    kubeconfig.remove();
    unlisten();
  }
}
async function report(result, startedAt, resultPathInput2) {
  const resultPath = resultPathInput2 ?? defaultResultPath("helm-deploy");
  let diagnosticsPath;
  if (result.diagnostics?.length) {
    diagnosticsPath = join3(resultPath, "..", `helm-deploy-diagnostics-${result.release}.json`);
    await writeJsonFile(diagnosticsPath, {
      release: result.release,
      namespace: result.namespace,
      revision: result.revision,
      failure: result.failure,
      workloads: result.diagnostics
    });
  }
  const ok = result.status === "deployed" && !result.bug || result.mode === "rollback" && result.rolledBack;
  await finishStep({
    action: "helm-deploy",
    startedAt,
    resultPath,
    status: ok ? "success" : "failure",
    result,
    outputs: {
      status: result.status,
      revision: result.revision,
      "previous-revision": result.previousRevision,
      "rolled-back": result.rolledBack,
      "diagnostics-path": diagnosticsPath,
      duration: Math.round(result.durationMs / 1e3)
    },
    summary: renderSummary(result, {
      result: resultPath,
      ...diagnosticsPath ? { diagnostics: diagnosticsPath } : {}
    }),
    annotations: buildAnnotations(result),
    ...failureOf(result, ok)
  });
}
function failureOf(result, ok) {
  if (result.bug && result.status === "deployed")
    return { fail: new Error(`${result.failure ?? result.bug}`) };
  if (ok) return {};
  const undone = !result.rolledBack ? "" : result.status === "uninstalled" ? "; the failed install was removed" : `; rolled back, revision ${result.revision} is deployed`;
  return {
    fail: new CheckFailedError(
      `${result.failure ?? `release ${result.release} is ${result.status}`}${undone}`
    )
  };
}
function kubeconfigText(plan) {
  if (plan.kubeconfig.kind === "content") return plan.kubeconfig.content;
  try {
    return readFileSync(plan.kubeconfig.path, "utf8");
  } catch {
    return "";
  }
}
function materializeKubeconfig(plan) {
  if (plan.kubeconfig.kind === "path") return { path: plan.kubeconfig.path, remove: () => {
  } };
  const dir = mkdtempSync(join3(process.env.RUNNER_TEMP || tmpdir2(), "helm-deploy-"));
  chmodSync(dir, 448);
  const path = join3(dir, "kubeconfig");
  writeFileSync(path, plan.kubeconfig.content, { mode: 384 });
  chmodSync(path, 384);
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// src/actions/helm-deploy/index.ts
void runAction("helm-deploy", main);
