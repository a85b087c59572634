import { createRequire as __ccCreateRequire } from 'node:module';
import { fileURLToPath as __ccFileURLToPath } from 'node:url';
import { dirname as __ccDirname } from 'node:path';
var require = __ccCreateRequire(import.meta.url);
var __filename = __ccFileURLToPath(import.meta.url);
var __dirname = __ccDirname(__filename);
import {
  DEFAULT_CHART_OPTIONS,
  ForgePermissionError,
  INDEX_NAME,
  LAYOUT,
  MANIFEST_MARKER,
  MANIFEST_NAME,
  admitResults,
  archiveFile,
  artifactServiceMissing,
  assignStorage,
  buildManifest,
  cell,
  clusterOf,
  commitSummaryLines,
  countMasks,
  defaultResultPath,
  deliverCommit,
  evidencePaths,
  failuresOf,
  finishStep,
  forgeFileUrl,
  formatBytes,
  formatDuration,
  formatPercent,
  formatValue,
  glance,
  group,
  headline,
  isCalendarDate,
  isEnvelope,
  itemKey,
  kafkaOutageOf,
  linkTarget,
  linkText,
  log,
  mediaTypeOf,
  panelFindings,
  redactor,
  relativeLink,
  renderPullRequestBody,
  renderPulseReportSection,
  resultNames,
  runInfo,
  runbookLink,
  safeName,
  scrubText,
  selectAnnotations,
  seriesStats,
  sha256Of,
  statusFileText,
  stepFor,
  summarizeHelm,
  summarizeKafka,
  summarizePulse,
  summarizeSmoke,
  table,
  toError,
  toNumber,
  uploadArtifact,
  withoutArtifact,
  writeTextFile
} from "./chunk-SCFJNMBF.js";
import {
  __commonJS,
  __toESM
} from "./chunk-GQVE4RJQ.js";

// node_modules/picomatch/lib/constants.js
var require_constants = __commonJS({
  "node_modules/picomatch/lib/constants.js"(exports, module) {
    "use strict";
    var WIN_SLASH = "\\\\/";
    var WIN_NO_SLASH = `[^${WIN_SLASH}]`;
    var DEFAULT_MAX_EXTGLOB_RECURSION = 0;
    var DOT_LITERAL = "\\.";
    var PLUS_LITERAL = "\\+";
    var QMARK_LITERAL = "\\?";
    var SLASH_LITERAL = "\\/";
    var ONE_CHAR = "(?=.)";
    var QMARK = "[^/]";
    var END_ANCHOR = `(?:${SLASH_LITERAL}|$)`;
    var START_ANCHOR = `(?:^|${SLASH_LITERAL})`;
    var DOTS_SLASH = `${DOT_LITERAL}{1,2}${END_ANCHOR}`;
    var NO_DOT = `(?!${DOT_LITERAL})`;
    var NO_DOTS = `(?!${START_ANCHOR}${DOTS_SLASH})`;
    var NO_DOT_SLASH = `(?!${DOT_LITERAL}{0,1}${END_ANCHOR})`;
    var NO_DOTS_SLASH = `(?!${DOTS_SLASH})`;
    var QMARK_NO_DOT = `[^.${SLASH_LITERAL}]`;
    var STAR = `${QMARK}*?`;
    var SEP = "/";
    var POSIX_CHARS = {
      DOT_LITERAL,
      PLUS_LITERAL,
      QMARK_LITERAL,
      SLASH_LITERAL,
      ONE_CHAR,
      QMARK,
      END_ANCHOR,
      DOTS_SLASH,
      NO_DOT,
      NO_DOTS,
      NO_DOT_SLASH,
      NO_DOTS_SLASH,
      QMARK_NO_DOT,
      STAR,
      START_ANCHOR,
      SEP
    };
    var WINDOWS_CHARS = {
      ...POSIX_CHARS,
      SLASH_LITERAL: `[${WIN_SLASH}]`,
      QMARK: WIN_NO_SLASH,
      STAR: `${WIN_NO_SLASH}*?`,
      DOTS_SLASH: `${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$)`,
      NO_DOT: `(?!${DOT_LITERAL})`,
      NO_DOTS: `(?!(?:^|[${WIN_SLASH}])${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$))`,
      NO_DOT_SLASH: `(?!${DOT_LITERAL}{0,1}(?:[${WIN_SLASH}]|$))`,
      NO_DOTS_SLASH: `(?!${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$))`,
      QMARK_NO_DOT: `[^.${WIN_SLASH}]`,
      START_ANCHOR: `(?:^|[${WIN_SLASH}])`,
      END_ANCHOR: `(?:[${WIN_SLASH}]|$)`,
      SEP: "\\"
    };
    var POSIX_REGEX_SOURCE = {
      __proto__: null,
      alnum: "a-zA-Z0-9",
      alpha: "a-zA-Z",
      ascii: "\\x00-\\x7F",
      blank: " \\t",
      cntrl: "\\x00-\\x1F\\x7F",
      digit: "0-9",
      graph: "\\x21-\\x7E",
      lower: "a-z",
      print: "\\x20-\\x7E ",
      punct: "\\-!\"#$%&'()\\*+,./:;<=>?@[\\]^_`{|}~",
      space: " \\t\\r\\n\\v\\f",
      upper: "A-Z",
      word: "A-Za-z0-9_",
      xdigit: "A-Fa-f0-9"
    };
    module.exports = {
      DEFAULT_MAX_EXTGLOB_RECURSION,
      MAX_LENGTH: 1024 * 64,
      POSIX_REGEX_SOURCE,
      // regular expressions
      REGEX_BACKSLASH: /\\(?![*+?^${}(|)[\]])/g,
      REGEX_NON_SPECIAL_CHARS: /^[^@![\].,$*+?^{}()|\\/]+/,
      REGEX_SPECIAL_CHARS: /[-*+?.^${}(|)[\]]/,
      REGEX_SPECIAL_CHARS_BACKREF: /(\\?)((\W)(\3*))/g,
      REGEX_SPECIAL_CHARS_GLOBAL: /([-*+?.^${}(|)[\]])/g,
      REGEX_REMOVE_BACKSLASH: /(?:\[.*?[^\\]\]|\\(?=.))/g,
      // Replace globs with equivalent patterns to reduce parsing time.
      REPLACEMENTS: {
        __proto__: null,
        "***": "*",
        "**/**": "**",
        "**/**/**": "**"
      },
      // Digits
      CHAR_0: 48,
      /* 0 */
      CHAR_9: 57,
      /* 9 */
      // Alphabet chars.
      CHAR_UPPERCASE_A: 65,
      /* A */
      CHAR_LOWERCASE_A: 97,
      /* a */
      CHAR_UPPERCASE_Z: 90,
      /* Z */
      CHAR_LOWERCASE_Z: 122,
      /* z */
      CHAR_LEFT_PARENTHESES: 40,
      /* ( */
      CHAR_RIGHT_PARENTHESES: 41,
      /* ) */
      CHAR_ASTERISK: 42,
      /* * */
      // Non-alphabetic chars.
      CHAR_AMPERSAND: 38,
      /* & */
      CHAR_AT: 64,
      /* @ */
      CHAR_BACKWARD_SLASH: 92,
      /* \ */
      CHAR_CARRIAGE_RETURN: 13,
      /* \r */
      CHAR_CIRCUMFLEX_ACCENT: 94,
      /* ^ */
      CHAR_COLON: 58,
      /* : */
      CHAR_COMMA: 44,
      /* , */
      CHAR_DOT: 46,
      /* . */
      CHAR_DOUBLE_QUOTE: 34,
      /* " */
      CHAR_EQUAL: 61,
      /* = */
      CHAR_EXCLAMATION_MARK: 33,
      /* ! */
      CHAR_FORM_FEED: 12,
      /* \f */
      CHAR_FORWARD_SLASH: 47,
      /* / */
      CHAR_GRAVE_ACCENT: 96,
      /* ` */
      CHAR_HASH: 35,
      /* # */
      CHAR_HYPHEN_MINUS: 45,
      /* - */
      CHAR_LEFT_ANGLE_BRACKET: 60,
      /* < */
      CHAR_LEFT_CURLY_BRACE: 123,
      /* { */
      CHAR_LEFT_SQUARE_BRACKET: 91,
      /* [ */
      CHAR_LINE_FEED: 10,
      /* \n */
      CHAR_NO_BREAK_SPACE: 160,
      /* \u00A0 */
      CHAR_PERCENT: 37,
      /* % */
      CHAR_PLUS: 43,
      /* + */
      CHAR_QUESTION_MARK: 63,
      /* ? */
      CHAR_RIGHT_ANGLE_BRACKET: 62,
      /* > */
      CHAR_RIGHT_CURLY_BRACE: 125,
      /* } */
      CHAR_RIGHT_SQUARE_BRACKET: 93,
      /* ] */
      CHAR_SEMICOLON: 59,
      /* ; */
      CHAR_SINGLE_QUOTE: 39,
      /* ' */
      CHAR_SPACE: 32,
      /*   */
      CHAR_TAB: 9,
      /* \t */
      CHAR_UNDERSCORE: 95,
      /* _ */
      CHAR_VERTICAL_LINE: 124,
      /* | */
      CHAR_ZERO_WIDTH_NOBREAK_SPACE: 65279,
      /* \uFEFF */
      /**
       * Create EXTGLOB_CHARS
       */
      extglobChars(chars) {
        return {
          "!": { type: "negate", open: "(?:(?!(?:", close: `))${chars.STAR})` },
          "?": { type: "qmark", open: "(?:", close: ")?" },
          "+": { type: "plus", open: "(?:", close: ")+" },
          "*": { type: "star", open: "(?:", close: ")*" },
          "@": { type: "at", open: "(?:", close: ")" }
        };
      },
      /**
       * Create GLOB_CHARS
       */
      globChars(win32) {
        return win32 === true ? WINDOWS_CHARS : POSIX_CHARS;
      }
    };
  }
});

// node_modules/picomatch/lib/utils.js
var require_utils = __commonJS({
  "node_modules/picomatch/lib/utils.js"(exports) {
    "use strict";
    var {
      REGEX_BACKSLASH,
      REGEX_REMOVE_BACKSLASH,
      REGEX_SPECIAL_CHARS,
      REGEX_SPECIAL_CHARS_GLOBAL
    } = require_constants();
    exports.isObject = (val) => val !== null && typeof val === "object" && !Array.isArray(val);
    exports.hasRegexChars = (str2) => REGEX_SPECIAL_CHARS.test(str2);
    exports.isRegexChar = (str2) => str2.length === 1 && exports.hasRegexChars(str2);
    exports.escapeRegex = (str2) => str2.replace(REGEX_SPECIAL_CHARS_GLOBAL, "\\$1");
    exports.toPosixSlashes = (str2) => str2.replace(REGEX_BACKSLASH, "/");
    exports.isWindows = () => {
      if (typeof navigator !== "undefined" && navigator.platform) {
        const platform = navigator.platform.toLowerCase();
        return platform === "win32" || platform === "windows";
      }
      if (typeof process !== "undefined" && process.platform) {
        return process.platform === "win32";
      }
      return false;
    };
    exports.removeBackslashes = (str2) => {
      return str2.replace(REGEX_REMOVE_BACKSLASH, (match) => {
        return match === "\\" ? "" : match;
      });
    };
    exports.escapeLast = (input, char, lastIdx) => {
      const idx = input.lastIndexOf(char, lastIdx);
      if (idx === -1) return input;
      if (input[idx - 1] === "\\") return exports.escapeLast(input, char, idx - 1);
      return `${input.slice(0, idx)}\\${input.slice(idx)}`;
    };
    exports.removePrefix = (input, state = {}) => {
      let output = input;
      if (output.startsWith("./")) {
        output = output.slice(2);
        state.prefix = "./";
      }
      return output;
    };
    exports.wrapOutput = (input, state = {}, options = {}) => {
      const prepend = options.contains ? "" : "^";
      const append = options.contains ? "" : "$";
      let output = `${prepend}(?:${input})${append}`;
      if (state.negated === true) {
        output = `(?:^(?!${output}).*$)`;
      }
      return output;
    };
    exports.basename = (path, { windows } = {}) => {
      const segs = path.split(windows ? /[\\/]/ : "/");
      const last = segs[segs.length - 1];
      if (last === "") {
        return segs[segs.length - 2];
      }
      return last;
    };
  }
});

