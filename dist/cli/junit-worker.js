import { createRequire as __ccCreateRequire } from 'node:module';
import { fileURLToPath as __ccFileURLToPath } from 'node:url';
import { dirname as __ccDirname } from 'node:path';
var require = __ccCreateRequire(import.meta.url);
var __filename = __ccFileURLToPath(import.meta.url);
var __dirname = __ccDirname(__filename);
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __commonJS = (cb, mod) => function __require() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// node_modules/xmlchars/xml/1.0/ed5.js
var require_ed5 = __commonJS({
  "node_modules/xmlchars/xml/1.0/ed5.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.CHAR = "	\n\r -\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}";
    exports.S = " 	\r\n";
    exports.NAME_START_CHAR = ":A-Z_a-z\xC0-\xD6\xD8-\xF6\xF8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\u{10000}-\u{EFFFF}";
    exports.NAME_CHAR = "-" + exports.NAME_START_CHAR + ".0-9\xB7\u0300-\u036F\u203F-\u2040";
    exports.CHAR_RE = new RegExp("^[" + exports.CHAR + "]$", "u");
    exports.S_RE = new RegExp("^[" + exports.S + "]+$", "u");
    exports.NAME_START_CHAR_RE = new RegExp("^[" + exports.NAME_START_CHAR + "]$", "u");
    exports.NAME_CHAR_RE = new RegExp("^[" + exports.NAME_CHAR + "]$", "u");
    exports.NAME_RE = new RegExp("^[" + exports.NAME_START_CHAR + "][" + exports.NAME_CHAR + "]*$", "u");
    exports.NMTOKEN_RE = new RegExp("^[" + exports.NAME_CHAR + "]+$", "u");
    var TAB = 9;
    var NL = 10;
    var CR = 13;
    var SPACE = 32;
    exports.S_LIST = [SPACE, NL, CR, TAB];
    function isChar(c) {
      return c >= SPACE && c <= 55295 || c === NL || c === CR || c === TAB || c >= 57344 && c <= 65533 || c >= 65536 && c <= 1114111;
    }
    exports.isChar = isChar;
    function isS(c) {
      return c === SPACE || c === NL || c === CR || c === TAB;
    }
    exports.isS = isS;
    function isNameStartChar(c) {
      return c >= 65 && c <= 90 || c >= 97 && c <= 122 || c === 58 || c === 95 || c === 8204 || c === 8205 || c >= 192 && c <= 214 || c >= 216 && c <= 246 || c >= 248 && c <= 767 || c >= 880 && c <= 893 || c >= 895 && c <= 8191 || c >= 8304 && c <= 8591 || c >= 11264 && c <= 12271 || c >= 12289 && c <= 55295 || c >= 63744 && c <= 64975 || c >= 65008 && c <= 65533 || c >= 65536 && c <= 983039;
    }
    exports.isNameStartChar = isNameStartChar;
    function isNameChar(c) {
      return isNameStartChar(c) || c >= 48 && c <= 57 || c === 45 || c === 46 || c === 183 || c >= 768 && c <= 879 || c >= 8255 && c <= 8256;
    }
    exports.isNameChar = isNameChar;
  }
});

// node_modules/xmlchars/xml/1.1/ed2.js
var require_ed2 = __commonJS({
  "node_modules/xmlchars/xml/1.1/ed2.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.CHAR = "-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}";
    exports.RESTRICTED_CHAR = "-\b\v\f-\x7F-\x84\x86-\x9F";
    exports.S = " 	\r\n";
    exports.NAME_START_CHAR = ":A-Z_a-z\xC0-\xD6\xD8-\xF6\xF8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\u{10000}-\u{EFFFF}";
    exports.NAME_CHAR = "-" + exports.NAME_START_CHAR + ".0-9\xB7\u0300-\u036F\u203F-\u2040";
    exports.CHAR_RE = new RegExp("^[" + exports.CHAR + "]$", "u");
    exports.RESTRICTED_CHAR_RE = new RegExp("^[" + exports.RESTRICTED_CHAR + "]$", "u");
    exports.S_RE = new RegExp("^[" + exports.S + "]+$", "u");
    exports.NAME_START_CHAR_RE = new RegExp("^[" + exports.NAME_START_CHAR + "]$", "u");
    exports.NAME_CHAR_RE = new RegExp("^[" + exports.NAME_CHAR + "]$", "u");
    exports.NAME_RE = new RegExp("^[" + exports.NAME_START_CHAR + "][" + exports.NAME_CHAR + "]*$", "u");
    exports.NMTOKEN_RE = new RegExp("^[" + exports.NAME_CHAR + "]+$", "u");
    var TAB = 9;
    var NL = 10;
    var CR = 13;
    var SPACE = 32;
    exports.S_LIST = [SPACE, NL, CR, TAB];
    function isChar(c) {
      return c >= 1 && c <= 55295 || c >= 57344 && c <= 65533 || c >= 65536 && c <= 1114111;
    }
    exports.isChar = isChar;
    function isRestrictedChar(c) {
      return c >= 1 && c <= 8 || c === 11 || c === 12 || c >= 14 && c <= 31 || c >= 127 && c <= 132 || c >= 134 && c <= 159;
    }
    exports.isRestrictedChar = isRestrictedChar;
    function isCharAndNotRestricted(c) {
      return c === 9 || c === 10 || c === 13 || c > 31 && c < 127 || c === 133 || c > 159 && c <= 55295 || c >= 57344 && c <= 65533 || c >= 65536 && c <= 1114111;
    }
    exports.isCharAndNotRestricted = isCharAndNotRestricted;
    function isS(c) {
      return c === SPACE || c === NL || c === CR || c === TAB;
    }
    exports.isS = isS;
    function isNameStartChar(c) {
      return c >= 65 && c <= 90 || c >= 97 && c <= 122 || c === 58 || c === 95 || c === 8204 || c === 8205 || c >= 192 && c <= 214 || c >= 216 && c <= 246 || c >= 248 && c <= 767 || c >= 880 && c <= 893 || c >= 895 && c <= 8191 || c >= 8304 && c <= 8591 || c >= 11264 && c <= 12271 || c >= 12289 && c <= 55295 || c >= 63744 && c <= 64975 || c >= 65008 && c <= 65533 || c >= 65536 && c <= 983039;
    }
    exports.isNameStartChar = isNameStartChar;
    function isNameChar(c) {
      return isNameStartChar(c) || c >= 48 && c <= 57 || c === 45 || c === 46 || c === 183 || c >= 768 && c <= 879 || c >= 8255 && c <= 8256;
    }
    exports.isNameChar = isNameChar;
  }
});

// node_modules/xmlchars/xmlns/1.0/ed3.js
var require_ed3 = __commonJS({
  "node_modules/xmlchars/xmlns/1.0/ed3.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.NC_NAME_START_CHAR = "A-Z_a-z\xC0-\xD6\xD8-\xF6\xF8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\u{10000}-\u{EFFFF}";
    exports.NC_NAME_CHAR = "-" + exports.NC_NAME_START_CHAR + ".0-9\xB7\u0300-\u036F\u203F-\u2040";
    exports.NC_NAME_START_CHAR_RE = new RegExp("^[" + exports.NC_NAME_START_CHAR + "]$", "u");
    exports.NC_NAME_CHAR_RE = new RegExp("^[" + exports.NC_NAME_CHAR + "]$", "u");
    exports.NC_NAME_RE = new RegExp("^[" + exports.NC_NAME_START_CHAR + "][" + exports.NC_NAME_CHAR + "]*$", "u");
    function isNCNameStartChar(c) {
      return c >= 65 && c <= 90 || c === 95 || c >= 97 && c <= 122 || c >= 192 && c <= 214 || c >= 216 && c <= 246 || c >= 248 && c <= 767 || c >= 880 && c <= 893 || c >= 895 && c <= 8191 || c >= 8204 && c <= 8205 || c >= 8304 && c <= 8591 || c >= 11264 && c <= 12271 || c >= 12289 && c <= 55295 || c >= 63744 && c <= 64975 || c >= 65008 && c <= 65533 || c >= 65536 && c <= 983039;
    }
    exports.isNCNameStartChar = isNCNameStartChar;
    function isNCNameChar(c) {
      return isNCNameStartChar(c) || (c === 45 || c === 46 || c >= 48 && c <= 57 || c === 183 || c >= 768 && c <= 879 || c >= 8255 && c <= 8256);
    }
    exports.isNCNameChar = isNCNameChar;
  }
});

