// `npm test`: the layers of src/ point one way and no module imports itself back.
//
// Layers, lowest first: base (src/result.ts, src/errors.ts) -> catalog -> rules -> center ->
// adapters (memory, postgres, ...: one layer, and no adapter imports another) -> testing -> json-schema. The entry
// files directly under src/ (src/index.ts, src/adapter-kit.ts, ...) may import anything; only adapters
// and testing may import them (as a consumer would, through the package's self-reference).
//
// Every import counts, type-only ones included: `import`, `import type`, `export ... from`,
// `import('...')` (types and calls) and `import x = require('...')`. A type-only cycle does not fail
// at run time, but it ties the layers together all the same (no layer can be read, tested or split
// off on its own). The graph is read with the TypeScript parser alone (no type checking): well
// under a second for src/.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The layers, lowest first; `entry` files stand above them all. */
export const LAYERS = ['base', 'catalog', 'rules', 'center', 'adapters', 'testing', 'json-schema'];

const BASE_FILES = new Set(['src/result.ts', 'src/errors.ts']);

/**
 * Where a file (a path relative to the project root, `/`-separated) stands: `{ layer, group }`,
 * where `group` tells adapters apart (`adapters/memory`), or null for a file of no layer.
 */
export function layerOf(file) {
  if (BASE_FILES.has(file)) return { layer: 'base', group: 'base' };
  const parts = file.split('/');
  if (parts[0] !== 'src') return null;
  if (parts.length === 2) return { layer: 'entry', group: 'entry' };
  const top = parts[1];
  if (top === 'adapters') return parts.length > 3 ? { layer: 'adapters', group: `adapters/${parts[2]}` } : null;
  if (top === 'catalog' || top === 'rules' || top === 'center' || top === 'testing') return { layer: top, group: top };
  // actioncenter/json-schema reads the schemas through the package; nothing imports it (the top).
  if (top === 'json-schema') return { layer: top, group: top };
  return null;
}

/** Why the edge `from -> to` goes against the layers, or null when it is allowed. */
export function edgeViolation(from, to, classify = layerOf) {
  const a = classify(from);
  const b = classify(to);
  if (a === null || b === null) return null; // reported once per file, not per edge
  if (a.layer === 'entry') return null;
  if (b.layer === 'entry') {
    const rank = LAYERS.indexOf(a.layer);
    return rank >= LAYERS.indexOf('adapters')
      ? null
      : `${a.layer} imports the entry ${to} (the package itself): only adapters and testing may`;
  }
  const ra = LAYERS.indexOf(a.layer);
  const rb = LAYERS.indexOf(b.layer);
  if (rb > ra) return `${a.layer} imports ${b.layer}, a higher layer`;
  if (a.layer === 'adapters' && a.group !== b.group && b.layer === 'adapters') {
    return `${a.group} imports ${b.group}: one adapter must not import another`;
  }
  return null;
}

/**
 * Strongly connected components of more than one file (or a file importing itself), each as its
 * sorted `members` and one shortest cycle through them, `path`: `[a, b, c, a]`. Tarjan's algorithm,
 * iterative (no recursion limit).
 */
export function findCycles(graph) {
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const components = [];
  let next = 0;
  const targets = (node) => [...(graph.get(node) ?? [])].filter((t) => graph.has(t));
  for (const start of [...graph.keys()].sort()) {
    if (index.has(start)) continue;
    const work = [{ node: start, edges: targets(start), i: 0 }];
    index.set(start, next);
    low.set(start, next);
    next += 1;
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame.i < frame.edges.length) {
        const to = frame.edges[frame.i];
        frame.i += 1;
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next);
          next += 1;
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, edges: targets(to), i: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node), index.get(to)));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low.set(parent.node, Math.min(low.get(parent.node), low.get(frame.node)));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      const selfLoop = component.length === 1 && (graph.get(frame.node)?.has(frame.node) ?? false);
      if (component.length > 1 || selfLoop) components.push(component.sort());
    }
  }
  return components.map((members) => ({ members, path: cycleThrough(graph, new Set(members)) }));
}

/** A shortest cycle inside one component, from its first file (sorted) back to it. */
function cycleThrough(graph, members) {
  const start = [...members].sort()[0];
  const previous = new Map();
  const queue = [start];
  for (let i = 0; i < queue.length; i += 1) {
    const node = queue[i];
    for (const to of [...(graph.get(node) ?? [])].sort()) {
      if (!members.has(to)) continue;
      if (to === start) {
        const path = [start];
        for (let at = node; at !== start; at = previous.get(at)) path.unshift(at);
        path.unshift(start);
        return path;
      }
      if (!previous.has(to)) {
        previous.set(to, node);
        queue.push(to);
      }
    }
  }
  return [start, start];
}

/**
 * Why the edge `from -> to` leaves a subpath entry's directory (`subpaths`: e.g. `src/testing/`) other
 * than through the package's self-references ('actioncenter', 'actioncenter/adapter-kit': entry
 * files directly under src/), or null. Its CommonJS build is bundled on its own with
 * 'actioncenter' external: a relative import of the core would put a second copy of the core in it
 * (two `ActionCenterException` classes, and `instanceof` failing across entry points).
 */