// node_modules/picomatch/lib/scan.js
var require_scan = __commonJS({
  "node_modules/picomatch/lib/scan.js"(exports, module) {
    "use strict";
    var utils = require_utils();
    var {
      CHAR_ASTERISK,
      /* * */
      CHAR_AT,
      /* @ */
      CHAR_BACKWARD_SLASH,
      /* \ */
      CHAR_COMMA,
      /* , */
      CHAR_DOT,
      /* . */
      CHAR_EXCLAMATION_MARK,
      /* ! */
      CHAR_FORWARD_SLASH,
      /* / */
      CHAR_LEFT_CURLY_BRACE,
      /* { */
      CHAR_LEFT_PARENTHESES,
      /* ( */
      CHAR_LEFT_SQUARE_BRACKET,
      /* [ */
      CHAR_PLUS,
      /* + */
      CHAR_QUESTION_MARK,
      /* ? */
      CHAR_RIGHT_CURLY_BRACE,
      /* } */
      CHAR_RIGHT_PARENTHESES,
      /* ) */
      CHAR_RIGHT_SQUARE_BRACKET
      /* ] */
    } = require_constants();
    var isPathSeparator = (code) => {
      return code === CHAR_FORWARD_SLASH || code === CHAR_BACKWARD_SLASH;
    };
    var depth = (token) => {
      if (token.isPrefix !== true) {
        token.depth = token.isGlobstar ? Infinity : 1;
      }
    };
    var scan = (input, options) => {
      const opts = options || {};
      const length = input.length - 1;
      const scanToEnd = opts.parts === true || opts.tokens === true || opts.scanToEnd === true;
      const slashes = [];
      const tokens = [];
      const parts = [];
      let str2 = input;
      let index = -1;
      let start = 0;
      let lastIndex = 0;
      let isBrace = false;
      let isBracket = false;
      let isGlob = false;
      let isExtglob = false;
      let isGlobstar = false;
      let braceEscaped = false;
      let backslashes = false;
      let negated = false;
      let negatedExtglob = false;
      let finished2 = false;
      let braces = 0;
      let prev;
      let code;
      let token = { value: "", depth: 0, isGlob: false };
      const eos = () => index >= length;
      const peek = () => str2.charCodeAt(index + 1);
      const advance = () => {
        prev = code;
        return str2.charCodeAt(++index);
      };
      while (index < length) {
        code = advance();
        let next;
        if (code === CHAR_BACKWARD_SLASH) {
          backslashes = token.backslashes = true;
          code = advance();
          if (code === CHAR_LEFT_CURLY_BRACE) {
            braceEscaped = true;
          }
          continue;
        }
        if (braceEscaped === true || code === CHAR_LEFT_CURLY_BRACE) {
          braces++;
          while (eos() !== true && (code = advance())) {
            if (code === CHAR_BACKWARD_SLASH) {
              backslashes = token.backslashes = true;
              advance();
              continue;
            }
            if (code === CHAR_LEFT_CURLY_BRACE) {
              braces++;
              continue;
            }
            if (braceEscaped !== true && code === CHAR_DOT && (code = advance()) === CHAR_DOT) {
              isBrace = token.isBrace = true;
              isGlob = token.isGlob = true;
              finished2 = true;
              if (scanToEnd === true) {
                continue;
              }
              break;
            }
            if (braceEscaped !== true && code === CHAR_COMMA) {
              isBrace = token.isBrace = true;
              isGlob = token.isGlob = true;
              finished2 = true;
              if (scanToEnd === true) {
                continue;
              }
              break;
            }
            if (code === CHAR_RIGHT_CURLY_BRACE) {
              braces--;
              if (braces === 0) {
                braceEscaped = false;
                isBrace = token.isBrace = true;
                finished2 = true;
                break;
              }
            }
          }
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (code === CHAR_FORWARD_SLASH) {
          slashes.push(index);
          tokens.push(token);
          token = { value: "", depth: 0, isGlob: false };
          if (finished2 === true) continue;
          if (prev === CHAR_DOT && index === start + 1) {
            start += 2;
            continue;
          }
          lastIndex = index + 1;
          continue;
        }
        if (opts.noext !== true) {
          const isExtglobChar = code === CHAR_PLUS || code === CHAR_AT || code === CHAR_ASTERISK || code === CHAR_QUESTION_MARK || code === CHAR_EXCLAMATION_MARK;
          if (isExtglobChar === true && peek() === CHAR_LEFT_PARENTHESES) {
            isGlob = token.isGlob = true;
            isExtglob = token.isExtglob = true;
            finished2 = true;
            if (code === CHAR_EXCLAMATION_MARK && index === start) {
              negatedExtglob = true;
            }
            if (scanToEnd === true) {
              let parens = 0;
              while (eos() !== true && (code = advance())) {
                if (code === CHAR_BACKWARD_SLASH) {
                  backslashes = token.backslashes = true;
                  advance();
                  continue;
                }
                if (code === CHAR_LEFT_PARENTHESES) {
                  parens++;
                  continue;
                }
                if (code === CHAR_RIGHT_PARENTHESES && --parens === 0) {
                  finished2 = true;
                  break;
                }
              }
              continue;
            }
            break;
          }
        }
        if (code === CHAR_ASTERISK) {
          if (prev === CHAR_ASTERISK) isGlobstar = token.isGlobstar = true;
          isGlob = token.isGlob = true;
          finished2 = true;
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (code === CHAR_QUESTION_MARK) {
          isGlob = token.isGlob = true;
          finished2 = true;
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (code === CHAR_LEFT_SQUARE_BRACKET) {
          while (eos() !== true && (next = advance())) {
            if (next === CHAR_BACKWARD_SLASH) {
              backslashes = token.backslashes = true;
              advance();
              continue;
            }
            if (next === CHAR_RIGHT_SQUARE_BRACKET) {
              isBracket = token.isBracket = true;
              isGlob = token.isGlob = true;
              finished2 = true;
              break;
            }
          }
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (opts.nonegate !== true && code === CHAR_EXCLAMATION_MARK && index === start) {
          negated = token.negated = true;
          start++;
          continue;
        }
        if (opts.noparen !== true && code === CHAR_LEFT_PARENTHESES) {
          isGlob = token.isGlob = true;
          if (scanToEnd === true) {
            let parens = 1;
            while (eos() !== true && (code = advance())) {
              if (code === CHAR_BACKWARD_SLASH) {
                backslashes = token.backslashes = true;
                advance();
                continue;
              }
              if (code === CHAR_LEFT_PARENTHESES) {
                parens++;
                continue;
              }
              if (code === CHAR_RIGHT_PARENTHESES && --parens === 0) {
                finished2 = true;
                break;
              }
            }
            continue;
          }
          break;
        }
        if (isGlob === true) {
          finished2 = true;
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
      }
      if (opts.noext === true) {
        isExtglob = false;
        isGlob = false;
      }
      let base = str2;
      let prefix = "";
      let glob2 = "";
      if (start > 0) {
        prefix = str2.slice(0, start);
        str2 = str2.slice(start);
        lastIndex -= start;
      }
      if (base && isGlob === true && lastIndex > 0) {
        base = str2.slice(0, lastIndex);
        glob2 = str2.slice(lastIndex);
      } else if (isGlob === true) {
        base = "";
        glob2 = str2;
      } else {
        base = str2;
      }
      if (base && base !== "" && base !== "/" && base !== str2) {
        if (isPathSeparator(base.charCodeAt(base.length - 1))) {
          base = base.slice(0, -1);
        }
      }
      if (opts.unescape === true) {
        if (glob2) glob2 = utils.removeBackslashes(glob2);
        if (base && backslashes === true) {
          base = utils.removeBackslashes(base);
        }
      }
      const state = {
        prefix,
        input,
        start,
        base,
        glob: glob2,
        isBrace,
        isBracket,
        isGlob,
        isExtglob,
        isGlobstar,
        negated,
        negatedExtglob
      };
      if (opts.tokens === true) {
        state.maxDepth = 0;
        if (!isPathSeparator(code)) {
          tokens.push(token);
        }
        state.tokens = tokens;
      }
      if (opts.parts === true || opts.tokens === true) {
        let prevIndex;
        for (let idx = 0; idx < slashes.length; idx++) {
          const n2 = prevIndex !== void 0 ? prevIndex + 1 : start;
          const i = slashes[idx];
          const value2 = input.slice(n2, i);
          if (opts.tokens) {
            if (idx === 0 && start !== 0) {
              tokens[idx].isPrefix = true;
              tokens[idx].value = prefix;
            } else {
              tokens[idx].value = value2;
            }
            depth(tokens[idx]);
            state.maxDepth += tokens[idx].depth;
          }
          if (i >= start) {
            parts.push(value2);
            prevIndex = i;
          }
        }
        const n = prevIndex !== void 0 ? prevIndex + 1 : start;
        const value = input.slice(n);
        parts.push(value);
        if (opts.tokens && prevIndex && prevIndex + 1 < input.length) {
          tokens[tokens.length - 1].value = value;
          depth(tokens[tokens.length - 1]);
          state.maxDepth += tokens[tokens.length - 1].depth;
        }
        state.slashes = slashes;
        state.parts = parts;
      }
      return state;
    };
    module.exports = scan;
  }
});

// node_modules/picomatch/lib/parse.js
var require_parse = __commonJS({
  "node_modules/picomatch/lib/parse.js"(exports, module) {
    "use strict";
    var constants = require_constants();
    var utils = require_utils();
    var {
      MAX_LENGTH,
      POSIX_REGEX_SOURCE,
      REGEX_NON_SPECIAL_CHARS,
      REGEX_SPECIAL_CHARS_BACKREF,
      REPLACEMENTS
    } = constants;
    var expandRange = (args, options) => {
      if (typeof options.expandRange === "function") {
        return options.expandRange(...args, options);
      }
      args.sort();
      const value = `[${args.join("-")}]`;
      try {
        new RegExp(value);
      } catch (ex) {
        return args.map((v) => utils.escapeRegex(v)).join("..");
      }
      return value;
    };
    var syntaxError = (type, char) => {
      return `Missing ${type}: "${char}" - use "\\\\${char}" to match literal characters`;
    };
    var splitTopLevel = (input) => {
      const parts = [];
      let bracket = 0;
      let paren = 0;
      let quote = 0;
      let value = "";
      let escaped = false;
      for (const ch of input) {
        if (escaped === true) {
          value += ch;
          escaped = false;
          continue;
        }
        if (ch === "\\") {
          value += ch;
          escaped = true;
          continue;
        }
        if (ch === '"') {
          quote = quote === 1 ? 0 : 1;
          value += ch;
          continue;
        }
        if (quote === 0) {
          if (ch === "[") {
            bracket++;
          } else if (ch === "]" && bracket > 0) {
            bracket--;
          } else if (bracket === 0) {
            if (ch === "(") {
              paren++;
            } else if (ch === ")" && paren > 0) {
              paren--;
            } else if (ch === "|" && paren === 0) {
              parts.push(value);
              value = "";
              continue;
            }
          }
        }
        value += ch;
      }
      parts.push(value);
      return parts;
    };
    var isPlainBranch = (branch) => {
      let escaped = false;
      for (const ch of branch) {
        if (escaped === true) {
          escaped = false;
          continue;
        }
        if (ch === "\\") {
          escaped = true;
          continue;
        }
        if (/[?*+@!()[\]{}]/.test(ch)) {
          return false;
        }
      }
      return true;
    };
    var normalizeSimpleBranch = (branch) => {
      let value = branch.trim();
      let changed = true;
      while (changed === true) {
        changed = false;
        if (/^@\([^\\()[\]{}|]+\)$/.test(value)) {
          value = value.slice(2, -1);
          changed = true;
        }
      }
      if (!isPlainBranch(value)) {
        return;
      }
      return value.replace(/\\(.)/g, "$1");
    };
    var hasRepeatedCharPrefixOverlap = (branches) => {
      const values = branches.map(normalizeSimpleBranch).filter(Boolean);
      for (let i = 0; i < values.length; i++) {
        for (let j = i + 1; j < values.length; j++) {
          const a = values[i];
          const b = values[j];
          const char = a[0];
          if (!char || a !== char.repeat(a.length) || b !== char.repeat(b.length)) {
            continue;
          }
          if (a === b || a.startsWith(b) || b.startsWith(a)) {
            return true;
          }
        }
      }
      return false;
    };
    var parseRepeatedExtglob = (pattern, requireEnd = true) => {
      if (pattern[0] !== "+" && pattern[0] !== "*" || pattern[1] !== "(") {
        return;
      }
      let bracket = 0;
      let paren = 0;
      let quote = 0;
      let escaped = false;
      for (let i = 1; i < pattern.length; i++) {
        const ch = pattern[i];
        if (escaped === true) {
          escaped = false;
          continue;
        }
        if (ch === "\\") {
          escaped = true;
          continue;
        }
        if (ch === '"') {
          quote = quote === 1 ? 0 : 1;
          continue;
        }
        if (quote === 1) {
          continue;
        }
        if (ch === "[") {
          bracket++;
          continue;
        }
        if (ch === "]" && bracket > 0) {
          bracket--;
          continue;
        }
        if (bracket > 0) {
          continue;
        }
        if (ch === "(") {
          paren++;
          continue;
        }
        if (ch === ")") {
          paren--;
          if (paren === 0) {
            if (requireEnd === true && i !== pattern.length - 1) {
              return;
            }
            return {
              type: pattern[0],
              body: pattern.slice(2, i),
              end: i
            };
          }
        }
      }
    };
    var buildCharClassStar = (chars) => {
      const source = chars.length === 1 ? utils.escapeRegex(chars[0]) : `[${chars.map((ch) => utils.escapeRegex(ch)).join("")}]`;
      return `${source}*`;
    };
    var getStarExtglobSequenceChars = (pattern) => {
      let index = 0;
      const chars = [];
      while (index < pattern.length) {
        const match = parseRepeatedExtglob(pattern.slice(index), false);
        if (!match || match.type !== "*") {
          return;
        }
        const branches = splitTopLevel(match.body).map((branch2) => branch2.trim());
        if (branches.length !== 1) {
          return;
        }
        const branch = normalizeSimpleBranch(branches[0]);
        if (!branch || branch.length !== 1) {
          return;
        }
        chars.push(branch);
        index += match.end + 1;
      }
      if (chars.length < 1) {
        return;
      }
      return chars;
    };
    var repeatedExtglobRecursion = (pattern) => {
      let depth = 0;
      let value = pattern.trim();
      let match = parseRepeatedExtglob(value);
      while (match) {
        depth++;
        value = match.body.trim();
        match = parseRepeatedExtglob(value);
      }
      return depth;
    };
    var analyzeRepeatedExtglob = (body, options) => {
      if (options.maxExtglobRecursion === false) {
        return { risky: false };
      }
      const max = typeof options.maxExtglobRecursion === "number" ? options.maxExtglobRecursion : constants.DEFAULT_MAX_EXTGLOB_RECURSION;
      const branches = splitTopLevel(body).map((branch) => branch.trim());
      if (branches.length > 1) {
        if (branches.some((branch) => branch === "") || branches.some((branch) => /^[*?]+$/.test(branch)) || hasRepeatedCharPrefixOverlap(branches)) {
          return { risky: true };
        }
      }
      const safeChars = [];
      let sawStarSequence = false;
      let combinable = true;
      for (const branch of branches) {
        const chars = getStarExtglobSequenceChars(branch);
        if (chars) {
          sawStarSequence = true;
          safeChars.push(...chars);
          continue;
        }
        const literal = normalizeSimpleBranch(branch);
        if (literal && literal.length === 1) {
          safeChars.push(literal);
          continue;
        }
        combinable = false;
        if (repeatedExtglobRecursion(branch) > max) {
          return { risky: true };
        }
      }
      if (sawStarSequence) {
        return combinable ? { risky: true, safeOutput: buildCharClassStar([...new Set(safeChars)]) } : { risky: true };
      }
      return { risky: false };
    };
    var parse = (input, options) => {
      if (typeof input !== "string") {
        throw new TypeError("Expected a string");
      }
      input = REPLACEMENTS[input] || input;
      const opts = { ...options };
      const max = typeof opts.maxLength === "number" ? Math.min(MAX_LENGTH, opts.maxLength) : MAX_LENGTH;
      let len = input.length;
      if (len > max) {
        throw new SyntaxError(`Input length: ${len}, exceeds maximum allowed length: ${max}`);
      }
      const bos = { type: "bos", value: "", output: opts.prepend || "" };
      const tokens = [bos];
      const capture = opts.capture ? "" : "?:";
      const PLATFORM_CHARS = constants.globChars(opts.windows);
      const EXTGLOB_CHARS = constants.extglobChars(PLATFORM_CHARS);
      const {
        DOT_LITERAL,
        PLUS_LITERAL,
        SLASH_LITERAL,
        ONE_CHAR,
        DOTS_SLASH,
        NO_DOT,
        NO_DOT_SLASH,
        NO_DOTS_SLASH,
        QMARK,
        QMARK_NO_DOT,
        STAR,
        START_ANCHOR
      } = PLATFORM_CHARS;
      const globstar = (opts2) => {
        return `(${capture}(?:(?!${START_ANCHOR}${opts2.dot ? DOTS_SLASH : DOT_LITERAL}).)*?)`;
      };
      const nodot = opts.dot ? "" : NO_DOT;
      const qmarkNoDot = opts.dot ? QMARK : QMARK_NO_DOT;
      let star = opts.bash === true ? globstar(opts) : STAR;
      if (opts.capture) {
        star = `(${star})`;
      }
      if (typeof opts.noext === "boolean") {
        opts.noextglob = opts.noext;
      }
      const state = {
        input,
        index: -1,
        start: 0,
        dot: opts.dot === true,
        consumed: "",
        output: "",
        prefix: "",
        backtrack: false,
        negated: false,
        brackets: 0,
        braces: 0,
        parens: 0,
        quotes: 0,
        globstar: false,
        tokens
      };
      input = utils.removePrefix(input, state);
      len = input.length;
      const extglobs = [];
      const braces = [];
      const stack = [];
      let prev = bos;
      let value;
      const eos = () => state.index === len - 1;
      const peek = state.peek = (n = 1) => input[state.index + n];
      const advance = state.advance = () => input[++state.index] || "";
      const remaining = () => input.slice(state.index + 1);
      const consume = (value2 = "", num2 = 0) => {
        state.consumed += value2;
        state.index += num2;
      };
      const append = (token) => {
        state.output += token.output != null ? token.output : token.value;
        consume(token.value);
      };
      const negate = () => {
        let count = 1;
        while (peek() === "!" && (peek(2) !== "(" || peek(3) === "?")) {
          advance();
          state.start++;
          count++;
        }
        if (count % 2 === 0) {
          return false;
        }
        state.negated = true;
        state.start++;
        return true;
      };
      const increment = (type) => {
        state[type]++;
        stack.push(type);
      };
      const decrement = (type) => {
        state[type]--;
        stack.pop();
      };
      const push = (tok) => {
        if (prev.type === "globstar") {
          const isBrace = state.braces > 0 && (tok.type === "comma" || tok.type === "brace");
          const isExtglob = tok.extglob === true || extglobs.length && (tok.type === "pipe" || tok.type === "paren");
          if (tok.type !== "slash" && tok.type !== "paren" && !isBrace && !isExtglob) {
            state.output = state.output.slice(0, -prev.output.length);
            prev.type = "star";
            prev.value = "*";
            prev.output = star;
            state.output += prev.output;
          }
        }
        if (extglobs.length && tok.type !== "paren") {
          extglobs[extglobs.length - 1].inner += tok.value;
        }
        if (tok.value || tok.output) append(tok);
        if (prev && prev.type === "text" && tok.type === "text") {
          prev.output = (prev.output || prev.value) + tok.value;
          prev.value += tok.value;
          return;
        }
        tok.prev = prev;
        tokens.push(tok);
        prev = tok;
      };
      const extglobOpen = (type, value2) => {
        const token = { ...EXTGLOB_CHARS[value2], conditions: 1, inner: "" };
        token.prev = prev;
        token.parens = state.parens;
        token.output = state.output;
        token.startIndex = state.index;
        token.tokensIndex = tokens.length;
        const output = (opts.capture ? "(" : "") + token.open;
        increment("parens");
        push({ type, value: value2, output: state.output ? "" : ONE_CHAR });
        push({ type: "paren", extglob: true, value: advance(), output });
        extglobs.push(token);
      };
      const extglobClose = (token) => {
        const literal = input.slice(token.startIndex, state.index + 1);
        const body = input.slice(token.startIndex + 2, state.index);
        const analysis = analyzeRepeatedExtglob(body, opts);
        if ((token.type === "plus" || token.type === "star") && analysis.risky) {
          const safeOutput = analysis.safeOutput ? (token.output ? "" : ONE_CHAR) + (opts.capture ? `(${analysis.safeOutput})` : analysis.safeOutput) : void 0;
          const open = tokens[token.tokensIndex];
          open.type = "text";
          open.value = literal;
          open.output = safeOutput || utils.escapeRegex(literal);
          for (let i = token.tokensIndex + 1; i < tokens.length; i++) {
            tokens[i].value = "";
            tokens[i].output = "";
            delete tokens[i].suffix;
          }
          state.output = token.output + open.output;
          state.backtrack = true;
          push({ type: "paren", extglob: true, value, output: "" });
          decrement("parens");
          return;
        }
        let output = token.close + (opts.capture ? ")" : "");
        let rest;
        if (token.type === "negate") {
          let extglobStar = star;
          if (token.inner && token.inner.length > 1 && token.inner.includes("/")) {
            extglobStar = globstar(opts);
          }
          if (extglobStar !== star || eos() || /^\)+$/.test(remaining())) {
            output = token.close = `)$))${extglobStar}`;
          }
          if (token.inner.includes("*") && (rest = remaining()) && /^\.[^\\/.]+$/.test(rest)) {
            const expression = parse(rest, { ...options, fastpaths: false }).output;
            output = token.close = `)${expression})${extglobStar})`;
          }
          if (token.prev.type === "bos") {
            state.negatedExtglob = true;
          }
        }
        push({ type: "paren", extglob: true, value, output });
        decrement("parens");
      };
      if (opts.fastpaths !== false && !/(^[*!]|[/()[\]{}"])/.test(input)) {
        let backslashes = false;
        let output = input.replace(REGEX_SPECIAL_CHARS_BACKREF, (m, esc2, chars, first, rest, index) => {
          if (first === "\\") {
            backslashes = true;
            return m;
          }
          if (first === "?") {
            if (esc2) {
              return esc2 + first + (rest ? QMARK.repeat(rest.length) : "");
            }
            if (index === 0) {
              return qmarkNoDot + (rest ? QMARK.repeat(rest.length) : "");
            }
            return QMARK.repeat(chars.length);
          }
          if (first === ".") {
            return DOT_LITERAL.repeat(chars.length);
          }
          if (first === "*") {
            if (esc2) {
              return esc2 + first + (rest ? star : "");
            }
            return star;
          }
          return esc2 ? m : `\\${m}`;
        });
        if (backslashes === true) {
          if (opts.unescape === true) {
            output = output.replace(/\\/g, "");
          } else {
            output = output.replace(/\\+/g, (m) => {
              return m.length % 2 === 0 ? "\\\\" : m ? "\\" : "";
            });
          }
        }
        if (output === input && opts.contains === true) {
          state.output = input;
          return state;
        }
        state.output = utils.wrapOutput(output, state, options);
        return state;
      }
      while (!eos()) {
        value = advance();
        if (value === "\0") {
          continue;
        }
        if (value === "\\") {
          const next = peek();
          if (next === "/" && opts.bash !== true) {
            continue;
          }
          if (next === "." || next === ";") {
            continue;
          }
          if (!next) {
            value += "\\";
            push({ type: "text", value });
            continue;
          }
          const match = /^\\+/.exec(remaining());
          let slashes = 0;
          if (match && match[0].length > 2) {
            slashes = match[0].length;
            state.index += slashes;
            if (slashes % 2 !== 0) {
              value += "\\";
            }
          }
          if (opts.unescape === true) {
            value = advance();
          } else {
            value += advance();
          }
          if (state.brackets === 0) {
            push({ type: "text", value });
            continue;
          }
        }
        if (state.brackets > 0 && (value !== "]" || prev.value === "[" || prev.value === "[^")) {
          if (opts.posix !== false && value === ":") {
            const inner = prev.value.slice(1);
            if (inner.includes("[")) {
              prev.posix = true;
              if (inner.includes(":")) {
                const idx = prev.value.lastIndexOf("[");
                const pre = prev.value.slice(0, idx);
                const rest2 = prev.value.slice(idx + 2);
                const posix4 = POSIX_REGEX_SOURCE[rest2];
                if (posix4) {
                  prev.value = pre + posix4;
                  state.backtrack = true;
                  advance();
                  if (!bos.output && tokens.indexOf(prev) === 1) {
                    bos.output = ONE_CHAR;
                  }
                  continue;
                }
              }
            }
          }
          if (value === "[" && peek() !== ":" || value === "-" && peek() === "]") {
            value = `\\${value}`;
          }
          if (value === "]" && (prev.value === "[" || prev.value === "[^")) {
            value = `\\${value}`;
          }
          if (opts.posix === true && value === "!" && prev.value === "[") {
            value = "^";
          }
          prev.value += value;
          append({ value });
          continue;
        }
        if (state.quotes === 1 && value !== '"') {
          value = utils.escapeRegex(value);
          prev.value += value;
          append({ value });
          continue;
        }
        if (value === '"') {
          state.quotes = state.quotes === 1 ? 0 : 1;
          if (opts.keepQuotes === true) {
            push({ type: "text", value });
          }
          continue;
        }
        if (value === "(") {
          increment("parens");
          push({ type: "paren", value });
          continue;
        }
        if (value === ")") {
          if (state.parens === 0 && opts.strictBrackets === true) {
            throw new SyntaxError(syntaxError("opening", "("));
          }
          const extglob = extglobs[extglobs.length - 1];
          if (extglob && state.parens === extglob.parens + 1) {
            extglobClose(extglobs.pop());
            continue;
          }
          push({ type: "paren", value, output: state.parens ? ")" : "\\)" });
          decrement("parens");
          continue;
        }
        if (value === "[") {
          if (opts.nobracket === true || !remaining().includes("]")) {
            if (opts.nobracket !== true && opts.strictBrackets === true) {
              throw new SyntaxError(syntaxError("closing", "]"));
            }
            value = `\\${value}`;
          } else {
            increment("brackets");
          }
          push({ type: "bracket", value });
          continue;
        }
        if (value === "]") {
          if (opts.nobracket === true || prev && prev.type === "bracket" && prev.value.length === 1) {
            push({ type: "text", value, output: `\\${value}` });
            continue;
          }
          if (state.brackets === 0) {
            if (opts.strictBrackets === true) {
              throw new SyntaxError(syntaxError("opening", "["));
            }
            push({ type: "text", value, output: `\\${value}` });
            continue;
          }
          decrement("brackets");
          const prevValue = prev.value.slice(1);
          if (prev.posix !== true && prevValue[0] === "^" && !prevValue.includes("/")) {
            value = `/${value}`;
          }
          prev.value += value;
          append({ value });
          if (opts.literalBrackets === false || utils.hasRegexChars(prevValue)) {
            continue;
          }
          const escaped = utils.escapeRegex(prev.value);
          state.output = state.output.slice(0, -prev.value.length);
          if (opts.literalBrackets === true) {
            state.output += escaped;
            prev.value = escaped;
            continue;
          }
          prev.value = `(${capture}${escaped}|${prev.value})`;
          state.output += prev.value;
          continue;
        }
        if (value === "{" && opts.nobrace !== true) {
          increment("braces");
          const open = {
            type: "brace",
            value,
            output: "(",
            outputIndex: state.output.length,
            tokensIndex: state.tokens.length
          };
          braces.push(open);
          push(open);
          continue;
        }
        if (value === "}") {
          const brace = braces[braces.length - 1];
          if (opts.nobrace === true || !brace) {
            push({ type: "text", value, output: value });
            continue;
          }
          let output = ")";
          if (brace.dots === true) {
            const arr2 = tokens.slice();
            const range = [];
            for (let i = arr2.length - 1; i >= 0; i--) {
              tokens.pop();
              if (arr2[i].type === "brace") {
                break;
              }
              if (arr2[i].type !== "dots") {
                range.unshift(arr2[i].value);
              }
            }
            output = expandRange(range, opts);
            state.backtrack = true;
          }
          if (brace.comma !== true && brace.dots !== true) {
            const out = state.output.slice(0, brace.outputIndex);
            const toks = state.tokens.slice(brace.tokensIndex);
            brace.value = brace.output = "\\{";
            value = output = "\\}";
            state.output = out;
            for (const t of toks) {
              state.output += t.output || t.value;
            }
          }
          push({ type: "brace", value, output });
          decrement("braces");
          braces.pop();
          continue;
        }
        if (value === "|") {
          if (extglobs.length > 0) {
            extglobs[extglobs.length - 1].conditions++;
          }
          push({ type: "text", value });
          continue;
        }
        if (value === ",") {
          let output = value;
          const brace = braces[braces.length - 1];
          if (brace && stack[stack.length - 1] === "braces") {
            brace.comma = true;
            output = "|";
          }
          push({ type: "comma", value, output });
          continue;
        }
        if (value === "/") {
          if (prev.type === "dot" && state.index === state.start + 1) {
            state.start = state.index + 1;
            state.consumed = "";
            state.output = "";
            tokens.pop();
            prev = bos;
            continue;
          }
          push({ type: "slash", value, output: SLASH_LITERAL });
          continue;
        }
        if (value === ".") {
          if (state.braces > 0 && prev.type === "dot") {
            if (prev.value === ".") prev.output = DOT_LITERAL;
            const brace = braces[braces.length - 1];
            prev.type = "dots";
            prev.output += value;
            prev.value += value;
            brace.dots = true;
            continue;
          }
          if (state.braces + state.parens === 0 && prev.type !== "bos" && prev.type !== "slash") {
            push({ type: "text", value, output: DOT_LITERAL });
            continue;
          }
          push({ type: "dot", value, output: DOT_LITERAL });
          continue;
        }
        if (value === "?") {
          const isGroup = prev && prev.value === "(";
          if (!isGroup && opts.noextglob !== true && peek() === "(" && peek(2) !== "?") {
            extglobOpen("qmark", value);
            continue;
          }
          if (prev && prev.type === "paren") {
            const next = peek();
            let output = value;
            if (prev.value === "(" && !/[!=<:]/.test(next) || next === "<" && !/<([!=]|\w+>)/.test(remaining())) {
              output = `\\${value}`;
            }
            push({ type: "text", value, output });
            continue;
          }
          if (opts.dot !== true && (prev.type === "slash" || prev.type === "bos")) {
            push({ type: "qmark", value, output: QMARK_NO_DOT });
            continue;
          }
          push({ type: "qmark", value, output: QMARK });
          continue;
        }
        if (value === "!") {
          if (opts.noextglob !== true && peek() === "(") {
            if (peek(2) !== "?" || !/[!=<:]/.test(peek(3))) {
              extglobOpen("negate", value);
              continue;
            }
          }
          if (opts.nonegate !== true && state.index === 0) {
            negate();
            continue;
          }
        }
        if (value === "+") {
          if (opts.noextglob !== true && peek() === "(" && peek(2) !== "?") {
            extglobOpen("plus", value);
            continue;
          }
          if (prev && prev.value === "(" || opts.regex === false) {
            push({ type: "plus", value, output: PLUS_LITERAL });
            continue;
          }
          if (prev && (prev.type === "bracket" || prev.type === "paren" || prev.type === "brace") || state.parens > 0) {
            push({ type: "plus", value });
            continue;
          }
          push({ type: "plus", value: PLUS_LITERAL });
          continue;
        }
        if (value === "@") {
          if (opts.noextglob !== true && peek() === "(" && peek(2) !== "?") {
            push({ type: "at", extglob: true, value, output: "" });
            continue;
          }
          push({ type: "text", value });
          continue;
        }
        if (value !== "*") {
          if (value === "$" || value === "^") {
            value = `\\${value}`;
          }
          const match = REGEX_NON_SPECIAL_CHARS.exec(remaining());
          if (match) {
            value += match[0];
            state.index += match[0].length;
          }
          push({ type: "text", value });
          continue;
        }
        if (prev && (prev.type === "globstar" || prev.star === true)) {
          prev.type = "star";
          prev.star = true;
          prev.value += value;
          prev.output = star;
          state.backtrack = true;
          state.globstar = true;
          consume(value);
          continue;
        }
        let rest = remaining();
        if (opts.noextglob !== true && /^\([^?]/.test(rest)) {
          extglobOpen("star", value);
          continue;
        }
        if (prev.type === "star") {
          if (opts.noglobstar === true) {
            consume(value);
            continue;
          }
          const prior = prev.prev;
          const before = prior.prev;
          const isStart = prior.type === "slash" || prior.type === "bos";
          const afterStar = before && (before.type === "star" || before.type === "globstar");
          if (opts.bash === true && (!isStart || rest[0] && rest[0] !== "/")) {
            push({ type: "star", value, output: "" });
            continue;
          }
          const isBrace = state.braces > 0 && (prior.type === "comma" || prior.type === "brace");
          const isExtglob = extglobs.length && (prior.type === "pipe" || prior.type === "paren");
          if (!isStart && prior.type !== "paren" && !isBrace && !isExtglob) {
            push({ type: "star", value, output: "" });
            continue;
          }
          while (rest.slice(0, 3) === "/**") {
            const after = input[state.index + 4];
            if (after && after !== "/") {
              break;
            }
            rest = rest.slice(3);
            consume("/**", 3);
          }
          const isEnd = eos() || state.parens > 0 && rest === ")".repeat(state.parens) && !extglobs.some((extglob) => extglob.type === "negate");
          if (prior.type === "bos" && eos()) {
            prev.type = "globstar";
            prev.value += value;
            prev.output = globstar(opts);
            state.output = prev.output;
            state.globstar = true;
            consume(value);
            continue;
          }
          if (prior.type === "slash" && prior.prev.type !== "bos" && !afterStar && isEnd) {
            state.output = state.output.slice(0, -(prior.output + prev.output).length);
            prior.output = `(?:${prior.output}`;
            prev.type = "globstar";
            prev.output = globstar(opts) + (opts.strictSlashes ? ")" : "|$)");
            prev.value += value;
            state.globstar = true;
            state.output += prior.output + prev.output;
            consume(value);
            continue;
          }
          if (prior.type === "slash" && prior.prev.type !== "bos" && rest[0] === "/") {
            const end = rest[1] !== void 0 ? "|$" : "";
            state.output = state.output.slice(0, -(prior.output + prev.output).length);
            prior.output = `(?:${prior.output}`;
            prev.type = "globstar";
            prev.output = `${globstar(opts)}${SLASH_LITERAL}|${SLASH_LITERAL}${end})`;
            prev.value += value;
            state.output += prior.output + prev.output;
            state.globstar = true;
            consume(value + advance());
            push({ type: "slash", value: "/", output: "" });
            continue;
          }
          if (prior.type === "bos" && rest[0] === "/") {
            prev.type = "globstar";
            prev.value += value;
            prev.output = `(?:^|${SLASH_LITERAL}|${globstar(opts)}${SLASH_LITERAL})`;
            state.output = prev.output;
            state.globstar = true;
            consume(value + advance());
            push({ type: "slash", value: "/", output: "" });
            continue;
          }
          state.output = state.output.slice(0, -prev.output.length);
          prev.type = "globstar";
          prev.output = globstar(opts);
          prev.value += value;
          state.output += prev.output;
          state.globstar = true;
          consume(value);
          continue;
        }
        const token = { type: "star", value, output: star };
        if (opts.bash === true) {
          token.output = ".*?";
          if (prev.type === "bos" || prev.type === "slash") {
            token.output = nodot + token.output;
          }
          push(token);
          continue;
        }
        if (prev && (prev.type === "bracket" || prev.type === "paren") && opts.regex === true) {
          token.output = value;
          push(token);
          continue;
        }
        if (state.index === state.start || prev.type === "slash" || prev.type === "dot") {
          if (prev.type === "dot") {
            state.output += NO_DOT_SLASH;
            prev.output += NO_DOT_SLASH;
          } else if (opts.dot === true) {
            state.output += NO_DOTS_SLASH;
            prev.output += NO_DOTS_SLASH;
          } else {
            state.output += nodot;
            prev.output += nodot;
          }
          if (peek() !== "*") {
            state.output += ONE_CHAR;
            prev.output += ONE_CHAR;
          }
        }
        push(token);
      }
      while (state.brackets > 0) {
        if (opts.strictBrackets === true) throw new SyntaxError(syntaxError("closing", "]"));
        state.output = utils.escapeLast(state.output, "[");
        decrement("brackets");
      }
      while (state.parens > 0) {
        if (opts.strictBrackets === true) throw new SyntaxError(syntaxError("closing", ")"));
        state.output = utils.escapeLast(state.output, "(");
        decrement("parens");
      }
      while (state.braces > 0) {
        if (opts.strictBrackets === true) throw new SyntaxError(syntaxError("closing", "}"));
        state.output = utils.escapeLast(state.output, "{");
        decrement("braces");
      }
      if (opts.strictSlashes !== true && (prev.type === "star" || prev.type === "bracket")) {
        push({ type: "maybe_slash", value: "", output: `${SLASH_LITERAL}?` });
      }
      if (state.backtrack === true) {
        state.output = "";
        for (const token of state.tokens) {
          state.output += token.output != null ? token.output : token.value;
          if (token.suffix) {
            state.output += token.suffix;
          }
        }
      }
      return state;
    };
    parse.fastpaths = (input, options) => {
      const opts = { ...options };
      const max = typeof opts.maxLength === "number" ? Math.min(MAX_LENGTH, opts.maxLength) : MAX_LENGTH;
      const len = input.length;
      if (len > max) {
        throw new SyntaxError(`Input length: ${len}, exceeds maximum allowed length: ${max}`);
      }
      input = REPLACEMENTS[input] || input;
      const {
        DOT_LITERAL,
        SLASH_LITERAL,
        ONE_CHAR,
        DOTS_SLASH,
        NO_DOT,
        NO_DOTS,
        NO_DOTS_SLASH,
        STAR,
        START_ANCHOR
      } = constants.globChars(opts.windows);
      const nodot = opts.dot ? NO_DOTS : NO_DOT;
      const slashDot = opts.dot ? NO_DOTS_SLASH : NO_DOT;
      const capture = opts.capture ? "" : "?:";
      const state = { negated: false, prefix: "" };
      let star = opts.bash === true ? ".*?" : STAR;
      if (opts.capture) {
        star = `(${star})`;
      }
      const globstar = (opts2) => {
        if (opts2.noglobstar === true) return star;
        return `(${capture}(?:(?!${START_ANCHOR}${opts2.dot ? DOTS_SLASH : DOT_LITERAL}).)*?)`;
      };
      const create = (str2) => {
        switch (str2) {
          case "*":
            return `${nodot}${ONE_CHAR}${star}`;
          case ".*":
            return `${DOT_LITERAL}${ONE_CHAR}${star}`;
          case "*.*":
            return `${nodot}${star}${DOT_LITERAL}${ONE_CHAR}${star}`;
          case "*/*":
            return `${nodot}${star}${SLASH_LITERAL}${ONE_CHAR}${slashDot}${star}`;
          case "**":
            return nodot + globstar(opts);
          case "**/*":
            return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${slashDot}${ONE_CHAR}${star}`;
          case "**/*.*":
            return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${slashDot}${star}${DOT_LITERAL}${ONE_CHAR}${star}`;
          case "**/.*":
            return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${DOT_LITERAL}${ONE_CHAR}${star}`;
          default: {
            const match = /^(.*?)\.(\w+)$/.exec(str2);
            if (!match) return;
            const source2 = create(match[1]);
            if (!source2) return;
            return source2 + DOT_LITERAL + match[2];
          }
        }
      };
      const output = utils.removePrefix(input, state);
      let source = create(output);
      if (source && opts.strictSlashes !== true) {
        source += `${SLASH_LITERAL}?`;
      }
      return source;
    };
    module.exports = parse;
  }
});

// node_modules/picomatch/lib/picomatch.js
var require_picomatch = __commonJS({
  "node_modules/picomatch/lib/picomatch.js"(exports, module) {
    "use strict";
    var scan = require_scan();
    var parse = require_parse();
    var utils = require_utils();
    var constants = require_constants();
    var isObject = (val) => val && typeof val === "object" && !Array.isArray(val);
    var picomatch2 = (glob2, options, returnState = false) => {
      if (Array.isArray(glob2)) {
        const fns = glob2.map((input) => picomatch2(input, options, returnState));
        const arrayMatcher = (str2) => {
          for (const isMatch of fns) {
            const state2 = isMatch(str2);
            if (state2) return state2;
          }
          return false;
        };
        return arrayMatcher;
      }
      const isState = isObject(glob2) && glob2.tokens && glob2.input;
      if (glob2 === "" || typeof glob2 !== "string" && !isState) {
        throw new TypeError("Expected pattern to be a non-empty string");
      }
      const opts = options || {};
      const posix4 = opts.windows;
      const regex = isState ? picomatch2.compileRe(glob2, options) : picomatch2.makeRe(glob2, options, false, true);
      const state = regex.state;
      delete regex.state;
      let isIgnored = () => false;
      if (opts.ignore) {
        const ignoreOpts = { ...options, ignore: null, onMatch: null, onResult: null };
        isIgnored = picomatch2(opts.ignore, ignoreOpts, returnState);
      }
      const matcher = (input, returnObject = false) => {
        const { isMatch, match, output } = picomatch2.test(input, regex, options, { glob: glob2, posix: posix4 });
        const result = { glob: glob2, state, regex, posix: posix4, input, output, match, isMatch };
        if (typeof opts.onResult === "function") {
          opts.onResult(result);
        }
        if (isMatch === false) {
          result.isMatch = false;
          return returnObject ? result : false;
        }
        if (isIgnored(input)) {
          if (typeof opts.onIgnore === "function") {
            opts.onIgnore(result);
          }
          result.isMatch = false;
          return returnObject ? result : false;
        }
        if (typeof opts.onMatch === "function") {
          opts.onMatch(result);
        }
        return returnObject ? result : true;
      };
      if (returnState) {
        matcher.state = state;
      }
      return matcher;
    };
    picomatch2.test = (input, regex, options, { glob: glob2, posix: posix4 } = {}) => {
      if (typeof input !== "string") {
        throw new TypeError("Expected input to be a string");
      }
      if (input === "") {
        return { isMatch: false, output: "" };
      }
      const opts = options || {};
      const format = opts.format || (posix4 ? utils.toPosixSlashes : null);
      let match = input === glob2;
      let output = match && format ? format(input) : input;
      if (match === false) {
        output = format ? format(input) : input;
        match = output === glob2;
      }
      if (match === false || opts.capture === true) {
        if (opts.matchBase === true || opts.basename === true) {
          match = picomatch2.matchBase(input, regex, options, posix4);
        } else {
          match = regex.exec(output);
        }
      }
      return { isMatch: Boolean(match), match, output };
    };
    picomatch2.matchBase = (input, glob2, options, posix4 = options && options.windows) => {
      const regex = glob2 instanceof RegExp ? glob2 : picomatch2.makeRe(glob2, options);
      return regex.test(utils.basename(input, { windows: posix4 }));
    };
    picomatch2.isMatch = (str2, patterns, options) => picomatch2(patterns, options)(str2);
    picomatch2.parse = (pattern, options) => {
      if (Array.isArray(pattern)) return pattern.map((p) => picomatch2.parse(p, options));
      return parse(pattern, { ...options, fastpaths: false });
    };
    picomatch2.scan = (input, options) => scan(input, options);
    picomatch2.compileRe = (state, options, returnOutput = false, returnState = false) => {
      if (returnOutput === true) {
        return state.output;
      }
      const opts = options || {};
      const prepend = opts.contains ? "" : "^";
      const append = opts.contains ? "" : "$";
      let source = `${prepend}(?:${state.output})${append}`;
      if (state && state.negated === true) {
        source = `^(?!${source}).*$`;
      }
      const regex = picomatch2.toRegex(source, options);
      if (returnState === true) {
        regex.state = state;
      }
      return regex;
    };
    picomatch2.makeRe = (input, options = {}, returnOutput = false, returnState = false) => {
      if (!input || typeof input !== "string") {
        throw new TypeError("Expected a non-empty string");
      }
      let parsed = { negated: false, fastpaths: true };
      if (options.fastpaths !== false && (input[0] === "." || input[0] === "*")) {
        parsed.output = parse.fastpaths(input, options);
      }
      if (!parsed.output) {
        parsed = parse(input, options);
      }
      return picomatch2.compileRe(parsed, options, returnOutput, returnState);
    };
    picomatch2.toRegex = (source, options) => {
      try {
        const opts = options || {};
        return new RegExp(source, opts.flags || (opts.nocase ? "i" : ""));
      } catch (err) {
        if (options && options.debug === true) throw err;
        return /$^/;
      }
    };
    picomatch2.constants = constants;
    module.exports = picomatch2;
  }
});

// node_modules/picomatch/index.js
var require_picomatch2 = __commonJS({
  "node_modules/picomatch/index.js"(exports, module) {
    "use strict";
    var pico = require_picomatch();
    var utils = require_utils();
    function picomatch2(glob2, options, returnState = false) {
      if (options && (options.windows === null || options.windows === void 0)) {
        options = { ...options, windows: utils.isWindows() };
      }
      return pico(glob2, options, returnState);
    }
    Object.assign(picomatch2, pico);
    module.exports = picomatch2;
  }
});

// src/actions/evidence-archive/archive.ts
import { readFile as readFile4, rm as rm4 } from "node:fs/promises";
import { join as join6 } from "node:path";

// src/lib/evidence/report.ts
import { posix } from "node:path";

// src/lib/evidence/week-over-week.ts
function percentChange(last, now) {
  if (last === void 0 && now === void 0) return { kind: "no-data" };
  if (last === void 0) return { kind: "new" };
  if (now === void 0) return { kind: "gone" };
  if (last === 0) return now === 0 ? { kind: "unchanged-zero" } : { kind: "from-zero" };
  return { kind: "percent", percent: (now - last) / Math.abs(last) * 100 };
}
function weekFigure(s) {
  return s && s.samples > 0 ? s.mean : void 0;
}
function comparePanels(thisWeek, lastWeek) {
  const before = new Map(lastWeek.map((p) => [p.name, p]));
  return thisWeek.map((p) => {
    const prev = before.get(p.name);
    const prevStats = prev && !prev.error ? prev.stats : [];
    const labels = [.../* @__PURE__ */ new Set([...p.stats.map((s) => s.label), ...prevStats.map((s) => s.label)])];
    const series = p.error ? [] : labels.map((label) => {
      const lastWeekFigure = weekFigure(prevStats.find((s) => s.label === label));
      const thisWeekFigure = weekFigure(p.stats.find((s) => s.label === label));
      return {
        label,
        ...lastWeekFigure !== void 0 ? { lastWeek: lastWeekFigure } : {},
        ...thisWeekFigure !== void 0 ? { thisWeek: thisWeekFigure } : {},
        change: percentChange(lastWeekFigure, thisWeekFigure)
      };
    });
    return {
      name: p.name,
      title: p.panel ?? p.name,
      ...p.squad ? { squad: p.squad } : {},
      ...p.unit ? { unit: p.unit } : {},
      ...p.error ? { error: p.error } : {},
      series
    };
  });
}
var rec = (v) => v && typeof v === "object" && !Array.isArray(v) ? v : void 0;
var str = (v) => typeof v === "string" && v !== "" ? v : void 0;
var arr = (v) => Array.isArray(v) ? v : [];
var RAN = /* @__PURE__ */ new Set(["passed", "failed", "flaky", "skipped"]);
function smokeDay(result) {
  const failing = [];
  const complete = /* @__PURE__ */ new Set();
  for (const raw of arr(rec(result)?.suites)) {
    const s = rec(raw);
    if (!s) continue;
    const plan = rec(s.plan) ?? {};
    const suite = str(s.name) ?? str(plan.name) ?? "unnamed suite";
    const squad = str(s.squad) ?? str(plan.squad);
    const owner = str(s.owner) ?? str(plan.owner);
    const status = str(s.status) ?? "";
    const who = { ...squad ? { squad } : {}, ...owner ? { owner } : {} };
    const tests = arr(s.failures).map(rec).filter((f) => !!f);
    for (const f of tests) {
      const classname = str(f.classname) ?? "";
      const name = str(f.name) ?? str(f.id) ?? "unnamed test";
      const message = str(f.message);
      failing.push({ suite, classname, name, ...who, ...message ? { message } : {} });
    }
    if ((status === "failed" || status === "not-run") && tests.length === 0) {
      const reason = str(s.reason);
      failing.push({ suite, classname: "", name: "", ...who, ...reason ? { message: reason } : {} });
    }
    const omitted = typeof s.failuresOmitted === "number" && s.failuresOmitted > 0;
    if (RAN.has(status) && !omitted) complete.add(suite);
  }
  return { failing, complete };
}
function mergeSmokeDays(days) {
  return {
    failing: days.flatMap((d) => d.failing),
    complete: new Set(days.flatMap((d) => [...d.complete]))
  };
}
function testKey(t) {
  return JSON.stringify([t.suite, t.classname, t.name]);
}
function compareSmoke(thisWeek, lastWeek) {
  const before = new Set(lastWeek.failing.map(testKey));
  const now = new Set(thisWeek.failing.map(testKey));
  const out = { newFailures: [], stillFailing: [], fixed: [], unknown: [] };
  for (const t of thisWeek.failing) (before.has(testKey(t)) ? out.stillFailing : out.newFailures).push(t);
  for (const t of lastWeek.failing) {
    if (now.has(testKey(t))) continue;
    (thisWeek.complete.has(t.suite) ? out.fixed : out.unknown).push(t);
  }
  return out;
}
function testTitle(t) {
  if (!t.classname && !t.name) return `${t.suite} (the suite as a whole)`;
  return `${t.suite} \xB7 ${t.classname ? `${t.classname}::` : ""}${t.name}`;
}

// src/lib/evidence/report-week.ts
function sinceLastWeekSection(w, statusFileRel) {
  const out = ["## Since last week", ""];
  if (!w.previous) {
    out.push(
      "No earlier day to compare with: this checkout holds no evidence folder of an earlier date.",
      ""
    );
    return [...out, ...limitsWithoutComparison(w)];
  }
  const p = w.previous;
  const link = (to, text) => `[${text}](${linkTarget(relativeLink(statusFileRel, to))})`;
  out.push(
    `Compared with ${link(p.statusFileRel, `Integration Day ${p.date}`)} (${link(`${p.evidenceDirRel}/README.md`, "its evidence")}). Each panel's figure is the mean of each series over the snapshot's window.`,
    ""
  );
  out.push(...panelTable(w), ...smokeSets(w));
  return out;
}
function panelTable(w) {
  if (w.panels.length === 0) return ["No metric snapshots this day.", ""];
  const rows = w.panels.flatMap((p) => {
    const limits = limitText(w.limits[p.name]);
    if (p.error) return [[p.title, p.squad ?? "", "", "", "", `not captured: ${p.error}`, limits]];
    if (p.series.length === 0) return [[p.title, p.squad ?? "", "", "", "", "no data either week", limits]];
    return p.series.map((s) => [
      p.title,
      p.squad ?? "",
      p.series.length > 1 ? s.label : "",
      formatValue(s.lastWeek, p.unit),
      formatValue(s.thisWeek, p.unit),
      changeText(s.change),
      limits
    ]);
  });
  return [table(["panel", "squad", "series", "last week", "this week", "change", "limits"], rows), ""];
}
function limitsWithoutComparison(w) {
  const limited = w.panels.filter((p) => w.limits[p.name]);
  if (limited.length === 0) return [];
  return [
    `Panel limits checked against this day alone: ${limited.map((p) => `${cell(p.title)} (${limitText(w.limits[p.name])})`).join("; ")}.`,
    ""
  ];
}
function changeText(c) {
  switch (c.kind) {
    case "percent":
      return formatPercent(c.percent);
    case "unchanged-zero":
      return "0 % (zero both weeks)";
    case "from-zero":
      return "up from zero (no percentage)";
    case "new":
      return "new this week";
    case "gone":
      return "no data this week";
    case "no-data":
      return "no data either week";
  }
}
function limitText(l) {
  if (!l) return "";
  const parts = [
    l.threshold,
    l.regressionLimit !== void 0 ? `at most ${l.regressionLimit} % worse` : void 0
  ].filter(Boolean);
  return `${parts.join(", ")} (${l.severity})`;
}
function smokeSets(w) {
  if (!w.smoke) return ["Smoke tests: the earlier day has no smoke-suite result to compare with.", ""];
  const s = w.smoke;
  if (!s.newFailures.length && !s.stillFailing.length && !s.fixed.length && !s.unknown.length)
    return ["Smoke tests: nothing failed either week.", ""];
  const out = [
    table(
      ["smoke tests", "count"],
      [
        ["new failures", s.newFailures.length],
        ["still failing", s.stillFailing.length],
        ["fixed since last week", s.fixed.length],
        ["failed last week, not known this week", s.unknown.length]
      ]
    ),
    ""
  ];
  const list = (title, tests, withMessage) => {
    if (tests.length === 0) return;
    out.push(`**${title}**`, "");
    for (const t of tests.slice(0, 30))
      out.push(
        `- \`${testTitle(t).replaceAll("`", "'")}\`${withMessage && t.message ? ` \u2014 ${oneLine(t.message)}` : ""}${t.owner ?? t.squad ? ` \u2014 owner: ${t.owner ?? t.squad}` : ""}`
      );
    if (tests.length > 30) out.push(`- \u2026 and ${tests.length - 30} more`);
    out.push("");
  };
  list("New failures", s.newFailures, true);
  list("Still failing", s.stillFailing, true);
  list("Fixed since last week", s.fixed, false);
  list(
    "Failed last week, not known this week (the suite did not run or listed only part of its failures)",
    s.unknown,
    false
  );
  return out;
}
function oneLine(s) {
  const line = s.replace(/\s+/g, " ").trim();
  return linkText(line.length > 200 ? `${line.slice(0, 199)}\u2026` : line);
}

// src/lib/evidence/report-shards.ts
var OUTCOME = {
  success: "\u2705",
  failure: "\u274C failed",
  missing: "\u274C missing: reported nothing (cancelled, killed or never started)",
  empty: "no suites planned (no job)"
};
function shardSpreadSection(result) {
  const spread = result?.spread;
  if (!spread || !Array.isArray(spread.shards)) return [];
  const ratio = (x) => `${x.toFixed(2)}\xD7`;
  const reported = spread.shards.filter((s) => s.wallMs !== void 0).length;
  return [
    `### Spread over ${spread.count} shard(s)`,
    "",
    `Planned makespan ${formatDuration(spread.plannedMakespanMs)} (lower bound ${formatDuration(spread.lowerBoundMs)}, ${ratio(spread.lowerBoundMs > 0 ? spread.plannedMakespanMs / spread.lowerBoundMs : 1)}); ${reported} of ${spread.count} shard(s) reported, the slowest took ${formatDuration(spread.makespanMs)} (${ratio(spread.againstPlan)} the plan); imbalance ${ratio(spread.imbalance)} (slowest shard against the mean).`,
    "",
    table(
      ["shard", "suites", "planned", "took", "against plan", "outcome"],
      spread.shards.map((s) => [
        `${s.index}/${spread.count}`,
        s.suites.join(", ") || "(none)",
        formatDuration(s.plannedMs),
        s.wallMs === void 0 ? "\u2014" : formatDuration(s.wallMs),
        s.wallMs === void 0 || s.plannedMs <= 0 ? "\u2014" : ratio(s.wallMs / s.plannedMs),
        OUTCOME[s.status] ?? s.status
      ])
    ),
    ""
  ];
}

// src/lib/evidence/report.ts
function missingDetail(m) {
  return m.cluster ? `cluster ${m.cluster}: ${missingReason(m)}` : missingReason(m);
}
function missingReason(m) {
  if (m.job === "skipped" && m.pulseDown?.length) {
    const held = m.step === "helm-deploy" ? "did not deploy into an outage" : "did not judge staging during an outage";
    return `skipped: the morning's Infra Pulse found a required dependency down (${m.pulseDown.join(", ")}), so the day ${held}`;
  }
  switch (m.job) {
    case "skipped":
      return "skipped: the job did not run";
    case "cancelled":
      return "cancelled before it wrote a result";
    case "failure":
      return "no result file: the step failed before writing one (see its job log)";
    default:
      return "no result file was collected although its job succeeded";
  }
}
var MARK = {
  success: "\u2705",
  failure: "\u274C",
  cancelled: "\u26D4",
  skipped: "\u23ED\uFE0F",
  passed: "\u2705",
  failed: "\u274C",
  flaky: "\u26A0\uFE0F",
  "not-run": "\u26D4",
  ok: "\u2705",
  warning: "\u26A0\uFE0F",
  error: "\u274C"
};
var mark = (status) => `${MARK[status] ?? "\u2754"} ${status}`;
var EvidenceLinks = class {
  constructor(fromFile, evidenceDirRel, manifest, artifact, runUrl) {
    this.fromFile = fromFile;
    this.evidenceDirRel = evidenceDirRel;
    this.artifact = artifact;
    this.runUrl = runUrl;
    this.stored = new Map(manifest.files.map((f) => [f.path, f.stored]));
  }
  fromFile;
  evidenceDirRel;
  artifact;
  runUrl;
  stored;
  to(ref, text) {
    if (!ref) return "";
    const entry = { path: ref.path, stored: this.stored.get(ref.path) ?? "artifact" };
    if (entry.stored === "repository")
      return `[${text}](${linkTarget(posix.relative(posix.dirname(this.fromFile), `${this.evidenceDirRel}/${entry.path}`))})`;
    if (entry.stored === "not-kept") return `${text} (not kept)`;
    const where = this.artifact?.url ?? (this.runUrl ? `${this.runUrl}#artifacts` : void 0);
    return where ? `[${text}](${where}) (artifact only)` : `${text} (artifact only)`;
  }
  /** Runbooks are URLs or repository paths (docs/runbooks/...); a path is linked from the report's folder. */
  runbook(runbook, text = "runbook") {
    return runbookLink(this.fromFile, runbook, text);
  }
  evidence(path, text) {
    return `[${text}](${linkTarget(posix.relative(posix.dirname(this.fromFile), `${this.evidenceDirRel}/${path}`))})`;
  }
};
function renderStatusReport(input) {
  const links = new EvidenceLinks(
    input.statusFileRel,
    input.evidenceDirRel,
    input.manifest,
    input.artifact,
    input.run.url
  );
  const day = dayFacts(input);
  const ofAction = (action) => day.results.filter((r) => r.envelope.action === action);
  const out = [
    ...titleAndVerdict(day, input, links),
    ...atAGlance(day, input, links),
    ...failureTable(day, input, links),
    ...followUpList(input),
    ...ofAction("infra-pulse").flatMap(
      (r) => renderPulseReportSection(r.envelope.result, (runbook, text) => links.runbook(runbook, text), cell)
    ),
    ...ofAction("helm-deploy").flatMap((r) => deploySection(r)),
    ...ofAction("smoke-suite").flatMap((r) => smokeSection(r, links)),
    ...ofAction("kafka-topic-check").flatMap((r) => kafkaSection(r)),
    ...otherSteps(day, links),
    ...input.sinceLastWeek ? sinceLastWeekSection(input.sinceLastWeek, input.statusFileRel) : [],
    ...metricHighlights(input, links),
    ...dashboardList(input, links),
    ...archivingNotes(input),
    ...evidenceTotals(input, links)
  ];
  return `${out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}
`;
}
function dayFacts(input) {
  const results = [...input.results].sort(
    (a, b) => order(a.envelope.action) - order(b.envelope.action) || (a.envelope.action < b.envelope.action ? -1 : 1)
  );
  const pulse = results.find((r) => r.envelope.action === "infra-pulse");
  const down = pulse ? summarizePulse(pulse.envelope.result) : void 0;
  const pulseDown = down && !down.ready ? down.blocking : void 0;
  const missing = Object.entries(input.expectedSteps ?? {}).flatMap(([step, job]) => {
    const held = pulseDown?.length && job === "skipped" ? { pulseDown } : {};
    const clusters = input.expectedClusters?.[step] ?? [];
    if (clusters.length)
      return clusters.filter((c) => !results.some((r) => r.envelope.action === step && clusterOf(r.envelope.result) === c)).map((cluster) => ({ step, job: job === "success" ? "failure" : job, cluster, ...held }));
    return results.some((r) => r.envelope.action === step) ? [] : [{ step, job, ...held }];
  });
  const missingFailed = missing.filter((m) => m.job !== "skipped");
  const failures = [
    ...results.filter((r) => r.overruled).map((r) => ({ step: r.envelope.action, what: `step ${r.envelope.action}`, detail: r.note ?? "" })),
    ...results.flatMap((r) => failuresOf(r.envelope)),
    ...missingFailed.map((m) => ({ step: m.step, what: `step ${m.step}`, detail: missingDetail(m) })),
    ...(input.panelFindings ?? []).map(panelFailure)
  ];
  const failedSteps = results.filter((r) => r.envelope.status !== "success").length + missingFailed.length;
  return {
    results,
    missing,
    missingFailed,
    failures,
    failedSteps,
    failedPanels: (input.panelFindings ?? []).filter((f) => f.severity === "failure").length,
    stepCount: results.length + missing.length
  };
}
function panelFailure(f) {
  const what2 = f.kind === "threshold" ? "outside its threshold" : "worse than last week";
  return {
    step: "evidence-archive",
    what: `panel ${f.title}${f.series ? ` ${f.series}` : ""}: ${what2} (${f.severity})`,
    detail: f.detail,
    ...f.owner ? { owner: f.owner } : {}
  };
}
function titleAndVerdict(day, input, links) {
  const out = [];
  out.push(`# Integration Day ${input.date}`, "");
  const { stepCount, failures, failedSteps, failedPanels } = day;
  const ran = stepCount - (day.missing.length - day.missingFailed.length);
  const panels = failedPanels ? `${failedPanels} panel limit(s) of severity failure broken; ` : "";
  const verdict = stepCount === 0 ? "\u2754 **No step results were found**: the other steps did not run or their result files were not collected." : failedSteps === 0 && failures.length === 0 ? `\u2705 **All ${ran} step(s) succeeded.**` : failedSteps === 0 && failedPanels === 0 ? (
    // Every step passed, but some found warnings (a quiet partition, a flaky test): worth a look, not red.
    `\u26A0\uFE0F **All ${ran} step(s) succeeded; ${failures.length} warning(s) need an owner's attention.**`
  ) : failedSteps === 0 ? `\u274C **All ${ran} step(s) succeeded, but ${panels}${failures.length} problem(s) need an owner's attention.**` : `\u274C **${failedSteps} of ${ran} step(s) failed; ${panels}${failures.length} problem(s) need an owner's attention.**`;
  out.push(verdict, "");
  const facts = [
    input.run.url ? `Run: [${input.run.workflow ?? "workflow"} #${input.run.runId}${input.run.runAttempt && input.run.runAttempt !== "1" ? ` (attempt ${input.run.runAttempt})` : ""}](${input.run.url})` : void 0,
    input.artifact ? `Artifact: ${input.artifact.url ? `[\`${input.artifact.name}\`](${input.artifact.url})` : `\`${input.artifact.name}\``}` : void 0,
    `Evidence: ${links.evidence("README.md", "index")} \xB7 ${links.evidence("manifest.json", "manifest (SHA-256)")}`,
    `Generated ${formatTime(input.generatedAt, input.timeZone)} (${input.timeZone})${input.run.sha ? ` at \`${input.run.sha.slice(0, 12)}\`` : ""}`
  ].filter(Boolean);
  out.push(...facts.map((f) => `- ${f}`), "");
  return out;
}
function atAGlance(day, input, links) {
  const out = [];
  out.push("## At a glance", "");
  const { results, missing } = day;
  if (day.stepCount > 0) {
    out.push(
      table(
        ["step", "outcome", "detail", "finished", "result"],
        [
          ...results.map((r) => [
            r.envelope.action,
            mark(r.envelope.status),
            `${glance(r.envelope)}${r.note ? ` \u2014 \u26A0\uFE0F ${r.note}` : ""}`,
            finished(r.envelope, input.timeZone),
            links.to(r.entry, "json") || ""
          ]),
          ...missing.map((m) => [
            m.step,
            m.job === "success" ? "\u2754 no result" : mark(m.job),
            missingDetail(m),
            "",
            ""
          ])
        ].sort((a, b) => order(a[0]) - order(b[0]) || (a[0] < b[0] ? -1 : 1))
      ),
      ""
    );
  } else {
    out.push("No result files were collected.", "");
  }
  if (input.unreadable.length > 0) {
    out.push(
      `Unreadable result files: ${input.unreadable.map((u) => `\`${u.source}\` (${u.reason})`).join("; ")}`,
      ""
    );
  }
  return out;
}
function failureTable(day, input, links) {
  const out = [];
  const { failures } = day;
  const followUps = input.followUps ?? [];
  const issueOf = (f) => {
    const i = f.item ? followUps.find((u) => u.item === f.item && u.failed) : void 0;
    return i ? `[#${i.number}](${urlTarget(i.url)})` : "";
  };
  out.push("## What failed, with owners", "");
  if (failures.length === 0) out.push("Nothing failed.", "");
  else {
    out.push(
      table(
        ["what", "step", "owner", "runbook", "detail", ...input.followUps ? ["issue"] : []],
        failures.map((f) => [
          f.what,
          f.step,
          f.owner ?? "unowned",
          f.runbook ? links.runbook(f.runbook) : "",
          `${f.detail}${f.traceIds?.length ? ` (trace ${f.traceIds.join(", ")})` : ""}`,
          ...input.followUps ? [issueOf(f)] : []
        ])
      ),
      ""
    );
  }
  return out;
}
function followUpList(input) {
  const followUps = input.followUps ?? [];
  if (followUps.length === 0) return [];
  const out = ["## Follow-up issues", ""];
  for (const u of followUps) {
    const state = u.action === "closed" ? "closed: it passed today" : u.action === "unchanged" ? u.failed ? "already updated for this day" : "left as it is" : `${u.action}${u.streak ? `, failing ${u.streak} Integration Day(s) in a row` : ""}`;
    out.push(`- [#${u.number}](${urlTarget(u.url)}) \`${u.item.replaceAll("`", "'")}\`: ${state}`);
  }
  out.push("");
  return out;
}
function deploySection(r) {
  const out = [];
  const h = summarizeHelm(r.envelope.result);
  out.push("## Deploy", "");
  if (h.releases) {
    out.push(
      `${mark(r.envelope.status)}: a release set of ${h.releases.length} release(s)${h.status ? ` is **${h.status}**` : ""}:`,
      ""
    );
    for (const x of h.releases)
      out.push(
        `- wave ${x.wave ?? "?"}: \`${x.release ?? "?"}\`${x.namespace ? ` in \`${x.namespace}\`` : ""} is **${x.status ?? "unknown"}**${x.revision !== void 0 ? ` at revision **${x.revision}**` : ""}${x.chart ? ` (chart \`${x.chart}\`)` : ""}${x.rolledBack ? `; rolled back${x.previousRevision !== void 0 ? ` to revision ${x.previousRevision}` : ""}` : ""}`
      );
    out.push("");
    return out;
  }
  const what2 = h.release ? `Release \`${h.release}\`${h.namespace ? ` in namespace \`${h.namespace}\`` : ""}` : "The deploy";
  out.push(
    `${mark(r.envelope.status)}: ${what2}${h.status ? ` is **${h.status}**` : ""}${h.revision !== void 0 ? ` at revision **${h.revision}**` : ""}${h.chart ? ` (chart \`${h.chart}\`)` : ""}.${h.rolledBack ? ` It was rolled back${h.previousRevision !== void 0 ? ` to revision ${h.previousRevision}` : ""}.` : ""}`,
    ""
  );
  return out;
}
function smokeSection(r, links) {
  const out = [];
  const { suites, failures: tests } = summarizeSmoke(r.envelope.result);
  out.push("## Smoke suites by squad", "");
  if (suites.length === 0) {
    out.push(
      `${mark(r.envelope.status)} (no per-suite detail in the result; see ${links.to(r.entry, "the result file") || "the result file"}).`,
      ""
    );
    return out;
  }
  const squads = [...new Set(suites.map((s) => s.squad))].sort();
  out.push(
    table(
      ["squad", "suites", "passed", "failed", "errored", "skipped", "outcome"],
      squads.map((sq) => {
        const ss = suites.filter((s) => s.squad === sq);
        const bad = ss.filter((s) => s.status === "failed" || s.status === "not-run");
        const sum = (k) => ss.reduce((n, s) => n + s[k], 0);
        return [
          sq,
          ss.map((s) => s.name).join(", "),
          sum("passed"),
          sum("failed"),
          sum("errored"),
          sum("skipped"),
          bad.length ? `\u274C ${bad.length} suite(s) failed` : ss.some((s) => s.status === "skipped") ? "\u26A0\uFE0F every test skipped" : ss.some((s) => s.status === "flaky") ? "\u26A0\uFE0F flaky" : "\u2705 passed"
        ];
      })
    ),
    ""
  );
  out.push(...shardSpreadSection(r.envelope.result));
  out.push(
    ...smokeLogs(
      r,
      suites.map((s) => s.name),
      links
    )
  );
  for (const sq of squads) {
    const fs = tests.filter((f) => f.squad === sq);
    if (fs.length === 0) continue;
    out.push(`**${sq}**: failing tests`, "");
    for (const f of fs.slice(0, 20))
      out.push(
        `- \`${f.suite}\` \xB7 \`${f.test}\`${f.message ? ` \u2014 ${oneLine2(f.message)}` : ""}${f.location ? ` (\`${f.location}\`)` : ""}${f.owner ? ` \u2014 owner: ${f.owner}` : ""}${f.runbook ? ` \u2014 ${links.runbook(f.runbook)}` : ""}`
      );
    if (fs.length > 20)
      out.push(`- \u2026 and ${fs.length - 20} more (see ${links.to(r.entry, "the result file")})`);
    out.push("");
  }
  return out;
}
function smokeLogs(r, order2, links) {
  if (!r.logs?.length) return [];
  const rank = (suite) => order2.includes(suite) ? order2.indexOf(suite) : order2.length;
  const suites = [...new Set(r.logs.map((l) => l.suite))].sort((a, b) => rank(a) - rank(b));
  const parts = suites.map((suite) => {
    const logs = r.logs.filter((l) => l.suite === suite).sort((a, b) => a.attempt - b.attempt);
    return `\`${suite.replaceAll("`", "'")}\` ${logs.map((l) => links.to(l.entry, `attempt ${l.attempt}`)).join(", ")}`;
  });
  return [`Logs: ${parts.join(" \xB7 ")}`, ""];
}
function kafkaSection(r) {
  const out = [];
  const { topics, groups } = summarizeKafka(r.envelope.result);
  const cluster = clusterOf(r.envelope.result);
  out.push(`## Kafka topic health${cluster ? `: cluster ${cluster}` : ""}`, "");
  const outage = kafkaOutageOf(r.envelope.result);
  if (outage) {
    out.push(
      `${mark(r.envelope.status)}: **Kafka could not be reached** (${outage.brokers.join(", ") || "no brokers named"}): ${oneLine2(outage.message)}. No topic or consumer group was checked: this is an outage, not a quiet topic.`,
      ""
    );
    return out;
  }
  if (topics.length === 0 && groups.length === 0) {
    out.push(`${mark(r.envelope.status)} (no per-topic detail in the result).`, "");
    return out;
  }
  if (topics.length) {
    out.push(
      table(
        ["topic", "health", "messages/min", "newest record", "owner", "findings"],
        topics.map((t) => [
          t.name,
          mark(t.status),
          t.ratePerMinute === void 0 ? "" : round(t.ratePerMinute),
          t.newestAgeMs === void 0 ? "none" : `${formatDuration(t.newestAgeMs)} ago`,
          t.owner ?? "",
          t.findings.join("; ")
        ])
      ),
      ""
    );
  }
  if (groups.length) {
    out.push(
      table(
        ["consumer group", "status", "lag (messages)", "time lag", "lag direction", "owner", "findings"],
        groups.map((g) => [
          g.name,
          `${MARK[g.level] ?? "\u2754"} ${g.status}`,
          g.totalLag ?? "",
          g.maxTimeLagMs ? formatDuration(g.maxTimeLagMs) : "",
          g.direction ? describeDirection(g.direction) : "",
          g.owner ?? "",
          g.findings.join("; ")
        ])
      ),
      ""
    );
  }
  return out;
}
function describeDirection(d) {
  const trend = d.fallingBehind ? `${d.trend}, falling behind` : d.trend;
  const catchUp = d.catchUp === 0 ? "caught up" : typeof d.catchUp === "number" ? `catches up in ${formatDuration(d.catchUp)}` : d.catchUp === "never" ? "never catches up" : `catch-up ${d.catchUp}`;
  return `${trend}: ${catchUp} (${round(d.productionPerSecond)}/s written, ${round(d.consumptionPerSecond)}/s consumed)`;
}
function otherSteps(day, links) {
  const out = [];
  const others = day.results.filter(
    (x) => !["infra-pulse", "helm-deploy", "smoke-suite", "kafka-topic-check"].includes(x.envelope.action)
  );
  if (others.length) {
    out.push("## Other steps", "");
    for (const r of others)
      out.push(
        `- **${r.envelope.action}**: ${mark(r.envelope.status)} \u2014 ${glance(r.envelope)} ${links.to(r.entry, "result")}`.trimEnd()
      );
    out.push("");
  }
  return out;
}
function metricHighlights(input, links) {
  const out = [];
  if (input.metrics.length) {
    out.push("## Metric highlights", "");
    out.push(
      table(
        ["panel", "squad", "highlight", "chart", "data"],
        input.metrics.map((m) => [
          m.panel ?? m.name,
          m.squad ?? "",
          headline(m),
          links.to(m.chart, "chart"),
          links.to(m.json, "json")
        ])
      ),
      ""
    );
    out.push(...chartCaptions(input.metrics));
  }
  return out;
}
function chartCaptions(metrics) {
  const withCaption = metrics.filter((m) => m.chart && m.caption?.length);
  if (withCaption.length === 0) return [];
  const out = ["How to read the charts:", ""];
  for (const m of withCaption)
    out.push(`- **${linkText(m.panel ?? m.name)}**: ${linkText(m.caption.join(" "))}`);
  out.push("");
  return out;
}
function dashboardList(input, links) {
  const out = [];
  if (input.dashboards.length) {
    out.push("## Dashboards", "");
    for (const d of input.dashboards) {
      const status = d.error ? `\u274C not captured: ${oneLine2(d.error)}` : d.blank ? "\u26A0\uFE0F captured, but the page looks blank" : links.to(d.entry, "screenshot");
      out.push(`- **${d.name}** (${d.url.replace(/[?#].*$/, "")}): ${status}`);
    }
    out.push("");
  }
  return out;
}
function archivingNotes(input) {
  const out = [];
  if (input.captureProblems.length) {
    out.push("## Archiving notes", "");
    for (const p of input.captureProblems) out.push(`- \u26A0\uFE0F ${p}`);
    out.push("");
  }
  return out;
}
function evidenceTotals(input, links) {
  const out = [];
  const t = input.manifest.totals;
  out.push("## Evidence", "");
  const notKept = t.notKeptFiles ? `, ${t.notKeptFiles} (${formatBytes(t.notKeptBytes)}) not kept because they exceed the size limits and there is no artifact` : "";
  out.push(
    `${t.files} file(s), ${formatBytes(t.bytes)}: ${t.repositoryFiles} committed in ${links.evidence("README.md", `\`${input.evidenceDirRel}/\``)}${t.artifactOnlyFiles ? `, ${t.artifactOnlyFiles} (${formatBytes(t.artifactOnlyBytes)}) only in the artifact because they exceed the size limits` : ""}${notKept}. Every file's SHA-256 is in the ${links.evidence("manifest.json", "manifest")}.`,
    ""
  );
  return out;
}
var ORDER = [
  "infra-pulse",
  "helm-deploy",
  "smoke-suite",
  "kafka-topic-check",
  "contract-record",
  "design-drift"
];
function order(action) {
  const i = ORDER.indexOf(action);
  return i === -1 ? ORDER.length : i;
}
function finished(env, tz) {
  const d = new Date(env.finishedAt);
  if (Number.isNaN(d.getTime())) return "";
  const dur = new Date(env.finishedAt).getTime() - new Date(env.startedAt).getTime();
  return `${formatTime(d, tz).slice(11)}${Number.isFinite(dur) && dur >= 0 ? ` (${formatDuration(dur)})` : ""}`;
}
function formatTime(d, timeZone) {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    hour12: false,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit"
  }).formatToParts(d);
  const get = (t) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour") === "24" ? "00" : get("hour")}:${get("minute")}`;
}
function oneLine2(s) {
  const line = s.replace(/\s+/g, " ").trim();
  return cell(linkText(line.length > 200 ? `${line.slice(0, 199)}\u2026` : line));
}
function urlTarget(url) {
  return url.replace(/[()\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}
function round(n) {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

// src/actions/evidence-archive/outcome.ts
function archiveStepEnd(f) {
  const { plan, startedAt, metrics, dashboards, report: report2, delivered, commitError, followUps, followUpError } = f;
  const { manifest, artifact, artifactError } = f.bundle;
  const problems = f.problems;
  const findings = f.panelFindings ?? [];
  const panelFailure2 = panelsFailed(findings);
  const fail = commitError ?? artifactError ?? followUpError ?? panelFailure2;
  return {
    action: "evidence-archive",
    startedAt,
    resultPath: f.resultPath,
    status: fail ? "failure" : "success",
    result: {
      date: plan.date,
      statusFile: plan.paths.statusFileRel,
      evidenceDir: plan.paths.evidenceDirRel,
      manifest: { path: `${plan.paths.evidenceDirRel}/${MANIFEST_NAME}`, ...manifest.totals },
      results: f.results.map((r) => ({
        action: r.envelope.action,
        status: r.envelope.status,
        path: r.entry?.path
      })),
      metrics: metrics.map((m) => ({
        name: m.name,
        series: m.stats.length,
        ...m.error ? { error: m.error } : {}
      })),
      dashboards: dashboards.map((d) => ({
        name: d.name,
        ...d.entry ? { path: d.entry.path } : {},
        ...d.error ? { error: d.error } : {},
        ...d.blank ? { blank: true } : {}
      })),
      commit: delivered?.commit ?? (commitError ? { error: commitError.message } : null),
      pullRequest: delivered?.pullRequest ?? null,
      artifact: artifact ?? (artifactError ? { error: artifactError.message } : null),
      followUps: followUps ?? (followUpError ? { error: followUpError.message } : null),
      panelFindings: findings,
      problems
    },
    outputs: {
      date: plan.date,
      "status-file": plan.paths.statusFileRel,
      "evidence-dir": plan.paths.evidenceDirRel,
      "manifest-path": `${plan.paths.evidenceDirRel}/${MANIFEST_NAME}`,
      files: manifest.totals.files,
      "commit-sha": delivered?.commit.commitSha ?? "",
      pushed: delivered?.commit.pushed ?? false,
      "push-attempts": delivered?.commit.attempts ?? 0,
      "pull-request-number": delivered?.pullRequest ? String(delivered.pullRequest.number) : "",
      "pull-request-url": delivered?.pullRequest?.url ?? "",
      "artifact-id": artifact ? String(artifact.id) : "",
      "artifact-url": artifact?.url ?? "",
      "follow-up-issues": JSON.stringify(followUps ?? [])
    },
    summary: `${report2}
${summaryFooter(plan.paths.statusFileRel, manifest, delivered, commitError, artifact)}`,
    summaryFullAt: plan.paths.statusFileRel,
    annotations: [
      ...shardAnnotations(f.results),
      ...commitError ? [
        {
          level: "error",
          message: commitError.message,
          title: "evidence-archive: commit-back",
          rank: -1
        }
      ] : [],
      ...followUpError ? [
        {
          level: "error",
          message: `follow-up issues: ${followUpError.message}`,
          title: "evidence-archive: follow-up issues",
          rank: -1
        }
      ] : [],
      ...(delivered?.warnings ?? []).map((w) => ({
        level: "warning",
        message: w,
        title: "evidence-archive: pull request",
        rank: -1
      })),
      ...findings.map((p) => ({
        level: p.severity === "failure" ? "error" : "warning",
        message: `${p.title}${p.series ? ` ${p.series}` : ""}: ${p.detail}${p.owner ? ` (owner: ${p.owner})` : ""}`,
        title: `evidence-archive: panel ${p.kind === "threshold" ? "threshold" : "regression"}`,
        rank: p.severity === "failure" ? 0 : 1
      })),
      ...problems.map((p, i) => ({
        level: "warning",
        message: p,
        title: "evidence-archive",
        rank: i
      }))
    ],
    ...fail ? { fail } : {}
  };
}
function shardAnnotations(results) {
  return results.flatMap((r) => {
    const doc = r.envelope.result;
    if (r.envelope.action !== "smoke-suite" || !doc?.spread || !Array.isArray(doc.annotations)) return [];
    return doc.annotations.filter(
      (a) => ["error", "warning", "notice"].includes(a.level) && typeof a.message === "string"
    );
  });
}
function panelsFailed(findings) {
  const failed2 = findings.filter((f) => f.severity === "failure");
  if (failed2.length === 0) return void 0;
  const names = [...new Set(failed2.map((f) => f.title))].join(", ");
  return new Error(
    `${failed2.length} panel limit(s) of severity failure broken: ${names} (see the status report)`
  );
}
function summaryFooter(statusFile, manifest, delivered, commitError, artifact) {
  const lines = [
    "---",
    `Archived ${manifest.totals.files} file(s), ${formatBytes(manifest.totals.bytes)}; report in \`${statusFile}\`.`
  ];
  if (delivered) lines.push(...commitSummaryLines("evidence", delivered));
  if (commitError) lines.push(`Commit-back failed: ${commitError.message}`);
  if (artifact)
    lines.push(`Artifact [\`${artifact.name}\`](${artifact.url ?? "#"}) (${formatBytes(artifact.size)}).`);
  return `${lines.join("\n\n")}
`;
}

// src/lib/evidence/stage.ts
import { copyFile, mkdir, rm, writeFile, rename } from "node:fs/promises";
import { dirname, join } from "node:path";
var PRIORITY = { result: 0, metric: 1, chart: 2, screenshot: 3, file: 4 };
var EvidenceStage = class _EvidenceStage {
  constructor(dir, run, secrets = redactor) {
    this.dir = dir;
    this.run = run;
    this.secrets = secrets;
  }
  dir;
  run;
  secrets;
  entries = /* @__PURE__ */ new Map();
  knownDirs = /* @__PURE__ */ new Set();
  static async create(dir, run, secrets) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    return new _EvidenceStage(dir, run, secrets);
  }
  get files() {
    return [...this.entries.values()];
  }
  has(path) {
    return this.entries.has(path);
  }
  /** Where an entry is in the staging folder. */
  pathOf(path) {
    return this.abs(path);
  }
  /** Copies a file in (text scrubbed, binary verbatim); `src` is raw bytes for a name that is not UTF-8. */
  async addFile(src, path, meta2) {
    this.claim(path);
    const r = await archiveFile(src, this.abs(path), {
      secrets: this.secrets,
      inPlace: true,
      knownDirs: this.knownDirs
    });
    return this.record(path, r.sha256, r.size, meta2, r.redactions);
  }
  /** Writes text we produced (snapshots, charts), scrubbed like everything else. */
  async addText(path, text, meta2) {
    this.claim(path);
    const clean2 = scrubText(text, this.secrets);
    const data = Buffer.from(clean2, "utf8");
    await this.write(path, data);
    return this.record(
      path,
      sha256Of(data),
      data.length,
      meta2,
      Math.max(0, countMasks(clean2) - countMasks(text))
    );
  }
  /** Writes bytes we produced (screenshots). */
  async addBytes(path, data, meta2) {
    this.claim(path);
    await this.write(path, data);
    return this.record(path, sha256Of(data), data.length, meta2, 0);
  }
  /**
   * The manifest: which files are committed and which stay in the artifact only (by size, in
   * priority order), written into the staging folder.
   */
  async finish(m) {
    const ordered = this.files.sort(
      (a, b) => PRIORITY[a.kind] - PRIORITY[b.kind] || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
    );
    const stored = assignStorage(
      ordered.map((f) => f.size),
      m.maxFileSize,
      m.maxTotalSize,
      m.artifactName ? "artifact" : "not-kept"
    );
    const manifest = buildManifest({
      date: m.date,
      createdAt: m.createdAt.toISOString(),
      run: this.run,
      ...m.artifactName ? { artifact: { name: m.artifactName } } : {},
      limits: { maxFileSize: m.maxFileSize, maxTotalSize: m.maxTotalSize },
      files: ordered.map((f, i) => ({ ...f, stored: stored[i] }))
    });
    await this.writeManifest(manifest);
    return manifest;
  }
  /** (Re)writes the manifest file, e.g. once the artifact turned out to be missing. */
  async writeManifest(manifest) {
    await this.write(
      MANIFEST_NAME,
      Buffer.from(scrubText(`${JSON.stringify(manifest, null, 2)}
`, this.secrets))
    );
  }
  async writeIndex(markdown) {
    await this.write(INDEX_NAME, Buffer.from(scrubText(markdown, this.secrets)));
  }
  /** Every file of the bundle (for the artifact), absolute. */
  allPaths(manifest) {
    return [...manifest.files.map((f) => this.abs(f.path)), this.abs(MANIFEST_NAME), this.abs(INDEX_NAME)];
  }
  /**
   * Replaces `evidenceDir` with the committed part of the bundle: the files stored in the
   * repository, the manifest and the index (`index` lets the repository copy link the artifact).
   */
  async publish(manifest, evidenceDir, index) {
    const tmp = `${evidenceDir}.tmp-${process.pid}`;
    await rm(tmp, { recursive: true, force: true });
    const written = [];
    for (const f of manifest.files.filter((x) => x.stored === "repository")) {
      const dst = join(tmp, ...f.path.split("/"));
      await mkdir(dirname(dst), { recursive: true });
      await copyFile(this.abs(f.path), dst);
      written.push(f.path);
    }
    await mkdir(tmp, { recursive: true });
    await copyFile(this.abs(MANIFEST_NAME), join(tmp, MANIFEST_NAME));
    await writeFile(join(tmp, INDEX_NAME), scrubText(index, this.secrets));
    await rm(evidenceDir, { recursive: true, force: true });
    await mkdir(dirname(evidenceDir), { recursive: true });
    await rename(tmp, evidenceDir);
    return [...written, MANIFEST_NAME, INDEX_NAME];
  }
  claim(path) {
    if (this.entries.has(path) || path === MANIFEST_NAME || path === INDEX_NAME)
      throw new Error(`two evidence files would be written to ${path}`);
    if (path.split("/").some((s) => s === ".." || s === "." || s === "") || path.startsWith("/"))
      throw new Error(`evidence path ${JSON.stringify(path)} is not a plain relative path`);
  }
  abs(path) {
    return join(this.dir, ...path.split("/"));
  }
  async write(path, data) {
    const abs = this.abs(path);
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, data);
  }
  record(path, sha256, size, meta2, redactions) {
    const run = meta2.run ?? this.run;
    const entry = {
      path,
      sha256,
      size,
      kind: meta2.kind,
      mediaType: mediaTypeOf(path),
      source: scrubText(meta2.source, this.secrets),
      capturedAt: (meta2.capturedAt ?? /* @__PURE__ */ new Date()).toISOString(),
      ...run.runId ? { runId: run.runId } : {},
      ...run.runAttempt ? { runAttempt: run.runAttempt } : {},
      ...run.url ? { runUrl: run.url } : {},
      ...redactions > 0 ? { redactions } : {},
      ...meta2.action ? { action: meta2.action } : {},
      ...meta2.status ? { status: meta2.status } : {}
    };
    this.entries.set(path, entry);
    return entry;
  }
};

// src/lib/evidence/items.ts
function dayItems(results, incidentRunbooks) {
  const items = [];
  for (const r of results) {
    const env = r.envelope;
    if (env.action === "smoke-suite") {
      const { suites, failures } = summarizeSmoke(env.result);
      for (const s of suites) {
        const failed2 = s.status === "failed" || s.status === "not-run";
        if (!failed2 && r.overruled) continue;
        const squads = s.squad === "unassigned" ? [] : [s.squad];
        const tests = failures.filter((f) => f.suite === s.name);
        items.push({
          key: itemKey.suite(s.name),
          kind: "suite",
          name: s.name,
          failed: failed2,
          squads,
          owners: unique([...squads, ...s.owner ? [s.owner] : []]),
          failure: failed2 ? [
            `${s.status}${s.reason ? `: ${s.reason}` : ""}${s.required ? "" : " (optional suite)"}`,
            ...tests.slice(0, 10).map(
              (t) => `\`${t.test}\`${t.message ? `: ${oneLine3(t.message)}` : ""}${t.location ? ` (\`${t.location}\`)` : ""}`
            ),
            ...tests.length > 10 ? [`\u2026 and ${tests.length - 10} more failing test(s)`] : []
          ] : [],
          runbooks: s.runbook ? [s.runbook] : [],
          traceIds: []
        });
      }
    } else if (env.action === "kafka-topic-check") {
      const outage = kafkaOutageOf(env.result);
      const cluster = clusterOf(env.result);
      const on = cluster ? { cluster } : {};
      if (outage || !r.overruled) {
        items.push({
          key: itemKey.kafkaOutage(cluster),
          kind: "incident",
          name: "Kafka unreachable",
          ...on,
          failed: outage !== void 0,
          squads: [],
          owners: [],
          failure: outage ? [
            `kafka-topic-check could not reach the brokers (${outage.brokers.join(", ") || "unknown"}): ${oneLine3(outage.message)}`,
            "No topic or consumer group could be checked: this is an outage, not a quiet topic."
          ] : [],
          runbooks: [...incidentRunbooks],
          traceIds: []
        });
      }
      if (outage) continue;
      const failOnWarning = env.result?.failOn === "warning";
      const fails = (level) => level === "error" || failOnWarning && level === "warning";
      const { topics, groups } = summarizeKafka(env.result);
      for (const t of topics) {
        const failed2 = fails(t.status);
        if (!failed2 && r.overruled) continue;
        const squads = t.owner ? [t.owner] : [];
        items.push({
          key: itemKey.topic(t.name, cluster),
          kind: "topic",
          name: t.name,
          ...on,
          failed: failed2,
          squads,
          owners: squads,
          failure: failed2 ? (t.findings.length ? t.findings : [t.status]).map(oneLine3) : [],
          runbooks: t.runbook ? [t.runbook] : [],
          traceIds: failed2 ? t.traceIds.slice(0, 5) : []
        });
      }
      for (const g of groups) {
        const failed2 = fails(g.level);
        if (!failed2 && r.overruled) continue;
        const squads = g.owner ? [g.owner] : [];
        items.push({
          key: itemKey.group(g.name, cluster),
          kind: "consumer group",
          name: g.name,
          ...on,
          failed: failed2,
          squads,
          owners: squads,
          failure: failed2 ? [g.status, ...g.findings].map(oneLine3) : [],
          runbooks: g.runbook ? [g.runbook] : [],
          traceIds: []
        });
      }
    } else if (env.action === "helm-deploy") {
      const failed2 = env.status !== "success";
      if (!failed2 && r.overruled) continue;
      const h = summarizeHelm(env.result);
      const key2 = itemKey.deploy(h);
      items.push({
        key: key2,
        kind: "deploy",
        name: key2.slice("deploy:".length),
        failed: failed2,
        squads: [],
        owners: [],
        failure: failed2 ? [
          ...r.note ? [oneLine3(r.note)] : [],
          ...failuresOf(env).map((f) => oneLine3(f.detail)),
          ...h.status ? [`release status: ${h.status}`] : [],
          ...h.rolledBack ? [
            `rolled back${h.previousRevision !== void 0 ? ` to revision ${h.previousRevision}` : ""}`
          ] : []
        ] : [],
        runbooks: [],
        traceIds: []
      });
    }
  }
  const everySquad = unique(items.flatMap((i) => i.squads)).sort();
  for (const i of items) {
    if (i.kind !== "deploy") continue;
    i.squads = everySquad;
    i.owners = everySquad;
  }
  return items;
}
function unique(values) {
  return [...new Set(values)];
}
function oneLine3(s) {
  const line = s.replace(/\s+/g, " ").trim();
  return line.length > 300 ? `${line.slice(0, 299)}\u2026` : line;
}

// src/actions/evidence-archive/follow-up.ts
var FOLLOW_UP_LABEL = "integration-day";
var CROSS_SQUAD_LABEL = "cross-squad";
var INCIDENT_LABEL = "incident";
var MARKER_RE = /<!-- command-center:follow-up item=(\S+) days=([0-9,-]*)(?: passed=(\d{4}-\d{2}-\d{2}))? -->/;
function renderMarker(m) {
  return `<!-- command-center:follow-up item=${encodeURIComponent(m.item)} days=${m.days.join(",")}${m.passed ? ` passed=${m.passed}` : ""} -->`;
}
function parseMarker(body) {
  const m = MARKER_RE.exec(body);
  if (!m) return void 0;
  let item;
  try {
    item = decodeURIComponent(m[1]);
  } catch {
    return void 0;
  }
  const days = m[2].split(",").filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d));
  return { item, days, ...m[3] ? { passed: m[3] } : {} };
}
function labelsOf(item) {
  return [
    ...item.kind === "incident" ? [INCIDENT_LABEL] : [],
    FOLLOW_UP_LABEL,
    ...item.squads,
    ...item.squads.length > 1 ? [CROSS_SQUAD_LABEL] : []
  ];
}
function assigneesOf(item, users) {
  return [...new Set(item.owners.flatMap((o) => users[o] ?? []))];
}
function titleOf(item) {
  const on = item.cluster ? ` on cluster ${item.cluster}` : "";
  switch (item.kind) {
    case "incident":
      return `Incident: ${item.name}${on} during Integration Day`;
    case "deploy":
      return `Integration Day: the deploy ${item.name} failed`;
    default:
      return `Integration Day: ${item.kind} ${item.name}${on} failed`;
  }
}
function decideFollowUps(o) {
  const byItem = /* @__PURE__ */ new Map();
  for (const issue of o.issues) {
    const marker = parseMarker(issue.body);
    if (!marker) continue;
    const seen = byItem.get(marker.item);
    if (!seen || issue.state === "open" && seen.issue.state === "closed" || issue.state === seen.issue.state && issue.number > seen.issue.number)
      byItem.set(marker.item, { issue, marker });
  }
  const actions = [];
  for (const item of o.items) {
    const known = byItem.get(item.key);
    if (item.failed) {
      if (!known) {
        const marker2 = { item: item.key, days: [o.date] };
        actions.push({
          kind: "open",
          item,
          title: titleOf(item),
          body: issueBody(item, marker2, o.date, o.links),
          labels: labelsOf(item),
          assignees: assigneesOf(item, o.assignees)
        });
        continue;
      }
      const { issue, marker } = known;
      const last = marker.days.at(-1);
      if (marker.days.includes(o.date) || last !== void 0 && o.date < last || isNotAfter(o.date, marker.passed)) {
        actions.push({ kind: "seen", item, issue });
        continue;
      }
      const days = marker.passed ? [o.date] : [...marker.days, o.date];
      const next = { item: item.key, days };
      actions.push({
        kind: "repeat",
        item,
        issue,
        reopen: issue.state === "closed",
        streak: days.length,
        body: issueBody(item, next, o.date, o.links),
        comment: repeatComment(item, next, o.date, o.links, marker.passed),
        labels: labelsOf(item)
      });
    } else if (known && known.issue.state === "open") {
      const { issue, marker } = known;
      const last = marker.days.at(-1);
      if (last !== void 0 && o.date <= last) {
        actions.push({ kind: "seen", item, issue });
        continue;
      }
      const next = { item: item.key, days: marker.days, passed: o.date };
      actions.push({
        kind: "close",
        item,
        issue,
        body: issueBody(item, next, last ?? o.date, o.links, true),
        comment: closeComment(item, marker, o.date, o.links)
      });
    }
  }
  return actions;
}
function isNotAfter(date, other) {
  return other !== void 0 && date <= other;
}
function streakText(days) {
  return days === 1 ? "failing 1 Integration Day" : `failing ${days} Integration Days in a row`;
}
function what(item) {
  const on = item.cluster ? ` on cluster **${item.cluster}**` : "";
  switch (item.kind) {
    case "incident":
      return `**${item.name}**${on}`;
    case "deploy":
      return `The deploy **\`${item.name}\`**`;
    default:
      return `The ${item.kind} **\`${item.name}\`**${on}`;
  }
}
function dayLinks(links) {
  const parts = [
    links.report ? `[status report](${links.report})` : void 0,
    links.evidence ? `[evidence](${links.evidence})` : void 0,
    links.artifact ? `[artifact](${links.artifact})` : void 0,
    links.run ? `[run](${links.run})` : void 0
  ].filter(Boolean);
  return parts.length ? parts.join(" \xB7 ") : "no links (the report was not committed and there is no run page)";
}
function issueBody(item, marker, lastFailed, links, passed = false) {
  const out = [renderMarker(marker), ""];
  const first = marker.days[0] ?? lastFailed;
  out.push(
    passed ? `${what(item)} passed again on Integration Day **${marker.passed}** after failing ${marker.days.length} day(s) in a row (${first} to ${lastFailed}).` : `${what(item)} failed on Integration Day **${lastFailed}**: ${streakText(marker.days.length)}${marker.days.length > 1 ? ` (since ${first})` : ""}.`,
    ""
  );
  if (item.squads.length)
    out.push(`Squad${item.squads.length > 1 ? "s" : ""}: ${item.squads.join(", ")}`, "");
  out.push(`### Failure (${lastFailed})`, "");
  out.push(...(item.failure.length ? item.failure : ["failed"]).map((f) => `- ${f}`), "");
  out.push("### Runbook", "");
  if (item.runbooks.length)
    out.push(...item.runbooks.map((r) => `- [${r.replace(/^.*\//, "")}](${links.runbook(r)})`), "");
  else out.push("No runbook is configured for it (a `runbook` on the suite, topic or group adds one).", "");
  if (item.traceIds.length) {
    out.push("### Traces", "");
    out.push(
      ...item.traceIds.map((id) => links.trace ? `- [\`${id}\`](${links.trace(id)})` : `- \`${id}\``),
      ""
    );
  }
  out.push("### The day", "");
  out.push(dayLinks(links), "");
  out.push(
    "<sub>Opened by Command Center (evidence-archive). It comments here when the failure repeats and closes this issue when the item passes again.</sub>"
  );
  return `${out.join("\n")}
`;
}
function repeatComment(item, marker, date, links, passedBefore) {
  const streak = streakText(marker.days.length);
  const head = passedBefore ? `\u274C Failing again on Integration Day **${date}** (it had passed on ${passedBefore}): ${streak}.` : `\u274C Still failing on Integration Day **${date}**: **${streak}** (${marker.days.join(", ")}).`;
  return [head, "", ...item.failure.slice(0, 12).map((f) => `- ${f}`), "", dayLinks(links), ""].join("\n");
}
function closeComment(item, marker, date, links) {
  return [
    `\u2705 ${what(item)} passed on Integration Day **${date}**, after failing ${marker.days.length} day(s) in a row (${marker.days.join(", ")}). Closing.`,
    "",
    dayLinks(links),
    ""
  ].join("\n");
}

// src/actions/evidence-archive/follow-up-sync.ts
var COLORS = {
  [FOLLOW_UP_LABEL]: "1d76db",
  [CROSS_SQUAD_LABEL]: "d93f0b",
  [INCIDENT_LABEL]: "b60205"
};
async function syncFollowUps(o) {
  const out = { issues: [], warnings: [] };
  if (o.items.length === 0) return out;
  const { forge, log: log3 } = o;
  try {
    const known = (await forge.listIssues({ labels: [FOLLOW_UP_LABEL], state: "all" })).map(
      (i) => ({ number: i.number, state: i.state, url: i.htmlUrl, body: i.body })
    );
    const actions = decideFollowUps({ ...o, issues: known });
    const labels = [
      ...new Set(actions.flatMap((a) => a.kind === "open" || a.kind === "repeat" ? a.labels : []))
    ];
    if (labels.length)
      await forge.ensureLabels(labels.map((name) => ({ name, color: COLORS[name] ?? "c5def5" })));
    for (const a of actions) {
      const failed2 = a.item.failed;
      if (a.kind === "open") {
        const issue = await createWithAssignees(forge, a, out.warnings);
        out.issues.push({
          item: a.item.key,
          failed: failed2,
          number: issue.number,
          url: issue.htmlUrl,
          action: "opened",
          streak: 1
        });
        log3(`opened #${issue.number} for ${a.item.key}: ${issue.htmlUrl}`);
      } else if (a.kind === "repeat") {
        await forge.updateIssue(a.issue.number, { body: a.body, ...a.reopen ? { state: "open" } : {} });
        await forge.addLabels(a.issue.number, a.labels);
        await forge.comment(a.issue.number, a.comment);
        out.issues.push({
          item: a.item.key,
          failed: failed2,
          number: a.issue.number,
          url: a.issue.url,
          action: a.reopen ? "reopened" : "commented",
          streak: a.streak
        });
        log3(
          `${a.reopen ? "reopened" : "commented on"} #${a.issue.number} for ${a.item.key}: failing ${a.streak} day(s) in a row`
        );
      } else if (a.kind === "close") {
        await forge.comment(a.issue.number, a.comment);
        await forge.updateIssue(a.issue.number, { body: a.body, state: "closed" });
        out.issues.push({
          item: a.item.key,
          failed: failed2,
          number: a.issue.number,
          url: a.issue.url,
          action: "closed"
        });
        log3(`closed #${a.issue.number}: ${a.item.key} passed`);
      } else {
        out.issues.push({
          item: a.item.key,
          failed: failed2,
          number: a.issue.number,
          url: a.issue.url,
          action: "unchanged"
        });
      }
    }
  } catch (err) {
    const refusal = permissionRefusal(err);
    if (!refusal) throw err;
    out.warnings.push(
      `follow-up issues were not updated: ${refusal}. Give the evidence job \`permissions: issues: write\` (or a token that may write issues), or set follow-up-issues: false. The day's verdict is unchanged.`
    );
  }
  return out;
}
function permissionRefusal(err) {
  if (err instanceof ForgePermissionError) return err.message;
  const status = err.status;
  if (status === 401 || status === 403)
    return `the forge refused to list the issues (HTTP ${status}: ${err.message})`;
  return void 0;
}
async function createWithAssignees(forge, a, warnings) {
  try {
    return await forge.createIssue(a);
  } catch (err) {
    const status = err.status;
    if (!a.assignees.length || status !== 422 && status !== 404) throw err;
    warnings.push(
      `the forge refused to assign ${a.assignees.join(", ")} to "${a.title}" (HTTP ${status}: ${err.message}); the issue was opened without assignees. Check the usernames in 'assignees' and that they may be assigned in this repository.`
    );
    return forge.createIssue({ ...a, assignees: [] });
  }
}

// src/lib/evidence/index-readme.ts
var SECTIONS = [
  { kind: ["result"], title: "Step results" },
  { kind: ["chart", "metric"], title: "Metric snapshots" },
  { kind: ["screenshot"], title: "Dashboard screenshots" },
  { kind: ["file"], title: "Other collected files" }
];
function renderEvidenceIndex(input) {
  const m = input.manifest;
  const out = [];
  out.push(`# Evidence for Integration Day ${m.date}`, "");
  out.push(
    `Captured ${m.createdAt}${m.run.url ? ` by [run ${m.run.runId}${m.run.runAttempt ? `, attempt ${m.run.runAttempt}` : ""}](${m.run.url})` : ""}. The day's summary: [status report](${encodeURI(input.statusReportLink)}).`,
    ""
  );
  const art = input.artifact ? input.artifact.url ? `[\`${input.artifact.name}\`](${input.artifact.url})` : `\`${input.artifact.name}\`` : void 0;
  const limits = `the size limits (${formatBytes(m.limits.maxFileSize)} per file, ${formatBytes(m.limits.maxTotalSize)} in all)`;
  const t = m.totals;
  const notKept = t.notKeptFiles ?? 0;
  out.push(
    [
      `${t.files} file(s), ${formatBytes(t.bytes)}. ${t.repositoryFiles} are committed here`,
      t.artifactOnlyFiles ? `; ${t.artifactOnlyFiles} (${formatBytes(t.artifactOnlyBytes)}) exceed ${limits} and are only in the workflow artifact${art ? ` ${art}` : ""}` : "",
      notKept ? `; ${notKept} (${formatBytes(t.notKeptBytes ?? 0)}) exceed ${limits} and were not kept (no artifact): only their hashes are here` : "",
      art && !t.artifactOnlyFiles ? `; everything is also in the workflow artifact ${art}` : "",
      "."
    ].join(""),
    ""
  );
  const charts = m.files.filter((f) => f.kind === "chart" && f.stored === "repository");
  if (charts.length) {
    out.push("## Charts", "");
    for (const c of charts)
      out.push(
        `### ${input.titles[c.path] ?? c.path}`,
        "",
        `![${linkText(input.titles[c.path] ?? c.path)}](${linkTarget(c.path)})`,
        ""
      );
  }
  const shots = m.files.filter((f) => f.kind === "screenshot" && f.stored === "repository");
  if (shots.length) {
    out.push("## Dashboards", "");
    for (const s of shots)
      out.push(
        `### ${input.titles[s.path] ?? s.path}`,
        "",
        `![${linkText(input.titles[s.path] ?? s.path)}](${linkTarget(s.path)})`,
        ""
      );
  }
  out.push("## Files", "");
  for (const section of SECTIONS) {
    const files = m.files.filter((f) => section.kind.includes(f.kind));
    if (files.length === 0) continue;
    out.push(`### ${section.title}`, "");
    out.push(
      table(
        ["file", "size", "SHA-256", "source", "captured"],
        files.map((f) => [
          f.stored === "repository" ? `[${linkText(f.path)}](${linkTarget(f.path)})` : `${linkText(f.path)} (${f.stored === "artifact" ? "artifact only" : "not kept: too large, and no artifact"})`,
          formatBytes(f.size),
          `\`${f.sha256.slice(0, 16)}\u2026\``,
          linkText(f.source) + (f.redactions ? ` (${f.redactions} secret value(s) redacted)` : ""),
          f.capturedAt
        ])
      ),
      ""
    );
  }
  out.push("## Checking the evidence", "");
  out.push(
    "`manifest.json` lists every file with its full SHA-256, size, source, capture time and run. To re-check the committed files:",
    ""
  );
  out.push(
    "```sh",
    `jq -r '.files[] | select(.stored == "repository") | "\\(.sha256)  \\(.path)"' manifest.json | sha256sum -c -`,
    "```",
    ""
  );
  out.push("Inside the downloaded artifact, drop the `select(...)` to check every file.", "");
  return `${out.join("\n").trimEnd()}
`;
}

// src/actions/evidence-archive/bundle.ts
async function sealBundle(o) {
  const { plan, stage, problems } = o;
  let manifest = await stage.finish({
    date: plan.date,
    createdAt: /* @__PURE__ */ new Date(),
    maxFileSize: plan.maxFileSize,
    maxTotalSize: plan.maxTotalSize,
    ...plan.artifact ? { artifactName: plan.artifact.name } : {}
  });
  const titles = {};
  for (const m of o.metrics) if (m.chart) titles[m.chart.path] = m.panel ?? m.name;
  for (const d of o.dashboards) if (d.entry) titles[d.entry.path] = d.name;
  const statusReportLink = relativeLink(`${plan.paths.evidenceDirRel}/README.md`, plan.paths.statusFileRel);
  const index = (artifact) => renderEvidenceIndex({ manifest, statusReportLink, titles, ...artifact ? { artifact } : {} });
  await stage.writeIndex(index(plan.artifact ? { name: plan.artifact.name } : void 0));
  const upload = plan.artifact ? await uploadBundle(plan.artifact, stage, manifest, problems) : {};
  if (plan.artifact && !upload.artifact) {
    manifest = withoutArtifact(manifest);
    await stage.writeManifest(manifest);
  }
  noteSizeLimits(manifest, Boolean(plan.artifact), problems);
  const a = upload.artifact;
  const artifactRef = a ? { name: a.name, id: String(a.id), ...a.url ? { url: a.url } : {} } : void 0;
  return { manifest, ...upload, ...artifactRef ? { artifactRef } : {}, index: index(artifactRef) };
}
async function uploadBundle(target, stage, manifest, problems) {
  const missing = artifactServiceMissing();
  if (missing) {
    problems.push(`artifact not uploaded: ${missing}`);
    return {};
  }
  try {
    const artifact = await group(
      `Uploading artifact ${target.name}`,
      () => uploadArtifact({
        name: target.name,
        root: stage.dir,
        files: stage.allPaths(manifest),
        retentionDays: target.retentionDays,
        log: log.info
      })
    );
    const where = artifact.url ? `, ${artifact.url}` : "";
    log.info(`artifact ${artifact.name}: id ${artifact.id}, ${formatBytes(artifact.size)}${where}`);
    return { artifact };
  } catch (err) {
    const artifactError = toError(err);
    problems.push(`artifact upload failed: ${artifactError.message}`);
    return { artifactError };
  }
}
function noteSizeLimits(manifest, artifactAsked, problems) {
  const t = manifest.totals;
  if (t.artifactOnlyFiles) {
    problems.push(
      `${t.artifactOnlyFiles} file(s) (${formatBytes(t.artifactOnlyBytes)}) exceed max-file-size/max-total-size and are in the artifact only`
    );
  }
  if (t.notKeptFiles) {
    problems.push(
      `${t.notKeptFiles} file(s) (${formatBytes(t.notKeptBytes)}) exceed max-file-size/max-total-size and were not kept (${artifactAsked ? "the artifact was not uploaded" : "artifact: false"}); their hashes are in the manifest`
    );
  }
}

// src/actions/evidence-archive/dashboards.ts
import { readFile, rm as rm3 } from "node:fs/promises";
import { join as join4 } from "node:path";

// src/lib/browser/screenshot.ts
import { existsSync as existsSync2 } from "node:fs";
import { mkdtemp, rm as rm2, writeFile as writeFile2, mkdir as mkdir3 } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname as dirname2, join as join3 } from "node:path";

// src/lib/evidence/png.ts
import { inflateSync } from "node:zlib";
var SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
function pngInfo(png) {
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (buf.length < 33 || !buf.subarray(0, 8).equals(SIGNATURE))
    throw new Error("not a PNG file (bad signature)");
  if (buf.toString("latin1", 12, 16) !== "IHDR") throw new Error("not a PNG file (IHDR chunk missing)");
  return {
    width: buf.readUInt32BE(16),
    height: buf.readUInt32BE(20),
    bitDepth: buf[24],
    colorType: buf[25]
  };
}
var CHANNELS = { 0: 1, 2: 3, 4: 2, 6: 4 };
function decodePng(png) {
  const info = pngInfo(png);
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  const channels = CHANNELS[info.colorType];
  if (info.bitDepth !== 8 || channels === void 0)
    throw new Error(`unsupported PNG format (bit depth ${info.bitDepth}, color type ${info.colorType})`);
  if (buf[28] !== 0) throw new Error("interlaced PNGs are not supported");
  const idat = [];
  for (let off = 8; off + 8 <= buf.length; ) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString("latin1", off + 4, off + 8);
    if (type === "IDAT") idat.push(buf.subarray(off + 8, off + 8 + len));
    if (type === "IEND") break;
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = info.width * channels;
  if (raw.length < (stride + 1) * info.height) throw new Error("PNG image data is truncated");
  const rows = new Uint8Array(stride * info.height);
  for (let y = 0; y < info.height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const dst = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? rows[dst + x - channels] : 0;
      const b = y > 0 ? rows[dst - stride + x] : 0;
      const c = x >= channels && y > 0 ? rows[dst - stride + x - channels] : 0;
      const v = raw[src + x];
      let out;
      switch (filter) {
        case 0:
          out = v;
          break;
        case 1:
          out = v + a;
          break;
        case 2:
          out = v + b;
          break;
        case 3:
          out = v + (a + b >> 1);
          break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          out = v + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default:
          throw new Error(`bad PNG filter type ${filter} on row ${y}`);
      }
      rows[dst + x] = out & 255;
    }
  }
  const rgba = new Uint8Array(info.width * info.height * 4);
  for (let i = 0, j = 0; i < rows.length; i += channels, j += 4) {
    if (channels === 1 || channels === 2) {
      rgba[j] = rgba[j + 1] = rgba[j + 2] = rows[i];
      rgba[j + 3] = channels === 2 ? rows[i + 1] : 255;
    } else {
      rgba[j] = rows[i];
      rgba[j + 1] = rows[i + 1];
      rgba[j + 2] = rows[i + 2];
      rgba[j + 3] = channels === 4 ? rows[i + 3] : 255;
    }
  }
  return { ...info, rgba };
}
function pixelStats(p, cap = 4096) {
  const n = p.width * p.height;
  let sum = 0;
  let sumSq = 0;
  const counts = /* @__PURE__ */ new Map();
  for (let j = 0; j < p.rgba.length; j += 4) {
    const luma = 0.2126 * p.rgba[j] + 0.7152 * p.rgba[j + 1] + 0.0722 * p.rgba[j + 2];
    sum += luma;
    sumSq += luma * luma;
    const key2 = p.rgba[j] << 16 | p.rgba[j + 1] << 8 | p.rgba[j + 2];
    const c = counts.get(key2);
    if (c !== void 0) counts.set(key2, c + 1);
    else if (counts.size < cap) counts.set(key2, 1);
  }
  const mean = sum / Math.max(1, n);
  const dominant = Math.max(0, ...counts.values());
  return {
    lumaStdDev: Math.sqrt(Math.max(0, sumSq / Math.max(1, n) - mean * mean)),
    distinctColors: counts.size,
    dominantShare: dominant / Math.max(1, n)
  };
}
function looksBlank(s) {
  return s.distinctColors <= 2 || s.lumaStdDev < 1;
}

// src/lib/browser/playwright.ts
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir as mkdir2 } from "node:fs/promises";
import { createRequire } from "node:module";
import { join as join2 } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
var PLAYWRIGHT_CORE_VERSION = "1.65.1";
async function loadPlaywright(log3 = () => {
}, env = process.env) {
  try {
    return await import("playwright-core");
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  if (env.PLAYWRIGHT_CORE_PATH) return importFrom(env.PLAYWRIGHT_CORE_PATH);
  const cacheRoot = env.RUNNER_TOOL_CACHE || env.RUNNER_TEMP || join2(env.HOME ?? "/tmp", ".cache");
  const prefix = join2(cacheRoot, "command-center", "playwright-core", PLAYWRIGHT_CORE_VERSION);
  const installed = join2(prefix, "node_modules", "playwright-core");
  if (!existsSync(join2(installed, "package.json"))) {
    log3(
      `playwright-core ${PLAYWRIGHT_CORE_VERSION} is not next to the action; installing it into ${prefix} (the library only, no browser)`
    );
    await mkdir2(prefix, { recursive: true });
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    try {
      await promisify(execFile)(
        npm,
        [
          "install",
          "--no-save",
          "--no-package-lock",
          "--no-fund",
          "--no-audit",
          "--ignore-scripts",
          "--loglevel=error",
          "--prefix",
          prefix,
          `playwright-core@${PLAYWRIGHT_CORE_VERSION}`
        ],
        {
          env: { ...env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1" },
          timeout: 18e4
        }
      );
    } catch (err) {
      const detail = err.stderr?.trim() || err.message;
      throw new Error(
        `could not install playwright-core ${PLAYWRIGHT_CORE_VERSION} with npm (needed for dashboard screenshots): ${detail.split("\n").slice(-3).join(" ")}. Install it next to the action or set PLAYWRIGHT_CORE_PATH.`
      );
    }
  }
  return importFrom(installed);
}
async function importFrom(dir) {
  const req = createRequire(join2(dir, "package.json"));
  const entry = req.resolve("playwright-core");
  const mod = await import(pathToFileURL(entry).href);
  return mod.chromium ? mod : mod.default;
}
function isNotFound(err) {
  const code = err.code;
  return code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND";
}

// src/lib/browser/screenshot.ts
var BROWSER_CANDIDATES = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/opt/google/chrome/chrome",
  "/snap/bin/chromium"
];
function findBrowser(explicit) {
  if (explicit) {
    if (!existsSync2(explicit)) throw new Error(`no browser at ${explicit}`);
    return explicit;
  }
  const found = BROWSER_CANDIDATES.find((p) => existsSync2(p));
  if (!found) {
    throw new Error(
      `no Chromium or Chrome found (looked at ${BROWSER_CANDIDATES.join(", ")}); install it (Debian: \`apt-get install -y chromium\`) or give its path`
    );
  }
  return found;
}
var LAUNCH_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
  "--hide-scrollbars",
  "--mute-audio"
];
var Screenshotter = class _Screenshotter {
  constructor(context, profileDir) {
    this.context = context;
    this.profileDir = profileDir;
  }
  context;
  profileDir;
  static async launch(opts = {}) {
    const executablePath = findBrowser(opts.executablePath);
    const pw = await loadPlaywright(opts.log);
    const profileDir = await mkdtemp(join3(tmpdir(), "cc-chromium-"));
    try {
      const context = await pw.chromium.launchPersistentContext(profileDir, {
        executablePath,
        headless: true,
        args: LAUNCH_ARGS,
        viewport: { width: 1280, height: 800 },
        deviceScaleFactor: 1,
        ignoreHTTPSErrors: false,
        timeout: 6e4
      });
      return new _Screenshotter(context, profileDir);
    } catch (err) {
      await rm2(profileDir, { recursive: true, force: true });
      throw err;
    }
  }
  async capture(req) {
    const started = Date.now();
    const page = await this.context.newPage();
    try {
      await page.setViewportSize({ width: req.width, height: req.height });
      if (req.header) await sendHeaderToOriginOnly(page, req.url, req.header);
      const response = await page.goto(req.url, { waitUntil: "load", timeout: req.timeoutMs });
      await settle(page, req);
      const png = await page.screenshot({
        type: "png",
        fullPage: req.fullPage ?? true,
        animations: "disabled",
        caret: "hide",
        timeout: req.timeoutMs
      });
      await mkdir3(dirname2(req.path), { recursive: true });
      await writeFile2(req.path, png);
      const { width, height } = pngInfo(png);
      return {
        url: req.url,
        finalUrl: page.url(),
        title: await page.title(),
        ...response ? { httpStatus: response.status() } : {},
        width,
        height,
        bytes: png.length,
        durationMs: Date.now() - started
      };
    } finally {
      await page.close().catch(() => {
      });
    }
  }
  async close() {
    try {
      await this.context.close();
    } finally {
      await rm2(this.profileDir, { recursive: true, force: true });
    }
  }
};
async function sendHeaderToOriginOnly(page, url, header) {
  const origin = new URL(url).origin;
  await page.route("**/*", async (route) => {
    const req = route.request();
    let sameOrigin = false;
    try {
      sameOrigin = new URL(req.url()).origin === origin;
    } catch {
      sameOrigin = false;
    }
    if (sameOrigin)
      await route.continue({ headers: { ...req.headers(), [header.name.toLowerCase()]: header.value } });
    else await route.continue();
  });
}
async function settle(page, req) {
  await page.waitForLoadState("networkidle", { timeout: req.timeoutMs }).catch(() => {
  });
  if (req.waitFor) await page.waitForSelector(req.waitFor, { state: "visible", timeout: req.timeoutMs });
  await page.evaluate(
    "document.fonts.ready.then(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))"
  );
}

// src/actions/evidence-archive/dashboards.ts
async function captureDashboards(o) {
  let shots;
  try {
    shots = await Screenshotter.launch({
      ...o.plan.browserPath ? { executablePath: o.plan.browserPath } : {},
      log: o.log
    });
  } catch (err) {
    const message = toError(err).message;
    o.problems.push(`dashboards not captured: ${message}`);
    return o.plan.dashboards.map((d) => ({ name: d.name, url: d.url, error: message }));
  }
  const out = [];
  try {
    for (const d of o.plan.dashboards) {
      const tmp = join4(o.stage.dir, `.capture-${d.name}.png`);
      try {
        const r = await shots.capture({
          url: d.url,
          path: tmp,
          width: d.width,
          height: d.height,
          fullPage: d.fullPage,
          timeoutMs: d.timeoutMs,
          ...d.waitFor ? { waitFor: d.waitFor } : {},
          ...d.sendAuth && o.plan.dashboardHeader ? { header: o.plan.dashboardHeader } : {}
        });
        const png = await readFile(tmp);
        const blank = looksBlank(pixelStats(decodePng(png)));
        const entry = await o.stage.addBytes(LAYOUT.screenshot(d.name), png, {
          kind: "screenshot",
          source: `dashboard:${d.url}`
        });
        if (blank)
          o.problems.push(
            `dashboard ${d.name} looks blank (one flat colour): check its URL, wait-for selector and auth`
          );
        if (r.httpStatus !== void 0 && r.httpStatus >= 400)
          o.problems.push(`dashboard ${d.name} answered HTTP ${r.httpStatus}`);
        o.log(
          `${d.name}: ${r.width}x${r.height} PNG, ${png.length} bytes in ${r.durationMs} ms${blank ? " (blank)" : ""}`
        );
        out.push({ name: d.name, url: d.url, entry, ...blank ? { blank } : {} });
      } catch (err) {
        const message = toError(err).message.split("\n")[0];
        o.problems.push(`dashboard ${d.name} not captured: ${message}`);
        o.log(`${d.name}: ${message}`);
        out.push({ name: d.name, url: d.url, error: message });
      } finally {
        await rm3(tmp, { force: true });
      }
    }
  } finally {
    await shots.close();
  }
  return out;
}

// src/lib/evidence/chart.ts
var PALETTE = [
  "#1f77b4",
  "#d62728",
  "#2ca02c",
  "#ff7f0e",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#17becf",
  "#7f7f7f",
  "#bcbd22"
];
var W = 960;
var PLOT_H = 300;
var M = { left: 80, right: 24, top: 58, bottom: 44 };
function renderLineChart(input) {
  const log3 = input.scale === "log";
  const drawn = input.series.map((s) => ({
    label: s.label,
    points: log3 ? s.points.map(([t, v]) => [
      t,
      v !== void 0 && v > 0 ? v : void 0
    ]) : s.points
  })).filter((s) => s.points.some(([, v]) => v !== void 0));
  const captionLines2 = (input.caption ?? []).flatMap((c) => wrap(c, 140));
  const legendRows = Math.ceil(drawn.length / 2);
  const H = M.top + PLOT_H + M.bottom + legendRows * 20 + captionLines2.length * 16 + 10;
  const plotW = W - M.left - M.right;
  const x0 = M.left;
  const y0 = M.top + PLOT_H;
  const span = Math.max(1, input.end - input.start);
  const sx = (t) => x0 + (t - input.start) / span * plotW;
  const values = drawn.flatMap((s) => s.points.map(([, v]) => v).filter((v) => v !== void 0));
  const axis = log3 ? logAxis(values) : linearAxis(values);
  const sy = (v) => y0 - axis.fraction(v) * PLOT_H;
  const yTicks = axis.ticks;
  const out = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`
  );
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(
    `<text x="${M.left}" y="22" font-size="16" font-weight="bold" fill="#111">${esc(input.title)}</text>`
  );
  if (input.subtitle)
    out.push(
      `<text x="${M.left}" y="40" font-size="11" fill="#555" font-family="monospace">${esc(clip(input.subtitle, 130))}</text>`
    );
  for (const t of yTicks) {
    const y = round2(sy(t));
    out.push(`<line x1="${x0}" y1="${y}" x2="${x0 + plotW}" y2="${y}" stroke="#e5e5e5"/>`);
    out.push(
      `<text x="${x0 - 8}" y="${y + 4}" text-anchor="end" fill="#333">${esc(formatValue(t, input.unit))}</text>`
    );
  }
  const xTicks = timeTicks(input.start, input.end);
  const withDate = input.end - input.start > 86400;
  for (const t of xTicks) {
    const x = round2(sx(t));
    out.push(`<line x1="${x}" y1="${M.top}" x2="${x}" y2="${y0}" stroke="#f0f0f0"/>`);
    out.push(`<line x1="${x}" y1="${y0}" x2="${x}" y2="${y0 + 5}" stroke="#333"/>`);
    out.push(
      `<text x="${x}" y="${y0 + 18}" text-anchor="middle" fill="#333">${esc(timeLabel(t, input.timeZone, withDate))}</text>`
    );
  }
  out.push(`<line x1="${x0}" y1="${y0}" x2="${x0 + plotW}" y2="${y0}" stroke="#333"/>`);
  out.push(`<line x1="${x0}" y1="${M.top}" x2="${x0}" y2="${y0}" stroke="#333"/>`);
  out.push(
    `<text x="${x0 + plotW}" y="${y0 + 34}" text-anchor="end" fill="#555">${esc(`${timeLabel(input.start, input.timeZone, true)} \u2013 ${timeLabel(input.end, input.timeZone, true)} (${input.timeZone}), step ${input.stepSeconds}s`)}</text>`
  );
  if (drawn.length === 0) {
    out.push(
      `<text x="${x0 + plotW / 2}" y="${M.top + PLOT_H / 2}" text-anchor="middle" font-size="16" fill="#888">no data in this window</text>`
    );
  }
  drawn.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    const segments = splitAtGaps(s.points, input.stepSeconds);
    for (const seg of segments) {
      if (seg.length === 1) {
        const [t, v] = seg[0];
        out.push(`<circle cx="${round2(sx(t))}" cy="${round2(sy(v))}" r="2.5" fill="${color}"/>`);
      } else {
        const d = seg.map(([t, v], j) => `${j === 0 ? "M" : "L"}${round2(sx(t))},${round2(sy(v))}`).join("");
        out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.6" stroke-linejoin="round"/>`);
      }
    }
  });
  const ly = y0 + M.bottom + 6;
  drawn.forEach((s, i) => {
    const col = i % 2;
    const row = Math.floor(i / 2);
    const lx = M.left + col * (plotW / 2);
    const y = ly + row * 20;
    out.push(`<rect x="${lx}" y="${y - 9}" width="14" height="4" fill="${PALETTE[i % PALETTE.length]}"/>`);
    out.push(`<text x="${lx + 20}" y="${y - 3}" fill="#222">${esc(clip(s.label, 56))}</text>`);
  });
  captionLines2.forEach((line, i) => {
    out.push(`<text x="${M.left}" y="${ly + legendRows * 20 + i * 16}" fill="#555">${esc(line)}</text>`);
  });
  out.push("</svg>");
  return `${out.join("\n")}
`;
}
function linearAxis(values) {
  let [lo, hi] = values.length ? extent(values) : [0, 1];
  if (lo > 0 && lo < hi * 0.5) lo = 0;
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const ticks = niceTicks(lo, hi, 5);
  const yMin = ticks[0];
  const yMax = ticks[ticks.length - 1];
  return { ticks, fraction: (v) => (v - yMin) / (yMax - yMin || 1) };
}
function logAxis(values) {
  const [min, max] = values.length ? extent(values) : [1, 10];
  const ticks = logTicks(min, max);
  const lo = Math.log10(ticks[0]);
  const hi = Math.log10(ticks[ticks.length - 1]);
  return { ticks, fraction: (v) => (Math.log10(v) - lo) / (hi - lo || 1) };
}
function extent(values) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}
function logTicks(lo, hi) {
  const first = Math.floor(Math.log10(lo));
  let last = Math.ceil(Math.log10(hi));
  if (last === first) last = first + 1;
  const every = Math.max(1, Math.ceil((last - first) / 8));
  const ticks = [];
  for (let e = first; e < last + every; e += every) ticks.push(Number(`1e${e}`));
  return ticks;
}
function wrap(text, width) {
  const lines = [];
  let cur = "";
  for (const word of text.split(" ")) {
    if (cur && cur.length + 1 + word.length > width) {
      lines.push(cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur) lines.push(cur);
  return lines;
}
function splitAtGaps(points, stepSeconds) {
  const out = [];
  let cur = [];
  let prevT;
  for (const [t, v] of points) {
    if (v === void 0 || prevT !== void 0 && t - prevT > stepSeconds * 1.5) {
      if (cur.length) out.push(cur);
      cur = [];
    }
    if (v !== void 0) cur.push([t, v]);
    prevT = v === void 0 ? void 0 : t;
  }
  if (cur.length) out.push(cur);
  return out;
}
function niceTicks(lo, hi, target) {
  const raw = (hi - lo) / Math.max(1, target);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? 10 * mag;
  const first = Math.floor(lo / step) * step;
  const ticks = [];
  for (let v = first; v < hi + step * 0.999; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks.length < 2) ticks.push(Number((first + step).toPrecision(12)));
  return ticks;
}
var TIME_STEPS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];
function timeTicks(start, end) {
  const span = end - start;
  const step = TIME_STEPS.find((s) => span / s <= 7) ?? TIME_STEPS[TIME_STEPS.length - 1];
  const ticks = [];
  for (let t = Math.ceil(start / step) * step; t <= end; t += step) ticks.push(t);
  return ticks;
}
function timeLabel(unixSeconds, timeZone, withDate) {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    hour12: false,
    hour: "2-digit",
    minute: "2-digit",
    ...withDate ? { year: "numeric", month: "2-digit", day: "2-digit" } : {}
  }).formatToParts(new Date(unixSeconds * 1e3));
  const get = (t) => parts.find((p) => p.type === t)?.value ?? "";
  const hm = `${get("hour") === "24" ? "00" : get("hour")}:${get("minute")}`;
  return withDate ? `${get("year")}-${get("month")}-${get("day")} ${hm}` : hm;
}
function round2(n) {
  return Math.round(n * 10) / 10;
}
function clip(s, max) {
  return s.length > max ? `${s.slice(0, max - 1)}\u2026` : s;
}
function esc(s) {
  return s.replace(/[\x00-\x08\x0B\x0C\x0E-\x1F]/g, "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]
  );
}

// src/lib/evidence/chart-rules/counter.ts
var COUNTER_SUFFIXES = ["_total", "_count", "_sum", "_bucket"];
function counterEvidence(metric, points) {
  const name = metric.__name__;
  if (name === void 0) return void 0;
  if (COUNTER_SUFFIXES.some((s) => name.endsWith(s))) return "name";
  return isMonotonicWithResets(points) ? "shape" : void 0;
}
function isMonotonicWithResets(points) {
  const values = points.map(([, v]) => v).filter((v) => v !== void 0);
  if (values.length < 3 || values.some((v) => v < 0)) return false;
  let rises = 0;
  let resets = 0;
  for (let i = 1; i < values.length; i++) {
    const prev = values[i - 1];
    const cur = values[i];
    if (cur > prev) rises++;
    else if (cur < prev) {
      if (cur >= prev / 2) return false;
      resets++;
    }
  }
  return rises > 0 && resets <= Math.max(1, Math.floor((values.length - 1) / 10));
}
function counterRate(points) {
  const out = [];
  let resets = 0;
  let prev;
  for (const [t, v] of points) {
    if (v === void 0) {
      out.push([t, void 0]);
      continue;
    }
    if (prev === void 0 || t <= prev[0]) out.push([t, void 0]);
    else {
      const reset = v < prev[1];
      if (reset) resets++;
      out.push([t, (reset ? v : v - prev[1]) / (t - prev[0])]);
    }
    prev = [t, v];
  }
  return { points: out, resets };
}

// src/lib/evidence/chart-rules/histogram.ts
function bucketQuantile(q, input) {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  if (input.length === 0) return NaN;
  const sorted = [...input].sort((a, b2) => a.upperBound - b2.upperBound);
  if (sorted[sorted.length - 1].upperBound !== Infinity) return NaN;
  const buckets = monotonic(coalesce(sorted));
  if (buckets.length < 2) return NaN;
  const observations = buckets[buckets.length - 1].count;
  if (observations === 0) return NaN;
  let rank = q * observations;
  let b = buckets.length - 1;
  for (let i = 0; i < buckets.length - 1; i++)
    if (buckets[i].count >= rank) {
      b = i;
      break;
    }
  if (b === buckets.length - 1) return buckets[buckets.length - 2].upperBound;
  if (b === 0 && buckets[0].upperBound <= 0) return buckets[0].upperBound;
  let bucketStart = 0;
  const bucketEnd = buckets[b].upperBound;
  let count = buckets[b].count;
  if (b > 0) {
    bucketStart = buckets[b - 1].upperBound;
    count -= buckets[b - 1].count;
    rank -= buckets[b - 1].count;
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}
function coalesce(sorted) {
  const out = [];
  for (const b of sorted) {
    const last = out[out.length - 1];
    if (last && last.upperBound === b.upperBound) last.count += b.count;
    else out.push({ ...b });
  }
  return out;
}
function monotonic(buckets) {
  let max = -Infinity;
  for (const b of buckets) {
    if (b.count > max) max = b.count;
    else if (b.count < max) b.count = max;
  }
  return buckets;
}
function parseLe(le) {
  const s = le.trim();
  if (/^[+]?inf(inity)?$/i.test(s)) return Infinity;
  if (/^-inf(inity)?$/i.test(s)) return -Infinity;
  if (s === "" || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return void 0;
  return Number(s);
}
function isBucketSeries(metric) {
  return (metric.__name__?.endsWith("_bucket") ?? false) && metric.le !== void 0 && parseLe(metric.le) !== void 0;
}
function groupHistograms(series) {
  const groups = /* @__PURE__ */ new Map();
  const rest = [];
  for (const s of series) {
    if (!isBucketSeries(s.metric)) {
      rest.push(s);
      continue;
    }
    const { le, ...labels } = s.metric;
    labels.__name__ = labels.__name__.slice(0, -"_bucket".length);
    const key2 = JSON.stringify(Object.entries(labels).sort(([a], [b]) => a < b ? -1 : 1));
    let g = groups.get(key2);
    if (!g) groups.set(key2, g = { metric: labels, buckets: [] });
    g.buckets.push({ upperBound: parseLe(le), points: s.points });
  }
  return { histograms: [...groups.values()], rest };
}
function histogramQuantiles(h, quantiles) {
  const rates = h.buckets.map((b) => ({
    upperBound: b.upperBound,
    byTime: new Map(counterRate(b.points).points)
  }));
  const times = [...new Set(h.buckets.flatMap((b) => b.points.map(([t]) => t)))].sort((a, b) => a - b);
  const perTime = times.map((t) => {
    const buckets = [];
    for (const r of rates) {
      const v = r.byTime.get(t);
      if (v !== void 0) buckets.push({ upperBound: r.upperBound, count: v });
    }
    return [t, buckets];
  });
  return quantiles.map((q) => ({
    quantile: q,
    points: perTime.map(([t, buckets]) => {
      const v = bucketQuantile(q, buckets);
      return [t, Number.isFinite(v) ? v : void 0];
    })
  }));
}

// src/lib/evidence/chart-rules/legend.ts
function legendLabels(metrics) {
  const names = [...new Set(metrics.flatMap((m) => Object.keys(m)))].sort();
  const differing = [];
  const common = {};
  for (const n of names) {
    const first = metrics[0][n];
    if (metrics.length > 1 && metrics.some((m) => m[n] !== first)) differing.push(n);
    else if (first !== void 0) common[n] = first;
  }
  return { differing, common };
}
function legendEntry(metric, differing, fallback) {
  const showName = differing.includes("__name__");
  const labels = differing.filter((n) => n !== "__name__" && metric[n]).map((n) => `${n}="${metric[n]}"`);
  const name = showName ? metric.__name__ ?? "" : "";
  if (labels.length === 0) return name || metric.__name__ || fallback;
  return `${name}{${labels.join(", ")}}`;
}
function formatLabels(labels) {
  return Object.entries(labels).map(([k, v]) => k === "__name__" ? v : `${k}="${v}"`).join(", ");
}

// src/lib/evidence/chart-rules/points.ts
function peakOf(points) {
  let m;
  for (const [, v] of points) if (v !== void 0 && (m === void 0 || v > m)) m = v;
  return m;
}
function lastOf(points) {
  for (let i = points.length - 1; i >= 0; i--) {
    const v = points[i][1];
    if (v !== void 0) return v;
  }
  return void 0;
}

// src/lib/evidence/chart-rules/scale.ts
var LOG_DECADES = 3;
function chooseScale(values, mode) {
  let minPositive = Infinity;
  let maxPositive = -Infinity;
  let nonPositive = 0;
  let negative = 0;
  for (const v of values) {
    if (v > 0) {
      if (v < minPositive) minPositive = v;
      if (v > maxPositive) maxPositive = v;
    } else {
      nonPositive++;
      if (v < 0) negative++;
    }
  }
  const span = maxPositive > 0 ? { minPositive, maxPositive, decades: Math.log10(maxPositive / minPositive) } : {};
  const linear = (reason) => ({ scale: "linear", mode, ...span, notDrawn: 0, reason });
  const log3 = (reason) => ({
    scale: "log",
    mode,
    ...span,
    notDrawn: nonPositive,
    reason
  });
  if (mode === "linear") return linear("set by the query");
  if (mode === "log")
    return span.decades === void 0 ? linear("log asked for, but no value is above zero") : log3("set by the query");
  if (span.decades === void 0) return linear("no value above zero");
  if (span.decades <= LOG_DECADES) return linear(`values span at most ${LOG_DECADES} orders of magnitude`);
  if (negative > 0)
    return linear(`values span more than ${LOG_DECADES} orders of magnitude, but some are negative`);
  return log3(`values span more than ${LOG_DECADES} orders of magnitude`);
}

// src/lib/evidence/chart-rules/select.ts
function selectSeries(series, max, by, key2) {
  const ranked = [];
  let withoutData = 0;
  for (const s of series) {
    const value = by === "peak" ? peakOf(s.points) : lastOf(s.points);
    if (value === void 0) withoutData++;
    else ranked.push({ s, value, key: key2(s) });
  }
  ranked.sort((a, b) => b.value - a.value || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const drawn = ranked.slice(0, max).map((r) => r.s);
  const rest = ranked.slice(max).map((r) => r.value);
  if (rest.length === 0) return { drawn, withoutData };
  return {
    drawn,
    others: { count: rest.length, by, min: rest[rest.length - 1], median: median(rest), max: rest[0] },
    withoutData
  };
}
function median(descending) {
  const n = descending.length;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? descending[mid] : (descending[mid - 1] + descending[mid]) / 2;
}

// src/lib/evidence/chart-plan.ts
function planChart(result, options, ctx) {
  const raw = result.map((s) => ({
    metric: s.metric,
    points: s.values.map(([t, v]) => [t, toNumber(v)])
  }));
  const { histograms, rest } = options.quantiles.length ? groupHistograms(raw) : { histograms: [], rest: raw };
  const quantiles = histograms.flatMap(
    (h) => histogramQuantiles(h, options.quantiles).map((q) => ({ ...q, metric: h.metric, asRate: false }))
  );
  let resets = 0;
  const others = rest.map((s) => {
    const evidence = options.asRate === "auto" ? counterEvidence(s.metric, s.points) : options.asRate ? "forced" : void 0;
    if (!evidence) return { ...s, asRate: false };
    const r = counterRate(s.points);
    resets += r.resets;
    return { metric: s.metric, points: r.points, asRate: true, evidence };
  });
  const selection = selectSeries([...quantiles, ...others], options.maxSeries, options.select, candidateKey);
  const legend = legendLabels(selection.drawn.map(withQuantile));
  const mixedRates = selection.drawn.some((c) => c.asRate) && selection.drawn.some((c) => !c.asRate) ? " (rate)" : "";
  const labelOf = (c) => legendLabel(c, legend.differing, ctx.name) + (c.asRate ? mixedRates : "");
  const scale = chooseScale(
    selection.drawn.flatMap((c) => c.points.map(([, v]) => v).filter((v) => v !== void 0)),
    options.scale
  );
  const allRates = selection.drawn.length > 0 && selection.drawn.every((c) => c.asRate);
  const unit = allRates ? `${ctx.unit ?? ""}/s` : ctx.unit;
  const rated = others.filter((c) => c.asRate);
  const rate = rated.length ? {
    series: rated.length,
    byName: rated.filter((c) => c.evidence === "name").length,
    byShape: rated.filter((c) => c.evidence === "shape").length,
    forced: rated.filter((c) => c.evidence === "forced").length,
    resets
  } : void 0;
  const histogramInfo = histograms.length ? {
    count: histograms.length,
    buckets: histograms.reduce((n, h) => n + h.buckets.length, 0),
    quantiles: options.quantiles
  } : void 0;
  const drawn = selection.drawn.map((c) => {
    const peak = peakOf(c.points);
    const last = lastOf(c.points);
    return {
      legend: labelOf(c),
      labels: c.metric,
      ...peak !== void 0 ? { peak } : {},
      ...last !== void 0 ? { last } : {},
      asRate: c.asRate,
      ...c.quantile !== void 0 ? { quantile: c.quantile } : {}
    };
  });
  const caption = captionLines({
    options,
    total: quantiles.length + others.length,
    returned: result.length,
    selection,
    legend,
    scale,
    unit,
    stepSeconds: ctx.stepSeconds,
    ...rate ? { rate } : {},
    ...histogramInfo ? { histograms: histogramInfo } : {}
  });
  return {
    series: selection.drawn.map((c, i) => ({ label: drawn[i].legend, points: c.points })),
    scale: scale.scale,
    ...unit !== void 0 ? { unit } : {},
    summary: {
      options,
      seriesReturned: result.length,
      drawn,
      ...selection.others ? { others: selection.others } : {},
      withoutData: selection.withoutData,
      legend,
      scale,
      ...unit !== void 0 ? { unit } : {},
      ...rate ? { rate } : {},
      ...histogramInfo ? { histograms: histogramInfo } : {},
      caption
    }
  };
}
function quantileName(q) {
  return `p${Number((q * 100).toPrecision(6))}`;
}
function withQuantile(c) {
  return c.quantile === void 0 ? c.metric : { ...c.metric, quantile: String(c.quantile) };
}
function candidateKey(c) {
  return JSON.stringify(Object.entries(withQuantile(c)).sort(([a], [b]) => a < b ? -1 : 1));
}
function legendLabel(c, differing, fallback) {
  const labels = differing.filter((n) => n !== "quantile");
  const q = c.quantile !== void 0 && differing.includes("quantile") ? quantileName(c.quantile) : "";
  if (q && labels.length === 0) return q;
  return `${q} ${legendEntry(c.metric, labels, fallback)}`.trim();
}
function captionLines(f) {
  const out = [];
  if (f.histograms) out.push(histogramLine(f.histograms));
  if (f.rate) out.push(rateLine(f.rate, f.stepSeconds, f.options.asRate));
  const selection = selectionLine(f);
  if (selection) out.push(selection);
  const legend = legendLine(f.legend, f.selection.drawn.length);
  if (legend) out.push(legend);
  if (f.selection.drawn.length) out.push(scaleLine(f.scale, f.unit));
  return out;
}
function histogramLine(h) {
  return `Histograms: ${h.buckets} _bucket series of ${h.count} histogram(s) drawn as ${h.quantiles.map(quantileName).join(", ")}, computed as histogram_quantile does (linear interpolation within the bucket) from each step's bucket rates (quantiles).`;
}
function rateLine(r, step, asRate) {
  const why = [
    r.byName ? `${r.byName} by name (_total, _count, _sum, _bucket)` : "",
    r.byShape ? `${r.byShape} by shape (never falling except at resets)` : "",
    r.forced ? `${r.forced} because the query says so` : ""
  ].filter(Boolean);
  const resets = r.resets ? `; ${r.resets} counter reset(s) counted from zero` : "";
  return `Drawn as rate: ${r.series} counter series (${why.join(", ")}) shown as the per-second increase over each ${step}s step${resets} (as-rate: ${String(asRate)}).`;
}
function selectionLine(f) {
  const { drawn, others, withoutData } = f.selection;
  const noData = withoutData ? ` ${withoutData} series had no value in the window.` : "";
  if (!others) return noData ? noData.trim() : void 0;
  const by = others.by === "peak" ? "peak" : "last value";
  const v = (x) => formatValue(x, f.unit);
  const returned = f.total !== f.returned ? ` (${f.returned} returned, histograms counted as their quantiles)` : "";
  return `Drawn: the ${drawn.length} of ${f.total} series${returned} with the highest ${by} (max-series: ${f.options.maxSeries}, select: ${others.by}); the other ${others.count} not drawn have a ${by} from ${v(others.min)} to ${v(others.max)}, median ${v(others.median)}; every series is in the JSON snapshot.${noData}`;
}
function legendLine(legend, drawn) {
  const common = formatLabels(
    Object.fromEntries(Object.entries(legend.common).filter(([k]) => k !== "quantile"))
  );
  if (drawn === 0 || !common) return void 0;
  const shown = common.length > 300 ? `${common.slice(0, 299)}\u2026` : common;
  if (drawn === 1) return `Legend: the series' labels are ${shown}.`;
  return `Legend: only the labels that differ between the series (${legend.differing.join(", ")}); common to all: ${shown}.`;
}
function scaleLine(s, unit) {
  const v = (x) => formatValue(x, unit);
  if (s.scale === "log") {
    const notDrawn = s.notDrawn ? `; ${s.notDrawn} value(s) at or below zero are not drawn` : "";
    return `Log scale: the values above zero span ${s.decades.toFixed(1)} orders of magnitude (${v(s.minPositive)} to ${v(s.maxPositive)})${notDrawn} (scale: ${s.mode}).`;
  }
  return `Linear scale: ${s.reason} (scale: ${s.mode}).`;
}

// src/lib/prometheus/client.ts
var PrometheusError = class extends Error {
  constructor(message, errorType, httpStatus) {
    super(message);
    this.errorType = errorType;
    this.httpStatus = httpStatus;
  }
  errorType;
  httpStatus;
  name = "PrometheusError";
};
var PrometheusClient = class {
  constructor(opts) {
    this.opts = opts;
    this.base = opts.url.replace(/\/+$/, "");
  }
  opts;
  base;
  /** A range query. `start`/`end` are Dates; `stepSeconds` the resolution. */
  async queryRange(query, start, end, stepSeconds) {
    const data = await this.call("/api/v1/query_range", {
      query,
      start: (start.getTime() / 1e3).toFixed(3),
      end: (end.getTime() / 1e3).toFixed(3),
      step: String(stepSeconds)
    });
    if (data.data.resultType !== "matrix")
      throw new PrometheusError(`query_range returned a ${String(data.data.resultType)}, expected a matrix`);
    return {
      resultType: "matrix",
      result: data.data.result,
      ...data.warnings?.length ? { warnings: data.warnings } : {}
    };
  }
  async query(query, time) {
    const params = { query };
    if (time) params.time = (time.getTime() / 1e3).toFixed(3);
    const data = await this.call("/api/v1/query", params);
    if (data.data.resultType !== "vector")
      throw new PrometheusError(`query returned a ${data.data.resultType}, expected a vector`);
    return data.data.result;
  }
  async call(path, params) {
    const url = `${this.base}${path}`;
    let res;
    try {
      res = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
          ...this.opts.headers
        },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 3e4)
      });
    } catch (err) {
      const cause = err.cause;
      const why = err instanceof Error && err.name === "TimeoutError" ? `no answer within ${this.opts.timeoutMs ?? 3e4} ms` : cause?.code ?? cause?.message ?? String(err);
      throw new PrometheusError(`Prometheus at ${this.base} is unreachable (${why})`);
    }
    const text = await res.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      throw new PrometheusError(
        `Prometheus at ${this.base} answered HTTP ${res.status} with something that is not its API's JSON: ${text.slice(0, 200)}`,
        void 0,
        res.status
      );
    }
    if (body.status !== "success" || body.data === void 0) {
      throw new PrometheusError(
        `Prometheus rejected the query (${body.errorType ?? `HTTP ${res.status}`}): ${body.error ?? "no error message"}`,
        body.errorType,
        res.status
      );
    }
    return { data: body.data, ...body.warnings ? { warnings: body.warnings } : {} };
  }
};

// src/actions/evidence-archive/snapshots.ts
var CONCURRENCY = 4;
async function snapshotMetrics(o) {
  const prom = o.plan.prometheus;
  const client = new PrometheusClient({
    url: prom.url,
    ...prom.header ? { headers: { [prom.header.name]: prom.header.value } } : {},
    timeoutMs: 6e4
  });
  const queries = o.plan.queries;
  const answers = new Array(queries.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, queries.length) }, async () => {
      while (next < queries.length) {
        const i = next++;
        const q = queries[i];
        const start = new Date(o.end.getTime() - q.rangeMs);
        try {
          answers[i] = { result: await client.queryRange(q.query, start, o.end, stepFor(q)) };
        } catch (err) {
          answers[i] = { error: toError(err).message };
        }
      }
    })
  );
  const out = [];
  for (const [i, q] of queries.entries()) {
    const a = answers[i];
    const step = stepFor(q);
    const start = new Date(o.end.getTime() - q.rangeMs);
    const series = a.result?.result ?? [];
    const plan = a.error ? void 0 : planChart(series, q.chart ?? DEFAULT_CHART_OPTIONS, {
      name: q.name,
      stepSeconds: step,
      ...q.unit ? { unit: q.unit } : {}
    });
    const snapshot = {
      schemaVersion: 1,
      name: q.name,
      ...meta(q),
      query: q.query,
      prometheus: prom.url,
      start: start.toISOString(),
      end: o.end.toISOString(),
      stepSeconds: step,
      capturedAt: (/* @__PURE__ */ new Date()).toISOString(),
      result: series,
      ...a.result?.warnings ? { warnings: a.result.warnings } : {},
      ...a.error ? { error: a.error } : {},
      stats: seriesStats(series, q.name),
      ...plan ? { chart: plan.summary } : {}
    };
    const source = `prometheus:${q.name}`;
    const json = await o.stage.addText(LAYOUT.metric(q.name), `${JSON.stringify(snapshot, null, 2)}
`, {
      kind: "metric",
      source,
      capturedAt: o.end
    });
    let chart;
    if (plan) {
      chart = await o.stage.addText(
        LAYOUT.chart(q.name),
        renderLineChart({
          title: q.panel ?? q.name,
          subtitle: q.query,
          ...plan.unit ? { unit: plan.unit } : {},
          timeZone: o.plan.timeZone,
          start: start.getTime() / 1e3,
          end: o.end.getTime() / 1e3,
          stepSeconds: step,
          series: plan.series,
          scale: plan.scale,
          caption: plan.summary.caption
        }),
        { kind: "chart", source, capturedAt: o.end }
      );
      o.log(
        `${q.name}: ${series.length} series, ${series.reduce((n, s) => n + s.values.length, 0)} samples, ${plan.series.length} drawn (${plan.scale})`
      );
    } else {
      o.problems.push(`metric ${q.name} not captured: ${a.error}`);
      o.log(`${q.name}: ${a.error}`);
    }
    out.push({
      name: q.name,
      ...meta(q),
      stats: snapshot.stats,
      ...a.error ? { error: a.error } : {},
      json,
      ...chart ? { chart } : {},
      ...plan?.summary.caption.length ? { caption: plan.summary.caption } : {}
    });
  }
  return out;
}
function meta(q) {
  return {
    ...q.panel ? { panel: q.panel } : {},
    ...q.squad ? { squad: q.squad } : {},
    ...q.unit ? { unit: q.unit } : {}
  };
}

