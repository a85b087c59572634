import { createRequire as __ccCreateRequire } from 'node:module';
import { fileURLToPath as __ccFileURLToPath } from 'node:url';
import { dirname as __ccDirname } from 'node:path';
var require = __ccCreateRequire(import.meta.url);
var __filename = __ccFileURLToPath(import.meta.url);
var __dirname = __ccDirname(__filename);
import {
  deploy,
  diagnosticsMargin,
  revisionIn,
  rollback
} from "./chunk-R5N2KOYR.js";
import "./chunk-3Y6HBLEU.js";
import "./chunk-6CCBSM33.js";
export {
  deploy,
  diagnosticsMargin,
  revisionIn,
  rollback
};
