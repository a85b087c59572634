import { createRequire as __ccCreateRequire } from 'node:module';
import { fileURLToPath as __ccFileURLToPath } from 'node:url';
import { dirname as __ccDirname } from 'node:path';
var require = __ccCreateRequire(import.meta.url);
var __filename = __ccFileURLToPath(import.meta.url);
var __dirname = __ccDirname(__filename);
import {
  needsProblems
} from "./chunks/chunk-2BIVV27V.js";
import {
  DURATION_HELP,
  HelmClient,
  credentialParts,
  escapeSetValue,
  formatDuration,
  parseDurationMs,
  redactor,
  require_dist
} from "./chunks/chunk-3Y6HBLEU.js";
import {
  CheckFailedError,
  ConfigurationError,
  InputError,
  NotImplementedError,
  __toESM,
  isConfigurationError,
  quote,
  toError
} from "./chunks/chunk-6CCBSM33.js";

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
    return value instanceof P ? value : new P(function(resolve5) {
      resolve5(value);
    });
  }
  return new (P || (P = Promise))(function(resolve5, reject) {
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
      result.done ? resolve5(result.value) : adopt(result.value).then(fulfilled, rejected);
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
    return value instanceof P ? value : new P(function(resolve5) {
      resolve5(value);
    });
  }
  return new (P || (P = Promise))(function(resolve5, reject) {
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
      result.done ? resolve5(result.value) : adopt(result.value).then(fulfilled, rejected);
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
import { existsSync as existsSync2, readFileSync, statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";

// node_modules/@cfworker/json-schema/dist/esm/deep-compare-strict.js
function deepCompareStrict(a, b) {
  const typeofa = typeof a;
  if (typeofa !== typeof b) {
    return false;
  }
  const aIsArray = Array.isArray(a);
  const bIsArray = Array.isArray(b);
  if (aIsArray !== bIsArray) {
    return false;
  }
  if (aIsArray) {
    const length = a.length;
    if (length !== b.length) {
      return false;
    }
    for (let i = 0; i < length; i++) {
      if (!deepCompareStrict(a[i], b[i])) {
        return false;
      }
    }
    return true;
  }
  if (typeofa === "object") {
    if (!a || !b) {
      return a === b;
    }
    const aKeys = Object.keys(a);
    const bKeys = Object.keys(b);
    const length = aKeys.length;
    if (length !== bKeys.length) {
      return false;
    }
    for (const k of aKeys) {
      if (!Object.prototype.hasOwnProperty.call(b, k)) {
        return false;
      }
      if (!deepCompareStrict(a[k], b[k])) {
        return false;
      }
    }
    return true;
  }
  return a === b;
}

// node_modules/@cfworker/json-schema/dist/esm/pointer.js
function encodePointer(p) {
  return encodeURI(escapePointer(p)).replace(/#/g, "%23");
}
function escapePointer(p) {
  return p.replace(/~/g, "~0").replace(/\//g, "~1");
}

// node_modules/@cfworker/json-schema/dist/esm/dereference.js
var uriFragmentCharacter = /^[A-Za-z0-9._~!$&'()*+,;=:@/?-]$/;
var uriPercentEncoding = /^%[0-9A-Fa-f]{2}$/;
var uriUnreservedCharacter = /^[A-Za-z0-9._~-]$/;
function normalizeURIFragment(fragment) {
  let normalized = "";
  for (let index = 0; index < fragment.length; ) {
    const character = fragment[index];
    const encoded = fragment.slice(index, index + 3);
    if (character === "%" && uriPercentEncoding.test(encoded)) {
      const decoded = String.fromCharCode(parseInt(encoded.slice(1), 16));
      normalized += uriUnreservedCharacter.test(decoded) ? decoded : encoded.toUpperCase();
      index += 3;
      continue;
    }
    const codePoint = String.fromCodePoint(fragment.codePointAt(index));
    normalized += uriFragmentCharacter.test(codePoint) ? codePoint : encodeURIComponent(codePoint);
    index += codePoint.length;
  }
  return normalized;
}
function resolveURI(reference, baseURI) {
  const url = new URL(reference, baseURI.href);
  url.hash = url.hash ? normalizeURIFragment(url.hash.slice(1)) : "";
  return url;
}
var schemaArrayKeyword = {
  prefixItems: true,
  items: true,
  allOf: true,
  anyOf: true,
  oneOf: true
};
var schemaMapKeyword = {
  $defs: true,
  definitions: true,
  properties: true,
  patternProperties: true,
  dependentSchemas: true
};
var ignoredKeyword = {
  id: true,
  $id: true,
  $ref: true,
  $schema: true,
  $anchor: true,
  $vocabulary: true,
  $comment: true,
  default: true,
  enum: true,
  const: true,
  required: true,
  dependentRequired: true,
  type: true,
  maximum: true,
  minimum: true,
  exclusiveMaximum: true,
  exclusiveMinimum: true,
  multipleOf: true,
  maxLength: true,
  minLength: true,
  pattern: true,
  format: true,
  maxItems: true,
  minItems: true,
  uniqueItems: true,
  maxProperties: true,
  minProperties: true
};
var initialBaseURI = typeof self !== "undefined" && self.location && self.location.origin !== "null" ? new URL(self.location.origin + self.location.pathname + location.search) : new URL("https://github.com/cfworker");
function dereference(schema, lookup = /* @__PURE__ */ Object.create(null), baseURI = initialBaseURI, basePointer = "") {
  if (schema && typeof schema === "object" && !Array.isArray(schema)) {
    const id = schema.$id || schema["id"];
    if (id) {
      const url = resolveURI(id, baseURI);
      if (url.hash.length > 1) {
        lookup[url.href] = schema;
      } else {
        url.hash = "";
        if (basePointer === "") {
          baseURI = url;
        } else {
          dereference(schema, lookup, baseURI);
        }
      }
    }
  } else if (schema !== true && schema !== false) {
    return lookup;
  }
  const schemaURI = baseURI.href + (basePointer ? "#" + basePointer : "");
  if (lookup[schemaURI] !== void 0 && lookup[schemaURI] !== schema) {
    throw new Error(`Duplicate schema URI "${schemaURI}".`);
  }
  lookup[schemaURI] = schema;
  if (schema === true || schema === false) {
    return lookup;
  }
  if (schema.__absolute_uri__ === void 0) {
    Object.defineProperty(schema, "__absolute_uri__", {
      enumerable: false,
      value: schemaURI
    });
  }
  if (schema.$ref && schema.__absolute_ref__ === void 0) {
    const url = resolveURI(schema.$ref, baseURI);
    Object.defineProperty(schema, "__absolute_ref__", {
      enumerable: false,
      value: url.href
    });
  }
  if (schema.$recursiveRef && schema.__absolute_recursive_ref__ === void 0) {
    const url = resolveURI(schema.$recursiveRef, baseURI);
    Object.defineProperty(schema, "__absolute_recursive_ref__", {
      enumerable: false,
      value: url.href
    });
  }
  if (schema.$anchor) {
    const url = resolveURI("#" + schema.$anchor, baseURI);
    lookup[url.href] = schema;
  }
  for (let key in schema) {
    if (ignoredKeyword[key]) {
      continue;
    }
    const keyBase = `${basePointer}/${encodePointer(key)}`;
    const subSchema = schema[key];
    if (Array.isArray(subSchema)) {
      if (schemaArrayKeyword[key]) {
        const length = subSchema.length;
        for (let i = 0; i < length; i++) {
          dereference(subSchema[i], lookup, baseURI, `${keyBase}/${i}`);
        }
      }
    } else if (schemaMapKeyword[key]) {
      for (let subKey in subSchema) {
        dereference(subSchema[subKey], lookup, baseURI, `${keyBase}/${encodePointer(subKey)}`);
      }
    } else {
      dereference(subSchema, lookup, baseURI, keyBase);
    }
  }
  return lookup;
}

// node_modules/@cfworker/json-schema/dist/esm/format.js
var DATE = /^(\d\d\d\d)-(\d\d)-(\d\d)$/;
var DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
var TIME = /^(\d\d):(\d\d):(\d\d)(\.\d+)?(z|([+-])(\d\d):(\d\d))?$/i;
var HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[-0-9a-z]{0,61}[0-9a-z])?)*$/i;
var URIREF = /^(?:[a-z][a-z0-9+\-.]*:)?(?:\/?\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:\[(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){4}|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:(?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){0,3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:[0-9a-f]{1,4}:[0-9a-f]{1,4}|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?))|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|[Vv][0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+)\]|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)|(?:[a-z0-9\-._~!$&'"()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?(?:\/(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})*)*|\/(?:(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})*)*)?(?:\?(?:[a-z0-9\-._~!$&'"()*+,;=:@/?]|%[0-9a-f]{2})*)?(?:#(?:[a-z0-9\-._~!$&'"()*+,;=:@/?]|%[0-9a-f]{2})*)?$/i;
var URITEMPLATE = /^(?:(?:[^\x00-\x20\x7f"<>%\\^`{|}]|%[0-9a-f]{2})|\{[+#./;?&=,!@|]?(?:[a-z0-9_]|%[0-9a-f]{2})+(?:\.(?:[a-z0-9_]|%[0-9a-f]{2})+)*(?::[1-9][0-9]{0,3}|\*)?(?:,(?:[a-z0-9_]|%[0-9a-f]{2})+(?:\.(?:[a-z0-9_]|%[0-9a-f]{2})+)*(?::[1-9][0-9]{0,3}|\*)?)*\})*$/i;
var URL_ = /^(?:(?:https?|ftp):\/\/)(?:\S+(?::\S*)?@)?(?:(?!10(?:\.\d{1,3}){3})(?!127(?:\.\d{1,3}){3})(?!169\.254(?:\.\d{1,3}){2})(?!192\.168(?:\.\d{1,3}){2})(?!172\.(?:1[6-9]|2\d|3[0-1])(?:\.\d{1,3}){2})(?:[1-9]\d?|1\d\d|2[01]\d|22[0-3])(?:\.(?:1?\d{1,2}|2[0-4]\d|25[0-5])){2}(?:\.(?:[1-9]\d?|1\d\d|2[0-4]\d|25[0-4]))|(?:(?:[a-z\u{00a1}-\u{ffff}0-9]+-?)*[a-z\u{00a1}-\u{ffff}0-9]+)(?:\.(?:[a-z\u{00a1}-\u{ffff}0-9]+-?)*[a-z\u{00a1}-\u{ffff}0-9]+)*(?:\.(?:[a-z\u{00a1}-\u{ffff}]{2,})))(?::\d{2,5})?(?:\/[^\s]*)?$/iu;
var UUID = /^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;
var JSON_POINTER = /^(?:\/(?:[^~/]|~0|~1)*)*$/;
var JSON_POINTER_URI_FRAGMENT = /^#(?:\/(?:[a-z0-9_\-.!$&'()*+,;:=@]|%[0-9a-f]{2}|~0|~1)*)*$/i;
var RELATIVE_JSON_POINTER = /^(?:0|[1-9][0-9]*)(?:#|(?:\/(?:[^~/]|~0|~1)*)*)$/;
var EMAIL_ADDRESS = /^("(?:[\x20-\x21\x23-\x5b\x5d-\x7e]|\\[\x20-\x7e])*"|[a-z0-9.!#$%&'*+/=?^_`{|}~-]+)@(.+)$/i;
var EMAIL = (input) => {
  const matches = input.match(EMAIL_ADDRESS);
  if (!matches)
    return false;
  const name = matches[1];
  const host = matches[2];
  if (!name || !host || name.length > 64 || host.length > 253)
    return false;
  if (name[0] !== '"' && (name[0] === "." || name.endsWith(".") || name.includes(".."))) {
    return false;
  }
  if (host.startsWith("[") && host.endsWith("]")) {
    const address = host.slice(1, -1);
    if (/^ipv6:/i.test(address))
      return IPV6.test(address.slice(5));
    return IPV4.test(address);
  }
  return HOSTNAME.test(host);
};
var IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)$/;
var IPV6 = /^((([0-9a-f]{1,4}:){7}([0-9a-f]{1,4}|:))|(([0-9a-f]{1,4}:){6}(:[0-9a-f]{1,4}|((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9a-f]{1,4}:){5}(((:[0-9a-f]{1,4}){1,2})|:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9a-f]{1,4}:){4}(((:[0-9a-f]{1,4}){1,3})|((:[0-9a-f]{1,4})?:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){3}(((:[0-9a-f]{1,4}){1,4})|((:[0-9a-f]{1,4}){0,2}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){2}(((:[0-9a-f]{1,4}){1,5})|((:[0-9a-f]{1,4}){0,3}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){1}(((:[0-9a-f]{1,4}){1,6})|((:[0-9a-f]{1,4}){0,4}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(:(((:[0-9a-f]{1,4}){1,7})|((:[0-9a-f]{1,4}){0,5}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:)))$/i;
var DURATION = (input) => /^P(?:\d+W|(?:(?:\d+Y(?:\d+M(?:\d+D)?)?|\d+M(?:\d+D)?|\d+D)(?:T(?:\d+H(?:\d+M(?:\d+S)?)?|\d+M(?:\d+S)?|\d+S))?|T(?:\d+H(?:\d+M(?:\d+S)?)?|\d+M(?:\d+S)?|\d+S)))$/.test(input);
function bind(r) {
  return r.test.bind(r);
}
var format = {
  date,
  time: time.bind(void 0, true),
  "date-time": date_time,
  duration: DURATION,
  uri,
  "uri-reference": bind(URIREF),
  "uri-template": bind(URITEMPLATE),
  url: bind(URL_),
  email: EMAIL,
  hostname: bind(HOSTNAME),
  ipv4: bind(IPV4),
  ipv6: bind(IPV6),
  regex,
  uuid: bind(UUID),
  "json-pointer": bind(JSON_POINTER),
  "json-pointer-uri-fragment": bind(JSON_POINTER_URI_FRAGMENT),
  "relative-json-pointer": bind(RELATIVE_JSON_POINTER)
};
function isLeapYear(year) {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}
function date(str) {
  const matches = str.match(DATE);
  if (!matches)
    return false;
  const yearPart = matches[1];
  const monthPart = matches[2];
  const dayPart = matches[3];
  if (!yearPart || !monthPart || !dayPart)
    return false;
  const year = +yearPart;
  const month = +monthPart;
  const day = +dayPart;
  const maxDay = month == 2 && isLeapYear(year) ? 29 : DAYS[month];
  return month >= 1 && month <= 12 && day >= 1 && maxDay !== void 0 && day <= maxDay;
}
function time(full, str) {
  const matches = str.match(TIME);
  if (!matches)
    return false;
  const hourPart = matches[1];
  const minutePart = matches[2];
  const secondPart = matches[3];
  if (!hourPart || !minutePart || !secondPart)
    return false;
  const hour = +hourPart;
  const minute = +minutePart;
  const second = +secondPart;
  const timeZone = matches[5];
  const offsetSign = matches[6];
  const offsetHour = +(matches[7] ?? 0);
  const offsetMinute = +(matches[8] ?? 0);
  if (hour > 23 || minute > 59 || second > 60 || offsetHour > 23 || offsetMinute > 59 || full && timeZone === void 0) {
    return false;
  }
  if (second < 60)
    return true;
  const offsetDirection = offsetSign === "+" ? 1 : offsetSign === "-" ? -1 : 0;
  const utcMinute = (hour * 60 + minute - offsetDirection * (offsetHour * 60 + offsetMinute) + 24 * 60) % (24 * 60);
  return utcMinute === 23 * 60 + 59;
}
var DATE_TIME_SEPARATOR = /t|\s/i;
function date_time(str) {
  const [datePart, timePart, extra] = str.split(DATE_TIME_SEPARATOR);
  return datePart !== void 0 && timePart !== void 0 && extra === void 0 && date(datePart) && time(true, timePart);
}
var NOT_URI_FRAGMENT = /\/|:/;
var URI_PATTERN = /^(?:[a-z][a-z0-9+\-.]*:)(?:\/?\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:\[(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){4}|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:(?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){0,3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:[0-9a-f]{1,4}:[0-9a-f]{1,4}|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?))|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|[Vv][0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+)\]|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)|(?:[a-z0-9\-._~!$&'()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*|\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)(?:\?(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?(?:#(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?$/i;
function uri(str) {
  return NOT_URI_FRAGMENT.test(str) && URI_PATTERN.test(str);
}
var Z_ANCHOR = /[^\\]\\Z/;
function regex(str) {
  if (Z_ANCHOR.test(str))
    return false;
  try {
    new RegExp(str, "u");
    return true;
  } catch (e) {
    return false;
  }
}

// node_modules/@cfworker/json-schema/dist/esm/ucs2-length.js
function ucs2length(s) {
  let result = 0;
  let length = s.length;
  let index = 0;
  let charCode;
  while (index < length) {
    result++;
    charCode = s.charCodeAt(index++);
    if (charCode >= 55296 && charCode <= 56319 && index < length) {
      charCode = s.charCodeAt(index);
      if ((charCode & 64512) == 56320) {
        index++;
      }
    }
  }
  return result;
}

// node_modules/@cfworker/json-schema/dist/esm/validate.js
function hasOwnProperty(instance, key) {
  return Object.prototype.hasOwnProperty.call(instance, key);
}
function decimalInteger(value) {
  const coefficientAndExponent = Math.abs(value).toString().split("e");
  const coefficient = coefficientAndExponent[0];
  const exponent = coefficientAndExponent[1] ?? "0";
  const point = coefficient.indexOf(".");
  const fractionLength = point === -1 ? 0 : coefficient.length - point - 1;
  return [
    BigInt(coefficient.replace(".", "")),
    Number(exponent) - fractionLength
  ];
}
function isMultipleOf(instance, divisor) {
  if (!Number.isFinite(instance) || !Number.isFinite(divisor) || divisor <= 0) {
    return false;
  }
  const [instanceCoefficient, instanceExponent] = decimalInteger(instance);
  const [divisorCoefficient, divisorExponent] = decimalInteger(divisor);
  const exponentDifference = instanceExponent - divisorExponent;
  if (exponentDifference >= 0) {
    return instanceCoefficient * 10n ** BigInt(exponentDifference) % divisorCoefficient === 0n;
  }
  return instanceCoefficient % (divisorCoefficient * 10n ** BigInt(-exponentDifference)) === 0n;
}
function validate(instance, schema, draft = "2019-09", lookup = dereference(schema), shortCircuit = true, recursiveAnchor = null, instanceLocation = "#", schemaLocation = "#", evaluated = /* @__PURE__ */ Object.create(null)) {
  if (schema === true) {
    return { valid: true, errors: [] };
  }
  if (schema === false) {
    return {
      valid: false,
      errors: [
        {
          instanceLocation,
          keyword: "false",
          keywordLocation: instanceLocation,
          error: "False boolean schema."
        }
      ]
    };
  }
  const rawInstanceType = typeof instance;
  let instanceType;
  switch (rawInstanceType) {
    case "boolean":
    case "number":
    case "string":
      instanceType = rawInstanceType;
      break;
    case "object":
      if (instance === null) {
        instanceType = "null";
      } else if (Array.isArray(instance)) {
        instanceType = "array";
      } else {
        instanceType = "object";
      }
      break;
    default:
      throw new Error(`Instances of "${rawInstanceType}" type are not supported.`);
  }
  const { $ref, $recursiveRef, $recursiveAnchor, type: $type, const: $const, enum: $enum, required: $required, not: $not, anyOf: $anyOf, allOf: $allOf, oneOf: $oneOf, if: $if, then: $then, else: $else, format: $format, properties: $properties, patternProperties: $patternProperties, additionalProperties: $additionalProperties, unevaluatedProperties: $unevaluatedProperties, minProperties: $minProperties, maxProperties: $maxProperties, propertyNames: $propertyNames, dependentRequired: $dependentRequired, dependentSchemas: $dependentSchemas, dependencies: $dependencies, prefixItems: $prefixItems, items: $items, additionalItems: $additionalItems, unevaluatedItems: $unevaluatedItems, contains: $contains, minContains: $minContains, maxContains: $maxContains, minItems: $minItems, maxItems: $maxItems, uniqueItems: $uniqueItems, minimum: $minimum, maximum: $maximum, exclusiveMinimum: $exclusiveMinimum, exclusiveMaximum: $exclusiveMaximum, multipleOf: $multipleOf, minLength: $minLength, maxLength: $maxLength, pattern: $pattern, __absolute_ref__, __absolute_recursive_ref__ } = schema;
  const errors = [];
  if ($recursiveAnchor === true && recursiveAnchor === null) {
    recursiveAnchor = schema;
  }
  if ($recursiveRef === "#") {
    const refSchema = recursiveAnchor === null ? lookup[__absolute_recursive_ref__] : recursiveAnchor;
    const keywordLocation = `${schemaLocation}/$recursiveRef`;
    const result = validate(instance, recursiveAnchor === null ? schema : recursiveAnchor, draft, lookup, shortCircuit, refSchema, instanceLocation, keywordLocation, evaluated);
    if (!result.valid) {
      errors.push({
        instanceLocation,
        keyword: "$recursiveRef",
        keywordLocation,
        error: "A subschema had errors."
      }, ...result.errors);
    }
  }
  if ($ref !== void 0) {
    const uri2 = __absolute_ref__ || $ref;
    const refSchema = lookup[uri2];
    if (refSchema === void 0) {
      let message = `Unresolved $ref "${$ref}".`;
      if (__absolute_ref__ && __absolute_ref__ !== $ref) {
        message += `  Absolute URI "${__absolute_ref__}".`;
      }
      message += `
Known schemas:
- ${Object.keys(lookup).join("\n- ")}`;
      throw new Error(message);
    }
    const keywordLocation = `${schemaLocation}/$ref`;
    const result = validate(instance, refSchema, draft, lookup, shortCircuit, recursiveAnchor, instanceLocation, keywordLocation, evaluated);
    if (!result.valid) {
      errors.push({
        instanceLocation,
        keyword: "$ref",
        keywordLocation,
        error: "A subschema had errors."
      }, ...result.errors);
    }
    if (draft === "4" || draft === "7") {
      return { valid: errors.length === 0, errors };
    }
  }
  if (Array.isArray($type)) {
    let length = $type.length;
    let valid = false;
    for (let i = 0; i < length; i++) {
      if (instanceType === $type[i] || $type[i] === "integer" && instanceType === "number" && instance % 1 === 0 && instance === instance) {
        valid = true;
        break;
      }
    }
    if (!valid) {
      errors.push({
        instanceLocation,
        keyword: "type",
        keywordLocation: `${schemaLocation}/type`,
        error: `Instance type "${instanceType}" is invalid. Expected "${$type.join('", "')}".`
      });
    }
  } else if ($type === "integer") {
    if (instanceType !== "number" || instance % 1 || instance !== instance) {
      errors.push({
        instanceLocation,
        keyword: "type",
        keywordLocation: `${schemaLocation}/type`,
        error: `Instance type "${instanceType}" is invalid. Expected "${$type}".`
      });
    }
  } else if ($type !== void 0 && instanceType !== $type) {
    errors.push({
      instanceLocation,
      keyword: "type",
      keywordLocation: `${schemaLocation}/type`,
      error: `Instance type "${instanceType}" is invalid. Expected "${$type}".`
    });
  }
  if ($const !== void 0) {
    if (instanceType === "object" || instanceType === "array") {
      if (!deepCompareStrict(instance, $const)) {
        errors.push({
          instanceLocation,
          keyword: "const",
          keywordLocation: `${schemaLocation}/const`,
          error: `Instance does not match ${JSON.stringify($const)}.`
        });
      }
    } else if (instance !== $const) {
      errors.push({
        instanceLocation,
        keyword: "const",
        keywordLocation: `${schemaLocation}/const`,
        error: `Instance does not match ${JSON.stringify($const)}.`
      });
    }
  }
  if ($enum !== void 0) {
    if (instanceType === "object" || instanceType === "array") {
      if (!$enum.some((value) => deepCompareStrict(instance, value))) {
        errors.push({
          instanceLocation,
          keyword: "enum",
          keywordLocation: `${schemaLocation}/enum`,
          error: `Instance does not match any of ${JSON.stringify($enum)}.`
        });
      }
    } else if (!$enum.some((value) => instance === value)) {
      errors.push({
        instanceLocation,
        keyword: "enum",
        keywordLocation: `${schemaLocation}/enum`,
        error: `Instance does not match any of ${JSON.stringify($enum)}.`
      });
    }
  }
  if ($not !== void 0) {
    const keywordLocation = `${schemaLocation}/not`;
    const result = validate(instance, $not, draft, lookup, shortCircuit, recursiveAnchor, instanceLocation, keywordLocation);
    if (result.valid) {
      errors.push({
        instanceLocation,
        keyword: "not",
        keywordLocation,
        error: 'Instance matched "not" schema.'
      });
    }
  }
  let subEvaluateds = [];
  if ($anyOf !== void 0) {
    const keywordLocation = `${schemaLocation}/anyOf`;
    const errorsLength = errors.length;
    let anyValid = false;
    for (const [i, subSchema] of $anyOf.entries()) {
      const subEvaluated = Object.create(evaluated);
      const result = validate(instance, subSchema, draft, lookup, shortCircuit, $recursiveAnchor === true ? recursiveAnchor : null, instanceLocation, `${keywordLocation}/${i}`, subEvaluated);
      errors.push(...result.errors);
      anyValid = anyValid || result.valid;
      if (result.valid) {
        subEvaluateds.push(subEvaluated);
      }
    }
    if (anyValid) {
      errors.length = errorsLength;
    } else {
      errors.splice(errorsLength, 0, {
        instanceLocation,
        keyword: "anyOf",
        keywordLocation,
        error: "Instance does not match any subschemas."
      });
    }
  }
  if ($allOf !== void 0) {
    const keywordLocation = `${schemaLocation}/allOf`;
    const errorsLength = errors.length;
    let allValid = true;
    for (const [i, subSchema] of $allOf.entries()) {
      const subEvaluated = Object.create(evaluated);
      const result = validate(instance, subSchema, draft, lookup, shortCircuit, $recursiveAnchor === true ? recursiveAnchor : null, instanceLocation, `${keywordLocation}/${i}`, subEvaluated);
      errors.push(...result.errors);
      allValid = allValid && result.valid;
      if (result.valid) {
        subEvaluateds.push(subEvaluated);
      }
    }
    if (allValid) {
      errors.length = errorsLength;
    } else {
      errors.splice(errorsLength, 0, {
        instanceLocation,
        keyword: "allOf",
        keywordLocation,
        error: `Instance does not match every subschema.`
      });
    }
  }
  if ($oneOf !== void 0) {
    const keywordLocation = `${schemaLocation}/oneOf`;
    const errorsLength = errors.length;
    const matches = $oneOf.filter((subSchema, i) => {
      const subEvaluated = Object.create(evaluated);
      const result = validate(instance, subSchema, draft, lookup, shortCircuit, $recursiveAnchor === true ? recursiveAnchor : null, instanceLocation, `${keywordLocation}/${i}`, subEvaluated);
      errors.push(...result.errors);
      if (result.valid) {
        subEvaluateds.push(subEvaluated);
      }
      return result.valid;
    }).length;
    if (matches === 1) {
      errors.length = errorsLength;
    } else {
      errors.splice(errorsLength, 0, {
        instanceLocation,
        keyword: "oneOf",
        keywordLocation,
        error: `Instance does not match exactly one subschema (${matches} matches).`
      });
    }
  }
  if (instanceType === "object" || instanceType === "array") {
    Object.assign(evaluated, ...subEvaluateds);
  }
  if ($if !== void 0) {
    const keywordLocation = `${schemaLocation}/if`;
    const ifEvaluated = /* @__PURE__ */ Object.create(null);
    const conditionResult = validate(instance, $if, draft, lookup, shortCircuit, recursiveAnchor, instanceLocation, keywordLocation, ifEvaluated).valid;
    if (conditionResult) {
      Object.assign(evaluated, ifEvaluated);
      if ($then !== void 0) {
        const thenResult = validate(instance, $then, draft, lookup, shortCircuit, recursiveAnchor, instanceLocation, `${schemaLocation}/then`, evaluated);
        if (!thenResult.valid) {
          errors.push({
            instanceLocation,
            keyword: "if",
            keywordLocation,
            error: `Instance does not match "then" schema.`
          }, ...thenResult.errors);
        }
      }
    } else if ($else !== void 0) {
      const elseResult = validate(instance, $else, draft, lookup, shortCircuit, recursiveAnchor, instanceLocation, `${schemaLocation}/else`, evaluated);
      if (!elseResult.valid) {
        errors.push({
          instanceLocation,
          keyword: "if",
          keywordLocation,
          error: `Instance does not match "else" schema.`
        }, ...elseResult.errors);
      }
    }
  }
  if (instanceType === "object") {
    if ($required !== void 0) {
      for (const key of $required) {
        if (!hasOwnProperty(instance, key)) {
          errors.push({
            instanceLocation,
            keyword: "required",
            keywordLocation: `${schemaLocation}/required`,
            error: `Instance does not have required property "${key}".`
          });
        }
      }
    }
    const keys = Object.keys(instance);
    if ($minProperties !== void 0 && keys.length < $minProperties) {
      errors.push({
        instanceLocation,
        keyword: "minProperties",
        keywordLocation: `${schemaLocation}/minProperties`,
        error: `Instance does not have at least ${$minProperties} properties.`
      });
    }
    if ($maxProperties !== void 0 && keys.length > $maxProperties) {
      errors.push({
        instanceLocation,
        keyword: "maxProperties",
        keywordLocation: `${schemaLocation}/maxProperties`,
        error: `Instance does not have at least ${$maxProperties} properties.`
      });
    }
    if ($propertyNames !== void 0) {
      const keywordLocation = `${schemaLocation}/propertyNames`;
      for (const key in instance) {
        const subInstancePointer = `${instanceLocation}/${encodePointer(key)}`;
        const result = validate(key, $propertyNames, draft, lookup, shortCircuit, recursiveAnchor, subInstancePointer, keywordLocation);
        if (!result.valid) {
          errors.push({
            instanceLocation,
            keyword: "propertyNames",
            keywordLocation,
            error: `Property name "${key}" does not match schema.`
          }, ...result.errors);
        }
      }
    }
    if ($dependentRequired !== void 0) {
      const keywordLocation = `${schemaLocation}/dependantRequired`;
      for (const key in $dependentRequired) {
        if (hasOwnProperty(instance, key)) {
          const required = $dependentRequired[key];
          for (const dependantKey of required) {
            if (!hasOwnProperty(instance, dependantKey)) {
              errors.push({
                instanceLocation,
                keyword: "dependentRequired",
                keywordLocation,
                error: `Instance has "${key}" but does not have "${dependantKey}".`
              });
            }
          }
        }
      }
    }
    if ($dependentSchemas !== void 0) {
      for (const [key, dependentSchema] of Object.entries($dependentSchemas)) {
        const keywordLocation = `${schemaLocation}/dependentSchemas`;
        if (hasOwnProperty(instance, key)) {
          const result = validate(instance, dependentSchema, draft, lookup, shortCircuit, recursiveAnchor, instanceLocation, `${keywordLocation}/${encodePointer(key)}`, evaluated);
          if (!result.valid) {
            errors.push({
              instanceLocation,
              keyword: "dependentSchemas",
              keywordLocation,
              error: `Instance has "${key}" but does not match dependant schema.`
            }, ...result.errors);
          }
        }
      }
    }
    if ($dependencies !== void 0) {
      const keywordLocation = `${schemaLocation}/dependencies`;
      for (const key in $dependencies) {
        if (hasOwnProperty(instance, key)) {
          const propsOrSchema = $dependencies[key];
          if (Array.isArray(propsOrSchema)) {
            for (const dependantKey of propsOrSchema) {
              if (!hasOwnProperty(instance, dependantKey)) {
                errors.push({
                  instanceLocation,
                  keyword: "dependencies",
                  keywordLocation,
                  error: `Instance has "${key}" but does not have "${dependantKey}".`
                });
              }
            }
          } else {
            const result = validate(instance, propsOrSchema, draft, lookup, shortCircuit, recursiveAnchor, instanceLocation, `${keywordLocation}/${encodePointer(key)}`);
            if (!result.valid) {
              errors.push({
                instanceLocation,
                keyword: "dependencies",
                keywordLocation,
                error: `Instance has "${key}" but does not match dependant schema.`
              }, ...result.errors);
            }
          }
        }
      }
    }
    const thisEvaluated = /* @__PURE__ */ Object.create(null);
    let stop = false;
    if ($properties !== void 0) {
      const keywordLocation = `${schemaLocation}/properties`;
      for (const [key, propertySchema] of Object.entries($properties)) {
        if (!hasOwnProperty(instance, key)) {
          continue;
        }
        const subInstancePointer = `${instanceLocation}/${encodePointer(key)}`;
        const result = validate(instance[key], propertySchema, draft, lookup, shortCircuit, recursiveAnchor, subInstancePointer, `${keywordLocation}/${encodePointer(key)}`);
        thisEvaluated[key] = true;
        if (result.valid) {
          evaluated[key] = true;
        } else {
          stop = shortCircuit;
          errors.push({
            instanceLocation,
            keyword: "properties",
            keywordLocation,
            error: `Property "${key}" does not match schema.`
          }, ...result.errors);
          if (stop)
            break;
        }
      }
    }
    if (!stop && $patternProperties !== void 0) {
      const keywordLocation = `${schemaLocation}/patternProperties`;
      for (const [pattern, subSchema] of Object.entries($patternProperties)) {
        const regex2 = new RegExp(pattern, "u");
        for (const key in instance) {
          if (!regex2.test(key)) {
            continue;
          }
          const subInstancePointer = `${instanceLocation}/${encodePointer(key)}`;
          const result = validate(instance[key], subSchema, draft, lookup, shortCircuit, recursiveAnchor, subInstancePointer, `${keywordLocation}/${encodePointer(pattern)}`);
          thisEvaluated[key] = true;
          if (result.valid) {
            evaluated[key] = true;
          } else {
            stop = shortCircuit;
            errors.push({
              instanceLocation,
              keyword: "patternProperties",
              keywordLocation,
              error: `Property "${key}" matches pattern "${pattern}" but does not match associated schema.`
            }, ...result.errors);
          }
        }
      }
    }
    if (!stop && $additionalProperties !== void 0) {
      const keywordLocation = `${schemaLocation}/additionalProperties`;
      for (const key in instance) {
        if (thisEvaluated[key]) {
          continue;
        }
        const subInstancePointer = `${instanceLocation}/${encodePointer(key)}`;
        const result = validate(instance[key], $additionalProperties, draft, lookup, shortCircuit, recursiveAnchor, subInstancePointer, keywordLocation);
        if (result.valid) {
          evaluated[key] = true;
        } else {
          stop = shortCircuit;
          errors.push({
            instanceLocation,
            keyword: "additionalProperties",
            keywordLocation,
            error: `Property "${key}" does not match additional properties schema.`
          }, ...result.errors);
        }
      }
    } else if (!stop && $unevaluatedProperties !== void 0) {
      const keywordLocation = `${schemaLocation}/unevaluatedProperties`;
      for (const key in instance) {
        if (!evaluated[key]) {
          const subInstancePointer = `${instanceLocation}/${encodePointer(key)}`;
          const result = validate(instance[key], $unevaluatedProperties, draft, lookup, shortCircuit, recursiveAnchor, subInstancePointer, keywordLocation);
          if (result.valid) {
            evaluated[key] = true;
          } else {
            errors.push({
              instanceLocation,
              keyword: "unevaluatedProperties",
              keywordLocation,
              error: `Property "${key}" does not match unevaluated properties schema.`
            }, ...result.errors);
          }
        }
      }
    }
  } else if (instanceType === "array") {
    if ($maxItems !== void 0 && instance.length > $maxItems) {
      errors.push({
        instanceLocation,
        keyword: "maxItems",
        keywordLocation: `${schemaLocation}/maxItems`,
        error: `Array has too many items (${instance.length} > ${$maxItems}).`
      });
    }
    if ($minItems !== void 0 && instance.length < $minItems) {
      errors.push({
        instanceLocation,
        keyword: "minItems",
        keywordLocation: `${schemaLocation}/minItems`,
        error: `Array has too few items (${instance.length} < ${$minItems}).`
      });
    }
    const length = instance.length;
    let i = 0;
    let stop = false;
    if ($prefixItems !== void 0) {
      const keywordLocation = `${schemaLocation}/prefixItems`;
      const length2 = Math.min($prefixItems.length, length);
      for (; i < length2; i++) {
        const result = validate(instance[i], $prefixItems[i], draft, lookup, shortCircuit, recursiveAnchor, `${instanceLocation}/${i}`, `${keywordLocation}/${i}`);
        evaluated[i] = true;
        if (!result.valid) {
          stop = shortCircuit;
          errors.push({
            instanceLocation,
            keyword: "prefixItems",
            keywordLocation,
            error: `Items did not match schema.`
          }, ...result.errors);
          if (stop)
            break;
        }
      }
    }
    if ($items !== void 0) {
      const keywordLocation = `${schemaLocation}/items`;
      if (Array.isArray($items)) {
        const length2 = Math.min($items.length, length);
        for (; i < length2; i++) {
          const result = validate(instance[i], $items[i], draft, lookup, shortCircuit, recursiveAnchor, `${instanceLocation}/${i}`, `${keywordLocation}/${i}`);
          evaluated[i] = true;
          if (!result.valid) {
            stop = shortCircuit;
            errors.push({
              instanceLocation,
              keyword: "items",
              keywordLocation,
              error: `Items did not match schema.`
            }, ...result.errors);
            if (stop)
              break;
          }
        }
      } else {
        for (; i < length; i++) {
          const result = validate(instance[i], $items, draft, lookup, shortCircuit, recursiveAnchor, `${instanceLocation}/${i}`, keywordLocation);
          evaluated[i] = true;
          if (!result.valid) {
            stop = shortCircuit;
            errors.push({
              instanceLocation,
              keyword: "items",
              keywordLocation,
              error: `Items did not match schema.`
            }, ...result.errors);
            if (stop)
              break;
          }
        }
      }
      if (!stop && $additionalItems !== void 0) {
        const keywordLocation2 = `${schemaLocation}/additionalItems`;
        for (; i < length; i++) {
          const result = validate(instance[i], $additionalItems, draft, lookup, shortCircuit, recursiveAnchor, `${instanceLocation}/${i}`, keywordLocation2);
          evaluated[i] = true;
          if (!result.valid) {
            stop = shortCircuit;
            errors.push({
              instanceLocation,
              keyword: "additionalItems",
              keywordLocation: keywordLocation2,
              error: `Items did not match additional items schema.`
            }, ...result.errors);
          }
        }
      }
    }
    if ($contains !== void 0) {
      if (length === 0 && $minContains === void 0) {
        errors.push({
          instanceLocation,
          keyword: "contains",
          keywordLocation: `${schemaLocation}/contains`,
          error: `Array is empty. It must contain at least one item matching the schema.`
        });
      } else if ($minContains !== void 0 && length < $minContains) {
        errors.push({
          instanceLocation,
          keyword: "minContains",
          keywordLocation: `${schemaLocation}/minContains`,
          error: `Array has less items (${length}) than minContains (${$minContains}).`
        });
      } else {
        const keywordLocation = `${schemaLocation}/contains`;
        const errorsLength = errors.length;
        let contained = 0;
        for (let j = 0; j < length; j++) {
          const result = validate(instance[j], $contains, draft, lookup, shortCircuit, recursiveAnchor, `${instanceLocation}/${j}`, keywordLocation);
          if (result.valid) {
            evaluated[j] = true;
            contained++;
          } else {
            errors.push(...result.errors);
          }
        }
        if (contained >= ($minContains || 0)) {
          errors.length = errorsLength;
        }
        if ($minContains === void 0 && contained === 0) {
          errors.splice(errorsLength, 0, {
            instanceLocation,
            keyword: "contains",
            keywordLocation,
            error: `Array does not contain item matching schema.`
          });
        } else if ($minContains !== void 0 && contained < $minContains) {
          errors.push({
            instanceLocation,
            keyword: "minContains",
            keywordLocation: `${schemaLocation}/minContains`,
            error: `Array must contain at least ${$minContains} items matching schema. Only ${contained} items were found.`
          });
        } else if ($maxContains !== void 0 && contained > $maxContains) {
          errors.push({
            instanceLocation,
            keyword: "maxContains",
            keywordLocation: `${schemaLocation}/maxContains`,
            error: `Array may contain at most ${$maxContains} items matching schema. ${contained} items were found.`
          });
        }
      }
    }
    if (!stop && $unevaluatedItems !== void 0) {
      const keywordLocation = `${schemaLocation}/unevaluatedItems`;
      for (i; i < length; i++) {
        if (evaluated[i]) {
          continue;
        }
        const result = validate(instance[i], $unevaluatedItems, draft, lookup, shortCircuit, recursiveAnchor, `${instanceLocation}/${i}`, keywordLocation);
        evaluated[i] = true;
        if (!result.valid) {
          errors.push({
            instanceLocation,
            keyword: "unevaluatedItems",
            keywordLocation,
            error: `Items did not match unevaluated items schema.`
          }, ...result.errors);
        }
      }
    }
    if ($uniqueItems) {
      for (let j = 0; j < length; j++) {
        const a = instance[j];
        const ao = typeof a === "object" && a !== null;
        for (let k = 0; k < length; k++) {
          if (j === k) {
            continue;
          }
          const b = instance[k];
          const bo = typeof b === "object" && b !== null;
          if (a === b || ao && bo && deepCompareStrict(a, b)) {
            errors.push({
              instanceLocation,
              keyword: "uniqueItems",
              keywordLocation: `${schemaLocation}/uniqueItems`,
              error: `Duplicate items at indexes ${j} and ${k}.`
            });
            j = Number.MAX_SAFE_INTEGER;
            k = Number.MAX_SAFE_INTEGER;
          }
        }
      }
    }
  } else if (instanceType === "number") {
    if (draft === "4") {
      if ($minimum !== void 0 && ($exclusiveMinimum === true && instance <= $minimum || instance < $minimum)) {
        errors.push({
          instanceLocation,
          keyword: "minimum",
          keywordLocation: `${schemaLocation}/minimum`,
          error: `${instance} is less than ${$exclusiveMinimum ? "or equal to " : ""} ${$minimum}.`
        });
      }
      if ($maximum !== void 0 && ($exclusiveMaximum === true && instance >= $maximum || instance > $maximum)) {
        errors.push({
          instanceLocation,
          keyword: "maximum",
          keywordLocation: `${schemaLocation}/maximum`,
          error: `${instance} is greater than ${$exclusiveMaximum ? "or equal to " : ""} ${$maximum}.`
        });
      }
    } else {
      if ($minimum !== void 0 && instance < $minimum) {
        errors.push({
          instanceLocation,
          keyword: "minimum",
          keywordLocation: `${schemaLocation}/minimum`,
          error: `${instance} is less than ${$minimum}.`
        });
      }
      if ($maximum !== void 0 && instance > $maximum) {
        errors.push({
          instanceLocation,
          keyword: "maximum",
          keywordLocation: `${schemaLocation}/maximum`,
          error: `${instance} is greater than ${$maximum}.`
        });
      }
      if ($exclusiveMinimum !== void 0 && instance <= $exclusiveMinimum) {
        errors.push({
          instanceLocation,
          keyword: "exclusiveMinimum",
          keywordLocation: `${schemaLocation}/exclusiveMinimum`,
          error: `${instance} is less than ${$exclusiveMinimum}.`
        });
      }
      if ($exclusiveMaximum !== void 0 && instance >= $exclusiveMaximum) {
        errors.push({
          instanceLocation,
          keyword: "exclusiveMaximum",
          keywordLocation: `${schemaLocation}/exclusiveMaximum`,
          error: `${instance} is greater than or equal to ${$exclusiveMaximum}.`
        });
      }
    }
    if ($multipleOf !== void 0) {
      if (!isMultipleOf(instance, $multipleOf)) {
        errors.push({
          instanceLocation,
          keyword: "multipleOf",
          keywordLocation: `${schemaLocation}/multipleOf`,
          error: `${instance} is not a multiple of ${$multipleOf}.`
        });
      }
    }
  } else if (instanceType === "string") {
    const length = $minLength === void 0 && $maxLength === void 0 ? 0 : ucs2length(instance);
    if ($minLength !== void 0 && length < $minLength) {
      errors.push({
        instanceLocation,
        keyword: "minLength",
        keywordLocation: `${schemaLocation}/minLength`,
        error: `String is too short (${length} < ${$minLength}).`
      });
    }
    if ($maxLength !== void 0 && length > $maxLength) {
      errors.push({
        instanceLocation,
        keyword: "maxLength",
        keywordLocation: `${schemaLocation}/maxLength`,
        error: `String is too long (${length} > ${$maxLength}).`
      });
    }
    if ($pattern !== void 0 && !new RegExp($pattern, "u").test(instance)) {
      errors.push({
        instanceLocation,
        keyword: "pattern",
        keywordLocation: `${schemaLocation}/pattern`,
        error: `String does not match pattern.`
      });
    }
    if ($format !== void 0 && format[$format] && !format[$format](instance)) {
      errors.push({
        instanceLocation,
        keyword: "format",
        keywordLocation: `${schemaLocation}/format`,
        error: `String does not match format "${$format}".`
      });
    }
  }
  return { valid: errors.length === 0, errors };
}

// node_modules/@cfworker/json-schema/dist/esm/validator.js
var Validator = class {
  schema;
  draft;
  shortCircuit;
  lookup;
  constructor(schema, draft = "2019-09", shortCircuit = true) {
    this.schema = schema;
    this.draft = draft;
    this.shortCircuit = shortCircuit;
    this.lookup = dereference(schema);
  }
  validate(instance) {
    return validate(instance, this.schema, this.draft, this.lookup, this.shortCircuit);
  }
  addSchema(schema, id) {
    if (id) {
      schema = { ...schema, $id: id };
    }
    dereference(schema, this.lookup);
  }
};

// src/lib/schema.ts
var cache = /* @__PURE__ */ new WeakMap();
function validatorFor(schema, draft = "2020-12") {
  let v = cache.get(schema);
  if (!v) {
    v = new Validator(schema, draft, false);
    cache.set(schema, v);
  }
  return v;
}
function validateAgainst(schema, value) {
  const result = validatorFor(schema).validate(value);
  return result.valid ? [] : describeErrors(result.errors, schema, value);
}
var WRAPPERS = /* @__PURE__ */ new Set([
  "items",
  "prefixItems",
  "properties",
  "patternProperties",
  "additionalItems",
  "$ref",
  "$dynamicRef",
  "allOf",
  "false",
  "dependentSchemas",
  "if",
  "then",
  "else",
  "contains",
  "unevaluatedItems"
]);
function describeErrors(errors, schema, root) {
  const out = [];
  const seen = /* @__PURE__ */ new Set();
  for (const e of errors) {
    if (WRAPPERS.has(e.keyword)) continue;
    const pointer = e.instanceLocation.replace(/^#/, "");
    const keywordValue = valueAt(schema, e.keywordLocation.replace(/^#/, ""));
    const message = phrase(e, keywordValue);
    const key = `${pointer}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const value = e.keyword === "additionalProperties" || e.keyword === "required" ? void 0 : valueAt(root, pointer);
    out.push({ pointer, message, ...value === void 0 ? {} : { value } });
  }
  return out;
}
function phrase(e, kv) {
  const quoted = /"([^"]*)"/.exec(e.error)?.[1];
  const own = e.error.replace(/\.$/, "");
  if (kv === void 0 && !["additionalProperties", "unevaluatedProperties", "required", "anyOf", "oneOf"].includes(e.keyword))
    return own;
  switch (e.keyword) {
    case "additionalProperties":
    case "unevaluatedProperties":
      return `has unknown key ${JSON.stringify(quoted)}`;
    case "required":
      return `is missing required key ${JSON.stringify(quoted)}`;
    case "enum":
      return Array.isArray(kv) ? `must be one of ${kv.map((v) => JSON.stringify(v)).join(", ")}` : "is not an allowed value";
    case "const":
      return `must be ${JSON.stringify(kv)}`;
    case "type":
      return `must be of type ${Array.isArray(kv) ? kv.join(" or ") : String(kv)}`;
    case "pattern":
      return `must match the pattern ${String(kv)}`;
    case "maximum":
      return `must be <= ${String(kv)}`;
    case "minimum":
      return `must be >= ${String(kv)}`;
    case "exclusiveMaximum":
      return `must be < ${String(kv)}`;
    case "exclusiveMinimum":
      return `must be > ${String(kv)}`;
    case "minItems":
      return `must have at least ${String(kv)} item(s)`;
    case "maxItems":
      return `must have at most ${String(kv)} item(s)`;
    case "minLength":
      return `must be at least ${String(kv)} character(s) long`;
    case "maxLength":
      return `must be at most ${String(kv)} character(s) long`;
    case "anyOf":
    case "oneOf":
      return `must match ${e.keyword === "oneOf" ? "exactly one" : "at least one"} of the allowed shapes`;
    case "format":
      return `must be a valid ${String(kv)}`;
    default:
      return own;
  }
}
function valueAt(root, pointer) {
  if (pointer === "" || pointer === "/")
    return pointer === "" ? root : root?.[""];
  let cur = root;
  for (const raw of pointer.slice(1).split("/")) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (cur === null || typeof cur !== "object") return void 0;
    cur = cur[key];
  }
  return cur;
}

// src/lib/inputs/spec.ts
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
var FILE_LIKE = /^[^\n:]*\.(ya?ml|json)$/;
function yaml(o) {
  return spec({
    kind: "yaml",
    description: o.description,
    required: o.required ?? false,
    ...o.default !== void 0 ? { default: o.default } : {},
    schema: o.schema,
    parse(input, raw, ctx) {
      const { text, source } = readYamlSource(input, raw, ctx);
      let doc;
      try {
        doc = (0, import_yaml.parse)(text, { uniqueKeys: true, maxAliasCount: 50, prettyErrors: true, strict: true });
      } catch (err) {
        const detail = err instanceof import_yaml.YAMLParseError ? err.message.split("\n")[0] : String(err);
        throw new ConfigurationError(`input '${input}' is not valid YAML${source}: ${detail}`);
      }
      const violations = validateAgainst(o.schema, doc);
      if (violations.length > 0) {
        const first = violations.slice(0, 5).map((v) => {
          const where = v.pointer === "" ? "at the top level" : `at ${v.pointer}`;
          const shown = v.value !== void 0 && typeof v.value !== "object" ? ` (value ${quote(String(v.value), 80)})` : "";
          return `${where}${shown} ${v.message}`;
        });
        const more = violations.length > 5 ? `; and ${violations.length - 5} more` : "";
        throw new ConfigurationError(`input '${input}' is invalid${source}: ${first.join("; ")}${more}`);
      }
      return doc;
    }
  });
}
function readYamlSource(input, raw, ctx) {
  if (!FILE_LIKE.test(raw.trim())) return { text: raw, source: "" };
  const path = isAbsolute(raw.trim()) ? raw.trim() : resolve(ctx.workspace, raw.trim());
  if (!existsSync2(path) || !statSync(path).isFile()) {
    throw new InputError(
      input,
      raw,
      `looks like a file path, but no such file exists (resolved to ${path}); give inline YAML or an existing .yml/.yaml/.json file`
    );
  }
  return { text: readFileSync(path, "utf8"), source: ` (file ${raw.trim()})` };
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
import { dirname, resolve as resolve2, relative, isAbsolute as isAbsolute2, sep } from "node:path";
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
  const base2 = env.RUNNER_TEMP || tmpdir();
  const attempt = env.GITHUB_RUN_ATTEMPT ? `-${env.GITHUB_RUN_ATTEMPT}` : "";
  return join(base2, "command-center", `${action}${attempt}.json`);
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
import { chmodSync, mkdtempSync, readFileSync as readFileSync2, rmSync, writeFileSync } from "node:fs";
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
import { existsSync as existsSync3, realpathSync, statSync as statSync2 } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute as isAbsolute4, join as join2, resolve as resolve3 } from "node:path";

// src/lib/helm/chart-shown.ts
import { isAbsolute as isAbsolute3, relative as relative2, sep as sep2 } from "node:path";
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
  if (!root || !path || !isAbsolute3(root) || !isAbsolute3(path)) return void 0;
  const rel = relative2(root, path);
  if (rel === ".." || rel.startsWith(`..${sep2}`) || isAbsolute3(rel)) return void 0;
  return rel.split(sep2).join("/");
}

// src/lib/schemas/patterns.ts
var DURATION_PATTERN = "^(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h|d))+$";

// src/actions/helm-deploy/release-set.ts
var RELEASE_NAME = "^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$";
var NAMESPACE = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";
var stringList = { type: "array", items: { type: "string", minLength: 1 } };
var releasesSchema = {
  type: "array",
  items: {
    type: "object",
    additionalProperties: false,
    required: ["name", "chart"],
    properties: {
      name: { type: "string", pattern: RELEASE_NAME },
      chart: { type: "string", minLength: 1 },
      repository: { type: "string", minLength: 1 },
      version: { type: "string", minLength: 1 },
      namespace: { type: "string", pattern: NAMESPACE },
      "create-namespace": { type: "boolean" },
      values: stringList,
      set: stringList,
      "set-string": stringList,
      "set-file": stringList,
      needs: { type: "array", items: { type: "string", pattern: RELEASE_NAME } },
      atomic: { type: "boolean" },
      wait: { type: "boolean" },
      timeout: { type: "string", pattern: DURATION_PATTERN }
    }
  }
};
var base = yaml({
  schema: releasesSchema,
  description: ""
});
function releasesInput(description) {
  return {
    ...base,
    description,
    parse(input, raw, ctx) {
      const entries = base.parse(input, raw, ctx) ?? [];
      const problems = needsProblems(entries.map((e) => ({ name: e.name, needs: e.needs ?? [] })));
      if (problems.length)
        throw new ConfigurationError(
          `input '${input}' is invalid: ${problems.join("; ")}. Each release needs a unique name; 'needs' lists names of other releases of the set, without cycles.`
        );
      return entries;
    }
  };
}
function rollbackTargets(raw, names) {
  const out = /* @__PURE__ */ new Map();
  if (!raw?.trim()) {
    for (const n of names) out.set(n, { undo: true });
    return out;
  }
  const refuse = (why) => {
    throw new InputError("revisions", raw, why);
  };
  let lines2;
  try {
    lines2 = JSON.parse(raw);
  } catch {
    refuse(
      "expected the deploy step's `releases` output: a JSON list of {name, status, previous-revision, rolled-back}"
    );
  }
  if (!Array.isArray(lines2))
    refuse(
      "expected the deploy step's `releases` output: a JSON list of {name, status, previous-revision, rolled-back}"
    );
  const listed = /* @__PURE__ */ new Map();
  for (const line of lines2) {
    const l = line ?? {};
    const name = l.name;
    const previous = l["previous-revision"];
    if (typeof name !== "string" || typeof l.status !== "string")
      refuse("each entry needs a name and a status, as the deploy step writes them");
    if (previous !== null && previous !== void 0 && !(Number.isInteger(previous) && previous > 0))
      refuse(
        `release ${quote(name)} has previous-revision ${quote(JSON.stringify(previous))}: expected a revision number or null`
      );
    if (!names.includes(name))
      refuse(
        `it lists release ${quote(name)}, which is not in 'releases' (${names.join(", ")}): give the same set the deploy step deployed`
      );
    listed.set(name, l);
  }
  for (const n of names) {
    const l = listed.get(n);
    if (!l) out.set(n, { undo: false, why: "the deploy step did not list it" });
    else if (l["rolled-back"] === true || !["deployed", "failed"].includes(l.status))
      out.set(n, {
        undo: false,
        why: l.status === "skipped" ? "the deploy step skipped it" : `the deploy step left it ${l.status}${l["rolled-back"] === true ? " (it undid its own change)" : ""}`
      });
    else {
      const previous = l["previous-revision"];
      out.set(n, typeof previous === "number" ? { undo: true, to: previous } : { undo: true });
    }
  }
  return out;
}

// src/actions/helm-deploy/inputs.ts
function planDeploy(inputs, workspace2, env = process.env) {
  const inWorkspace = (p) => isAbsolute4(p) ? p : resolve3(workspace2, p);
  if (!inputs.release)
    throw new InputError(
      "release",
      "",
      "a Helm release name is required unless `releases` lists a release set"
    );
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
    const looksLocal = chart.startsWith(".") || chart.startsWith("/") || existsSync3(local);
    if (looksLocal) {
      if (!existsSync3(local))
        throw new InputError("chart", chart, `no such chart directory or archive (resolved to ${local})`);
      if (statSync2(local).isDirectory() && !existsSync3(join2(local, "Chart.yaml")))
        throw new InputError("chart", chart, `the directory has no Chart.yaml (resolved to ${local})`);
      localChart = local;
      chart = local;
    }
  }
  const chartShown = showChart(inputs.chart ?? "", localChart, workspace2, env);
  const valuesFiles = inputs.values.map((v) => {
    const p = inWorkspace(v);
    if (!existsSync3(p)) throw new InputError("values", v, `no such values file (resolved to ${p})`);
    return p;
  });
  const keyValue = (input, lines2) => lines2.map((l) => {
    if (!/^[^=]+=/.test(l)) throw new InputError(input, l, "expected key=value, one per line");
    return l;
  });
  const setFile = keyValue("set-file", inputs.setFile).map((l) => {
    const eq = l.indexOf("=");
    const p = inWorkspace(l.slice(eq + 1));
    if (!existsSync3(p)) throw new InputError("set-file", l, `no such file (resolved to ${p})`);
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
function planStep(inputs, workspace2, env = process.env) {
  const entries = inputs.releases ?? [];
  if (!entries.length) return { kind: "single", plan: planDeploy(inputs, workspace2, env) };
  if (inputs.revision !== void 0)
    throw new InputError(
      "revision",
      String(inputs.revision),
      "must be empty when `releases` is given: a release set's rollback takes the deploy step's `releases` output as 'revisions'"
    );
  if (inputs.revisions && inputs.mode !== "rollback")
    throw new InputError("revisions", inputs.revisions, "is only used with mode: rollback");
  for (const single of ["release", "chart"])
    if (inputs[single])
      throw new InputError(
        single,
        inputs[single],
        "must be empty when `releases` is given (each release of the set names its own chart); give either 'releases' or 'release' and 'chart'"
      );
  const targets = inputs.mode === "rollback" ? rollbackTargets(
    inputs.revisions,
    entries.map((e) => e.name)
  ) : void 0;
  const releases = entries.map((e) => {
    const rollback = targets?.get(e.name);
    return {
      plan: planEntry(inputs, e, workspace2, env, rollback),
      needs: e.needs ?? [],
      ...rollback ? { rollback } : {}
    };
  });
  const set = { mode: inputs.mode, releases, maxParallel: inputs.maxParallel };
  const warning2 = setBudgetWarning(releases, inputs.stepTimeout);
  if (warning2) set.budgetWarning = warning2;
  return { kind: "set", set };
}
function planEntry(inputs, e, workspace2, env, rollback) {
  const timeout = e.timeout !== void 0 ? parseDurationMs(e.timeout) : inputs.timeout;
  if (timeout === void 0 || timeout < 1e3)
    throw new ConfigurationError(
      `input 'releases': release ${quote(e.name)} has timeout ${quote(e.timeout ?? "")}: expected a duration of at least 1s such as 90s or 5m`
    );
  const entryInputs = {
    ...inputs,
    mode: rollback ? "rollback" : "deploy",
    revision: rollback?.undo ? rollback.to : void 0,
    release: e.name,
    chart: e.chart,
    repository: e.repository,
    version: e.version,
    namespace: e.namespace ?? inputs.namespace,
    createNamespace: e["create-namespace"] ?? inputs.createNamespace,
    values: e.values ?? [],
    set: e.set ?? [],
    setString: e["set-string"] ?? [],
    setFile: e["set-file"] ?? [],
    atomic: e.atomic ?? inputs.atomic,
    wait: e.wait ?? inputs.wait,
    timeout,
    // The set's budget is judged as a whole (setBudgetWarning).
    stepTimeout: void 0,
    releases: void 0
  };
  try {
    return planDeploy(entryInputs, workspace2, env);
  } catch (err) {
    if (err instanceof InputError)
      throw new ConfigurationError(
        `input 'releases': release ${quote(e.name)} has ${err.input} ${quote(err.value)}: ${err.allowed}`
      );
    throw err;
  }
}
function setBudgetWarning(releases, stepTimeoutMs) {
  if (stepTimeoutMs === void 0) return void 0;
  const byName = new Map(releases.map((r) => [r.plan.release, r]));
  const cost = /* @__PURE__ */ new Map();
  const chain = (name) => {
    const known = cost.get(name);
    if (known !== void 0) return known;
    const r = byName.get(name);
    const own = r.plan.upgrade.timeoutMs * (r.plan.upgrade.atomic ? 2 : 1);
    const total = own + Math.max(0, ...r.needs.map(chain));
    cost.set(name, total);
    return total;
  };
  const needed = Math.max(...releases.map((r) => chain(r.plan.release))) + 6e4;
  if (needed <= stepTimeoutMs) return void 0;
  return `the longest chain of needs in the release set (each release's timeout, doubled for an automatic rollback where atomic, plus a minute of margin: ${formatDuration(needed)}) does not fit in the step's ${formatDuration(stepTimeoutMs)}: if the runner kills helm mid-upgrade a release is left pending. Lower the timeouts or raise the step's timeout-minutes.`;
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
    workspace: { path: resolve3(workspace2), realPath: real(workspace2) },
    runnerFolders: folders.flatMap(
      ([placeholder, path]) => path ? [{ placeholder, path: resolve3(path), realPath: real(path) }] : []
    )
  });
}
function kubeconfigSource(value, workspace2, env) {
  if (value && (value.includes("\n") || /^\s*apiVersion\s*:/.test(value) || value.trim().startsWith("{")))
    return { kind: "content", content: value };
  const path = value ? isAbsolute4(value) ? value : resolve3(workspace2, value) : env.KUBECONFIG?.split(":")[0] || join2(homedir(), ".kube", "config");
  if (!existsSync3(path)) {
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
import { isAbsolute as isAbsolute5, resolve as resolve4 } from "node:path";
function resolveResultPath(raw, workspace2) {
  const path = isAbsolute5(raw) ? resolve4(raw) : resolve4(workspace2, raw);
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
  description: "Deploy a Helm release or a set of releases with dependencies (Helm 3 or 4), verify every workload rolls out in parallel, diagnose failures, roll back, and recover stuck releases.",
  branding: { icon: "anchor", color: "blue" },
  inputs: {
    mode: oneOf(["deploy", "rollback"], {
      default: "deploy",
      description: "`deploy` installs or upgrades the release; `rollback` undoes an earlier deploy (to `revision`, or uninstalls after a first install)."
    }),
    release: string({
      pattern: /^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$/,
      allowed: "expected a Helm release name: lowercase letters, digits and dashes, at most 53 characters",
      description: "Helm release name. Required unless `releases` is given."
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
    releases: releasesInput(
      "A release set as YAML (inline or a file path): a list of releases deployed in one step, each `name`, `chart` and optionally `repository`, `version`, `namespace`, `create-namespace`, `values`, `set`, `set-string`, `set-file` (lists), `atomic`, `wait`, `timeout`, and `needs` (names of releases of the set it waits for). Releases that do not need each other deploy and verify in parallel; a failed release skips its dependents. Omitted settings come from the inputs of the same name. When given, `release` and `chart` must be empty."
    ),
    revisions: string({
      description: "For `mode: rollback` with `releases`: the `releases` output of the deploy step, so each release returns to the revision it had before that step, and a release that step did not change (skipped, failed and undone, or not listed) is left alone. Empty: each release returns to its previous revision."
    }),
    "max-parallel": integer({
      default: 4,
      min: 1,
      max: 32,
      description: "With `releases`: how many releases deploy (or roll back) at the same time."
    }),
    "result-path": resultPathInput
  },
  outputs: {
    status: "Final release status: deployed, failed, rolled-back, uninstalled. For a release set: deployed when every release was, else failed.",
    revision: "Release revision after the step (empty for a release set: see `releases`).",
    "previous-revision": "Revision that was deployed before this step (empty for a first install, and for a release set).",
    "rolled-back": "true when the step rolled the release (for a set: any release) back.",
    "diagnostics-path": "Path of the diagnostics JSON (workload status, pod reasons, events, logs) when something failed.",
    duration: "Seconds the step took.",
    "result-path": "Path of the JSON result file.",
    releases: "JSON list of the releases the step handled (one for a single release): name, namespace, status, revision, previous-revision, rolled-back, wave."
  }
});

// src/actions/helm-deploy/render.ts
var ICON = {
  deployed: "\u2705",
  failed: "\u274C",
  "rolled-back": "\u21A9\uFE0F",
  uninstalled: "\u{1F5D1}\uFE0F",
  skipped: "\u23ED\uFE0F",
  unchanged: "\u2796"
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
  out.push(...diagnosticsLines(r, "###"));
  if (r.diagnostics?.length && paths.diagnostics) out.push("", `Full diagnostics: \`${paths.diagnostics}\``);
  out.push(...diffLines(r, "###"));
  out.push("", `Result: \`${paths.result}\``);
  return out.join("\n");
}
function diffLines(r, level) {
  const out = [];
  if (r.diff) {
    out.push("", `${level} Changes against the deployed release (${r.diff.length} object(s))`, "");
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
  return out;
}
function diagnosticsLines(r, level) {
  const out = [];
  if (r.diagnostics?.length) {
    out.push("", `${level} Diagnostics`, "");
    for (const d of r.diagnostics) {
      out.push(
        `${level}# ${d.kind}/${d.name}${d.hook ? ` (${d.hook.join(", ")} hook)` : ""} \u2014 ${d.status}`,
        ""
      );
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
  }
  return out;
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
function renderSetSummary(r, paths) {
  const out = [];
  const icon = r.status === "deployed" ? "\u2705" : "\u274C";
  if (r.mode === "rollback") {
    const undone = r.releases.filter((x) => x.rolledBack).length;
    const left = r.releases.filter((x) => x.status === "unchanged").length;
    out.push(
      `## helm-deploy: ${icon} release set ${r.status === "deployed" ? "rolled back" : "rollback failed"}: ${undone} of ${r.releases.length} release(s) rolled back${left ? `, ${left} left unchanged` : ""} in ${r.waves.length} wave(s)`,
      "",
      `helm ${r.helmVersion}, at most ${r.maxParallel} release(s) at a time, ${formatDuration(r.durationMs)} in all. The waves run in reverse: a release is rolled back after every release that needs it; a release the deploy did not change is left as it is.`,
      ""
    );
  } else {
    const deployed = r.releases.filter((x) => x.status === "deployed").length;
    out.push(
      `## helm-deploy: ${icon} release set ${r.status}: ${deployed} of ${r.releases.length} release(s) deployed in ${r.waves.length} wave(s)`,
      "",
      `helm ${r.helmVersion}, at most ${r.maxParallel} release(s) at a time, ${formatDuration(r.durationMs)} in all. A wave is a level of \`needs\`: a release starts as soon as the releases it needs are deployed; releases of a wave run in parallel.`,
      ""
    );
  }
  const t0 = Math.min(...r.releases.flatMap((x) => x.startedAt !== void 0 ? [x.startedAt] : []));
  const at = (ms) => ms === void 0 || !Number.isFinite(t0) ? "" : `+${formatDuration(ms - t0)}`;
  out.push("### Waves", "");
  out.push(
    table(
      [
        "wave",
        "",
        "release",
        "namespace",
        "chart",
        "needs",
        "status",
        "revision",
        "started",
        "duration",
        "detail"
      ],
      r.waves.flatMap(
        (w) => w.releases.map((name) => {
          const x = r.releases.find((y) => y.release === name);
          const revision = x.previousRevision !== void 0 || x.revision !== void 0 ? `${x.previousRevision ?? "\u2014"} \u2192 ${x.revision ?? "\u2014"}` : "";
          return [
            w.wave,
            ICON[x.status],
            x.release,
            x.namespace,
            x.chart,
            x.needs.join(", "),
            x.status,
            revision,
            at(x.startedAt),
            x.status === "skipped" ? "" : formatDuration(x.durationMs),
            x.status === "unchanged" ? x.detail ?? "" : x.status === "skipped" ? r.mode === "rollback" ? `${x.blockedBy?.join(", ")}, which need it, did not roll back` : `needs ${x.blockedBy?.join(", ")}, which did not deploy` : x.failure ?? ""
          ];
        })
      )
    )
  );
  if (r.budgetWarning) out.push("", `> \u26A0\uFE0F ${r.budgetWarning}`);
  if (r.failure) out.push("", `**Failure:** ${r.failure}`);
  for (const x of r.releases) {
    if (x.status === "deployed" && !x.bug && !x.unverified && !x.recovered && !x.diff) continue;
    if (x.status === "skipped" || x.status === "unchanged") continue;
    out.push("", `### ${ICON[x.status]} ${x.release}: ${x.status}`, "");
    if (x.failure) out.push(`**Failure:** ${x.failure}`);
    if (x.rolledBack && x.mode === "rollback")
      out.push(
        "",
        x.rolledBackTo === void 0 ? "Its first install was uninstalled." : `Rolled back from revision ${x.previousRevision} to revision ${x.rolledBackTo} (now revision ${x.revision}).`
      );
    else if (x.rolledBack)
      out.push(
        "",
        x.status === "uninstalled" ? "Its failed first install was removed." : `Rolled back: revision ${x.revision} is deployed (it was ${x.previousRevision} before this step).`
      );
    if (x.unverified) out.push("", `> \u26A0\uFE0F Not verified: ${x.unverified}.`);
    if (x.recovered)
      out.push(
        "",
        `> \u267B\uFE0F Recovered from \`${x.recovered.from}\` (revision ${x.recovered.revision}) by ${x.recovered.action}.`
      );
    if (x.bug) out.push("", `> \u{1F41E} A bug in helm-deploy, not in the release: ${x.bug}`);
    if (x.verification)
      out.push(
        "",
        table(
          ["", "workload", "state", "time", "detail"],
          x.verification.workloads.map((w) => [
            STATE_ICON[w.state],
            `${w.kind}/${w.name}${w.hook ? ` (${w.hook.join(", ")} hook)` : ""}`,
            w.state,
            w.durationMs !== void 0 ? formatDuration(w.durationMs) : "",
            w.message
          ])
        )
      );
    out.push(...diagnosticsLines(x, "####"));
    out.push(...diffLines(x, "####"));
  }
  if (paths.diagnostics) out.push("", `Full diagnostics: \`${paths.diagnostics}\``);
  out.push("", `Result: \`${paths.result}\``);
  return out.join("\n");
}
function buildSetAnnotations(r) {
  const out = [];
  if (r.budgetWarning)
    out.push({ level: "warning", title: "helm-deploy: timeout budget", message: r.budgetWarning, rank: 5 });
  for (const x of r.releases) {
    if (x.status === "unchanged") continue;
    if (x.status === "skipped") {
      out.push({
        level: "warning",
        title: `helm-deploy: release ${x.release} skipped`,
        message: r.mode === "rollback" ? `release ${x.release} in ${x.namespace} was not rolled back: ${x.blockedBy?.join(", ")}, which need it, did not roll back` : `release ${x.release} in ${x.namespace} was not deployed: it needs ${x.blockedBy?.join(", ")}, which did not deploy`,
        rank: 3
      });
      continue;
    }
    const { budgetWarning: _, ...own } = x;
    const mine = buildAnnotations({ ...own, status: x.status });
    out.push(
      ...mine.map((a) => ({
        ...a,
        title: (a.title ?? "helm-deploy").replace(/^helm-deploy: /, `helm-deploy [${x.release}]: `)
      }))
    );
    if (x.failure && !mine.some((a) => a.level === "error"))
      out.push({
        level: "error",
        title: `helm-deploy: release ${x.release} ${x.status}`,
        message: x.failure,
        rank: 2
      });
  }
  return out;
}

// src/actions/helm-deploy/main.ts
var SIGNAL_GRACE_MS = 5e3;
async function main() {
  const startedAt = /* @__PURE__ */ new Date();
  const inputs = readInputs(metadata.inputs);
  const step = planStep(inputs, workspace());
  const plan = step.kind === "single" ? step.plan : step.set.releases[0].plan;
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
    const history = step.kind === "single" && plan.mode === "deploy" ? helm.history(plan.release, plan.namespace) : void 0;
    history?.catch(() => void 0);
    const modules = Promise.all([
      import("./chunks/client-NMRAPCGK.js"),
      import("./chunks/deploy-D5RED4NS.js"),
      step.kind === "set" ? import("./chunks/deploy-set-4WM63FSR.js") : void 0
    ]);
    modules.catch(() => void 0);
    const { version } = await group2("Preflight", async () => {
      const v = await detecting;
      log.info(`helm ${v.version} (Helm ${v.major} flags)`);
      return v;
    });
    const [{ KubeClient }, { deploy, rollback }, setModule] = await modules;
    const kubeFor = () => new KubeClient({
      kubeconfigPath: kubeconfig.path,
      ...plan.context ? { context: plan.context } : {},
      requestTimeoutMs: 2e4
    });
    const kube = kubeFor();
    try {
      await kube.get("/version").catch((err) => {
        throw new CheckFailedError(`the Kubernetes API at ${kube.server} does not answer: ${err.message}`);
      });
      const helmDriver = process.env.HELM_DRIVER;
      if (step.kind === "set") {
        const { set } = step;
        const result2 = await group2(
          `${set.mode === "rollback" ? "Rolling back" : "Deploying"} a release set of ${set.releases.length} with helm ${version} (at most ${set.maxParallel} at a time)`,
          () => setModule.deploySet(set, {
            helm,
            kubeFor,
            log: (l) => log.info(l),
            ...helmDriver ? { helmDriver } : {}
          })
        );
        await reportSet(result2, startedAt, inputs.resultPath);
        return;
      }
      const deps = {
        helm,
        kube,
        log: (l) => log.info(l),
        ...helmDriver ? { helmDriver } : {},
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
async function endStep(result, e, startedAt, resultPathInput2) {
  const resultPath = resultPathInput2 ?? defaultResultPath("helm-deploy");
  const diagnosticsPath = e.diagnostics ? join3(resultPath, "..", e.diagnostics.file) : void 0;
  if (e.diagnostics && diagnosticsPath) await writeJsonFile(diagnosticsPath, e.diagnostics.content);
  await finishStep({
    action: "helm-deploy",
    startedAt,
    resultPath,
    status: e.ok ? "success" : "failure",
    result,
    outputs: {
      status: result.status,
      revision: e.revision,
      "previous-revision": e.previousRevision,
      "rolled-back": result.rolledBack,
      "diagnostics-path": diagnosticsPath,
      duration: Math.round(result.durationMs / 1e3),
      releases: JSON.stringify(e.releases)
    },
    summary: e.summary({ result: resultPath, ...diagnosticsPath ? { diagnostics: diagnosticsPath } : {} }),
    annotations: e.annotations,
    ...e.fail ? { fail: e.fail } : {}
  });
}
function report(result, startedAt, resultPath) {
  const ok = result.status === "deployed" && !result.bug || result.mode === "rollback" && result.rolledBack;
  return endStep(
    result,
    {
      ok,
      ...result.diagnostics?.length ? {
        diagnostics: {
          file: `helm-deploy-diagnostics-${result.release}.json`,
          content: {
            release: result.release,
            namespace: result.namespace,
            revision: result.revision,
            failure: result.failure,
            workloads: result.diagnostics
          }
        }
      } : {},
      revision: result.revision,
      previousRevision: result.previousRevision,
      releases: [releaseLine(result)],
      summary: (paths) => renderSummary(result, paths),
      annotations: buildAnnotations(result),
      fail: failureOf(result, ok).fail
    },
    startedAt,
    resultPath
  );
}
function releaseLine(r) {
  return {
    name: r.release,
    namespace: r.namespace,
    status: r.status,
    revision: r.revision ?? null,
    "previous-revision": r.previousRevision ?? null,
    "rolled-back": r.rolledBack,
    ..."wave" in r ? { wave: r.wave } : {}
  };
}
function reportSet(result, startedAt, resultPath) {
  const diagnosed = result.releases.filter((r) => r.diagnostics?.length);
  const ok = result.status === "deployed";
  const bug = result.releases.find((r) => r.bug);
  return endStep(
    result,
    {
      ok,
      ...diagnosed.length ? {
        diagnostics: {
          file: "helm-deploy-diagnostics-release-set.json",
          content: {
            releases: diagnosed.map((r) => ({
              release: r.release,
              namespace: r.namespace,
              revision: r.revision,
              failure: r.failure,
              workloads: r.diagnostics
            }))
          }
        }
      } : {},
      releases: result.releases.map(releaseLine),
      summary: (paths) => renderSetSummary(result, paths),
      annotations: buildSetAnnotations(result),
      fail: ok ? void 0 : bug ? new Error(`${result.failure}; a bug in helm-deploy: ${bug.bug}`) : new CheckFailedError(result.failure ?? "the release set did not deploy")
    },
    startedAt,
    resultPath
  );
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
    return readFileSync2(plan.kubeconfig.path, "utf8");
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