// src/actions/evidence-archive/step-files.ts
import { readFile as readFile2 } from "node:fs/promises";

// src/lib/evidence/collect.ts
import { readdir as readdir2, realpath as realpath2, stat as stat2 } from "node:fs/promises";
import { relative as relative3, resolve as resolve3, sep as sep3 } from "node:path";

// src/lib/real-path.ts
import { isAbsolute, relative, sep } from "node:path";
function isInside(root, path) {
  const rel = relative(root, path);
  return rel === "" || rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

// node_modules/tinyglobby/dist/index.mjs
import { readdir, readdirSync, realpath, realpathSync, stat, statSync } from "fs";
import { isAbsolute as isAbsolute2, posix as posix2, resolve as resolve2 } from "path";
import { fileURLToPath } from "url";

// node_modules/fdir/dist/index.mjs
import { createRequire as createRequire2 } from "module";
import { basename, dirname as dirname3, normalize, relative as relative2, resolve, sep as sep2 } from "path";
import * as nativeFs from "fs";
var __require = /* @__PURE__ */ createRequire2(import.meta.url);
function cleanPath(path) {
  let normalized = normalize(path);
  if (normalized.length > 1 && normalized[normalized.length - 1] === sep2) normalized = normalized.substring(0, normalized.length - 1);
  return normalized;
}
var SLASHES_REGEX = /[\\/]/g;
function convertSlashes(path, separator) {
  return path.replace(SLASHES_REGEX, separator);
}
var WINDOWS_ROOT_DIR_REGEX = /^[a-z]:[\\/]$/i;
function isRootDirectory(path) {
  return path === "/" || WINDOWS_ROOT_DIR_REGEX.test(path);
}
function normalizePath(path, options) {
  const { resolvePaths, normalizePath: normalizePath$1, pathSeparator } = options;
  const pathNeedsCleaning = process.platform === "win32" && path.includes("/") || path.startsWith(".");
  if (resolvePaths) path = resolve(path);
  if (normalizePath$1 || pathNeedsCleaning) path = cleanPath(path);
  if (path === ".") return "";
  const needsSeperator = path[path.length - 1] !== pathSeparator;
  return convertSlashes(needsSeperator ? path + pathSeparator : path, pathSeparator);
}
function joinPathWithBasePath(filename, directoryPath) {
  return directoryPath + filename;
}
function joinPathWithRelativePath(root, options) {
  return function(filename, directoryPath) {
    const sameRoot = directoryPath.startsWith(root);
    if (sameRoot) return directoryPath.slice(root.length) + filename;
    else return convertSlashes(relative2(root, directoryPath), options.pathSeparator) + options.pathSeparator + filename;
  };
}
function joinPath(filename) {
  return filename;
}
function joinDirectoryPath(filename, directoryPath, separator) {
  return directoryPath + filename + separator;
}
function build$7(root, options) {
  const { relativePaths, includeBasePath } = options;
  return relativePaths && root ? joinPathWithRelativePath(root, options) : includeBasePath ? joinPathWithBasePath : joinPath;
}
function pushDirectoryWithRelativePath(root) {
  return function(directoryPath, paths) {
    paths.push(directoryPath.substring(root.length) || ".");
  };
}
function pushDirectoryFilterWithRelativePath(root) {
  return function(directoryPath, paths, filters) {
    const relativePath = directoryPath.substring(root.length) || ".";
    if (filters.every((filter) => filter(relativePath, true))) paths.push(relativePath);
  };
}
var pushDirectory = (directoryPath, paths) => {
  paths.push(directoryPath || ".");
};
var pushDirectoryFilter = (directoryPath, paths, filters) => {
  const path = directoryPath || ".";
  if (filters.every((filter) => filter(path, true))) paths.push(path);
};
var empty$2 = () => {
};
function build$6(root, options) {
  const { includeDirs, filters, relativePaths } = options;
  if (!includeDirs) return empty$2;
  if (relativePaths) return filters && filters.length ? pushDirectoryFilterWithRelativePath(root) : pushDirectoryWithRelativePath(root);
  return filters && filters.length ? pushDirectoryFilter : pushDirectory;
}
var pushFileFilterAndCount = (filename, _paths, counts, filters) => {
  if (filters.every((filter) => filter(filename, false))) counts.files++;
};
var pushFileFilter = (filename, paths, _counts, filters) => {
  if (filters.every((filter) => filter(filename, false))) paths.push(filename);
};
var pushFileCount = (_filename, _paths, counts, _filters) => {
  counts.files++;
};
var pushFile = (filename, paths) => {
  paths.push(filename);
};
var empty$1 = () => {
};
function build$5(options) {
  const { excludeFiles, filters, onlyCounts } = options;
  if (excludeFiles) return empty$1;
  if (filters && filters.length) return onlyCounts ? pushFileFilterAndCount : pushFileFilter;
  else if (onlyCounts) return pushFileCount;
  else return pushFile;
}
var getArray = (paths) => {
  return paths;
};
var getArrayGroup = () => {
  return [""].slice(0, 0);
};
function build$4(options) {
  return options.group ? getArrayGroup : getArray;
}
var groupFiles = (groups, directory, files) => {
  groups.push({
    directory,
    files,
    dir: directory
  });
};
var empty = () => {
};
function build$3(options) {
  return options.group ? groupFiles : empty;
}
var resolveSymlinksAsync = function(path, state, callback$1) {
  const { queue, fs, options: { suppressErrors } } = state;
  queue.enqueue();
  fs.realpath(path, (error, resolvedPath) => {
    if (error) return queue.dequeue(suppressErrors ? null : error, state);
    fs.stat(resolvedPath, (error$1, stat3) => {
      if (error$1) return queue.dequeue(suppressErrors ? null : error$1, state);
      if (stat3.isDirectory() && isRecursive(path, resolvedPath, state)) return queue.dequeue(null, state);
      callback$1(stat3, resolvedPath);
      queue.dequeue(null, state);
    });
  });
};
var resolveSymlinks = function(path, state, callback$1) {
  const { queue, fs, options: { suppressErrors } } = state;
  queue.enqueue();
  try {
    const resolvedPath = fs.realpathSync(path);
    const stat3 = fs.statSync(resolvedPath);
    if (stat3.isDirectory() && isRecursive(path, resolvedPath, state)) return;
    callback$1(stat3, resolvedPath);
  } catch (e) {
    if (!suppressErrors) throw e;
  }
};
function build$2(options, isSynchronous) {
  if (!options.resolveSymlinks || options.excludeSymlinks) return null;
  return isSynchronous ? resolveSymlinks : resolveSymlinksAsync;
}
function isRecursive(path, resolved, state) {
  if (state.options.useRealPaths) return isRecursiveUsingRealPaths(resolved, state);
  let parent = dirname3(path);
  let depth = 1;
  while (parent !== state.root && depth < 2) {
    const resolvedPath = state.symlinks.get(parent);
    const isSameRoot = !!resolvedPath && (resolvedPath === resolved || resolvedPath.startsWith(resolved) || resolved.startsWith(resolvedPath));
    if (isSameRoot) depth++;
    else parent = dirname3(parent);
  }
  state.symlinks.set(path, resolved);
  return depth > 1;
}
function isRecursiveUsingRealPaths(resolved, state) {
  return state.visited.includes(resolved + state.options.pathSeparator);
}
var onlyCountsSync = (state) => {
  return state.counts;
};
var groupsSync = (state) => {
  return state.groups;
};
var defaultSync = (state) => {
  return state.paths;
};
var limitFilesSync = (state) => {
  return state.paths.slice(0, state.options.maxFiles);
};
var onlyCountsAsync = (state, error, callback$1) => {
  report(error, callback$1, state.counts, state.options.suppressErrors);
  return null;
};
var defaultAsync = (state, error, callback$1) => {
  report(error, callback$1, state.paths, state.options.suppressErrors);
  return null;
};
var limitFilesAsync = (state, error, callback$1) => {
  report(error, callback$1, state.paths.slice(0, state.options.maxFiles), state.options.suppressErrors);
  return null;
};
var groupsAsync = (state, error, callback$1) => {
  report(error, callback$1, state.groups, state.options.suppressErrors);
  return null;
};
function report(error, callback$1, output, suppressErrors) {
  if (error && !suppressErrors) callback$1(error, output);
  else callback$1(null, output);
}
function build$1(options, isSynchronous) {
  const { onlyCounts, group: group2, maxFiles } = options;
  if (onlyCounts) return isSynchronous ? onlyCountsSync : onlyCountsAsync;
  else if (group2) return isSynchronous ? groupsSync : groupsAsync;
  else if (maxFiles) return isSynchronous ? limitFilesSync : limitFilesAsync;
  else return isSynchronous ? defaultSync : defaultAsync;
}
var readdirOpts = { withFileTypes: true };
var walkAsync = (state, crawlPath, directoryPath, currentDepth, callback$1) => {
  state.queue.enqueue();
  if (currentDepth < 0) return state.queue.dequeue(null, state);
  const { fs } = state;
  state.visited.push(crawlPath);
  state.counts.directories++;
  fs.readdir(crawlPath || ".", readdirOpts, (error, entries = []) => {
    callback$1(entries, directoryPath, currentDepth);
    state.queue.dequeue(state.options.suppressErrors ? null : error, state);
  });
};
var walkSync = (state, crawlPath, directoryPath, currentDepth, callback$1) => {
  const { fs } = state;
  if (currentDepth < 0) return;
  state.visited.push(crawlPath);
  state.counts.directories++;
  let entries = [];
  try {
    entries = fs.readdirSync(crawlPath || ".", readdirOpts);
  } catch (e) {
    if (!state.options.suppressErrors) throw e;
  }
  callback$1(entries, directoryPath, currentDepth);
};
function build(isSynchronous) {
  return isSynchronous ? walkSync : walkAsync;
}
var Queue = class {
  count = 0;
  constructor(onQueueEmpty) {
    this.onQueueEmpty = onQueueEmpty;
  }
  enqueue() {
    this.count++;
    return this.count;
  }
  dequeue(error, output) {
    if (this.onQueueEmpty && (--this.count <= 0 || error)) {
      this.onQueueEmpty(error, output);
      if (error) {
        output.controller.abort();
        this.onQueueEmpty = void 0;
      }
    }
  }
};
var Counter = class {
  _files = 0;
  _directories = 0;
  set files(num2) {
    this._files = num2;
  }
  get files() {
    return this._files;
  }
  set directories(num2) {
    this._directories = num2;
  }
  get directories() {
    return this._directories;
  }
  /**
  * @deprecated use `directories` instead
  */
  /* c8 ignore next 3 */
  get dirs() {
    return this._directories;
  }
};
var Aborter = class {
  aborted = false;
  abort() {
    this.aborted = true;
  }
};
var Walker = class {
  root;
  isSynchronous;
  state;
  joinPath;
  pushDirectory;
  pushFile;
  getArray;
  groupFiles;
  resolveSymlink;
  walkDirectory;
  callbackInvoker;
  constructor(root, options, callback$1) {
    this.isSynchronous = !callback$1;
    this.callbackInvoker = build$1(options, this.isSynchronous);
    this.root = normalizePath(root, options);
    this.state = {
      root: isRootDirectory(this.root) ? this.root : this.root.slice(0, -1),
      paths: [""].slice(0, 0),
      groups: [],
      counts: new Counter(),
      options,
      queue: new Queue((error, state) => this.callbackInvoker(state, error, callback$1)),
      symlinks: /* @__PURE__ */ new Map(),
      visited: [""].slice(0, 0),
      controller: new Aborter(),
      fs: options.fs || nativeFs
    };
    this.joinPath = build$7(this.root, options);
    this.pushDirectory = build$6(this.root, options);
    this.pushFile = build$5(options);
    this.getArray = build$4(options);
    this.groupFiles = build$3(options);
    this.resolveSymlink = build$2(options, this.isSynchronous);
    this.walkDirectory = build(this.isSynchronous);
  }
  start() {
    this.pushDirectory(this.root, this.state.paths, this.state.options.filters);
    this.walkDirectory(this.state, this.root, this.root, this.state.options.maxDepth, this.walk);
    return this.isSynchronous ? this.callbackInvoker(this.state, null) : null;
  }
  walk = (entries, directoryPath, depth) => {
    const { paths, options: { filters, resolveSymlinks: resolveSymlinks$1, excludeSymlinks, exclude, maxFiles, signal, useRealPaths, pathSeparator }, controller } = this.state;
    if (controller.aborted || signal && signal.aborted || maxFiles && paths.length > maxFiles) return;
    const files = this.getArray(this.state.paths);
    for (let i = 0; i < entries.length; ++i) {
      const entry = entries[i];
      if (entry.isFile() || entry.isSymbolicLink() && !resolveSymlinks$1 && !excludeSymlinks) {
        const filename = this.joinPath(entry.name, directoryPath);
        this.pushFile(filename, files, this.state.counts, filters);
      } else if (entry.isDirectory()) {
        let path = joinDirectoryPath(entry.name, directoryPath, this.state.options.pathSeparator);
        if (exclude && exclude(entry.name, path)) continue;
        this.pushDirectory(path, paths, filters);
        this.walkDirectory(this.state, path, path, depth - 1, this.walk);
      } else if (this.resolveSymlink && entry.isSymbolicLink()) {
        let path = joinPathWithBasePath(entry.name, directoryPath);
        this.resolveSymlink(path, this.state, (stat3, resolvedPath) => {
          if (stat3.isDirectory()) {
            resolvedPath = normalizePath(resolvedPath, this.state.options);
            if (exclude && exclude(entry.name, useRealPaths ? resolvedPath : path + pathSeparator)) return;
            this.walkDirectory(this.state, resolvedPath, useRealPaths ? resolvedPath : path + pathSeparator, depth - 1, this.walk);
          } else {
            resolvedPath = useRealPaths ? resolvedPath : path;
            const filename = basename(resolvedPath);
            const directoryPath$1 = normalizePath(dirname3(resolvedPath), this.state.options);
            resolvedPath = this.joinPath(filename, directoryPath$1);
            this.pushFile(resolvedPath, files, this.state.counts, filters);
          }
        });
      }
    }
    this.groupFiles(this.state.groups, directoryPath, files);
  };
};
function promise(root, options) {
  return new Promise((resolve$1, reject) => {
    callback(root, options, (err, output) => {
      if (err) return reject(err);
      resolve$1(output);
    });
  });
}
function callback(root, options, callback$1) {
  let walker = new Walker(root, options, callback$1);
  walker.start();
}
function sync(root, options) {
  const walker = new Walker(root, options);
  return walker.start();
}
var APIBuilder = class {
  constructor(root, options) {
    this.root = root;
    this.options = options;
  }
  withPromise() {
    return promise(this.root, this.options);
  }
  withCallback(cb) {
    callback(this.root, this.options, cb);
  }
  sync() {
    return sync(this.root, this.options);
  }
};
var pm = null;
try {
  __require.resolve("picomatch");
  pm = __require("picomatch");
} catch {
}
var Builder = class {
  globCache = {};
  options = {
    maxDepth: Infinity,
    suppressErrors: true,
    pathSeparator: sep2,
    filters: []
  };
  globFunction;
  constructor(options) {
    this.options = {
      ...this.options,
      ...options
    };
    this.globFunction = this.options.globFunction;
  }
  group() {
    this.options.group = true;
    return this;
  }
  withPathSeparator(separator) {
    this.options.pathSeparator = separator;
    return this;
  }
  withBasePath() {
    this.options.includeBasePath = true;
    return this;
  }
  withRelativePaths() {
    this.options.relativePaths = true;
    return this;
  }
  withDirs() {
    this.options.includeDirs = true;
    return this;
  }
  withMaxDepth(depth) {
    this.options.maxDepth = depth;
    return this;
  }
  withMaxFiles(limit) {
    this.options.maxFiles = limit;
    return this;
  }
  withFullPaths() {
    this.options.resolvePaths = true;
    this.options.includeBasePath = true;
    return this;
  }
  withErrors() {
    this.options.suppressErrors = false;
    return this;
  }
  withSymlinks({ resolvePaths = true } = {}) {
    this.options.resolveSymlinks = true;
    this.options.useRealPaths = resolvePaths;
    return this.withFullPaths();
  }
  withAbortSignal(signal) {
    this.options.signal = signal;
    return this;
  }
  normalize() {
    this.options.normalizePath = true;
    return this;
  }
  filter(predicate) {
    this.options.filters.push(predicate);
    return this;
  }
  onlyDirs() {
    this.options.excludeFiles = true;
    this.options.includeDirs = true;
    return this;
  }
  exclude(predicate) {
    this.options.exclude = predicate;
    return this;
  }
  onlyCounts() {
    this.options.onlyCounts = true;
    return this;
  }
  crawl(root) {
    return new APIBuilder(root || ".", this.options);
  }
  withGlobFunction(fn) {
    this.globFunction = fn;
    return this;
  }
  /**
  * @deprecated Pass options using the constructor instead:
  * ```ts
  * new fdir(options).crawl("/path/to/root");
  * ```
  * This method will be removed in v7.0
  */
  /* c8 ignore next 4 */
  crawlWithOptions(root, options) {
    this.options = {
      ...this.options,
      ...options
    };
    return new APIBuilder(root || ".", this.options);
  }
  glob(...patterns) {
    if (this.globFunction) return this.globWithOptions(patterns);
    return this.globWithOptions(patterns, ...[{ dot: true }]);
  }
  globWithOptions(patterns, ...options) {
    const globFn = this.globFunction || pm;
    if (!globFn) throw new Error("Please specify a glob function to use glob matching.");
    var isMatch = this.globCache[patterns.join("\0")];
    if (!isMatch) {
      isMatch = globFn(patterns, ...options);
      this.globCache[patterns.join("\0")] = isMatch;
    }
    this.options.filters.push((path) => isMatch(path));
    return this;
  }
};

// node_modules/tinyglobby/dist/index.mjs
var import_picomatch = __toESM(require_picomatch2(), 1);
var isReadonlyArray = Array.isArray;
var BACKSLASHES = /\\/g;
var DRIVE_RELATIVE_PATH = /^[A-Za-z]:$/;
var isWin = process.platform === "win32";
var ONLY_PARENT_DIRECTORIES = /^(\/?\.\.)+$/;
function getPartialMatcher(patterns, options = {}) {
  const patternsCount = patterns.length;
  const patternsParts = Array(patternsCount);
  const matchers = Array(patternsCount);
  let i, j;
  for (i = 0; i < patternsCount; i++) {
    const parts = splitPattern(patterns[i]);
    patternsParts[i] = parts;
    const partsCount = parts.length;
    const partMatchers = Array(partsCount);
    for (j = 0; j < partsCount; j++) partMatchers[j] = (0, import_picomatch.default)(parts[j], options);
    matchers[i] = partMatchers;
  }
  return (input) => {
    const inputParts = input.split("/");
    if (inputParts[0] === ".." && ONLY_PARENT_DIRECTORIES.test(input)) return true;
    for (i = 0; i < patternsCount; i++) {
      const patternParts = patternsParts[i];
      const matcher = matchers[i];
      const inputPatternCount = inputParts.length;
      const minParts = Math.min(inputPatternCount, patternParts.length);
      j = 0;
      while (j < minParts) {
        const part = patternParts[j];
        if (part.includes("/")) return true;
        if (!matcher[j](inputParts[j])) break;
        if (!options.noglobstar && part === "**") return true;
        j++;
      }
      if (j === inputPatternCount) return true;
    }
    return false;
  };
}
var WIN32_ROOT_DIR = /^[A-Z]:\/$/i;
var isRoot = isWin ? (p) => WIN32_ROOT_DIR.test(p) : (p) => p === "/";
function buildFormat(cwd, root, absolute) {
  if (cwd === root || root.startsWith(`${cwd}/`)) {
    if (absolute) {
      const start = cwd.length + +!isRoot(cwd);
      return (p, isDir) => p.slice(start, isDir ? -1 : void 0) || ".";
    }
    const prefix = root.slice(cwd.length + 1);
    if (prefix) return (p, isDir) => {
      if (p === ".") return prefix;
      const result = `${prefix}/${p}`;
      return isDir ? result.slice(0, -1) : result;
    };
    return (p, isDir) => isDir && p !== "." ? p.slice(0, -1) : p;
  }
  if (absolute) return (p) => posix2.relative(cwd, p) || ".";
  return (p) => posix2.relative(cwd, `${root}/${p}`) || ".";
}
function buildRelative(cwd, root) {
  if (root.startsWith(`${cwd}/`)) {
    const prefix = root.slice(cwd.length + 1);
    return (p) => `${prefix}/${p}`;
  }
  return (p) => {
    const result = posix2.relative(cwd, `${root}/${p}`);
    return p[p.length - 1] === "/" && result !== "" ? `${result}/` : result || ".";
  };
}
function ensureNonDriveRelativePath(path) {
  return path.replace(DRIVE_RELATIVE_PATH, (match) => `${match}/`);
}
var splitPatternOptions = { parts: true };
function splitPattern(path) {
  var _result$parts;
  const result = import_picomatch.default.scan(path, splitPatternOptions);
  return ((_result$parts = result.parts) === null || _result$parts === void 0 ? void 0 : _result$parts.length) ? result.parts : [path];
}
var POSIX_UNESCAPED_GLOB_SYMBOLS = /(?<!\\)([()[\]{}*?|]|^!|[!+@](?=\()|\\(?![()[\]{}!*+?@|]))/g;
var WIN32_UNESCAPED_GLOB_SYMBOLS = /(?<!\\)([()[\]{}]|^!|[!+@](?=\())/g;
var escapePosixPath = (path) => path.replace(POSIX_UNESCAPED_GLOB_SYMBOLS, "\\$&");
var escapeWin32Path = (path) => path.replace(WIN32_UNESCAPED_GLOB_SYMBOLS, "\\$&");
var escapePath = isWin ? escapeWin32Path : escapePosixPath;
function isDynamicPattern(pattern, options) {
  if ((options === null || options === void 0 ? void 0 : options.caseSensitiveMatch) === false) return true;
  const scan = import_picomatch.default.scan(pattern);
  return scan.isGlob || scan.negated;
}
function log2(...tasks) {
  console.log(`[tinyglobby ${(/* @__PURE__ */ new Date()).toLocaleTimeString("es")}]`, ...tasks);
}
function ensureStringArray(value) {
  return typeof value === "string" ? [value] : value !== null && value !== void 0 ? value : [];
}
var PARENT_DIRECTORY = /^(\/?\.\.)+/;
var ESCAPING_BACKSLASHES = /\\(?=[()[\]{}!*+?@|])/g;
function normalizePattern(pattern, opts, props, isIgnore) {
  var _PARENT_DIRECTORY$exe;
  const cwd = opts.cwd;
  let result = pattern;
  if (pattern[pattern.length - 1] === "/") result = pattern.slice(0, -1);
  if (result[result.length - 1] !== "*" && opts.expandDirectories) result += "/**";
  const escapedCwd = escapePath(cwd);
  result = isAbsolute2(result.replace(ESCAPING_BACKSLASHES, "")) ? posix2.relative(escapedCwd, result) : posix2.normalize(result);
  const parentDir = (_PARENT_DIRECTORY$exe = PARENT_DIRECTORY.exec(result)) === null || _PARENT_DIRECTORY$exe === void 0 ? void 0 : _PARENT_DIRECTORY$exe[0];
  const parts = splitPattern(result);
  if (parentDir) {
    const n = (parentDir.length + 1) / 3;
    let i = 0;
    const cwdParts = escapedCwd.split("/");
    while (i < n && parts[i + n] === cwdParts[cwdParts.length + i - n]) {
      result = result.slice(0, (n - i - 1) * 3) + result.slice((n - i) * 3 + parts[i + n].length + 1) || ".";
      i++;
    }
    const potentialRoot = posix2.join(cwd, parentDir.slice(i * 3));
    if (potentialRoot[0] !== "." && props.root.length > potentialRoot.length) {
      props.root = ensureNonDriveRelativePath(potentialRoot);
      props.depthOffset = -n + i;
    }
  }
  if (!isIgnore && props.depthOffset >= 0) {
    var _props$commonPath;
    (_props$commonPath = props.commonPath) !== null && _props$commonPath !== void 0 || (props.commonPath = parts);
    const newCommonPath = [];
    const length = Math.min(props.commonPath.length, parts.length);
    for (let i = 0; i < length; i++) {
      const part = parts[i];
      if (part === "**" && !parts[i + 1]) {
        newCommonPath.pop();
        break;
      }
      if (i === parts.length - 1 || part !== props.commonPath[i] || isDynamicPattern(part)) break;
      newCommonPath.push(part);
    }
    props.depthOffset = newCommonPath.length;
    props.commonPath = newCommonPath;
    props.root = ensureNonDriveRelativePath(newCommonPath.length > 0 ? posix2.join(cwd, ...newCommonPath) : cwd);
  }
  return result;
}
function processPatterns(options, patterns, props) {
  const matchPatterns = [];
  const ignorePatterns = [];
  for (const pattern of options.ignore) {
    if (!pattern) continue;
    if (pattern[0] !== "!" || pattern[1] === "(") ignorePatterns.push(normalizePattern(pattern, options, props, true));
  }
  for (const pattern of patterns) {
    if (!pattern) continue;
    if (pattern[0] !== "!" || pattern[1] === "(") matchPatterns.push(normalizePattern(pattern, options, props, false));
    else if (pattern[1] !== "!" || pattern[2] === "(") ignorePatterns.push(normalizePattern(pattern.slice(1), options, props, true));
  }
  return {
    match: matchPatterns,
    ignore: ignorePatterns
  };
}
function buildCrawler(options, patterns) {
  const cwd = options.cwd;
  const props = {
    root: cwd,
    depthOffset: 0
  };
  const processed = processPatterns(options, patterns, props);
  if (options.debug) log2("internal processing patterns:", processed);
  const { absolute, caseSensitiveMatch, debug, dot, followSymbolicLinks, onlyDirectories } = options;
  const root = props.root.replace(BACKSLASHES, "");
  const matchOptions = {
    dot,
    nobrace: options.braceExpansion === false,
    nocase: !caseSensitiveMatch,
    noextglob: options.extglob === false,
    noglobstar: options.globstar === false,
    posix: true
  };
  const matcher = (0, import_picomatch.default)(processed.match, matchOptions);
  const ignore = (0, import_picomatch.default)(processed.ignore, matchOptions);
  const partialMatcher = getPartialMatcher(processed.match, matchOptions);
  const format = buildFormat(cwd, root, absolute);
  const excludeFormatter = absolute ? format : buildFormat(cwd, root, true);
  const excludePredicate = (_, p) => {
    const relativePath = excludeFormatter(p, true);
    return relativePath !== "." && !partialMatcher(relativePath) || ignore(relativePath);
  };
  let maxDepth;
  if (options.deep !== void 0) maxDepth = Math.round(options.deep - props.depthOffset);
  const crawler = new Builder({
    filters: [debug ? (p, isDirectory) => {
      const path = format(p, isDirectory);
      const matches = matcher(path) && !ignore(path);
      if (matches) log2(`matched ${path}`);
      return matches;
    } : (p, isDirectory) => {
      const path = format(p, isDirectory);
      return matcher(path) && !ignore(path);
    }],
    exclude: debug ? (_, p) => {
      const skipped = excludePredicate(_, p);
      log2(`${skipped ? "skipped" : "crawling"} ${p}`);
      return skipped;
    } : excludePredicate,
    fs: options.fs,
    pathSeparator: "/",
    relativePaths: !absolute,
    resolvePaths: absolute,
    includeBasePath: absolute,
    resolveSymlinks: followSymbolicLinks,
    excludeSymlinks: !followSymbolicLinks,
    excludeFiles: onlyDirectories,
    includeDirs: onlyDirectories || !options.onlyFiles,
    maxDepth,
    signal: options.signal
  }).crawl(root);
  if (options.debug) log2("internal properties:", {
    ...props,
    root
  });
  return [crawler, cwd !== root && !absolute && buildRelative(cwd, root)];
}
function formatPaths(paths, mapper) {
  if (mapper) for (let i = paths.length - 1; i >= 0; i--) paths[i] = mapper(paths[i]);
  return paths;
}
var defaultOptions = {
  caseSensitiveMatch: true,
  debug: !!process.env.TINYGLOBBY_DEBUG,
  expandDirectories: true,
  followSymbolicLinks: true,
  onlyFiles: true
};
function getOptions(options) {
  const opts = Object.assign({}, options);
  for (const key2 in defaultOptions) if (opts[key2] === void 0) Object.assign(opts, { [key2]: defaultOptions[key2] });
  opts.cwd = (opts.cwd instanceof URL ? fileURLToPath(opts.cwd) : resolve2(opts.cwd || process.cwd())).replace(BACKSLASHES, "/");
  opts.ignore = ensureStringArray(opts.ignore);
  opts.fs && (opts.fs = {
    readdir: opts.fs.readdir || readdir,
    readdirSync: opts.fs.readdirSync || readdirSync,
    realpath: opts.fs.realpath || realpath,
    realpathSync: opts.fs.realpathSync || realpathSync,
    stat: opts.fs.stat || stat,
    statSync: opts.fs.statSync || statSync
  });
  if (opts.debug) log2("globbing with options:", opts);
  return opts;
}
function getCrawler(globInput, inputOptions = {}) {
  var _ref;
  if (globInput && (inputOptions === null || inputOptions === void 0 ? void 0 : inputOptions.patterns)) throw new Error("Cannot pass patterns as both an argument and an option");
  const isModern = isReadonlyArray(globInput) || typeof globInput === "string";
  const patterns = ensureStringArray((_ref = isModern ? globInput : globInput.patterns) !== null && _ref !== void 0 ? _ref : "**/*");
  const options = getOptions(isModern ? inputOptions : globInput);
  return patterns.length > 0 ? buildCrawler(options, patterns) : [];
}
async function glob(globInput, options) {
  const [crawler, relative4] = getCrawler(globInput, options);
  return crawler ? formatPaths(await crawler.withPromise(), relative4) : [];
}

// src/lib/evidence/collect.ts
async function collectFiles(sources, exclude) {
  const seen = /* @__PURE__ */ new Map();
  const unmatched = [];
  const excluded = await Promise.all(exclude.map((e) => realpath2(e).catch(() => resolve3(e))));
  for (const s of sources) {
    const matches = await glob(s.glob, {
      cwd: s.rootDir,
      absolute: true,
      onlyFiles: true,
      dot: false,
      followSymbolicLinks: false,
      expandDirectories: false
    });
    const rootReal = await realpath2(s.rootDir).catch(() => s.rootDir);
    let kept = 0;
    for (const m of matches.sort()) {
      const paths = m.includes("\uFFFD") ? await rawPaths(s.rootDir, relative3(s.rootDir, m)) : [resolve3(m)];
      for (const abs of paths) {
        const real = await (typeof abs === "string" ? realpath2(abs) : realpath2(abs, "buffer")).catch(
          () => void 0
        );
        const realText = real === void 0 ? void 0 : String(real);
        const linkText2 = String(abs);
        if (!realText || !readable(realText, rootReal, excluded) || linkText2.split(sep3).includes(".git"))
          continue;
        const st = await stat2(real).catch(() => void 0);
        if (!st?.isFile()) continue;
        kept++;
        const key2 = typeof abs === "string" ? abs : abs.toString("hex");
        const rel = typeof abs === "string" ? relative3(s.rootDir, abs).split(sep3).join("/") : abs.subarray(Buffer.byteLength(resolve3(s.rootDir)) + 1);
        if (!seen.has(key2)) seen.set(key2, { abs, root: s.root, rel, base: s.base, size: st.size });
      }
    }
    if (kept === 0) unmatched.push(s.pattern);
  }
  const order2 = (f) => `${f.root}:${String(f.rel)}`;
  const files = [...seen.values()].sort((a, b) => order2(a) < order2(b) ? -1 : 1);
  return { files, unmatched };
}
function readable(real, rootReal, excluded) {
  if (real === rootReal || !isInside(rootReal, real)) return false;
  if (relative3(rootReal, real).split(sep3).includes(".git")) return false;
  return !excluded.some((e) => real === e || real.startsWith(`${e}${sep3}`));
}
async function rawPaths(root, rel) {
  let found = [Buffer.from(resolve3(root))];
  for (const segment of rel.split(sep3)) {
    const next = [];
    for (const dir of found) {
      const entries = await readdir2(dir, { encoding: "buffer" }).catch(() => []);
      for (const e of entries) {
        if (e.toString("utf8") === segment) next.push(Buffer.concat([dir, Buffer.from("/"), e]));
      }
    }
    found = next;
  }
  return found;
}

// src/lib/evidence/file-layout.ts
import { posix as posix3 } from "node:path";

// src/lib/evidence/file-names.ts
var strict = new TextDecoder("utf-8", { fatal: true });
function sequenceLength(lead) {
  if (lead < 128) return 1;
  if (lead >= 194 && lead <= 223) return 2;
  if (lead >= 224 && lead <= 239) return 3;
  if (lead >= 240 && lead <= 244) return 4;
  return 0;
}
var hex = (b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
function archivedName(name) {
  const bytes = typeof name === "string" ? Buffer.from(name, "utf8") : Buffer.from(name);
  let out = "";
  let control = false;
  let invalid = false;
  for (let i = 0; i < bytes.length; ) {
    const n = sequenceLength(bytes[i]);
    let char;
    if (n > 0 && i + n <= bytes.length) {
      try {
        char = strict.decode(bytes.subarray(i, i + n));
      } catch {
        char = void 0;
      }
    }
    if (char === void 0) {
      invalid = true;
      out += hex(bytes[i]);
      i += 1;
      continue;
    }
    const code = char.codePointAt(0);
    if (code < 32 || code === 127 || char === "%") {
      if (char !== "%") control = true;
      out += hex(code);
    } else {
      out += char;
    }
    i += n;
  }
  const why = [
    control ? "has a line break or another control character" : "",
    invalid ? "is not valid UTF-8" : ""
  ].filter(Boolean);
  return {
    path: out,
    shown: out,
    ...why.length ? { note: `archived as ${JSON.stringify(out)}: its name ${why.join(" and ")}` } : {}
  };
}

// src/lib/evidence/file-layout.ts
function describeCollected(file, handoff) {
  const own = archivedName(file.rel);
  const abs = typeof file.abs === "string" ? file.abs : void 0;
  const handed = abs === void 0 ? void 0 : handoff?.files?.[abs];
  if (handed) {
    const there = archivedName(handed.path);
    const source2 = `job ${handed.job}:${there.shown}`;
    return {
      source: source2,
      name: there.path,
      ...there.note ? { note: there.note } : {},
      layout: { source: source2, job: handed.job, workspacePath: there.path, path: there.path }
    };
  }
  const source = `${file.root}:${own.shown}`;
  const described = { source, name: own.path, ...own.note ? { note: own.note } : {} };
  const result = abs === void 0 ? void 0 : handoff?.results[abs];
  if (result) {
    const name = result.name === void 0 ? posix3.basename(own.path) : archivedName(result.name).path;
    return { ...described, layout: { source, job: result.job, path: name } };
  }
  if (file.root === "workspace")
    return { ...described, layout: { source, workspacePath: own.path, path: own.path } };
  const base = file.base ? `${archivedName(file.base).path}/` : "";
  const below = own.path.startsWith(base) ? own.path.slice(base.length) : own.path;
  return { ...described, layout: { source, path: below } };
}
function smokeFilesOf(result, job) {
  const r = record(result);
  const reportDir = typeof r.reportDir === "string" ? r.reportDir : void 0;
  const suites = (Array.isArray(r.suites) ? r.suites : []).map((raw) => {
    const s = record(raw);
    const attempts = (Array.isArray(s.attempts) ? s.attempts : []).map(record);
    const logs = attempts.flatMap(
      (a) => typeof a.log === "string" && Number.isInteger(a.attempt) ? [{ attempt: a.attempt, path: a.log }] : []
    );
    const reports = attempts.flatMap(
      (a) => (Array.isArray(a.reports) ? a.reports : []).flatMap((x) => {
        const file = record(x).file;
        return typeof file === "string" ? [file] : [];
      })
    );
    return { name: typeof s.name === "string" ? s.name : "unnamed", logs, reports: [...new Set(reports)] };
  });
  return { ...job ? { job } : {}, ...reportDir ? { reportDir } : {}, suites };
}
function layOutFiles(files, smoke, reserved) {
  const known = knownFiles(smoke);
  const wanted = files.map((f) => placeOne(f, known));
  const order2 = wanted.map((w, i) => ({ key: w.path, source: files[i].source, i })).sort((a, b) => compare(a.key, b.key) || compare(a.source, b.source) || a.i - b.i);
  const taken = new Taken();
  for (const r of reserved) taken.add(r.split("/"));
  const placed = new Array(files.length);
  for (const { i } of order2) placed[i] = { ...wanted[i], path: taken.claim(wanted[i].path) };
  return placed;
}
function knownFiles(smoke) {
  const byPath = /* @__PURE__ */ new Map();
  const add = (path, k) => {
    const rel = workspaceRelative(path);
    if (rel === void 0) return;
    const key2 = archivedName(rel).path;
    byPath.set(key2, [...byPath.get(key2) ?? [], k]);
  };
  const folders = /* @__PURE__ */ new Set();
  const reportDirs = [];
  smoke.forEach((s, result) => {
    const job = s.job ? { job: s.job } : {};
    for (const suite of s.suites) {
      let folder = safeName(suite.name);
      for (let n = 2; folders.has(folder.toLowerCase()); n++) folder = `${safeName(suite.name)}-${n}`;
      folders.add(folder.toLowerCase());
      for (const l of suite.logs)
        add(l.path, {
          result,
          ...job,
          place: () => ({
            path: `logs/smoke/${folder}/attempt-${l.attempt}.log`,
            log: { result, suite: suite.name, attempt: l.attempt }
          })
        });
      for (const report2 of suite.reports)
        add(report2, {
          result,
          ...job,
          place: (w) => ({
            path: suite.reports.length === 1 ? `junit/${folder}${posix3.extname(w.path)}` : `junit/${folder}/${posix3.basename(w.path)}`
          })
        });
    }
    const dir = s.reportDir === void 0 ? void 0 : workspaceRelative(s.reportDir);
    if (dir) reportDirs.push({ result, ...job, dir: archivedName(dir).path });
  });
  return { byPath, reportDirs };
}
function placeOne(f, known) {
  const sameJob = (k) => !k.job || !f.job || k.job === f.job;
  if (f.workspacePath !== void 0) {
    const w = normalize2(f.workspacePath);
    const hit = known.byPath.get(w)?.find(sameJob);
    if (hit) return clean(hit.place({ path: w }));
    const folder = known.reportDirs.find((d) => sameJob(d) && w.startsWith(`${d.dir}/`));
    if (folder) return clean({ path: `reports/smoke/${w.slice(folder.dir.length + 1)}` });
  }
  const below = f.workspacePath ?? f.path;
  return clean({ path: ["files", ...f.job ? [safeName(f.job)] : [], below].join("/") });
}
function workspaceRelative(path) {
  const p = path.replaceAll("\\", "/");
  if (p.startsWith("/") || /^[A-Za-z]:/.test(p)) return void 0;
  const rel = normalize2(p);
  return rel === ".." || rel.startsWith("../") ? void 0 : rel;
}
function normalize2(path) {
  return path.split("/").filter((s) => s !== "" && s !== ".").join("/");
}
function clean(p) {
  const segments = p.path.split("/").filter((s) => s !== "" && s !== ".").map((s) => s === ".." ? "%2E%2E" : s.toLowerCase() === ".git" ? `%2E${s.slice(1)}` : s);
  return { ...p, path: segments.join("/") };
}
var Taken = class {
  files = /* @__PURE__ */ new Set();
  dirs = /* @__PURE__ */ new Set();
  add(segments) {
    for (let i = 1; i < segments.length; i++) this.dirs.add(key(segments.slice(0, i)));
    this.files.add(key(segments));
  }
  /** `path`, or the nearest free variant of it: a counter on the segment that clashes. */
  claim(path) {
    const original = path.split("/");
    const segments = [...original];
    const counters = /* @__PURE__ */ new Map();
    for (let at = this.clash(segments); at >= 0; at = this.clash(segments)) {
      const n = (counters.get(at) ?? 1) + 1;
      counters.set(at, n);
      segments[at] = numbered(original[at], n);
    }
    this.add(segments);
    return segments.join("/");
  }
  /** The index of the segment that clashes with a taken path, or -1. */
  clash(segments) {
    for (let i = 1; i < segments.length; i++) if (this.files.has(key(segments.slice(0, i)))) return i - 1;
    const whole = key(segments);
    return this.files.has(whole) || this.dirs.has(whole) ? segments.length - 1 : -1;
  }
};
var key = (segments) => segments.join("/").toLowerCase();
function numbered(name, n) {
  const ext = posix3.extname(name);
  return ext && ext !== name ? `${name.slice(0, -ext.length)}-${n}${ext}` : `${name}-${n}`;
}
function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
function record(v) {
  return v && typeof v === "object" && !Array.isArray(v) ? v : {};
}

// src/lib/junit/types.ts
function emptyCounts() {
  return { tests: 0, passed: 0, failed: 0, errored: 0, skipped: 0, flaky: 0, time: 0 };
}

// src/lib/evidence/shard-merge.ts
var COUNT_KEYS = [
  "tests",
  "passed",
  "failed",
  "errored",
  "skipped",
  "flaky",
  "time"
];
var rec2 = (v) => v && typeof v === "object" && !Array.isArray(v) ? v : {};
var num = (v) => typeof v === "number" && Number.isFinite(v) ? v : 0;
function shardOf(envelope) {
  if (envelope.action !== "smoke-suite") return void 0;
  const s = rec2(rec2(envelope.result).shard);
  if (!Number.isInteger(s.index) || !Number.isInteger(s.count) || !Array.isArray(s.plan)) return void 0;
  return s;
}
function mergeShards(runs, expectedCount) {
  if (runs.length === 0) throw new RangeError("mergeShards needs at least one shard result");
  const problems = [];
  const byIndex = /* @__PURE__ */ new Map();
  for (const run of [...runs].sort((a, b) => a.source.localeCompare(b.source))) {
    const shard = shardOf(run.envelope);
    if (!shard) throw new RangeError(`${run.source} is not the result of one shard of smoke-suite`);
    if (byIndex.has(shard.index)) {
      problems.push(
        `two results for shard ${shard.index}/${shard.count} (${byIndex.get(shard.index).source}, ${run.source}): the first is counted`
      );
      continue;
    }
    byIndex.set(shard.index, { ...run, shard });
  }
  const reported = [...byIndex.values()].sort((a, b) => a.shard.index - b.shard.index);
  const reference = reported[0].shard;
  for (const r of reported.slice(1))
    if (planKey(r.shard) !== planKey(reference))
      problems.push(
        `shard ${r.shard.index}/${r.shard.count} planned a different split than shard ${reference.index}/${reference.count} (different suites or timings in their checkouts?): each shard's suites are counted as it ran them`
      );
  const count = expectedCount ?? reference.count;
  if (expectedCount !== void 0 && expectedCount !== reference.count)
    problems.push(
      `the workflow planned ${expectedCount} shard(s), but the shards' results say ${reference.count}`
    );
  const planned = new Map(reference.plan.map((p) => [p.index, p]));
  const roster = new Map((reference.roster ?? []).map((r) => [r.name, r]));
  const suites = /* @__PURE__ */ new Map();
  const annotations = [];
  let maxAnnotations = 0;
  for (const r of reported) {
    const doc = rec2(r.envelope.result);
    for (const raw of Array.isArray(doc.suites) ? doc.suites : []) {
      const s = rec2(raw);
      if (typeof s.name !== "string" || suites.has(s.name)) continue;
      suites.set(s.name, { ...s, name: s.name, shard: r.shard.index });
    }
    if (Array.isArray(doc.annotations)) annotations.push(...doc.annotations);
    maxAnnotations = Math.max(maxAnnotations, num(doc.maxAnnotations));
  }
  const missing = [];
  for (let index = 1; index <= count; index++) {
    const owed = planned.get(index)?.suites ?? [];
    if (byIndex.has(index) || owed.length === 0) continue;
    missing.push(index);
    for (const name of owed) {
      if (suites.has(name)) continue;
      suites.set(name, missingSuite(name, index, count, roster.get(name)));
    }
  }
  const order2 = configOrder(reported[0].envelope, [...suites.keys()]);
  const merged = order2.map((name) => suites.get(name));
  const spread = spreadOf(reported, planned, count, reference, missing);
  const totals = totalsOf(merged);
  const missingNote = missing.length ? `shard(s) ${missing.map((i) => `${i}/${count}`).join(", ")} reported nothing` : "";
  const status = totals.requiredFailed > 0 || missing.length > 0 ? "failure" : "success";
  const base = rec2(reported[0].envelope.result);
  const shown = selectAnnotations(dedupe(annotations), maxAnnotations || void 0);
  const result = {
    headline: headlineOf(merged, totals, missingNote),
    totals,
    failedSuites: merged.filter(failed).map((s) => s.name),
    wallMs: spread.makespanMs,
    concurrency: base.concurrency,
    failFast: base.failFast,
    reportDir: base.reportDir,
    suites: merged,
    annotations: shown.shown,
    annotationsOmitted: shown.omitted,
    spread
  };
  const times = reported.map((r) => ({ s: r.envelope.startedAt, f: r.envelope.finishedAt }));
  const envelope = {
    ...reported[0].envelope,
    status,
    startedAt: earliest(times.map((t) => t.s)),
    finishedAt: latest(times.map((t) => t.f)),
    result
  };
  return { envelope, spread, problems };
}
function planKey(s) {
  return JSON.stringify(s.plan.map((p) => [p.index, p.suites]));
}
function missingSuite(name, index, count, who) {
  return {
    name,
    squad: who?.squad ?? null,
    owner: who?.owner ?? null,
    runbook: who?.runbook ?? null,
    // A suite nobody ran is not known to be optional: it counts against the day.
    required: who?.required ?? true,
    status: "not-run",
    reason: `shard ${index}/${count} reported nothing (cancelled, killed or never started)`,
    summary: "not run",
    counts: emptyCounts(),
    startedAt: null,
    finishedAt: null,
    attempts: [],
    failures: [],
    failuresOmitted: 0,
    flakyTests: [],
    skipReasons: null,
    shard: index,
    missing: true
  };
}
function configOrder(envelope, names) {
  const estimates = rec2(rec2(envelope.result).shard).estimates;
  const known = Array.isArray(estimates) ? estimates.map((e) => String(rec2(e).name)) : [];
  const position = new Map(known.map((n, i) => [n, i]));
  return [...names].sort(
    (a, b) => (position.get(a) ?? Number.MAX_SAFE_INTEGER) - (position.get(b) ?? Number.MAX_SAFE_INTEGER) || (a < b ? -1 : a > b ? 1 : 0)
  );
}
var failed = (s) => s.status === "failed" || s.status === "not-run";
function totalsOf(suites) {
  const counts = emptyCounts();
  let failedSuites = 0;
  let requiredFailed = 0;
  let flakyTests = 0;
  let allSkippedSuites = 0;
  for (const s of suites) {
    const c = rec2(s.counts);
    for (const k of COUNT_KEYS) counts[k] += num(c[k]);
    flakyTests += Array.isArray(s.flakyTests) ? s.flakyTests.length : 0;
    if (s.status === "skipped") allSkippedSuites++;
    if (failed(s)) {
      failedSuites++;
      if (s.required !== false) requiredFailed++;
    }
  }
  return { ...counts, suites: suites.length, failedSuites, requiredFailed, flakyTests, allSkippedSuites };
}
function headlineOf(suites, t, missingNote) {
  const required = suites.filter((s) => s.required !== false).length;
  const optionalFailed = t.failedSuites - t.requiredFailed;
  const notes = [
    ...optionalFailed > 0 ? [`${optionalFailed} optional suite(s) failed`] : [],
    ...t.allSkippedSuites > 0 ? [`${t.allSkippedSuites} suite(s) skipped every test`] : []
  ];
  const verdict = t.requiredFailed > 0 ? `${t.requiredFailed} of ${required} required suite(s) failed` : notes.length > 0 ? `${t.allSkippedSuites > 0 ? "no required suite failed" : "all required suites passed"}; ${notes.join("; ")}` : `all ${suites.length} suite(s) passed`;
  return missingNote ? `${verdict}; ${missingNote}` : verdict;
}
function spreadOf(reported, planned, count, reference, missing) {
  const shards = [];
  for (let index = 1; index <= count; index++) {
    const run = reported.find((r) => r.shard.index === index);
    const plan = planned.get(index);
    shards.push({
      index,
      suites: run ? suiteNames(run.envelope) : plan?.suites ?? [],
      plannedMs: plan?.plannedMs ?? 0,
      ...run ? { wallMs: run.shard.wallMs, source: run.source } : {},
      status: run ? run.envelope.status === "success" ? "success" : "failure" : missing.includes(index) ? "missing" : "empty"
    });
  }
  const walls = reported.map((r) => r.shard.wallMs);
  const makespanMs = Math.max(0, ...walls);
  const mean = walls.reduce((a, b) => a + b, 0) / Math.max(1, walls.length);
  return {
    count,
    shards,
    plannedMakespanMs: reference.makespanMs,
    lowerBoundMs: reference.lowerBoundMs,
    makespanMs,
    imbalance: mean > 0 ? makespanMs / mean : 1,
    againstPlan: reference.makespanMs > 0 ? makespanMs / reference.makespanMs : 1,
    missing: [...missing]
  };
}
function suiteNames(envelope) {
  const suites = rec2(envelope.result).suites;
  return Array.isArray(suites) ? suites.map((s) => String(rec2(s).name)) : [];
}
function dedupe(all) {
  const seen = /* @__PURE__ */ new Set();
  const out = [];
  for (const a of all) {
    if (!isLevel(a?.level) || typeof a.message !== "string") continue;
    const key2 = JSON.stringify([a.level, a.title ?? "", a.message, a.file ?? "", a.line ?? 0]);
    if (seen.has(key2)) continue;
    seen.add(key2);
    out.push(a);
  }
  return out;
}
function isLevel(v) {
  return v === "error" || v === "warning" || v === "notice";
}
function earliest(times) {
  return [...times].filter(Boolean).sort()[0] ?? times[0];
}
function latest(times) {
  return [...times].filter(Boolean).sort().reverse()[0] ?? times[0];
}

// src/actions/evidence-archive/step-files.ts
var MAX_PARSED_RESULT = 64 * 1024 * 1024;
async function stageCollectedFiles(o) {
  const { plan, stage, problems, log: log3 } = o;
  const steps = await collectFiles(plan.stepResults, o.exclude);
  const other = await collectFiles(plan.results, o.exclude);
  for (const u of [...steps.unmatched, ...other.unmatched]) log3(`no file matches ${u}`);
  const stepPaths = new Set(steps.files.map((f) => f.abs));
  const files = [...steps.files, ...other.files.filter((f) => !stepPaths.has(f.abs))];
  const handoff = await readHandoff(plan.handoffRecord);
  const candidates = [];
  const plain = [];
  const unreadable = [];
  for (const file of files) {
    const { source, name } = describeCollected(file, handoff);
    const parsed = await readEnvelope(file, name);
    if ("error" in parsed) unreadable.push({ source, reason: parsed.error });
    const envelope = "envelope" in parsed ? parsed.envelope : void 0;
    if (!envelope || envelope.action === "evidence-archive") {
      plain.push(file);
    } else if (!stepPaths.has(file.abs)) {
      problems.push(
        `${source} looks like a ${envelope.action} result but is not in step-results: archived as a plain file, not counted`
      );
      plain.push(file);
    } else {
      const handedBy = handoff?.results[String(file.abs)]?.job;
      const job = handedBy ?? envelope.run?.job;
      candidates.push({
        file,
        envelope,
        source,
        jobFromHandoff: handedBy !== void 0,
        ...job ? { job } : {}
      });
    }
  }
  const sharded = await mergeShardResults(candidates, plan, o.stage, problems, log3);
  const { admitted, refused } = admitResults(
    [...candidates.filter((c) => !shardOf(c.envelope)), ...sharded.merged],
    plan.expectedSteps
  );
  for (const r of [...sharded.refused, ...refused]) {
    problems.push(`${r.candidate.source}: ${r.reason}`);
    const { file } = r.candidate;
    if (file) plain.push(file);
  }
  const names = resultNames(
    admitted.map((a) => {
      const by = clusterOf(a.candidate.envelope.result) ?? a.candidate.job;
      return { action: a.candidate.envelope.action, ...by ? { job: by } : {}, source: a.candidate.source };
    })
  );
  const results = [];
  const smokeFiles = [];
  for (const [i, a] of admitted.entries()) {
    const { envelope, file, shards } = a.candidate;
    const meta2 = {
      kind: "result",
      source: a.candidate.source,
      capturedAt: validDate(envelope.finishedAt) ?? o.startedAt,
      run: envelope.run ?? o.run,
      action: envelope.action,
      status: a.status
    };
    const entry = file ? await stage.addFile(file.abs, LAYOUT.result(names[i]), meta2) : await stage.addText(LAYOUT.result(names[i]), `${JSON.stringify(envelope, null, 2)}
`, meta2);
    const archived = JSON.parse(await readFile2(stage.pathOf(entry.path), "utf8"));
    results.push({
      envelope: { ...archived, status: a.status },
      entry,
      ...a.note ? { note: a.note } : {},
      ...a.status !== envelope.status ? { overruled: true } : {}
    });
    if (envelope.action === "smoke-suite") {
      const result = results[results.length - 1];
      for (const from of shards ?? [{ envelope, job: a.candidate.job }])
        smokeFiles.push({ files: smokeFilesOf(from.envelope.result, from.job), result });
    }
    log3(`result ${envelope.action}: ${a.status}${a.note ? ` (${a.note})` : ""} (${a.candidate.source})`);
  }
  await stagePlainFiles({ plain, smoke: smokeFiles, reserved: results, handoff, stage, problems });
  for (const u of unreadable)
    problems.push(`${u.source} is not valid JSON (${u.reason}); archived as a plain file`);
  log3(`${results.length} step result(s) and ${plain.length} other file(s) archived`);
  return { results, unreadable };
}
async function stagePlainFiles(o) {
  const described = o.plain.map((f) => describeCollected(f, o.handoff));
  const placed = layOutFiles(
    described.map((d) => d.layout),
    o.smoke.map((s) => s.files),
    o.reserved.flatMap((r) => r.entry ? [r.entry.path] : [])
  );
  for (const [i, file] of o.plain.entries()) {
    const { source, note } = described[i];
    const { path, log: log3 } = placed[i];
    if (note) o.problems.push(`${source}: ${note}`);
    await o.stage.addFile(file.abs, path, { kind: "file", source });
    if (log3) {
      const { result } = o.smoke[log3.result];
      (result.logs ??= []).push({ suite: log3.suite, attempt: log3.attempt, entry: { path } });
    }
  }
}
async function mergeShardResults(candidates, plan, stage, problems, log3) {
  const shards = candidates.filter((c) => shardOf(c.envelope));
  if (shards.length === 0) return { merged: [], refused: [] };
  const checked = admitResults(shards, plan.expectedSteps);
  const from = checked.admitted.map((a) => a.candidate);
  if (from.length === 0) return { merged: [], refused: checked.refused };
  for (const c of from) {
    const s = shardOf(c.envelope);
    await stage.addFile(c.file.abs, `results/shards/smoke-suite-${s.index}-of-${s.count}.json`, {
      kind: "file",
      source: c.source
    });
  }
  const expected = plan.expectedSteps["smoke-suite"]?.shards;
  const merged = mergeShards(
    from.map((c) => ({ envelope: c.envelope, source: c.source })),
    expected
  );
  problems.push(...merged.problems);
  const { spread } = merged;
  log3(
    `smoke-suite: ${from.length} of ${spread.count} shard(s) reported${spread.missing.length ? `; missing: ${spread.missing.map((i) => `${i}/${spread.count}`).join(", ")}` : ""}; merged into one result`
  );
  const job = from[0].job;
  return {
    merged: [
      {
        envelope: merged.envelope,
        source: `${from.length} shard result(s) of ${spread.count}, merged`,
        jobFromHandoff: from.every((c) => c.jobFromHandoff),
        ...job ? { job } : {},
        shards: from.map((c) => {
          const s = shardOf(c.envelope);
          const key2 = c.jobFromHandoff && c.job ? `${c.job}--shard-${s.index}-of-${s.count}` : c.job;
          return { envelope: c.envelope, ...key2 ? { job: key2 } : {} };
        })
      }
    ],
    refused: checked.refused
  };
}
async function readEnvelope(file, name) {
  if (!name.endsWith(".json") || file.size > MAX_PARSED_RESULT) return { none: true };
  try {
    const value = JSON.parse(await readFile2(file.abs, "utf8"));
    return isEnvelope(value) ? { envelope: value } : { none: true };
  } catch (err) {
    return { error: toError(err).message.split("\n")[0] };
  }
}
async function readHandoff(path) {
  try {
    const value = JSON.parse(await readFile2(path, "utf8"));
    return value && typeof value === "object" && value.results && typeof value.results === "object" ? value : void 0;
  } catch {
    return void 0;
  }
}
function validDate(text) {
  if (!text) return void 0;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? void 0 : d;
}

// src/actions/evidence-archive/previous-day.ts
import { readFile as readFile3, readdir as readdir3 } from "node:fs/promises";
import { join as join5 } from "node:path";
function datedSegment(template) {
  const parts = template.split("/");
  const i = parts.findIndex((p) => p.includes("{date}"));
  const escaped = parts[i].replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(
    "\\{date\\}",
    "(\\d{4}-\\d{2}-\\d{2})"
  );
  return { parent: parts.slice(0, i).join("/") || ".", segment: new RegExp(`^${escaped}$`) };
}
function earlierDates(names, segment, date) {
  const dates = names.flatMap((n) => {
    const d = segment.exec(n)?.[1];
    return d && isCalendarDate(d) && d < date ? [d] : [];
  });
  return [...new Set(dates)].sort().reverse();
}
async function readPreviousDay(o) {
  const { parent, segment } = datedSegment(o.templates.evidenceDir);
  const names = await readdir3(join5(o.workspace, parent)).catch(() => []);
  for (const date of earlierDates(names, segment, o.date)) {
    const paths = evidencePaths(o.workspace, date, o.templates.statusFile, o.templates.evidenceDir);
    const manifest = await readFile3(join5(paths.evidenceDir, MANIFEST_NAME), "utf8").catch(() => "");
    if (!manifest.includes(MANIFEST_MARKER)) continue;
    const smoke = await readSmoke(join5(paths.evidenceDir, "results"));
    return {
      date,
      statusFileRel: paths.statusFileRel,
      evidenceDirRel: paths.evidenceDirRel,
      panels: await readPanels(join5(paths.evidenceDir, "metrics")),
      ...smoke ? { smoke } : {}
    };
  }
  return void 0;
}
async function readPanels(dir) {
  const out = [];
  for (const value of await readJsonFiles(dir)) {
    const v = value;
    if (v.schemaVersion !== 1 || typeof v.name !== "string" || !Array.isArray(v.stats)) continue;
    out.push({
      name: v.name,
      stats: v.stats,
      ...typeof v.panel === "string" ? { panel: v.panel } : {},
      ...typeof v.squad === "string" ? { squad: v.squad } : {},
      ...typeof v.unit === "string" ? { unit: v.unit } : {},
      ...typeof v.error === "string" ? { error: v.error } : {}
    });
  }
  return out;
}
async function readSmoke(dir) {
  const days = (await readJsonFiles(dir)).filter((v) => isEnvelope(v) && v.action === "smoke-suite").map((v) => smokeDay(v.result));
  return days.length ? mergeSmokeDays(days) : void 0;
}
async function readJsonFiles(dir) {
  const names = (await readdir3(dir).catch(() => [])).filter((n) => n.endsWith(".json")).sort();
  const out = [];
  for (const n of names) {
    try {
      out.push(JSON.parse(await readFile3(join5(dir, n), "utf8")));
    } catch {
    }
  }
  return out;
}

// src/actions/evidence-archive/week.ts
function weekOverWeek(o) {
  const panels = comparePanels(o.metrics, o.previous?.panels ?? []);
  const limits = new Map(
    o.queries.flatMap((q) => q.limits ? [[q.name, q.limits]] : [])
  );
  const today = mergeSmokeDays(
    o.results.filter((r) => r.envelope.action === "smoke-suite").map((r) => smokeDay(r.envelope.result))
  );
  const p = o.previous;
  return {
    sinceLastWeek: {
      ...p ? { previous: { date: p.date, statusFileRel: p.statusFileRel, evidenceDirRel: p.evidenceDirRel } } : {},
      panels,
      ...p?.smoke ? { smoke: compareSmoke(today, p.smoke) } : {},
      limits: Object.fromEntries(
        [...limits].map(([name, l]) => [
          name,
          {
            ...l.thresholdText ? { threshold: l.thresholdText } : {},
            ...l.regressionLimit !== void 0 ? { regressionLimit: l.regressionLimit } : {},
            severity: l.severity
          }
        ])
      )
    },
    panelFindings: panelFindings(panels, limits)
  };
}

// src/actions/evidence-archive/archive.ts
async function archive(o) {
  const { plan, startedAt } = o;
  const ws = o.workspace;
  const run = runInfo();
  const resultPath = o.resultPath ?? defaultResultPath("evidence-archive");
  const stageDir = join6(
    plan.runnerTemp,
    "evidence-archive",
    `${plan.date}-${run.runId ?? "local"}-${run.runAttempt ?? "1"}`
  );
  const problems = [];
  const stage = await EvidenceStage.create(stageDir, run);
  log.info(
    `Integration Day ${plan.date}: evidence \u2192 ${plan.paths.evidenceDirRel}/, report \u2192 ${plan.paths.statusFileRel}`
  );
  const results = await group(
    "Collecting step results and files",
    () => stageCollectedFiles({
      plan,
      stage,
      startedAt,
      run,
      problems,
      log: log.info,
      exclude: [plan.paths.evidenceDir, plan.paths.statusFile, stageDir, resultPath]
    })
  );
  const metrics = plan.prometheus && plan.queries.length ? await group(
    `Metric snapshots: ${plan.queries.length} quer${plan.queries.length === 1 ? "y" : "ies"} against ${plan.prometheus.url}`,
    () => snapshotMetrics({ plan, stage, end: startedAt, problems, log: log.info })
  ) : [];
  const dashboards = plan.dashboards.length ? await group(
    `Dashboard screenshots: ${plan.dashboards.length}`,
    () => captureDashboards({ plan, stage, problems, log: log.info })
  ) : [];
  const week = await group("Since last week", () => compareWithLastWeek(plan, ws, results.results, metrics));
  const bundle = await sealBundle({ plan, stage, metrics, dashboards, problems });
  const { manifest, artifactRef } = bundle;
  const { followUps, followUpError } = await openFollowUps(plan, o.forge, results.results, {
    run,
    artifactUrl: artifactRef?.url,
    problems
  });
  const report2 = renderStatusReport({
    date: plan.date,
    timeZone: plan.timeZone,
    generatedAt: /* @__PURE__ */ new Date(),
    run,
    statusFileRel: plan.paths.statusFileRel,
    evidenceDirRel: plan.paths.evidenceDirRel,
    results: results.results,
    unreadable: results.unreadable,
    metrics,
    dashboards,
    manifest,
    ...artifactRef ? { artifact: artifactRef } : {},
    captureProblems: problems,
    expectedSteps: Object.fromEntries(
      Object.entries(plan.expectedSteps).map(([step, e]) => [step, e.result])
    ),
    expectedClusters: Object.fromEntries(
      Object.entries(plan.expectedSteps).flatMap(([step, e]) => e.clusters ? [[step, e.clusters]] : [])
    ),
    ...followUps ? { followUps } : {},
    sinceLastWeek: week.sinceLastWeek,
    panelFindings: week.panelFindings
  });
  await group("Writing the evidence folder and the status report", async () => {
    const written = await stage.publish(manifest, plan.paths.evidenceDir, bundle.index);
    const existing = await readFile4(plan.paths.statusFile, "utf8").catch(() => void 0);
    await writeTextFile(plan.paths.statusFile, statusFileText(existing, report2, plan.paths.statusFileRel));
    log.info(
      `${written.length} file(s) in ${plan.paths.evidenceDirRel}/ (${formatBytes(manifest.totals.repositoryBytes)}), report ${plan.paths.statusFileRel}`
    );
  });
  const { delivered, commitError } = await commitEvidence(plan, ws, report2, run.url, o.forge);
  await rm4(stageDir, { recursive: true, force: true }).catch(() => {
  });
  await finishStep(
    archiveStepEnd({
      plan,
      startedAt,
      resultPath: o.resultPath,
      results: results.results,
      metrics,
      dashboards,
      bundle,
      report: report2,
      delivered,
      commitError,
      followUps,
      followUpError,
      panelFindings: week.panelFindings,
      problems
    })
  );
}
async function compareWithLastWeek(plan, workspace, results, metrics) {
  const previous = await readPreviousDay({ workspace, date: plan.date, templates: plan.templates });
  log.info(
    previous ? `compared with ${previous.date} (${previous.evidenceDirRel}/): ${previous.panels.length} panel(s), ${previous.smoke ? `${previous.smoke.failing.length} failing smoke test(s)` : "no smoke-suite result"}` : `no earlier day than ${plan.date} in this checkout to compare with`
  );
  const week = weekOverWeek({ previous, results, metrics, queries: plan.queries });
  for (const f of week.panelFindings) log.info(`panel ${f.panel}: ${f.kind} (${f.severity}): ${f.detail}`);
  return week;
}
async function openFollowUps(plan, forge, results, ctx) {
  if (!plan.followUp || !forge) return {};
  let followUpError;
  const items = dayItems(results, plan.followUp.incidentRunbooks);
  const failed2 = items.filter((i) => i.failed).length;
  const followUps = await group(
    `Follow-up issues on ${forge.owner}/${forge.repo}: ${failed2} failed item(s), ${items.length - failed2} passed`,
    () => syncFollowUps({
      forge,
      date: plan.date,
      items,
      links: followUpLinks(plan, forge, ctx.run.url, ctx.artifactUrl),
      assignees: plan.followUp.assignees,
      log: log.info
    })
  ).then(
    (r) => {
      ctx.problems.push(...r.warnings);
      return r.issues;
    },
    (err) => {
      followUpError = toError(err);
      return void 0;
    }
  );
  return { ...followUps ? { followUps } : {}, ...followUpError ? { followUpError } : {} };
}
async function commitEvidence(plan, workspace, report2, runUrl, forge) {
  if (!plan.commit) return {};
  let commitError;
  const c = plan.commit;
  const where = c.mode === "push" ? c.branch : `a pull request from ${c.branch} into ${c.target}`;
  const delivered = await group(
    `Committing to ${where}`,
    () => deliverCommit(
      c,
      {
        repoDir: workspace,
        tempDir: plan.runnerTemp,
        log: log.info,
        paths: [plan.paths.evidenceDirRel],
        claims: [{ path: plan.paths.evidenceDirRel, markerFile: MANIFEST_NAME, marker: MANIFEST_MARKER }],
        // Rendered from the branch's own copy: another writer's section, or a person's notes, stay.
        renders: [
          {
            path: plan.paths.statusFileRel,
            render: (onBranch) => statusFileText(onBranch, report2, plan.paths.statusFileRel)
          }
        ]
      },
      forge && {
        forge,
        body: (files) => renderPullRequestBody({
          what: "Integration Day evidence",
          action: "evidence-archive",
          date: plan.date,
          head: c.branch,
          files,
          ...runUrl ? { runUrl } : {}
        })
      }
    )
  ).catch((err) => {
    commitError = toError(err);
    return void 0;
  });
  return { ...delivered ? { delivered } : {}, ...commitError ? { commitError } : {} };
}
function followUpLinks(plan, forge, runUrl, artifactUrl) {
  const fileUrl = (branch, path) => forgeFileUrl({
    kind: forge.kind,
    serverUrl: plan.followUp.serverUrl,
    repository: `${forge.owner}/${forge.repo}`,
    branch,
    path
  });
  const committedTo = plan.commit?.branch;
  const linkBranch = plan.followUp.branch;
  const traceUrl = plan.followUp.traceUrl;
  return {
    ...runUrl ? { run: runUrl } : {},
    ...committedTo ? { report: fileUrl(committedTo, plan.paths.statusFileRel) } : {},
    ...committedTo ? { evidence: fileUrl(committedTo, `${plan.paths.evidenceDirRel}/README.md`) } : {},
    ...artifactUrl ? { artifact: artifactUrl } : {},
    runbook: (r) => /^https?:\/\//.test(r) || !linkBranch ? r : fileUrl(linkBranch, r),
    ...traceUrl ? { trace: (id) => traceUrl.replaceAll("{trace_id}", encodeURIComponent(id)) } : {}
  };
}
export {
  archive
};
