// The ```ts blocks of the `@example` sections of every public export, read from the sources with the
// TypeScript compiler API (as test/api/exports.test.ts finds the exports), so that the examples check
// can compile and run each one against the built package.
import { join, relative } from 'node:path';
import ts from 'typescript';
import { ROOT } from './resolution.mjs';

/**
 * The package's entry points: `actioncenter`, `actioncenter/adapter-kit`, `actioncenter/testing`,
 * `actioncenter/postgres`, `actioncenter/pg-boss`, `actioncenter/json-schema`.
 */
export const ENTRY_POINTS = [
  'src/index.ts',
  'src/adapter-kit.ts',
  'src/testing/index.ts',
  'src/adapters/postgres/index.ts',
  'src/adapters/pg-boss/index.ts',
  'src/json-schema/index.ts',
];

function program() {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.build.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (parsed === undefined) throw new Error('cannot read tsconfig.build.json');
  return ts.createProgram({ rootNames: ENTRY_POINTS.map((e) => join(ROOT, e)), options: parsed.options });
}

/** The doc comments written on `declaration` (for `export const x`, the variable statement's). */
function docComments(declaration) {
  return ts.getJSDocCommentsAndTags(declaration).filter((node) => ts.isJSDoc(node));
}

/**
 * The comment's text as written, without `/**`, `*\/` and the leading ` * ` of each line, with the
 * line of the source file each text line is on. Read raw rather than through the parsed tags: the
 * JSDoc parser treats `@` inside code as the start of a tag.
 */
function commentLines(sourceFile, comment) {
  const text = sourceFile.text.slice(comment.getStart(sourceFile), comment.end);
  const first = sourceFile.getLineAndCharacterOfPosition(comment.getStart(sourceFile)).line + 1;
  return text.split(/\r?\n/).map((raw, index) => ({
    line: first + index,
    text: raw
      .replace(/^\s*\/\*\*\s?/, '')
      .replace(/\s*\*\/\s*$/, '')
      .replace(/^\s*\* ?/, ''),
  }));
}

/**
 * Every ```ts (or ```typescript) block of the `@example` sections of `lines`, with the source line
 * its first code line is on and whether it runs (a block fenced ```ts no-run is only type-checked).
 */
export function exampleBlocks(lines, where) {
  const blocks = [];
  let inExample = false;
  let open = null;
  for (const { line, text } of lines) {
    if (open !== null) {
      if (text.trim() === '```') {
        blocks.push({ ...open, code: open.body.join('\n') + '\n' });
        open = null;
      } else {
        open.body.push(text);
      }
      continue;
    }
    const tag = /^\s*@(\w+)/.exec(text);
    if (tag) inExample = tag[1] === 'example';
    const fence = /^\s*```(ts|typescript)\b(.*)$/.exec(text);
    if (inExample && fence) open = { line: line + 1, run: !/\bno-run\b/.test(fence[2] ?? ''), body: [] };
  }
  if (open !== null) throw new Error(`${where}: the example block opened on line ${open.line - 1} is never closed`);
  return blocks;
}

/**
 * The example blocks of every export of the entry points, once each (a declaration exported from two
 * entry points, or a function's overloads sharing a comment, count once), in source order:
 * `{ file, line, name, run, code }` with `file` relative to the repository root.
 */
export function tsdocExamples() {
  const prog = program();
  const checker = prog.getTypeChecker();
  const seen = new Set();
  const examples = [];
  for (const entry of ENTRY_POINTS) {
    const sourceFile = prog.getSourceFile(join(ROOT, entry));
    if (sourceFile === undefined) throw new Error(`${entry} is not part of the program`);
    const module = checker.getSymbolAtLocation(sourceFile);
    if (module === undefined) continue;
    for (const exported of checker.getExportsOfModule(module)) {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      for (const declaration of target.declarations ?? []) {
        const declFile = declaration.getSourceFile();
        for (const comment of docComments(declaration)) {
          const key = `${declFile.fileName}:${comment.pos}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const file = relative(ROOT, declFile.fileName);
          for (const block of exampleBlocks(commentLines(declFile, comment), file)) {
            examples.push({ file, line: block.line, name: exported.getName(), run: block.run, code: block.code });
          }
        }
      }
    }
  }
  return examples.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}