export function subpathViolation(from, to, subpaths = [], classify = layerOf) {
  const home = subpaths.find((dir) => from.startsWith(dir));
  if (home === undefined || to.startsWith(home) || classify(to)?.layer === 'entry') return null;
  return `${home} is a subpath entry: it imports the core as 'actioncenter', not by a relative path`;
}

/**
 * The whole check over a graph (`Map<file, Set<file>>`): every edge against the layers and out of
 * the subpath entries' directories, every file of no layer, and every cycle. Empty arrays mean the
 * graph is clean.
 */
export function checkGraph(graph, classify = layerOf, subpaths = []) {
  const violations = [];
  const unlayered = [];
  for (const [from, targets] of [...graph].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (classify(from) === null) unlayered.push(from);
    for (const to of [...targets].sort()) {
      const reason = edgeViolation(from, to, classify) ?? subpathViolation(from, to, subpaths, classify);
      if (reason !== null) violations.push({ from, to, reason });
    }
  }
  return { violations, unlayered, cycles: findCycles(graph) };
}

/** Every module specifier a source file names, type-only imports included. */
export function specifiersOf(fileName, text) {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found = [];
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined) {
      if (ts.isStringLiteral(node.moduleSpecifier)) found.push(node.moduleSpecifier.text);
    } else if (ts.isImportTypeNode(node)) {
      const argument = node.argument;
      if (ts.isLiteralTypeNode(argument) && ts.isStringLiteral(argument.literal)) found.push(argument.literal.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [first] = node.arguments;
      if (first !== undefined && ts.isStringLiteralLike(first)) found.push(first.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expression = node.moduleReference.expression;
      if (ts.isStringLiteral(expression)) found.push(expression.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** tsconfig.json's `paths` (the package's self-references, e.g. 'actioncenter' -> src/index.ts). */
function selfReferences(root) {
  const { config } = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  const paths = config?.compilerOptions?.paths ?? {};
  return new Map(Object.entries(paths).map(([name, [target]]) => [name, relative(root, resolve(root, target))]));
}

/**
 * The directories of the subpath entries ('actioncenter/testing' -> `src/testing/`): every
 * self-reference of tsconfig.json's `paths` whose module is not an entry file directly under src/.
 */
export function subpathDirectories(root = ROOT) {
  return [...selfReferences(root).values()]
    .map((target) => target.split(sep).join('/'))
    .filter((target) => layerOf(target)?.layer !== 'entry')
    .map((target) => target.slice(0, target.lastIndexOf('/') + 1))
    .sort();
}

function* sourceFiles(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.test.ts')) yield path;
  }
}

/** The import graph of src/ (paths relative to `root`), and the specifiers that resolved to nothing. */
export function importGraph(root = ROOT) {
  const self = selfReferences(root);
  const toPosix = (path) => path.split(sep).join('/');
  const graph = new Map();
  const unresolved = [];
  for (const path of sourceFiles(join(root, 'src'))) {
    const from = toPosix(relative(root, path));
    const targets = new Set();
    for (const specifier of specifiersOf(path, readFileSync(path, 'utf8'))) {
      let target = null;
      if (specifier.startsWith('.')) {
        const base = resolve(dirname(path), specifier).replace(/\.(m|c)?js$/, '');
        const candidate = [`${base}.ts`, `${base}.mts`, `${base}.cts`, join(base, 'index.ts')].find(existsSync);
        if (candidate === undefined) unresolved.push({ from, specifier });
        else target = toPosix(relative(root, candidate));
      } else if (self.has(specifier)) {
        target = toPosix(self.get(specifier));
      }
      // Anything else is a dependency (zod, immer, node:...), outside the graph.
      if (target !== null) targets.add(target);
    }
    graph.set(from, targets);
  }
  return { graph, unresolved };
}

/** The report's lines, and whether the check passed. */
export function runCheck(root = ROOT) {
  const { graph, unresolved } = importGraph(root);
  const { violations, unlayered, cycles } = checkGraph(graph, layerOf, subpathDirectories(root));
  const lines = [];
  for (const { from, to, reason } of violations) lines.push(`layer: ${from} -> ${to}: ${reason}`);
  for (const file of unlayered) lines.push(`layer: ${file} belongs to no layer (see scripts/check-layers.mjs)`);
  for (const { members, path } of cycles) {
    const more = members.length > path.length - 1 ? ` (one of the cycles tying ${members.length} modules)` : '';
    lines.push(`cycle: ${path.join(' -> ')}${more}`);
  }
  for (const { from, specifier } of unresolved) lines.push(`unresolved: ${from} imports '${specifier}'`);
  return { ok: lines.length === 0, lines, files: graph.size };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const { ok, lines, files } = runCheck();
  const took = Math.round(performance.now() - started);
  if (ok) {
    console.log(`layers: ${files} modules, no cycle, every import points down the layers (${took} ms)`);
  } else {
    for (const line of lines) console.error(line);
    console.error(`layers: ${lines.length} problem(s) in ${files} modules`);
    process.exit(1);
  }
}