// node_modules/saxes/saxes.js
var require_saxes = __commonJS({
  "node_modules/saxes/saxes.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.SaxesParser = exports.EVENTS = void 0;
    var ed5 = require_ed5();
    var ed2 = require_ed2();
    var NSed3 = require_ed3();
    var isS = ed5.isS;
    var isChar10 = ed5.isChar;
    var isNameStartChar = ed5.isNameStartChar;
    var isNameChar = ed5.isNameChar;
    var S_LIST = ed5.S_LIST;
    var NAME_RE = ed5.NAME_RE;
    var isChar11 = ed2.isChar;
    var isNCNameStartChar = NSed3.isNCNameStartChar;
    var isNCNameChar = NSed3.isNCNameChar;
    var NC_NAME_RE = NSed3.NC_NAME_RE;
    var XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace";
    var XMLNS_NAMESPACE = "http://www.w3.org/2000/xmlns/";
    var rootNS = {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment
      __proto__: null,
      xml: XML_NAMESPACE,
      xmlns: XMLNS_NAMESPACE
    };
    var XML_ENTITIES = {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment
      __proto__: null,
      amp: "&",
      gt: ">",
      lt: "<",
      quot: '"',
      apos: "'"
    };
    var EOC = -1;
    var NL_LIKE = -2;
    var S_BEGIN = 0;
    var S_BEGIN_WHITESPACE = 1;
    var S_DOCTYPE = 2;
    var S_DOCTYPE_QUOTE = 3;
    var S_DTD = 4;
    var S_DTD_QUOTED = 5;
    var S_DTD_OPEN_WAKA = 6;
    var S_DTD_OPEN_WAKA_BANG = 7;
    var S_DTD_COMMENT = 8;
    var S_DTD_COMMENT_ENDING = 9;
    var S_DTD_COMMENT_ENDED = 10;
    var S_DTD_PI = 11;
    var S_DTD_PI_ENDING = 12;
    var S_TEXT = 13;
    var S_ENTITY = 14;
    var S_OPEN_WAKA = 15;
    var S_OPEN_WAKA_BANG = 16;
    var S_COMMENT = 17;
    var S_COMMENT_ENDING = 18;
    var S_COMMENT_ENDED = 19;
    var S_CDATA = 20;
    var S_CDATA_ENDING = 21;
    var S_CDATA_ENDING_2 = 22;
    var S_PI_FIRST_CHAR = 23;
    var S_PI_REST = 24;
    var S_PI_BODY = 25;
    var S_PI_ENDING = 26;
    var S_XML_DECL_NAME_START = 27;
    var S_XML_DECL_NAME = 28;
    var S_XML_DECL_EQ = 29;
    var S_XML_DECL_VALUE_START = 30;
    var S_XML_DECL_VALUE = 31;
    var S_XML_DECL_SEPARATOR = 32;
    var S_XML_DECL_ENDING = 33;
    var S_OPEN_TAG = 34;
    var S_OPEN_TAG_SLASH = 35;
    var S_ATTRIB = 36;
    var S_ATTRIB_NAME = 37;
    var S_ATTRIB_NAME_SAW_WHITE = 38;
    var S_ATTRIB_VALUE = 39;
    var S_ATTRIB_VALUE_QUOTED = 40;
    var S_ATTRIB_VALUE_CLOSED = 41;
    var S_ATTRIB_VALUE_UNQUOTED = 42;
    var S_CLOSE_TAG = 43;
    var S_CLOSE_TAG_SAW_WHITE = 44;
    var TAB = 9;
    var NL = 10;
    var CR = 13;
    var SPACE = 32;
    var BANG = 33;
    var DQUOTE = 34;
    var AMP = 38;
    var SQUOTE = 39;
    var MINUS = 45;
    var FORWARD_SLASH = 47;
    var SEMICOLON = 59;
    var LESS = 60;
    var EQUAL = 61;
    var GREATER = 62;
    var QUESTION = 63;
    var OPEN_BRACKET = 91;
    var CLOSE_BRACKET = 93;
    var NEL = 133;
    var LS = 8232;
    var isQuote = (c) => c === DQUOTE || c === SQUOTE;
    var QUOTES = [DQUOTE, SQUOTE];
    var DOCTYPE_TERMINATOR = [...QUOTES, OPEN_BRACKET, GREATER];
    var DTD_TERMINATOR = [...QUOTES, LESS, CLOSE_BRACKET];
    var XML_DECL_NAME_TERMINATOR = [EQUAL, QUESTION, ...S_LIST];
    var ATTRIB_VALUE_UNQUOTED_TERMINATOR = [...S_LIST, GREATER, AMP, LESS];
    function nsPairCheck(parser, prefix, uri) {
      switch (prefix) {
        case "xml":
          if (uri !== XML_NAMESPACE) {
            parser.fail(`xml prefix must be bound to ${XML_NAMESPACE}.`);
          }
          break;
        case "xmlns":
          if (uri !== XMLNS_NAMESPACE) {
            parser.fail(`xmlns prefix must be bound to ${XMLNS_NAMESPACE}.`);
          }
          break;
        default:
      }
      switch (uri) {
        case XMLNS_NAMESPACE:
          parser.fail(prefix === "" ? `the default namespace may not be set to ${uri}.` : `may not assign a prefix (even "xmlns") to the URI ${XMLNS_NAMESPACE}.`);
          break;
        case XML_NAMESPACE:
          switch (prefix) {
            case "xml":
              break;
            case "":
              parser.fail(`the default namespace may not be set to ${uri}.`);
              break;
            default:
              parser.fail("may not assign the xml namespace to another prefix.");
          }
          break;
        default:
      }
    }
    function nsMappingCheck(parser, mapping) {
      for (const local of Object.keys(mapping)) {
        nsPairCheck(parser, local, mapping[local]);
      }
    }
    var isNCName = (name) => NC_NAME_RE.test(name);
    var isName = (name) => NAME_RE.test(name);
    var FORBIDDEN_START = 0;
    var FORBIDDEN_BRACKET = 1;
    var FORBIDDEN_BRACKET_BRACKET = 2;
    exports.EVENTS = [
      "xmldecl",
      "text",
      "processinginstruction",
      "doctype",
      "comment",
      "opentagstart",
      "attribute",
      "opentag",
      "closetag",
      "cdata",
      "error",
      "end",
      "ready"
    ];
    var EVENT_NAME_TO_HANDLER_NAME = {
      xmldecl: "xmldeclHandler",
      text: "textHandler",
      processinginstruction: "piHandler",
      doctype: "doctypeHandler",
      comment: "commentHandler",
      opentagstart: "openTagStartHandler",
      attribute: "attributeHandler",
      opentag: "openTagHandler",
      closetag: "closeTagHandler",
      cdata: "cdataHandler",
      error: "errorHandler",
      end: "endHandler",
      ready: "readyHandler"
    };
    var SaxesParser2 = class {
      /**
       * @param opt The parser options.
       */
      constructor(opt) {
        this.opt = opt !== null && opt !== void 0 ? opt : {};
        this.fragmentOpt = !!this.opt.fragment;
        const xmlnsOpt = this.xmlnsOpt = !!this.opt.xmlns;
        this.trackPosition = this.opt.position !== false;
        this.fileName = this.opt.fileName;
        if (xmlnsOpt) {
          this.nameStartCheck = isNCNameStartChar;
          this.nameCheck = isNCNameChar;
          this.isName = isNCName;
          this.processAttribs = this.processAttribsNS;
          this.pushAttrib = this.pushAttribNS;
          this.ns = Object.assign({ __proto__: null }, rootNS);
          const additional = this.opt.additionalNamespaces;
          if (additional != null) {
            nsMappingCheck(this, additional);
            Object.assign(this.ns, additional);
          }
        } else {
          this.nameStartCheck = isNameStartChar;
          this.nameCheck = isNameChar;
          this.isName = isName;
          this.processAttribs = this.processAttribsPlain;
          this.pushAttrib = this.pushAttribPlain;
        }
        this.stateTable = [
          /* eslint-disable @typescript-eslint/unbound-method */
          this.sBegin,
          this.sBeginWhitespace,
          this.sDoctype,
          this.sDoctypeQuote,
          this.sDTD,
          this.sDTDQuoted,
          this.sDTDOpenWaka,
          this.sDTDOpenWakaBang,
          this.sDTDComment,
          this.sDTDCommentEnding,
          this.sDTDCommentEnded,
          this.sDTDPI,
          this.sDTDPIEnding,
          this.sText,
          this.sEntity,
          this.sOpenWaka,
          this.sOpenWakaBang,
          this.sComment,
          this.sCommentEnding,
          this.sCommentEnded,
          this.sCData,
          this.sCDataEnding,
          this.sCDataEnding2,
          this.sPIFirstChar,
          this.sPIRest,
          this.sPIBody,
          this.sPIEnding,
          this.sXMLDeclNameStart,
          this.sXMLDeclName,
          this.sXMLDeclEq,
          this.sXMLDeclValueStart,
          this.sXMLDeclValue,
          this.sXMLDeclSeparator,
          this.sXMLDeclEnding,
          this.sOpenTag,
          this.sOpenTagSlash,
          this.sAttrib,
          this.sAttribName,
          this.sAttribNameSawWhite,
          this.sAttribValue,
          this.sAttribValueQuoted,
          this.sAttribValueClosed,
          this.sAttribValueUnquoted,
          this.sCloseTag,
          this.sCloseTagSawWhite
          /* eslint-enable @typescript-eslint/unbound-method */
        ];
        this._init();
      }
      /**
       * Indicates whether or not the parser is closed. If ``true``, wait for
       * the ``ready`` event to write again.
       */
      get closed() {
        return this._closed;
      }
      _init() {
        var _a;
        this.openWakaBang = "";
        this.text = "";
        this.name = "";
        this.piTarget = "";
        this.entity = "";
        this.q = null;
        this.tags = [];
        this.tag = null;
        this.topNS = null;
        this.chunk = "";
        this.chunkPosition = 0;
        this.i = 0;
        this.prevI = 0;
        this.carriedFromPrevious = void 0;
        this.forbiddenState = FORBIDDEN_START;
        this.attribList = [];
        const { fragmentOpt } = this;
        this.state = fragmentOpt ? S_TEXT : S_BEGIN;
        this.reportedTextBeforeRoot = this.reportedTextAfterRoot = this.closedRoot = this.sawRoot = fragmentOpt;
        this.xmlDeclPossible = !fragmentOpt;
        this.xmlDeclExpects = ["version"];
        this.entityReturnState = void 0;
        let { defaultXMLVersion } = this.opt;
        if (defaultXMLVersion === void 0) {
          if (this.opt.forceXMLVersion === true) {
            throw new Error("forceXMLVersion set but defaultXMLVersion is not set");
          }
          defaultXMLVersion = "1.0";
        }
        this.setXMLVersion(defaultXMLVersion);
        this.positionAtNewLine = 0;
        this.doctype = false;
        this._closed = false;
        this.xmlDecl = {
          version: void 0,
          encoding: void 0,
          standalone: void 0
        };
        this.line = 1;
        this.column = 0;
        this.ENTITIES = Object.create(XML_ENTITIES);
        (_a = this.readyHandler) === null || _a === void 0 ? void 0 : _a.call(this);
      }
      /**
       * The stream position the parser is currently looking at. This field is
       * zero-based.
       *
       * This field is not based on counting Unicode characters but is to be
       * interpreted as a plain index into a JavaScript string.
       */
      get position() {
        return this.chunkPosition + this.i;
      }
      /**
       * The column number of the next character to be read by the parser.  *
       * This field is zero-based. (The first column in a line is 0.)
       *
       * This field reports the index at which the next character would be in the
       * line if the line were represented as a JavaScript string.  Note that this
       * *can* be different to a count based on the number of *Unicode characters*
       * due to how JavaScript handles astral plane characters.
       *
       * See [[column]] for a number that corresponds to a count of Unicode
       * characters.
       */
      get columnIndex() {
        return this.position - this.positionAtNewLine;
      }
      /**
       * Set an event listener on an event. The parser supports one handler per
       * event type. If you try to set an event handler over an existing handler,
       * the old handler is silently overwritten.
       *
       * @param name The event to listen to.
       *
       * @param handler The handler to set.
       */
      on(name, handler) {
        this[EVENT_NAME_TO_HANDLER_NAME[name]] = handler;
      }
      /**
       * Unset an event handler.
       *
       * @parma name The event to stop listening to.
       */
      off(name) {
        this[EVENT_NAME_TO_HANDLER_NAME[name]] = void 0;
      }
      /**
       * Make an error object. The error object will have a message that contains
       * the ``fileName`` option passed at the creation of the parser. If position
       * tracking was turned on, it will also have line and column number
       * information.
       *
       * @param message The message describing the error to report.
       *
       * @returns An error object with a properly formatted message.
       */
      makeError(message) {
        var _a;
        let msg = (_a = this.fileName) !== null && _a !== void 0 ? _a : "";
        if (this.trackPosition) {
          if (msg.length > 0) {
            msg += ":";
          }
          msg += `${this.line}:${this.column}`;
        }
        if (msg.length > 0) {
          msg += ": ";
        }
        return new Error(msg + message);
      }
      /**
       * Report a parsing error. This method is made public so that client code may
       * check for issues that are outside the scope of this project and can report
       * errors.
       *
       * @param message The error to report.
       *
       * @returns this
       */
      fail(message) {
        const err = this.makeError(message);
        const handler = this.errorHandler;
        if (handler === void 0) {
          throw err;
        } else {
          handler(err);
        }
        return this;
      }
      /**
       * Write a XML data to the parser.
       *
       * @param chunk The XML data to write.
       *
       * @returns this
       */
      // We do need object for the type here. Yes, it often causes problems
      // but not in this case.
      write(chunk) {
        if (this.closed) {
          return this.fail("cannot write after close; assign an onready handler.");
        }
        let end = false;
        if (chunk === null) {
          end = true;
          chunk = "";
        } else if (typeof chunk === "object") {
          chunk = chunk.toString();
        }
        if (this.carriedFromPrevious !== void 0) {
          chunk = `${this.carriedFromPrevious}${chunk}`;
          this.carriedFromPrevious = void 0;
        }
        let limit = chunk.length;
        const lastCode = chunk.charCodeAt(limit - 1);
        if (!end && // A trailing CR or surrogate must be carried over to the next
        // chunk.
        (lastCode === CR || lastCode >= 55296 && lastCode <= 56319)) {
          this.carriedFromPrevious = chunk[limit - 1];
          limit--;
          chunk = chunk.slice(0, limit);
        }
        const { stateTable } = this;
        this.chunk = chunk;
        this.i = 0;
        while (this.i < limit) {
          stateTable[this.state].call(this);
        }
        this.chunkPosition += limit;
        return end ? this.end() : this;
      }
      /**
       * Close the current stream. Perform final well-formedness checks and reset
       * the parser tstate.
       *
       * @returns this
       */
      close() {
        return this.write(null);
      }
      /**
       * Get a single code point out of the current chunk. This updates the current
       * position if we do position tracking.
       *
       * This is the algorithm to use for XML 1.0.
       *
       * @returns The character read.
       */
      getCode10() {
        const { chunk, i } = this;
        this.prevI = i;
        this.i = i + 1;
        if (i >= chunk.length) {
          return EOC;
        }
        const code = chunk.charCodeAt(i);
        this.column++;
        if (code < 55296) {
          if (code >= SPACE || code === TAB) {
            return code;
          }
          switch (code) {
            case NL:
              this.line++;
              this.column = 0;
              this.positionAtNewLine = this.position;
              return NL;
            case CR:
              if (chunk.charCodeAt(i + 1) === NL) {
                this.i = i + 2;
              }
              this.line++;
              this.column = 0;
              this.positionAtNewLine = this.position;
              return NL_LIKE;
            default:
              this.fail("disallowed character.");
              return code;
          }
        }
        if (code > 56319) {
          if (!(code >= 57344 && code <= 65533)) {
            this.fail("disallowed character.");
          }
          return code;
        }
        const final = 65536 + (code - 55296) * 1024 + (chunk.charCodeAt(i + 1) - 56320);
        this.i = i + 2;
        if (final > 1114111) {
          this.fail("disallowed character.");
        }
        return final;
      }
      /**
       * Get a single code point out of the current chunk. This updates the current
       * position if we do position tracking.
       *
       * This is the algorithm to use for XML 1.1.
       *
       * @returns {number} The character read.
       */
      getCode11() {
        const { chunk, i } = this;
        this.prevI = i;
        this.i = i + 1;
        if (i >= chunk.length) {
          return EOC;
        }
        const code = chunk.charCodeAt(i);
        this.column++;
        if (code < 55296) {
          if (code > 31 && code < 127 || code > 159 && code !== LS || code === TAB) {
            return code;
          }
          switch (code) {
            case NL:
              this.line++;
              this.column = 0;
              this.positionAtNewLine = this.position;
              return NL;
            case CR: {
              const next = chunk.charCodeAt(i + 1);
              if (next === NL || next === NEL) {
                this.i = i + 2;
              }
            }
            /* yes, fall through */
            case NEL:
            // 0x85
            case LS:
              this.line++;
              this.column = 0;
              this.positionAtNewLine = this.position;
              return NL_LIKE;
            default:
              this.fail("disallowed character.");
              return code;
          }
        }
        if (code > 56319) {
          if (!(code >= 57344 && code <= 65533)) {
            this.fail("disallowed character.");
          }
          return code;
        }
        const final = 65536 + (code - 55296) * 1024 + (chunk.charCodeAt(i + 1) - 56320);
        this.i = i + 2;
        if (final > 1114111) {
          this.fail("disallowed character.");
        }
        return final;
      }
      /**
       * Like ``getCode`` but with the return value normalized so that ``NL`` is
       * returned for ``NL_LIKE``.
       */
      getCodeNorm() {
        const c = this.getCode();
        return c === NL_LIKE ? NL : c;
      }
      unget() {
        this.i = this.prevI;
        this.column--;
      }
      /**
       * Capture characters into a buffer until encountering one of a set of
       * characters.
       *
       * @param chars An array of codepoints. Encountering a character in the array
       * ends the capture. (``chars`` may safely contain ``NL``.)
       *
       * @return The character code that made the capture end, or ``EOC`` if we hit
       * the end of the chunk. The return value cannot be NL_LIKE: NL is returned
       * instead.
       */
      captureTo(chars) {
        let { i: start } = this;
        const { chunk } = this;
        while (true) {
          const c = this.getCode();
          const isNLLike = c === NL_LIKE;
          const final = isNLLike ? NL : c;
          if (final === EOC || chars.includes(final)) {
            this.text += chunk.slice(start, this.prevI);
            return final;
          }
          if (isNLLike) {
            this.text += `${chunk.slice(start, this.prevI)}
`;
            start = this.i;
          }
        }
      }
      /**
       * Capture characters into a buffer until encountering a character.
       *
       * @param char The codepoint that ends the capture. **NOTE ``char`` MAY NOT
       * CONTAIN ``NL``.** Passing ``NL`` will result in buggy behavior.
       *
       * @return ``true`` if we ran into the character. Otherwise, we ran into the
       * end of the current chunk.
       */
      captureToChar(char) {
        let { i: start } = this;
        const { chunk } = this;
        while (true) {
          let c = this.getCode();
          switch (c) {
            case NL_LIKE:
              this.text += `${chunk.slice(start, this.prevI)}
`;
              start = this.i;
              c = NL;
              break;
            case EOC:
              this.text += chunk.slice(start);
              return false;
            default:
          }
          if (c === char) {
            this.text += chunk.slice(start, this.prevI);
            return true;
          }
        }
      }
      /**
       * Capture characters that satisfy ``isNameChar`` into the ``name`` field of
       * this parser.
       *
       * @return The character code that made the test fail, or ``EOC`` if we hit
       * the end of the chunk. The return value cannot be NL_LIKE: NL is returned
       * instead.
       */
      captureNameChars() {
        const { chunk, i: start } = this;
        while (true) {
          const c = this.getCode();
          if (c === EOC) {
            this.name += chunk.slice(start);
            return EOC;
          }
          if (!isNameChar(c)) {
            this.name += chunk.slice(start, this.prevI);
            return c === NL_LIKE ? NL : c;
          }
        }
      }
      /**
       * Skip white spaces.
       *
       * @return The character that ended the skip, or ``EOC`` if we hit
       * the end of the chunk. The return value cannot be NL_LIKE: NL is returned
       * instead.
       */
      skipSpaces() {
        while (true) {
          const c = this.getCodeNorm();
          if (c === EOC || !isS(c)) {
            return c;
          }
        }
      }
      setXMLVersion(version) {
        this.currentXMLVersion = version;
        if (version === "1.0") {
          this.isChar = isChar10;
          this.getCode = this.getCode10;
        } else {
          this.isChar = isChar11;
          this.getCode = this.getCode11;
        }
      }
      // STATE ENGINE METHODS
      // This needs to be a state separate from S_BEGIN_WHITESPACE because we want
      // to be sure never to come back to this state later.
      sBegin() {
        if (this.chunk.charCodeAt(0) === 65279) {
          this.i++;
          this.column++;
        }
        this.state = S_BEGIN_WHITESPACE;
      }
      sBeginWhitespace() {
        const iBefore = this.i;
        const c = this.skipSpaces();
        if (this.prevI !== iBefore) {
          this.xmlDeclPossible = false;
        }
        switch (c) {
          case LESS:
            this.state = S_OPEN_WAKA;
            if (this.text.length !== 0) {
              throw new Error("no-empty text at start");
            }
            break;
          case EOC:
            break;
          default:
            this.unget();
            this.state = S_TEXT;
            this.xmlDeclPossible = false;
        }
      }
      sDoctype() {
        var _a;
        const c = this.captureTo(DOCTYPE_TERMINATOR);
        switch (c) {
          case GREATER: {
            (_a = this.doctypeHandler) === null || _a === void 0 ? void 0 : _a.call(this, this.text);
            this.text = "";
            this.state = S_TEXT;
            this.doctype = true;
            break;
          }
          case EOC:
            break;
          default:
            this.text += String.fromCodePoint(c);
            if (c === OPEN_BRACKET) {
              this.state = S_DTD;
            } else if (isQuote(c)) {
              this.state = S_DOCTYPE_QUOTE;
              this.q = c;
            }
        }
      }
      sDoctypeQuote() {
        const q = this.q;
        if (this.captureToChar(q)) {
          this.text += String.fromCodePoint(q);
          this.q = null;
          this.state = S_DOCTYPE;
        }
      }
      sDTD() {
        const c = this.captureTo(DTD_TERMINATOR);
        if (c === EOC) {
          return;
        }
        this.text += String.fromCodePoint(c);
        if (c === CLOSE_BRACKET) {
          this.state = S_DOCTYPE;
        } else if (c === LESS) {
          this.state = S_DTD_OPEN_WAKA;
        } else if (isQuote(c)) {
          this.state = S_DTD_QUOTED;
          this.q = c;
        }
      }
      sDTDQuoted() {
        const q = this.q;
        if (this.captureToChar(q)) {
          this.text += String.fromCodePoint(q);
          this.state = S_DTD;
          this.q = null;
        }
      }
      sDTDOpenWaka() {
        const c = this.getCodeNorm();
        this.text += String.fromCodePoint(c);
        switch (c) {
          case BANG:
            this.state = S_DTD_OPEN_WAKA_BANG;
            this.openWakaBang = "";
            break;
          case QUESTION:
            this.state = S_DTD_PI;
            break;
          default:
            this.state = S_DTD;
        }
      }
      sDTDOpenWakaBang() {
        const char = String.fromCodePoint(this.getCodeNorm());
        const owb = this.openWakaBang += char;
        this.text += char;
        if (owb !== "-") {
          this.state = owb === "--" ? S_DTD_COMMENT : S_DTD;
          this.openWakaBang = "";
        }
      }
      sDTDComment() {
        if (this.captureToChar(MINUS)) {
          this.text += "-";
          this.state = S_DTD_COMMENT_ENDING;
        }
      }
      sDTDCommentEnding() {
        const c = this.getCodeNorm();
        this.text += String.fromCodePoint(c);
        this.state = c === MINUS ? S_DTD_COMMENT_ENDED : S_DTD_COMMENT;
      }
      sDTDCommentEnded() {
        const c = this.getCodeNorm();
        this.text += String.fromCodePoint(c);
        if (c === GREATER) {
          this.state = S_DTD;
        } else {
          this.fail("malformed comment.");
          this.state = S_DTD_COMMENT;
        }
      }
      sDTDPI() {
        if (this.captureToChar(QUESTION)) {
          this.text += "?";
          this.state = S_DTD_PI_ENDING;
        }
      }
      sDTDPIEnding() {
        const c = this.getCodeNorm();
        this.text += String.fromCodePoint(c);
        if (c === GREATER) {
          this.state = S_DTD;
        }
      }
      sText() {
        if (this.tags.length !== 0) {
          this.handleTextInRoot();
        } else {
          this.handleTextOutsideRoot();
        }
      }
      sEntity() {
        let { i: start } = this;
        const { chunk } = this;
        loop:
          while (true) {
            switch (this.getCode()) {
              case NL_LIKE:
                this.entity += `${chunk.slice(start, this.prevI)}
`;
                start = this.i;
                break;
              case SEMICOLON: {
                const { entityReturnState } = this;
                const entity = this.entity + chunk.slice(start, this.prevI);
                this.state = entityReturnState;
                let parsed;
                if (entity === "") {
                  this.fail("empty entity name.");
                  parsed = "&;";
                } else {
                  parsed = this.parseEntity(entity);
                  this.entity = "";
                }
                if (entityReturnState !== S_TEXT || this.textHandler !== void 0) {
                  this.text += parsed;
                }
                break loop;
              }
              case EOC:
                this.entity += chunk.slice(start);
                break loop;
              default:
            }
          }
      }
      sOpenWaka() {
        const c = this.getCode();
        if (isNameStartChar(c)) {
          this.state = S_OPEN_TAG;
          this.unget();
          this.xmlDeclPossible = false;
        } else {
          switch (c) {
            case FORWARD_SLASH:
              this.state = S_CLOSE_TAG;
              this.xmlDeclPossible = false;
              break;
            case BANG:
              this.state = S_OPEN_WAKA_BANG;
              this.openWakaBang = "";
              this.xmlDeclPossible = false;
              break;
            case QUESTION:
              this.state = S_PI_FIRST_CHAR;
              break;
            default:
              this.fail("disallowed character in tag name");
              this.state = S_TEXT;
              this.xmlDeclPossible = false;
          }
        }
      }
      sOpenWakaBang() {
        this.openWakaBang += String.fromCodePoint(this.getCodeNorm());
        switch (this.openWakaBang) {
          case "[CDATA[":
            if (!this.sawRoot && !this.reportedTextBeforeRoot) {
              this.fail("text data outside of root node.");
              this.reportedTextBeforeRoot = true;
            }
            if (this.closedRoot && !this.reportedTextAfterRoot) {
              this.fail("text data outside of root node.");
              this.reportedTextAfterRoot = true;
            }
            this.state = S_CDATA;
            this.openWakaBang = "";
            break;
          case "--":
            this.state = S_COMMENT;
            this.openWakaBang = "";
            break;
          case "DOCTYPE":
            this.state = S_DOCTYPE;
            if (this.doctype || this.sawRoot) {
              this.fail("inappropriately located doctype declaration.");
            }
            this.openWakaBang = "";
            break;
          default:
            if (this.openWakaBang.length >= 7) {
              this.fail("incorrect syntax.");
            }
        }
      }
      sComment() {
        if (this.captureToChar(MINUS)) {
          this.state = S_COMMENT_ENDING;
        }
      }
      sCommentEnding() {
        var _a;
        const c = this.getCodeNorm();
        if (c === MINUS) {
          this.state = S_COMMENT_ENDED;
          (_a = this.commentHandler) === null || _a === void 0 ? void 0 : _a.call(this, this.text);
          this.text = "";
        } else {
          this.text += `-${String.fromCodePoint(c)}`;
          this.state = S_COMMENT;
        }
      }
      sCommentEnded() {
        const c = this.getCodeNorm();
        if (c !== GREATER) {
          this.fail("malformed comment.");
          this.text += `--${String.fromCodePoint(c)}`;
          this.state = S_COMMENT;
        } else {
          this.state = S_TEXT;
        }
      }
      sCData() {
        if (this.captureToChar(CLOSE_BRACKET)) {
          this.state = S_CDATA_ENDING;
        }
      }
      sCDataEnding() {
        const c = this.getCodeNorm();
        if (c === CLOSE_BRACKET) {
          this.state = S_CDATA_ENDING_2;
        } else {
          this.text += `]${String.fromCodePoint(c)}`;
          this.state = S_CDATA;
        }
      }
      sCDataEnding2() {
        var _a;
        const c = this.getCodeNorm();
        switch (c) {
          case GREATER: {
            (_a = this.cdataHandler) === null || _a === void 0 ? void 0 : _a.call(this, this.text);
            this.text = "";
            this.state = S_TEXT;
            break;
          }
          case CLOSE_BRACKET:
            this.text += "]";
            break;
          default:
            this.text += `]]${String.fromCodePoint(c)}`;
            this.state = S_CDATA;
        }
      }
      // We need this separate state to check the first character fo the pi target
      // with this.nameStartCheck which allows less characters than this.nameCheck.
      sPIFirstChar() {
        const c = this.getCodeNorm();
        if (this.nameStartCheck(c)) {
          this.piTarget += String.fromCodePoint(c);
          this.state = S_PI_REST;
        } else if (c === QUESTION || isS(c)) {
          this.fail("processing instruction without a target.");
          this.state = c === QUESTION ? S_PI_ENDING : S_PI_BODY;
        } else {
          this.fail("disallowed character in processing instruction name.");
          this.piTarget += String.fromCodePoint(c);
          this.state = S_PI_REST;
        }
      }
      sPIRest() {
        const { chunk, i: start } = this;
        while (true) {
          const c = this.getCodeNorm();
          if (c === EOC) {
            this.piTarget += chunk.slice(start);
            return;
          }
          if (!this.nameCheck(c)) {
            this.piTarget += chunk.slice(start, this.prevI);
            const isQuestion = c === QUESTION;
            if (isQuestion || isS(c)) {
              if (this.piTarget === "xml") {
                if (!this.xmlDeclPossible) {
                  this.fail("an XML declaration must be at the start of the document.");
                }
                this.state = isQuestion ? S_XML_DECL_ENDING : S_XML_DECL_NAME_START;
              } else {
                this.state = isQuestion ? S_PI_ENDING : S_PI_BODY;
              }
            } else {
              this.fail("disallowed character in processing instruction name.");
              this.piTarget += String.fromCodePoint(c);
            }
            break;
          }
        }
      }
      sPIBody() {
        if (this.text.length === 0) {
          const c = this.getCodeNorm();
          if (c === QUESTION) {
            this.state = S_PI_ENDING;
          } else if (!isS(c)) {
            this.text = String.fromCodePoint(c);
          }
        } else if (this.captureToChar(QUESTION)) {
          this.state = S_PI_ENDING;
        }
      }
      sPIEnding() {
        var _a;
        const c = this.getCodeNorm();
        if (c === GREATER) {
          const { piTarget } = this;
          if (piTarget.toLowerCase() === "xml") {
            this.fail("the XML declaration must appear at the start of the document.");
          }
          (_a = this.piHandler) === null || _a === void 0 ? void 0 : _a.call(this, {
            target: piTarget,
            body: this.text
          });
          this.piTarget = this.text = "";
          this.state = S_TEXT;
        } else if (c === QUESTION) {
          this.text += "?";
        } else {
          this.text += `?${String.fromCodePoint(c)}`;
          this.state = S_PI_BODY;
        }
        this.xmlDeclPossible = false;
      }
      sXMLDeclNameStart() {
        const c = this.skipSpaces();
        if (c === QUESTION) {
          this.state = S_XML_DECL_ENDING;
          return;
        }
        if (c !== EOC) {
          this.state = S_XML_DECL_NAME;
          this.name = String.fromCodePoint(c);
        }
      }
      sXMLDeclName() {
        const c = this.captureTo(XML_DECL_NAME_TERMINATOR);
        if (c === QUESTION) {
          this.state = S_XML_DECL_ENDING;
          this.name += this.text;
          this.text = "";
          this.fail("XML declaration is incomplete.");
          return;
        }
        if (!(isS(c) || c === EQUAL)) {
          return;
        }
        this.name += this.text;
        this.text = "";
        if (!this.xmlDeclExpects.includes(this.name)) {
          switch (this.name.length) {
            case 0:
              this.fail("did not expect any more name/value pairs.");
              break;
            case 1:
              this.fail(`expected the name ${this.xmlDeclExpects[0]}.`);
              break;
            default:
              this.fail(`expected one of ${this.xmlDeclExpects.join(", ")}`);
          }
        }
        this.state = c === EQUAL ? S_XML_DECL_VALUE_START : S_XML_DECL_EQ;
      }
      sXMLDeclEq() {
        const c = this.getCodeNorm();
        if (c === QUESTION) {
          this.state = S_XML_DECL_ENDING;
          this.fail("XML declaration is incomplete.");
          return;
        }
        if (isS(c)) {
          return;
        }
        if (c !== EQUAL) {
          this.fail("value required.");
        }
        this.state = S_XML_DECL_VALUE_START;
      }
      sXMLDeclValueStart() {
        const c = this.getCodeNorm();
        if (c === QUESTION) {
          this.state = S_XML_DECL_ENDING;
          this.fail("XML declaration is incomplete.");
          return;
        }
        if (isS(c)) {
          return;
        }
        if (!isQuote(c)) {
          this.fail("value must be quoted.");
          this.q = SPACE;
        } else {
          this.q = c;
        }
        this.state = S_XML_DECL_VALUE;
      }
      sXMLDeclValue() {
        const c = this.captureTo([this.q, QUESTION]);
        if (c === QUESTION) {
          this.state = S_XML_DECL_ENDING;
          this.text = "";
          this.fail("XML declaration is incomplete.");
          return;
        }
        if (c === EOC) {
          return;
        }
        const value = this.text;
        this.text = "";
        switch (this.name) {
          case "version": {
            this.xmlDeclExpects = ["encoding", "standalone"];
            const version = value;
            this.xmlDecl.version = version;
            if (!/^1\.[0-9]+$/.test(version)) {
              this.fail("version number must match /^1\\.[0-9]+$/.");
            } else if (!this.opt.forceXMLVersion) {
              this.setXMLVersion(version);
            }
            break;
          }
          case "encoding":
            if (!/^[A-Za-z][A-Za-z0-9._-]*$/.test(value)) {
              this.fail("encoding value must match /^[A-Za-z0-9][A-Za-z0-9._-]*$/.");
            }
            this.xmlDeclExpects = ["standalone"];
            this.xmlDecl.encoding = value;
            break;
          case "standalone":
            if (value !== "yes" && value !== "no") {
              this.fail('standalone value must match "yes" or "no".');
            }
            this.xmlDeclExpects = [];
            this.xmlDecl.standalone = value;
            break;
          default:
        }
        this.name = "";
        this.state = S_XML_DECL_SEPARATOR;
      }
      sXMLDeclSeparator() {
        const c = this.getCodeNorm();
        if (c === QUESTION) {
          this.state = S_XML_DECL_ENDING;
          return;
        }
        if (!isS(c)) {
          this.fail("whitespace required.");
          this.unget();
        }
        this.state = S_XML_DECL_NAME_START;
      }
      sXMLDeclEnding() {
        var _a;
        const c = this.getCodeNorm();
        if (c === GREATER) {
          if (this.piTarget !== "xml") {
            this.fail("processing instructions are not allowed before root.");
          } else if (this.name !== "version" && this.xmlDeclExpects.includes("version")) {
            this.fail("XML declaration must contain a version.");
          }
          (_a = this.xmldeclHandler) === null || _a === void 0 ? void 0 : _a.call(this, this.xmlDecl);
          this.name = "";
          this.piTarget = this.text = "";
          this.state = S_TEXT;
        } else {
          this.fail("The character ? is disallowed anywhere in XML declarations.");
        }
        this.xmlDeclPossible = false;
      }
      sOpenTag() {
        var _a;
        const c = this.captureNameChars();
        if (c === EOC) {
          return;
        }
        const tag = this.tag = {
          name: this.name,
          attributes: /* @__PURE__ */ Object.create(null)
        };
        this.name = "";
        if (this.xmlnsOpt) {
          this.topNS = tag.ns = /* @__PURE__ */ Object.create(null);
        }
        (_a = this.openTagStartHandler) === null || _a === void 0 ? void 0 : _a.call(this, tag);
        this.sawRoot = true;
        if (!this.fragmentOpt && this.closedRoot) {
          this.fail("documents may contain only one root.");
        }
        switch (c) {
          case GREATER:
            this.openTag();
            break;
          case FORWARD_SLASH:
            this.state = S_OPEN_TAG_SLASH;
            break;
          default:
            if (!isS(c)) {
              this.fail("disallowed character in tag name.");
            }
            this.state = S_ATTRIB;
        }
      }
      sOpenTagSlash() {
        if (this.getCode() === GREATER) {
          this.openSelfClosingTag();
        } else {
          this.fail("forward-slash in opening tag not followed by >.");
          this.state = S_ATTRIB;
        }
      }
      sAttrib() {
        const c = this.skipSpaces();
        if (c === EOC) {
          return;
        }
        if (isNameStartChar(c)) {
          this.unget();
          this.state = S_ATTRIB_NAME;
        } else if (c === GREATER) {
          this.openTag();
        } else if (c === FORWARD_SLASH) {
          this.state = S_OPEN_TAG_SLASH;
        } else {
          this.fail("disallowed character in attribute name.");
        }
      }
      sAttribName() {
        const c = this.captureNameChars();
        if (c === EQUAL) {
          this.state = S_ATTRIB_VALUE;
        } else if (isS(c)) {
          this.state = S_ATTRIB_NAME_SAW_WHITE;
        } else if (c === GREATER) {
          this.fail("attribute without value.");
          this.pushAttrib(this.name, this.name);
          this.name = this.text = "";
          this.openTag();
        } else if (c !== EOC) {
          this.fail("disallowed character in attribute name.");
        }
      }
      sAttribNameSawWhite() {
        const c = this.skipSpaces();
        switch (c) {
          case EOC:
            return;
          case EQUAL:
            this.state = S_ATTRIB_VALUE;
            break;
          default:
            this.fail("attribute without value.");
            this.text = "";
            this.name = "";
            if (c === GREATER) {
              this.openTag();
            } else if (isNameStartChar(c)) {
              this.unget();
              this.state = S_ATTRIB_NAME;
            } else {
              this.fail("disallowed character in attribute name.");
              this.state = S_ATTRIB;
            }
        }
      }
      sAttribValue() {
        const c = this.getCodeNorm();
        if (isQuote(c)) {
          this.q = c;
          this.state = S_ATTRIB_VALUE_QUOTED;
        } else if (!isS(c)) {
          this.fail("unquoted attribute value.");
          this.state = S_ATTRIB_VALUE_UNQUOTED;
          this.unget();
        }
      }
      sAttribValueQuoted() {
        const { q, chunk } = this;
        let { i: start } = this;
        while (true) {
          switch (this.getCode()) {
            case q:
              this.pushAttrib(this.name, this.text + chunk.slice(start, this.prevI));
              this.name = this.text = "";
              this.q = null;
              this.state = S_ATTRIB_VALUE_CLOSED;
              return;
            case AMP:
              this.text += chunk.slice(start, this.prevI);
              this.state = S_ENTITY;
              this.entityReturnState = S_ATTRIB_VALUE_QUOTED;
              return;
            case NL:
            case NL_LIKE:
            case TAB:
              this.text += `${chunk.slice(start, this.prevI)} `;
              start = this.i;
              break;
            case LESS:
              this.text += chunk.slice(start, this.prevI);
              this.fail("disallowed character.");
              return;
            case EOC:
              this.text += chunk.slice(start);
              return;
            default:
          }
        }
      }
      sAttribValueClosed() {
        const c = this.getCodeNorm();
        if (isS(c)) {
          this.state = S_ATTRIB;
        } else if (c === GREATER) {
          this.openTag();
        } else if (c === FORWARD_SLASH) {
          this.state = S_OPEN_TAG_SLASH;
        } else if (isNameStartChar(c)) {
          this.fail("no whitespace between attributes.");
          this.unget();
          this.state = S_ATTRIB_NAME;
        } else {
          this.fail("disallowed character in attribute name.");
        }
      }
      sAttribValueUnquoted() {
        const c = this.captureTo(ATTRIB_VALUE_UNQUOTED_TERMINATOR);
        switch (c) {
          case AMP:
            this.state = S_ENTITY;
            this.entityReturnState = S_ATTRIB_VALUE_UNQUOTED;
            break;
          case LESS:
            this.fail("disallowed character.");
            break;
          case EOC:
            break;
          default:
            if (this.text.includes("]]>")) {
              this.fail('the string "]]>" is disallowed in char data.');
            }
            this.pushAttrib(this.name, this.text);
            this.name = this.text = "";
            if (c === GREATER) {
              this.openTag();
            } else {
              this.state = S_ATTRIB;
            }
        }
      }
      sCloseTag() {
        const c = this.captureNameChars();
        if (c === GREATER) {
          this.closeTag();
        } else if (isS(c)) {
          this.state = S_CLOSE_TAG_SAW_WHITE;
        } else if (c !== EOC) {
          this.fail("disallowed character in closing tag.");
        }
      }
      sCloseTagSawWhite() {
        switch (this.skipSpaces()) {
          case GREATER:
            this.closeTag();
            break;
          case EOC:
            break;
          default:
            this.fail("disallowed character in closing tag.");
        }
      }
      // END OF STATE ENGINE METHODS
      handleTextInRoot() {
        let { i: start, forbiddenState } = this;
        const { chunk, textHandler: handler } = this;
        scanLoop:
          while (true) {
            switch (this.getCode()) {
              case LESS: {
                this.state = S_OPEN_WAKA;
                if (handler !== void 0) {
                  const { text } = this;
                  const slice = chunk.slice(start, this.prevI);
                  if (text.length !== 0) {
                    handler(text + slice);
                    this.text = "";
                  } else if (slice.length !== 0) {
                    handler(slice);
                  }
                }
                forbiddenState = FORBIDDEN_START;
                break scanLoop;
              }
              case AMP:
                this.state = S_ENTITY;
                this.entityReturnState = S_TEXT;
                if (handler !== void 0) {
                  this.text += chunk.slice(start, this.prevI);
                }
                forbiddenState = FORBIDDEN_START;
                break scanLoop;
              case CLOSE_BRACKET:
                switch (forbiddenState) {
                  case FORBIDDEN_START:
                    forbiddenState = FORBIDDEN_BRACKET;
                    break;
                  case FORBIDDEN_BRACKET:
                    forbiddenState = FORBIDDEN_BRACKET_BRACKET;
                    break;
                  case FORBIDDEN_BRACKET_BRACKET:
                    break;
                  default:
                    throw new Error("impossible state");
                }
                break;
              case GREATER:
                if (forbiddenState === FORBIDDEN_BRACKET_BRACKET) {
                  this.fail('the string "]]>" is disallowed in char data.');
                }
                forbiddenState = FORBIDDEN_START;
                break;
              case NL_LIKE:
                if (handler !== void 0) {
                  this.text += `${chunk.slice(start, this.prevI)}
`;
                }
                start = this.i;
                forbiddenState = FORBIDDEN_START;
                break;
              case EOC:
                if (handler !== void 0) {
                  this.text += chunk.slice(start);
                }
                break scanLoop;
              default:
                forbiddenState = FORBIDDEN_START;
            }
          }
        this.forbiddenState = forbiddenState;
      }
      handleTextOutsideRoot() {
        let { i: start } = this;
        const { chunk, textHandler: handler } = this;
        let nonSpace = false;
        outRootLoop:
          while (true) {
            const code = this.getCode();
            switch (code) {
              case LESS: {
                this.state = S_OPEN_WAKA;
                if (handler !== void 0) {
                  const { text } = this;
                  const slice = chunk.slice(start, this.prevI);
                  if (text.length !== 0) {
                    handler(text + slice);
                    this.text = "";
                  } else if (slice.length !== 0) {
                    handler(slice);
                  }
                }
                break outRootLoop;
              }
              case AMP:
                this.state = S_ENTITY;
                this.entityReturnState = S_TEXT;
                if (handler !== void 0) {
                  this.text += chunk.slice(start, this.prevI);
                }
                nonSpace = true;
                break outRootLoop;
              case NL_LIKE:
                if (handler !== void 0) {
                  this.text += `${chunk.slice(start, this.prevI)}
`;
                }
                start = this.i;
                break;
              case EOC:
                if (handler !== void 0) {
                  this.text += chunk.slice(start);
                }
                break outRootLoop;
              default:
                if (!isS(code)) {
                  nonSpace = true;
                }
            }
          }
        if (!nonSpace) {
          return;
        }
        if (!this.sawRoot && !this.reportedTextBeforeRoot) {
          this.fail("text data outside of root node.");
          this.reportedTextBeforeRoot = true;
        }
        if (this.closedRoot && !this.reportedTextAfterRoot) {
          this.fail("text data outside of root node.");
          this.reportedTextAfterRoot = true;
        }
      }
      pushAttribNS(name, value) {
        var _a;
        const { prefix, local } = this.qname(name);
        const attr = { name, prefix, local, value };
        this.attribList.push(attr);
        (_a = this.attributeHandler) === null || _a === void 0 ? void 0 : _a.call(this, attr);
        if (prefix === "xmlns") {
          const trimmed = value.trim();
          if (this.currentXMLVersion === "1.0" && trimmed === "") {
            this.fail("invalid attempt to undefine prefix in XML 1.0");
          }
          this.topNS[local] = trimmed;
          nsPairCheck(this, local, trimmed);
        } else if (name === "xmlns") {
          const trimmed = value.trim();
          this.topNS[""] = trimmed;
          nsPairCheck(this, "", trimmed);
        }
      }
      pushAttribPlain(name, value) {
        var _a;
        const attr = { name, value };
        this.attribList.push(attr);
        (_a = this.attributeHandler) === null || _a === void 0 ? void 0 : _a.call(this, attr);
      }
      /**
       * End parsing. This performs final well-formedness checks and resets the
       * parser to a clean state.
       *
       * @returns this
       */
      end() {
        var _a, _b;
        if (!this.sawRoot) {
          this.fail("document must contain a root element.");
        }
        const { tags } = this;
        while (tags.length > 0) {
          const tag = tags.pop();
          this.fail(`unclosed tag: ${tag.name}`);
        }
        if (this.state !== S_BEGIN && this.state !== S_TEXT) {
          this.fail("unexpected end.");
        }
        const { text } = this;
        if (text.length !== 0) {
          (_a = this.textHandler) === null || _a === void 0 ? void 0 : _a.call(this, text);
          this.text = "";
        }
        this._closed = true;
        (_b = this.endHandler) === null || _b === void 0 ? void 0 : _b.call(this);
        this._init();
        return this;
      }
      /**
       * Resolve a namespace prefix.
       *
       * @param prefix The prefix to resolve.
       *
       * @returns The namespace URI or ``undefined`` if the prefix is not defined.
       */
      resolve(prefix) {
        var _a, _b;
        let uri = this.topNS[prefix];
        if (uri !== void 0) {
          return uri;
        }
        const { tags } = this;
        for (let index = tags.length - 1; index >= 0; index--) {
          uri = tags[index].ns[prefix];
          if (uri !== void 0) {
            return uri;
          }
        }
        uri = this.ns[prefix];
        if (uri !== void 0) {
          return uri;
        }
        return (_b = (_a = this.opt).resolvePrefix) === null || _b === void 0 ? void 0 : _b.call(_a, prefix);
      }
      /**
       * Parse a qname into its prefix and local name parts.
       *
       * @param name The name to parse
       *
       * @returns
       */
      qname(name) {
        const colon = name.indexOf(":");
        if (colon === -1) {
          return { prefix: "", local: name };
        }
        const local = name.slice(colon + 1);
        const prefix = name.slice(0, colon);
        if (prefix === "" || local === "" || local.includes(":")) {
          this.fail(`malformed name: ${name}.`);
        }
        return { prefix, local };
      }
      processAttribsNS() {
        var _a;
        const { attribList } = this;
        const tag = this.tag;
        {
          const { prefix, local } = this.qname(tag.name);
          tag.prefix = prefix;
          tag.local = local;
          const uri = tag.uri = (_a = this.resolve(prefix)) !== null && _a !== void 0 ? _a : "";
          if (prefix !== "") {
            if (prefix === "xmlns") {
              this.fail('tags may not have "xmlns" as prefix.');
            }
            if (uri === "") {
              this.fail(`unbound namespace prefix: ${JSON.stringify(prefix)}.`);
              tag.uri = prefix;
            }
          }
        }
        if (attribList.length === 0) {
          return;
        }
        const { attributes } = tag;
        const seen = /* @__PURE__ */ new Set();
        for (const attr of attribList) {
          const { name, prefix, local } = attr;
          let uri;
          let eqname;
          if (prefix === "") {
            uri = name === "xmlns" ? XMLNS_NAMESPACE : "";
            eqname = name;
          } else {
            uri = this.resolve(prefix);
            if (uri === void 0) {
              this.fail(`unbound namespace prefix: ${JSON.stringify(prefix)}.`);
              uri = prefix;
            }
            eqname = `{${uri}}${local}`;
          }
          if (seen.has(eqname)) {
            this.fail(`duplicate attribute: ${eqname}.`);
          }
          seen.add(eqname);
          attr.uri = uri;
          attributes[name] = attr;
        }
        this.attribList = [];
      }
      processAttribsPlain() {
        const { attribList } = this;
        const attributes = this.tag.attributes;
        for (const { name, value } of attribList) {
          if (attributes[name] !== void 0) {
            this.fail(`duplicate attribute: ${name}.`);
          }
          attributes[name] = value;
        }
        this.attribList = [];
      }
      /**
       * Handle a complete open tag. This parser code calls this once it has seen
       * the whole tag. This method checks for well-formeness and then emits
       * ``onopentag``.
       */
      openTag() {
        var _a;
        this.processAttribs();
        const { tags } = this;
        const tag = this.tag;
        tag.isSelfClosing = false;
        (_a = this.openTagHandler) === null || _a === void 0 ? void 0 : _a.call(this, tag);
        tags.push(tag);
        this.state = S_TEXT;
        this.name = "";
      }
      /**
       * Handle a complete self-closing tag. This parser code calls this once it has
       * seen the whole tag. This method checks for well-formeness and then emits
       * ``onopentag`` and ``onclosetag``.
       */
      openSelfClosingTag() {
        var _a, _b, _c;
        this.processAttribs();
        const { tags } = this;
        const tag = this.tag;
        tag.isSelfClosing = true;
        (_a = this.openTagHandler) === null || _a === void 0 ? void 0 : _a.call(this, tag);
        (_b = this.closeTagHandler) === null || _b === void 0 ? void 0 : _b.call(this, tag);
        const top = this.tag = (_c = tags[tags.length - 1]) !== null && _c !== void 0 ? _c : null;
        if (top === null) {
          this.closedRoot = true;
        }
        this.state = S_TEXT;
        this.name = "";
      }
      /**
       * Handle a complete close tag. This parser code calls this once it has seen
       * the whole tag. This method checks for well-formeness and then emits
       * ``onclosetag``.
       */
      closeTag() {
        const { tags, name } = this;
        this.state = S_TEXT;
        this.name = "";
        if (name === "") {
          this.fail("weird empty close tag.");
          this.text += "</>";
          return;
        }
        const handler = this.closeTagHandler;
        let l = tags.length;
        while (l-- > 0) {
          const tag = this.tag = tags.pop();
          this.topNS = tag.ns;
          handler === null || handler === void 0 ? void 0 : handler(tag);
          if (tag.name === name) {
            break;
          }
          this.fail("unexpected close tag.");
        }
        if (l === 0) {
          this.closedRoot = true;
        } else if (l < 0) {
          this.fail(`unmatched closing tag: ${name}.`);
          this.text += `</${name}>`;
        }
      }
      /**
       * Resolves an entity. Makes any necessary well-formedness checks.
       *
       * @param entity The entity to resolve.
       *
       * @returns The parsed entity.
       */
      parseEntity(entity) {
        if (entity[0] !== "#") {
          const defined = this.ENTITIES[entity];
          if (defined !== void 0) {
            return defined;
          }
          this.fail(this.isName(entity) ? "undefined entity." : "disallowed character in entity name.");
          return `&${entity};`;
        }
        let num = NaN;
        if (entity[1] === "x" && /^#x[0-9a-f]+$/i.test(entity)) {
          num = parseInt(entity.slice(2), 16);
        } else if (/^#[0-9]+$/.test(entity)) {
          num = parseInt(entity.slice(1), 10);
        }
        if (!this.isChar(num)) {
          this.fail("malformed character entity.");
          return `&${entity};`;
        }
        return String.fromCodePoint(num);
      }
    };
    exports.SaxesParser = SaxesParser2;
  }
});

