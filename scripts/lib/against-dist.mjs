// Preloaded (`node --import`) after tsx when examples run: fails the run if any module resolves into
// src/, and if `actioncenter` resolves anywhere but dist/. This is what makes "the examples run
// against the built package" a checked fact rather than a hope.
import Module, { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { ROOT, checkResolution } from './resolution.mjs';

// ES modules: a resolve hook, registered after tsx's so it sees tsx's final answer.
register('./against-dist-hooks.mjs', import.meta.url);

// CommonJS (`require` in .cts files) does not go through the ES hooks: wrap the resolver tsx installed.
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveAgainstDist(request, parent, ...rest) {
  const filename = resolveFilename.call(this, request, parent, ...rest);
  if (!Module.isBuiltin(filename)) checkResolution(request, pathToFileURL(filename).href, parent?.filename ?? ROOT);
  return filename;
};