// src/lib/junit/parallel.ts
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

// src/lib/junit/engine.ts
var import_saxes = __toESM(require_saxes(), 1);
import { open } from "node:fs/promises";
import { StringDecoder } from "node:string_decoder";

// src/lib/junit/errors.ts
var JUnitParseError = class extends Error {
  constructor(file, reason, line, column) {
    super(`${file}${line !== void 0 ? `:${line}:${column ?? 0}` : ""}: ${reason}`);
    this.file = file;
    this.reason = reason;
    this.line = line;
    this.column = column;
  }
  file;
  reason;
  line;
  column;
  name = "JUnitParseError";
};
var JUnitRefusedError = class extends JUnitParseError {
  name = "JUnitRefusedError";
};

// src/lib/junit/identity.ts
var bytes = Buffer.alloc(64 * 1024);
var words = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
var PREFIX_CACHE = 8;
var IdentityHasher = class {
  prefixes = [];
  next = 0;
  hash(suite, classname, name, file) {
    let p;
    for (let i = 0; i < this.prefixes.length; i++) {
      const q = this.prefixes[i];
      if (q.classname === classname && q.suite === suite && q.file === file) {
        p = q;
        break;
      }
    }
    p ??= this.remember(suite, classname, file);
    const n = encode(name);
    let h1 = p.h1;
    let h2 = p.h2;
    for (let i = 0, end = n + 3 >> 2; i < end; i++) {
      const w = words[i];
      h1 = Math.imul(h1 ^ w, 16777619);
      h1 ^= h1 >>> 15;
      h2 = Math.imul(h2 ^ w, 1540483477);
      h2 ^= h2 >>> 13;
    }
    return combine(finalMix(h1 ^ n), finalMix(h2 + 2654435769));
  }
  remember(suite, classname, file) {
    let h1 = 2166136261;
    let h2 = 625341585;
    for (const part of [suite, classname, file]) {
      const n = part === void 0 ? -1 : encode(part);
      for (let i = 0, end = n + 3 >> 2; i < end; i++) {
        const w = words[i];
        h1 = Math.imul(h1 ^ w, 16777619);
        h1 ^= h1 >>> 15;
        h2 = Math.imul(h2 ^ w, 1540483477);
        h2 ^= h2 >>> 13;
      }
      h1 = Math.imul(h1 ^ n, 16777619);
      h2 = Math.imul(h2 ^ n, 1540483477);
    }
    const p = { suite, classname, file, h1, h2 };
    if (this.prefixes.length < PREFIX_CACHE) this.prefixes.push(p);
    else this.prefixes[this.next++ % PREFIX_CACHE] = p;
    return p;
  }
};
function encode(s) {
  const n = bytes.write(s, 0, bytes.length - 4, "utf8");
  bytes[n] = 0;
  bytes[n + 1] = 0;
  bytes[n + 2] = 0;
  return n;
}
function finalMix(h) {
  h ^= h >>> 16;
  h = Math.imul(h, 2246822507);
  h ^= h >>> 13;
  h = Math.imul(h, 3266489909);
  return (h ^ h >>> 16) >>> 0;
}
function combine(a, b) {
  return a * 2097152 + (b >>> 11);
}
function identityKey(suite, classname, name, file) {
  return `${suite}\0${classname}\0${file ?? ""}\0${name}`;
}
var HashLog = class {
  values = new Float64Array(1024);
  length = 0;
  sortedValues;
  add(hash) {
    if (this.length === this.values.length) {
      const more = new Float64Array(this.values.length * 2);
      more.set(this.values);
      this.values = more;
    }
    this.values[this.length++] = hash;
    this.sortedValues = void 0;
  }
  /** The hashes in ascending order (a view into this log). */
  sorted() {
    this.sortedValues ??= this.values.subarray(0, this.length).sort();
    return this.sortedValues;
  }
  /** Hashes met more than once, with how often. */
  repeats() {
    return repeatsIn(this.sorted());
  }
};
function repeatsIn(sorted) {
  const out = /* @__PURE__ */ new Map();
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i] === sorted[i - 1]) out.set(sorted[i], (out.get(sorted[i]) ?? 1) + 1);
  return out;
}

// src/lib/junit/text.ts
var ANSI_SEQUENCE = /(?:\x1b|#x1B)\[[0-?]*[ -/]*[@-~]/g;
var FORBIDDEN = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g;
function stripAnsi(text) {
  return text.includes("\x1B") || text.includes("#x1B") ? text.replace(ANSI_SEQUENCE, "") : text;
}
function replaceForbidden(text) {
  return text.replace(FORBIDDEN, "\uFFFD");
}
function isReplaceableCode(code) {
  return code < 32 && code !== 9 && code !== 10 && code !== 13 || code === 65534 || code === 65535;
}

// src/lib/junit/types.ts
function caseId(classname, name) {
  return classname === "" ? name : `${classname}::${name}`;
}

// src/lib/junit/engine.ts
var DEFAULT_MAX_FAILURE_CHARS = 16384;
var DEFAULT_MAX_OUTPUT_CHARS = 4096;
var DEFAULT_MAX_FAILURES = 500;
var DEFAULT_READ_CHUNK_BYTES = 64 * 1024;
var READ_BLOCK_BYTES = 1024 * 1024;
var DEFAULT_MAX_PROPERTIES = 32;
var MAX_ATTRIBUTE_CHARS = 4096;
var ATTRIBUTE_BUFFER_CHARS = 2 * MAX_ATTRIBUTE_CHARS;
var DRAIN_THRESHOLD = 64 * 1024;
var MAX_NAME_CHARS = 1024 * 1024;
var MAX_ATTRIBUTES = 1e4;
var NONE = 0;
var FAILURE = 1;
var SKIPPED = 2;
var OUT = 3;
var ERR = 4;
var PROPERTY = 5;
var [TEXT_STATE, CDATA_STATE, ATTRIBUTE_STATE, ENTITY_STATE, COMMENT_STATE] = (() => {
  const probe = (xml, withText = false) => {
    const p = new import_saxes.SaxesParser();
    if (withText) p.on("text", () => void 0);
    p.write(xml);
    return p.state;
  };
  try {
    const states = [
      probe("<a>x", true),
      probe("<a><![CDATA[x"),
      probe('<a b="x'),
      probe("<a>&am"),
      probe("<a><!-- x")
    ];
    return states.every((s) => typeof s === "number") && new Set(states).size === states.length ? states : [];
  } catch {
    return [];
  }
})();
var DRAINABLE_STATES = new Set(
  TEXT_STATE === void 0 ? [] : [TEXT_STATE, CDATA_STATE]
);
var RepeatCollision = class extends Error {
};
var JUnitStreamParser = class {
  parser = new import_saxes.SaxesParser({
    xmlns: false,
    position: true
  });
  internals = this.parser;
  file;
  maxFailureChars;
  maxOutputChars;
  maxFailures;
  maxProperties;
  onCase;
  onTime;
  maxFailedIds;
  maxFlakyIds;
  watchedIds;
  summary;
  suiteNames = [];
  suiteFiles = [];
  current;
  /** True while `current` was made up for a failure outside any testcase (a suite-level error). */
  syntheticCase = false;
  /** Whether the open case has any element inside it, and its `time` attribute as written. */
  currentHasChild = false;
  currentTime;
  sawRoot = false;
  started = false;
  closed = false;
  finished = false;
  depth = 0;
  capture = NONE;
  captureText = "";
  captureCap = 0;
  captureTruncated = false;
  propertyName = "";
  onText = (text) => this.append(text);
  // Which cases are the same test (see identity.ts and RepeatPlan).
  hasher = new IdentityHasher();
  repeats;
  censusOf;
  seen;
  hashOwners = /* @__PURE__ */ new Map();
  runsLeft = /* @__PURE__ */ new Map();
  census = /* @__PURE__ */ new Map();
  // What the writer's conventions need (finishSummary).
  pytest = false;
  declaredTests = 0;
  /**
   * Whether the first read logs identity hashes, decided at the first suite or case. pytest writes
   * each test once and says how many in its `tests` count; only pytest-rerunfailures' reruns make
   * more cases than that. So a pytest report is hashed only when it holds more cases than it counts,
   * on a read of its own (the largest reports are pytest's, and hashing costs a tenth of a read).
   */
  hashing;
  hashEveryReport;
  dialect = { jestPassed: 0, jestSkipped: 0, jestBare: 0 };
  jest = false;
  /** Set once the parser has met a character XML 1.0 forbids; until then no string needs cleaning. */
  sawForbidden = false;
  constructor(options = {}) {
    this.file = options.file ?? "(report)";
    this.maxFailureChars = options.maxFailureChars ?? DEFAULT_MAX_FAILURE_CHARS;
    this.maxOutputChars = options.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS;
    this.maxFailures = options.maxFailures ?? DEFAULT_MAX_FAILURES;
    this.maxProperties = options.maxProperties ?? DEFAULT_MAX_PROPERTIES;
    this.onCase = options.onCase;
    this.onTime = options.onTime;
    this.repeats = options.repeats;
    this.censusOf = options.censusOf;
    this.hashEveryReport = options.hashEveryReport === true;
    if (this.repeats === void 0 && this.censusOf === void 0) this.seen = new HashLog();
    this.summary = {
      file: this.file,
      tests: 0,
      passed: 0,
      failed: 0,
      errored: 0,
      skipped: 0,
      flaky: 0,
      time: 0,
      suites: 0,
      failures: [],
      failuresOmitted: 0,
      reruns: 0,
      todo: 0
    };
    const ids = options.caseIds;
    this.maxFailedIds = ids?.failed ?? 0;
    this.maxFlakyIds = ids?.flaky ?? 0;
    const watched = ids?.passed === void 0 ? void 0 : ids.passed instanceof Set ? ids.passed : new Set(ids.passed);
    this.watchedIds = watched !== void 0 && watched.size > 0 ? watched : void 0;
    if (ids !== void 0) this.summary.caseIds = { failed: [], passed: [], flaky: [] };
    const p = this.parser;
    p.on("error", (err) => {
      if (err.message.endsWith("disallowed character.") && this.atReplaceableCharacter()) {
        this.noteForbidden();
        return;
      }
      throw this.syntaxError(err.message);
    });
    p.on("doctype", () => {
      throw this.refused();
    });
    p.on("opentag", (tag) => this.open(tag));
    p.on("closetag", (tag) => this.close(tag));
    p.on("cdata", (text) => {
      if (this.capture !== NONE) this.append(text);
    });
  }
  /** Feeds the next piece of the document. Throws JUnitParseError / JUnitRefusedError. */
  write(chunk) {
    if (!this.sawRoot) {
      if (!this.started && chunk.charCodeAt(0) === 65279) chunk = chunk.slice(1);
      this.started = true;
      const at = firstIndex(chunk, "<!DOCTYPE", "<!ENTITY");
      if (at >= 0) throw this.refused(at, chunk);
    }
    this.parser.write(chunk);
    this.drain();
  }
  /** Ends the document and returns what it held (the same summary when called again). */
  end() {
    if (this.finished) return this.summary;
    this.closeDocument();
    this.finished = true;
    return finishSummary(this.summary, this.dialect);
  }
  /** Ends the document without finishing the summary (the last part of a parallel read). */
  closeDocument() {
    if (this.closed) return;
    this.closed = true;
    this.parser.close();
    if (!this.sawRoot) throw new JUnitParseError(this.file, "the report is empty: no root element");
  }
  /** The summary so far, without ending the document (a part of a report read in parallel). */
  summarySoFar() {
    return this.summary;
  }
  /** What finishSummary needs of this report's writer. */
  dialectSoFar() {
    return this.dialect;
  }
  /** Identity hashes met more than once, with how often (empty: no test repeats, this read is final). */
  repeatedSoFar() {
    return this.seen?.repeats() ?? /* @__PURE__ */ new Map();
  }
  /** Every identity hash met, sorted, for a parallel read to look for tests repeated across parts. */
  hashesSoFar() {
    return this.seen?.sorted();
  }
  /** With `censusOf`: how often each identity whose hash is in it was met. */
  censusSoFar() {
    return this.census;
  }
  /** The first read logged no hashes (a pytest report, see `hashing`). */
  hashesSkipped() {
    return this.seen !== void 0 && this.hashing !== true;
  }
  /** The `tests` counts of the testsuites read (pytest's count of its tests). */
  declaredSoFar() {
    return this.declaredTests;
  }
  /** A pytest report holding more cases than its tests count: reruns, to be read with identities. */
  mayRepeat() {
    return this.pytest && this.summary.tests + this.summary.reruns > this.declaredTests;
  }
  /** The plan for reading this report again, once it has been read whole with repeats found. */
  repeatPlan() {
    return { byHash: this.repeatedSoFar(), earlierPassedRunsFailed: this.mayRepeat() };
  }
  /** Where the parser stands between two elements, for parallel.ts to check its speculation against. */
  boundaryState() {
    const internals = this.parser;
    const tags = Array.isArray(internals.tags) ? internals.tags : void 0;
    const stack = [];
    let readable = tags !== void 0;
    for (const t of tags ?? []) {
      const tag = t;
      if (typeof tag?.name !== "string" || typeof tag.attributes !== "object" || tag.attributes === null) {
        readable = false;
        break;
      }
      stack.push([tag.name, Object.entries(tag.attributes)]);
    }
    return {
      // Anything unexpected in saxes' internals reads as "not at a clean boundary": the caller then
      // falls back to a sequential parse, which is always correct.
      inText: readable && TEXT_STATE !== void 0 && internals.state === TEXT_STATE && internals.text === "" && !this.closed,
      idle: this.current === void 0 && this.capture === NONE && !this.syntheticCase && this.sawRoot,
      version: internals.xmlDecl?.version ?? null,
      stack,
      suiteNames: [...this.suiteNames],
      suiteFiles: this.suiteFiles.map((f) => f ?? null)
    };
  }
  drain() {
    const internals = this.internals;
    const { state, text } = internals;
    if (text.length >= DRAIN_THRESHOLD && DRAINABLE_STATES.has(state)) {
      if (this.capture !== NONE) this.append(text);
      internals.text = "";
    } else if (text.length > ATTRIBUTE_BUFFER_CHARS && ATTRIBUTE_STATE !== void 0) {
      if (state === ATTRIBUTE_STATE || state === ENTITY_STATE && internals.entityReturnState === ATTRIBUTE_STATE) {
        internals.text = text.slice(0, ATTRIBUTE_BUFFER_CHARS);
      } else if (state === COMMENT_STATE) {
        internals.text = "";
      }
    }
    if (longerThan(internals.name, MAX_NAME_CHARS) || longerThan(internals.entity, MAX_NAME_CHARS)) {
      throw this.refusedBecause(
        `refused: a tag, attribute or entity name longer than ${MAX_NAME_CHARS} characters (no JUnit writer writes one)`
      );
    }
    if (Array.isArray(internals.attribList) && internals.attribList.length > MAX_ATTRIBUTES) {
      throw this.refusedBecause(
        `refused: a tag with more than ${MAX_ATTRIBUTES} attributes (no JUnit writer writes one)`
      );
    }
  }
  open(tag) {
    this.depth++;
    const a = tag.attributes;
    if (this.current !== void 0 && tag.name !== "testcase") this.currentHasChild = true;
    switch (tag.name) {
      case "testsuites":
        this.root(tag);
        if (this.depth === 1) this.readRoot(a);
        return;
      case "testsuite":
        this.root(tag);
        this.summary.suites++;
        this.suiteNames.push(this.nameOf(a.name) ?? "");
        this.suiteFiles.push(this.nameOf(a.file ?? a.filepath));
        if (a.name === "pytest") this.pytest = true;
        if (a.tests !== void 0 && a.tests.length <= 16)
          this.declaredTests += Number.parseInt(a.tests, 10) || 0;
        return;
      case "testcase":
        this.root(tag);
        if (this.current) this.finishCase();
        this.current = this.newCase(a);
        return;
      case "failure":
      case "error": {
        const c = this.current ?? this.suiteLevelCase();
        const status = tag.name === "failure" ? "failed" : "errored";
        if (c.status !== "failed") c.status = status;
        if (c.message === void 0 && a.message !== void 0) c.message = clip(a.message);
        if (c.type === void 0 && a.type !== void 0) c.type = clip(a.type);
        this.startCapture(
          FAILURE,
          this.maxFailureChars,
          c.text === "" ? "" : `${c.text}

`,
          c.textTruncated
        );
        return;
      }
      case "skipped":
        if (!this.current) return;
        if (this.current.status === "passed") {
          this.current.status = "skipped";
          if (a.message !== void 0) this.current.message = clip(a.message);
          this.startCapture(SKIPPED, 1024, "", false);
        }
        return;
      case "flakyFailure":
      case "flakyError":
        if (!this.current) return;
        this.current.flaky = true;
        if (this.current.message === void 0 && a.message !== void 0)
          this.current.message = clip(a.message);
        return;
      case "system-out":
        if (this.current && this.capture === NONE)
          this.startCapture(OUT, this.maxOutputChars, this.current.systemOut, this.current.outputTruncated);
        return;
      case "system-err":
        if (this.current && this.capture === NONE)
          this.startCapture(ERR, this.maxOutputChars, this.current.systemErr, this.current.outputTruncated);
        return;
      case "property": {
        const c = this.current;
        if (!c) return;
        const props = c.properties ??= [];
        if (props.length >= this.maxProperties) return;
        if (a.value !== void 0) {
          props.push({ name: this.nameOf(a.name) ?? "", value: this.nameOf(a.value) ?? "" });
        } else if (this.capture === NONE) {
          this.propertyName = this.nameOf(a.name) ?? "";
          this.startCapture(PROPERTY, 1024, "", false);
        }
        return;
      }
      default:
        if (!this.sawRoot) this.root(tag);
    }
  }
  close(tag) {
    this.depth--;
    switch (tag.name) {
      case "testcase":
        if (this.current && !this.syntheticCase) this.finishCase();
        return;
      case "testsuite":
        if (this.current && this.syntheticCase) this.finishCase();
        this.suiteNames.pop();
        this.suiteFiles.pop();
        return;
      case "failure":
      case "error":
        if (this.capture === FAILURE && this.current) {
          this.current.text = this.captureText;
          this.current.textTruncated = this.captureTruncated;
          this.stopCapture();
        }
        return;
      case "skipped":
        if (this.capture === SKIPPED && this.current) {
          if (this.current.text === "") this.current.text = this.captureText;
          this.stopCapture();
        }
        return;
      case "system-out":
        if (this.capture === OUT && this.current) {
          this.current.systemOut = this.kept(this.captureText);
          this.current.outputTruncated ||= this.captureTruncated;
          this.stopCapture();
        }
        return;
      case "system-err":
        if (this.capture === ERR && this.current) {
          this.current.systemErr = this.kept(this.captureText);
          this.current.outputTruncated ||= this.captureTruncated;
          this.stopCapture();
        }
        return;
      case "property":
        if (this.capture === PROPERTY && this.current) {
          (this.current.properties ??= []).push({
            name: this.propertyName,
            value: this.kept(this.captureText)
          });
          this.stopCapture();
        }
        return;
      default:
    }
  }
  root(tag) {
    if (this.sawRoot) return;
    this.sawRoot = true;
    if (tag.name !== "testsuites" && tag.name !== "testsuite") {
      throw new JUnitParseError(
        this.file,
        `not a JUnit report: the root element is <${this.nameOf(tag.name)}>, expected <testsuites> or <testsuite>`,
        this.parser.line,
        this.parser.column
      );
    }
  }
  /** The root `<testsuites>`: whose report is this (pytest and jest-junit name theirs). */
  readRoot(a) {
    if (a.name === "pytest tests") this.pytest = true;
    if (a.name === "jest tests") {
      const tests = wholeNumber(a.tests);
      const failures = wholeNumber(a.failures);
      if (tests !== void 0 && failures !== void 0) {
        this.jest = true;
        this.dialect.jestTests = tests;
        this.dialect.jestFailures = failures;
      }
    }
  }
  newCase(a) {
    const depth = this.suiteNames.length;
    const file = this.nameOf(a.file ?? a.filepath) ?? (depth > 0 ? this.suiteFiles[depth - 1] : void 0);
    const line = a.line === void 0 || a.line.length > MAX_ATTRIBUTE_CHARS ? void 0 : Number.parseInt(a.line, 10);
    const c = {
      suite: depth > 0 ? this.suiteNames[depth - 1] : "",
      classname: this.nameOf(a.classname ?? a.class) ?? "",
      name: this.nameOf(a.name) ?? "(unnamed)",
      time: parseSeconds(a.time),
      status: "passed",
      flaky: false,
      text: "",
      textTruncated: false,
      systemOut: "",
      systemErr: "",
      outputTruncated: false
    };
    if (file !== void 0) c.file = file;
    if (line !== void 0 && Number.isFinite(line)) c.line = line;
    this.currentHasChild = false;
    this.currentTime = a.time;
    return c;
  }
  /** A failure or error written straight under a testsuite (a suite that could not even start). */
  suiteLevelCase() {
    const depth = this.suiteNames.length;
    const suite = depth > 0 ? this.suiteNames[depth - 1] : "";
    this.current = this.newCase({
      name: suite === "" ? "(suite error)" : `${suite} (suite error)`,
      classname: suite
    });
    this.currentHasChild = true;
    this.syntheticCase = true;
    return this.current;
  }
  finishCase() {
    const c = this.current;
    const bare = !this.currentHasChild && this.currentTime === "0";
    this.current = void 0;
    this.syntheticCase = false;
    if (this.capture !== NONE) this.stopCapture();
    const s = this.summary;
    s.time += c.time;
    this.onTime?.(c.time);
    if (this.jest) {
      if (c.status === "passed") {
        this.dialect.jestPassed++;
        if (bare) this.dialect.jestBare++;
      } else if (c.status === "skipped") {
        this.dialect.jestSkipped++;
      }
    }
    if (!this.isLastRun(c)) {
      s.reruns++;
      if (this.onCase) this.onCase(this.present(c));
      return;
    }
    s.tests++;
    if (c.flaky && c.status === "passed") {
      s.flaky++;
      if (s.caseIds !== void 0 && s.caseIds.flaky.length < this.maxFlakyIds)
        s.caseIds.flaky.push(caseId(c.classname, c.name));
    }
    switch (c.status) {
      case "passed":
        s.passed++;
        break;
      case "skipped":
        s.skipped++;
        break;
      case "failed":
      case "errored":
        if (c.status === "failed") s.failed++;
        else s.errored++;
        if (s.failures.length < this.maxFailures) s.failures.push(this.present(c));
        else s.failuresOmitted++;
        if (s.caseIds !== void 0 && s.caseIds.failed.length < this.maxFailedIds)
          s.caseIds.failed.push(caseId(c.classname, c.name));
        break;
    }
    if (this.watchedIds !== void 0 && c.status === "passed") {
      const id = caseId(c.classname, c.name);
      if (this.watchedIds.has(id)) s.caseIds.passed.push(id);
    }
    if (this.onCase) this.onCase(this.present(c));
  }
  /**
   * Whether this case is the last run of its test in the report (what is counted). The first read
   * only logs hashes (repeats are found when it ends); a read with a RepeatPlan holds back the
   * earlier runs of repeated tests.
   */
  isLastRun(c) {
    if (this.seen !== void 0) {
      this.hashing ??= this.hashEveryReport || !this.pytest;
      if (!this.hashing) return true;
    }
    const hash = this.hasher.hash(c.suite, c.classname, c.name, c.file);
    if (this.seen !== void 0) {
      this.seen.add(hash);
      return true;
    }
    if (this.censusOf !== void 0) {
      if (this.censusOf.has(hash)) {
        const key2 = identityKey(c.suite, c.classname, c.name, c.file);
        this.census.set(key2, (this.census.get(key2) ?? 0) + 1);
      }
      return true;
    }
    const plan = this.repeats;
    const hashRuns = plan.byHash.get(hash);
    if (hashRuns === void 0) return true;
    const key = identityKey(c.suite, c.classname, c.name, c.file);
    let runs = hashRuns;
    if (plan.byKey !== void 0) {
      runs = plan.byKey.get(key) ?? 1;
    } else {
      const owner = this.hashOwners.get(hash);
      if (owner === void 0) this.hashOwners.set(hash, key);
      else if (owner !== key) throw new RepeatCollision();
    }
    if (runs < 2) return true;
    let test = this.runsLeft.get(key);
    if (test === void 0) {
      test = { left: runs, failedBefore: false };
      this.runsLeft.set(key, test);
    }
    if (--test.left > 0) {
      test.failedBefore ||= c.status === "failed" || c.status === "errored" || c.status === "passed" && plan.earlierPassedRunsFailed;
      return false;
    }
    this.runsLeft.delete(key);
    c.runs = runs;
    if (c.status === "passed" && test.failedBefore) c.flaky = true;
    return true;
  }
  startCapture(kind, cap, prefix, truncated) {
    this.capture = kind;
    this.captureCap = cap;
    this.captureText = prefix.length > cap ? prefix.slice(0, cap) : prefix;
    this.captureTruncated = truncated;
    this.parser.on("text", this.onText);
  }
  stopCapture() {
    this.capture = NONE;
    this.captureText = "";
    this.parser.off("text");
  }
  append(text) {
    const room = this.captureCap - this.captureText.length;
    if (text.length <= room) {
      this.captureText += text;
    } else {
      if (room > 0) this.captureText += text.slice(0, room);
      this.captureTruncated = true;
    }
  }
  /** A name-like attribute (suite, class, test, file, property): clipped, forbidden characters replaced. */
  nameOf(value) {
    if (value === void 0) return void 0;
    const clipped = clip(value);
    return this.sawForbidden ? replaceForbidden(stripRawAnsi(clipped)) : clipped;
  }
  /**
   * A case handed out (kept among the failures, or given to onCase): the texts a person reads lose
   * their colour codes, then characters XML forbids. Done here, not for every case read, since
   * scanning every failure text of a large report would cost the read a good part of its time.
   */
  present(c) {
    if (c.message !== void 0) c.message = this.kept(stripAnsi(c.message));
    if (c.type !== void 0) c.type = this.kept(stripAnsi(c.type));
    if (c.text !== "") c.text = this.kept(stripAnsi(c.text));
    return c;
  }
  /** Text kept as written but for forbidden characters (replaced once the parser has met one). */
  kept(value) {
    return this.sawForbidden ? replaceForbidden(value) : value;
  }
  /** saxes reports a "disallowed character" right after reading it: is it one we replace? */
  atReplaceableCharacter() {
    const { chunk, prevI } = this.internals;
    return typeof chunk === "string" && typeof prevI === "number" && isReplaceableCode(chunk.charCodeAt(prevI));
  }
  noteForbidden() {
    this.sawForbidden = true;
    const noted = this.summary.forbiddenCharacters;
    if (noted !== void 0) noted.count++;
    else this.summary.forbiddenCharacters = { count: 1, line: this.parser.line, column: this.parser.column };
  }
  syntaxError(saxesMessage) {
    const reason = saxesMessage.replace(/^(?:[^:]*:)?\d+:\d+: /, "");
    return new JUnitParseError(
      this.file,
      `not well-formed XML: ${clip(reason, 200)}`,
      this.parser.line,
      this.parser.column
    );
  }
  refusedBecause(reason) {
    return new JUnitRefusedError(this.file, reason, this.parser.line, this.parser.column);
  }
  refused(at, chunk) {
    const reason = "refused: the report declares a DTD (<!DOCTYPE>/<!ENTITY>); JUnit reports never need one, and entity expansion is how XML bombs work";
    if (at === void 0 || chunk === void 0)
      return new JUnitRefusedError(this.file, reason, this.parser.line, this.parser.column);
    const before = chunk.slice(0, at);
    const newlines = before.split("\n").length - 1;
    const column = newlines === 0 ? this.parser.column + at : at - before.lastIndexOf("\n") - 1;
    return new JUnitRefusedError(this.file, reason, this.parser.line + newlines, column);
  }
};
function finishSummary(summary, dialect) {
  if (dialect.jestTests !== void 0 && dialect.jestFailures !== void 0) {
    const beyond = dialect.jestPassed + dialect.jestSkipped - (dialect.jestTests - dialect.jestFailures);
    const todo = Math.max(0, Math.min(beyond, dialect.jestBare, summary.passed));
    summary.passed -= todo;
    summary.skipped += todo;
    summary.todo += todo;
  }
  return summary;
}
function parseSeconds(raw) {
  if (raw === void 0 || raw === "" || raw.length > MAX_ATTRIBUTE_CHARS) return 0;
  let n = Number(raw);
  if (Number.isNaN(n) && raw.includes(",")) n = Number(raw.replace(/,/g, ""));
  return Number.isFinite(n) && n >= 0 ? n : 0;
}
function firstIndex(text, ...needles) {
  let first = -1;
  for (const n of needles) {
    const i = text.indexOf(n);
    if (i >= 0 && (first < 0 || i < first)) first = i;
  }
  return first;
}
function clip(value, max = MAX_ATTRIBUTE_CHARS) {
  return value.length > max ? `${value.slice(0, max)}\u2026` : value;
}
function longerThan(value, max) {
  return typeof value === "string" && value.length > max;
}
function wholeNumber(raw) {
  return raw !== void 0 && /^\d{1,15}$/.test(raw) ? Number(raw) : void 0;
}
function stripRawAnsi(value) {
  return value.includes("\x1B") ? value.replace(RAW_ANSI_SEQUENCE, "") : value;
}
var RAW_ANSI_SEQUENCE = /\x1b\[[0-?]*[ -/]*[@-~]/g;
async function* readText(path, pieceBytes = DEFAULT_READ_CHUNK_BYTES, start = 0, end) {
  const decoder = new StringDecoder("utf8");
  const file = await open(path, "r");
  try {
    const block = Buffer.allocUnsafe(Math.max(READ_BLOCK_BYTES, pieceBytes));
    for (let pos = start; end === void 0 || pos < end; ) {
      const want = end === void 0 ? block.length : Math.min(block.length, end - pos);
      const { bytesRead } = await file.read(block, 0, want, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      for (let i = 0; i < bytesRead; i += pieceBytes) {
        const text = decoder.write(block.subarray(i, Math.min(i + pieceBytes, bytesRead)));
        if (text !== "") yield text;
      }
    }
    const rest = decoder.end();
    if (rest !== "") yield rest;
  } finally {
    await file.close();
  }
}

// src/lib/junit/parallel.ts
var PARALLEL_MIN_BYTES = 32 * 1024 * 1024;
var PART_MIN_BYTES = 16 * 1024 * 1024;
var SPLIT_WINDOW_BYTES = 4 * 1024 * 1024;
var SCAN_BLOCK_BYTES = 64 * 1024;
var HEAD_BYTES = 1024 * 1024;
var MAX_TAG_BYTES = 1024 * 1024;
var TIME_BLOCK = 16 * 1024;
var JOB_KEY = "ccJUnitPart";
var TESTCASE = Buffer.from("<testcase");
var TESTSUITE = Buffer.from("<testsuite");
var TESTSUITE_CLOSE = Buffer.from("</testsuite");
function messageOf(err) {
  return err instanceof Error ? err.message : String(err);
}
var serving = false;
function servePartJob() {
  if (serving || isMainThread || parentPort === null) return;
  const job = workerData?.[JOB_KEY];
  if (job === void 0 || typeof job.path !== "string") return;
  serving = true;
  const port = parentPort;
  setImmediate(() => {
    void readPart(job).then(
      (reply) => port.postMessage(
        reply,
        reply.ok ? [...reply.times.map((t) => t.buffer), reply.hashes.buffer] : []
      )
    );
  });
}
async function readPart(job) {
  const times = [];
  let block = new Float64Array(TIME_BLOCK);
  let used = 0;
  const engine = new JUnitStreamParser({
    ...job.options,
    onTime: (t) => {
      if (t === 0) return;
      if (used === block.length) {
        times.push(block);
        block = new Float64Array(TIME_BLOCK);
        used = 0;
      }
      block[used++] = t;
    }
  });
  try {
    engine.write(job.prefix);
    const primed = engine.boundaryState();
    const primedSuites = engine.summarySoFar().suites;
    const primedDeclared = engine.declaredSoFar();
    for await (const text of readText(job.path, job.options.readChunkBytes, job.start, job.end ?? void 0))
      engine.write(text);
    const last = job.end === null;
    if (last) engine.closeDocument();
    if (used > 0) times.push(block.subarray(0, used));
    const hashes = (engine.hashesSoFar() ?? new Float64Array(0)).slice();
    const repeats = repeatsIn(hashes).size > 0;
    const hashesSkipped = engine.hashesSkipped();
    const declared = engine.declaredSoFar() - primedDeclared;
    return {
      ok: true,
      summary: engine.summarySoFar(),
      primed,
      end: last ? null : engine.boundaryState(),
      primedSuites,
      times,
      hashes,
      repeats,
      hashesSkipped,
      declared,
      dialect: engine.dialectSoFar()
    };
  } catch (err) {
    return { ok: false, reason: messageOf(err) };
  }
}

// src/lib/junit/parse-worker.ts
servePartJob();
