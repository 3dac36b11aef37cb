/**
 * The public API is curated and documented. The core, `actioncenter`, exports exactly the names an
 * integrator needs (listed below), well under 150; adapter, executor and UI authors' parts are in
 * `actioncenter/adapter-kit`; each entry lists its names explicitly and no name is in two entries.
 * Every symbol exported from any entry point carries a TSDoc comment with an `@example` (CONVENTIONS.md: "Every exported symbol has a TSDoc
 * header with an `@example` block (```ts fenced, importing from 'actioncenter')").
 *
 * The check reads the entry points with the TypeScript compiler API, follows re-exports to the
 * declarations, and names every export that falls short.
 */
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ENTRY_POINTS = [
  'src/index.ts',
  'src/adapter-kit.ts',
  'src/testing/index.ts',
  'src/adapters/postgres/index.ts',
  'src/adapters/pg-boss/index.ts',
  'src/json-schema/index.ts',
];

/** One exported name and the declarations it resolves to (through `export *` and `export { }`). */
interface ExportedSymbol {
  readonly entry: string;
  readonly name: string;
  readonly declarations: readonly ts.Declaration[];
}

function exportedSymbols(program: ts.Program, entries: readonly string[]): ExportedSymbol[] {
  const checker = program.getTypeChecker();
  return entries.flatMap((entry) => {
    const file = program.getSourceFile(entry);
    if (file === undefined) throw new Error(`${entry} is not part of the program`);
    const module = checker.getSymbolAtLocation(file);
    // A file without imports or exports is a script, not a module: it exports nothing.
    if (module === undefined) return [];
    return checker.getExportsOfModule(module).map((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return { entry, name: symbol.getName(), declarations: target.declarations ?? [] };
    });
  });
}

function exampleTags(declaration: ts.Declaration): readonly ts.JSDocTag[] {
  // For `export const x = ...` the comment sits on the variable statement; getJSDocTags looks there.
  return ts.getJSDocTags(declaration).filter((tag) => tag.tagName.text === 'example');
}

function exampleText(tag: ts.JSDocTag): string {
  return ts.getTextOfJSDocComment(tag.comment) ?? '';
}

function where(declaration: ts.Declaration): string {
  const file = declaration.getSourceFile();
  const { line } = file.getLineAndCharacterOfPosition(declaration.getStart(file));
  return `${relative(ROOT, file.fileName)}:${line + 1}`;
}

/**
 * The declarations of `symbol` that need their own example: every declaration, except that a
 * function's overloads share one (a doc comment on any of them will do).
 */
function documentableGroups(symbol: ExportedSymbol): ts.Declaration[][] {
  const functions = symbol.declarations.filter(ts.isFunctionDeclaration);
  const others = symbol.declarations.filter((d) => !ts.isFunctionDeclaration(d));
  return [...(functions.length > 0 ? [functions] : []), ...others.map((d) => [d])];
}

/** `name (file:line)` for every export with a declaration (or overload set) lacking `@example`. */
function exportsWithoutExample(symbols: readonly ExportedSymbol[]): string[] {
  return symbols.flatMap((symbol) => {
    if (symbol.declarations.length === 0) return [`${symbol.name} (no declaration found)`];
    return documentableGroups(symbol)
      .filter((group) => group.every((d) => exampleTags(d).length === 0))
      .map((group) => `${symbol.name} (${where(group[0]!)})`);
  });
}

/** `name (file:line)` for every `@example` that is not a ```ts block importing from the package. */
function examplesNotImportingThePackage(symbols: readonly ExportedSymbol[]): string[] {
  const fencedTs = /^\s*```ts\b/;
  const importsPackage = /from\s+['"]actioncenter(\/adapter-kit|\/testing|\/postgres|\/pg-boss|\/json-schema)?['"]/;
  return symbols.flatMap((symbol) =>
    symbol.declarations.flatMap((declaration) =>
      exampleTags(declaration)
        .filter((tag) => !(fencedTs.test(exampleText(tag)) && importsPackage.test(exampleText(tag))))
        .map(() => `${symbol.name} (${where(declaration)})`),
    ),
  );
}

/** The members an exported interface or object type alias declares itself (not inherited ones). */
function ownMembers(declaration: ts.Declaration): readonly ts.TypeElement[] {
  if (ts.isInterfaceDeclaration(declaration)) return declaration.members;
  if (ts.isTypeAliasDeclaration(declaration) && ts.isTypeLiteralNode(declaration.type)) return declaration.type.members;
  return [];
}

/** Does `node` carry a doc comment with a description (tags alone, such as `@example`, do not count)? */
function hasDescription(node: ts.Node): boolean {
  return ts
    .getJSDocCommentsAndTags(node)
    .some((doc) => ts.isJSDoc(doc) && (ts.getTextOfJSDocComment(doc.comment) ?? '').trim().length > 0);
}

/**
 * `Type.member (file:line)` for every member of an exported interface or object type alias without
 * a description. Overloads of a method share one: a description on any of them will do.
 */
function membersWithoutDescription(symbols: readonly ExportedSymbol[]): string[] {
  const seen = new Set<ts.Declaration>();
  return symbols.flatMap((symbol) =>
    symbol.declarations.flatMap((declaration) => {
      if (seen.has(declaration)) return [];
      seen.add(declaration);
      const members = ownMembers(declaration);
      const byName = new Map<string, ts.TypeElement[]>();
      for (const member of members) {
        const name = member.name === undefined ? `[${ts.SyntaxKind[member.kind]}]` : member.name.getText();
        byName.set(name, [...(byName.get(name) ?? []), member]);
      }
      return [...byName.entries()]
        .filter(([, overloads]) => !overloads.some(hasDescription))
        .map(([name, overloads]) => `${symbol.name}.${name} (${where(overloads[0]!)})`);
    }),
  );
}

function projectProgram(): ts.Program {
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

/** A program over in-memory files, to show the check catching what it should. */
function inMemoryProgram(files: Readonly<Record<string, string>>): ts.Program {
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noLib: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const path = (name: string) => join('/virtual', name);
  const text = (fileName: string) => Object.entries(files).find(([name]) => path(name) === fileName)?.[1];
  host.fileExists = (fileName) => text(fileName) !== undefined;
  host.readFile = (fileName) => text(fileName);
  host.directoryExists = (directory) => directory === '/' || directory === '/virtual';
  host.getSourceFile = (fileName, languageVersion) => {
    const source = text(fileName);
    return source === undefined ? undefined : ts.createSourceFile(fileName, source, languageVersion, true);
  };
  return ts.createProgram({ rootNames: [path('index.ts')], options, host });
}

describe('public API documentation', () => {
  const program = projectProgram();
  const symbols = exportedSymbols(
    program,
    ENTRY_POINTS.map((e) => join(ROOT, e)),
  );

  it('finds the exports of both entry points', () => {
    expect(symbols.filter((s) => s.entry.endsWith('src/index.ts')).map((s) => s.name)).toEqual(
      expect.arrayContaining(['parseActionRequest', 'builtInCatalog', 'defineActionType', 'createCatalog', 'Result']),
    );
  });

  it('CONVENTIONS: "Every exported symbol has a TSDoc header with an `@example` block"', () => {
    expect(exportsWithoutExample(symbols)).toEqual([]);
  });

  it("CONVENTIONS: every @example is a ```ts block importing from 'actioncenter'", () => {
    expect(examplesNotImportingThePackage(symbols)).toEqual([]);
  });

  it('every member of an exported interface or object type is described (the API reference shows it)', () => {
    expect(membersWithoutDescription(symbols)).toEqual([]);
  });
});

/**
 * The core's names, sorted: what an integrator needs (issue 13). A name added to or removed from
 * src/index.ts must be added to or removed from this list on purpose; anything else an adapter,
 * executor or UI author may use goes to src/adapter-kit.ts.
 */
const CORE_NAMES = [
  'ACTION_SOURCES',
  'ACTION_STATUSES',
  'AccessDecision',
  'AccessPolicy',
  'ActionCenter',
  'ActionCenterError',
  'ActionCenterErrorCode',
  'ActionCenterException',
  'ActionCenterOptions',
  'ActionExecutor',
  'ActionFailure',
  'ActionId',
  'ActionPage',
  'ActionQueryInput',
  'ActionRecord',
  'ActionRepository',
  'ActionRequest',
  'ActionRequestInput',
  'ActionSourceId',
  'ActionStatus',
  'ActionTypeDefinition',
  'Actor',
  'ApprovalDecision',
  'ApprovalPolicy',
  'ApprovalPolicyConfig',
  'AuditEvent',
  'AutomationLevel',
  'BuiltInActionTypeId',
  'BuiltInRequestInput',
  'BulkResult',
  'COLUMN_IDS',
  'Catalog',
  'CatalogError',
  'CatalogRequestInput',
  'ChangeEntry',
  'ChangePage',
  'ChangePosition',
  'ChangeQuery',
  'Clock',
  'ColumnId',
  'CommittedChange',
  'CsvExport',
  'DEFAULT_COLUMNS',
  'DEFAULT_SYSTEM_COMPONENTS',
  'DecisionError',
  'DecisionInput',
  'DuplicatePolicy',
  'Err',
  'ErrorValue',
  'ExecutionDetails',
  'ExecutionOutcome',
  'ExecutionRequest',
  'ExpireError',
  'ExportInput',
  'FINAL_STATUSES',
  'GetError',
  'GetInput',
  'ITEM_OUTCOMES',
  'IdGenerator',
  'InputIssue',
  'InvalidInputError',
  'InvestigationInput',
  'InvestigationPage',
  'ItemError',
  'ItemFailure',
  'ItemOutcome',
  'ItemResult',
  'LifecycleEffect',
  'LifecycleEvent',
  'ListInput',
  'ListInvestigationsInput',
  'MemoryRepository',
  'Ok',
  'Operation',
  'ParametersInputOf',
  'ParametersOf',
  'PolicyEdit',
  'PolicyPatch',
  'Principal',
  'PrincipalInput',
  'QueryTooBroadError',
  'ReadError',
  'ReadScope',
  'RequestError',
  'ReportError',
  'ReportInput',
  'ReportOutcome',
  'ReportResult',
  'RequestInputOf',
  'Result',
  'ResumeError',
  'ResumeInput',
  'ResumeResult',
  'Role',
  'RoleScope',
  'RunError',
  'RunInput',
  'RunReport',
  'Selection',
  'SubmitError',
  'SubmitInput',
  'SubmitResult',
  'TIME_PERIODS',
  'Target',
  'TargetKind',
  'TimePeriod',
  'UndoInput',
  'Workload',
  'addToSelection',
  'applyPolicyPatches',
  'builtInActionTypeMap',
  'builtInActionTypes',
  'builtInCatalog',
  'canAddToSelection',
  'checkBulkSelection',
  'clearAutomationLevel',
  'collectCsv',
  'createActionCenter',
  'createApprovalPolicy',
  'createCatalog',
  'createDefaultAccessPolicy',
  'createMemoryRepository',
  'decideApproval',
  'defaultAccessPolicy',
  'defineActionType',
  'emptySelection',
  'err',
  'exportCsv',
  'isFinal',
  'manualClock',
  'noopExecutor',
  'ok',
  'parseActionRequest',
  'randomIdGenerator',
  'readScope',
  'removeFromSelection',
  'requestFor',
  'safeCreateActionCenter',
  'selectionActionType',
  'sequentialIdGenerator',
  'setAutomationLevel',
  'single',
  'systemClock',
  'transition',
  'transitionRecord',
  'undoEligibility',
  'unwrap',
  'verifyAuditTrail',
];

/** `export * from` and `export * as x from` in a file: each entry point lists its names explicitly. */
function exportStars(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  return source.statements
    .filter(
      (statement) =>
        ts.isExportDeclaration(statement) &&
        (statement.exportClause === undefined || ts.isNamespaceExport(statement.exportClause)),
    )
    .map((statement) => statement.getText(source));
}

describe('the curated public surface (issue 13)', () => {
  const program = projectProgram();
  const byEntry = new Map(
    ENTRY_POINTS.map((entry) => [
      entry,
      exportedSymbols(program, [join(ROOT, entry)])
        .map((symbol) => symbol.name)
        .sort(),
    ]),
  );
  const namesOf = (entry: string) => byEntry.get(entry) ?? [];

  it('the core exports exactly the curated names, well under 150', () => {
    expect(namesOf('src/index.ts')).toEqual([...CORE_NAMES].sort());
    expect(namesOf('src/index.ts').length).toBeLessThan(150);
  });

  it('the adapter kit is an entry point of its own, with what the core no longer exports', () => {
    expect(namesOf('src/adapter-kit.ts')).toEqual(
      expect.arrayContaining([
        'ActionRecordSchema',
        'CommitBatch',
        'ConflictCollector',
        'resolveQuery',
        'csvCell',
        'transitionAudit',
        'transitionEffects',
      ]),
    );
  });

  it('no name is exported by two entry points', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const [entry, names] of byEntry) {
      for (const name of names) {
        const first = seen.get(name);
        if (first === undefined) seen.set(name, entry);
        else twice.push(`${name} (${first} and ${entry})`);
      }
    }
    expect(twice).toEqual([]);
  });

  it('no entry point re-exports a module wholesale (no `export *`)', () => {
    const found = ENTRY_POINTS.flatMap((entry) => {
      const file = program.getSourceFile(join(ROOT, entry));
      if (file === undefined) throw new Error(`${entry} is not part of the program`);
      return exportStars(entry, file.text).map((line) => `${entry}: ${line}`);
    });
    expect(found).toEqual([]);
  });

  it('the star check finds `export *` and `export * as`, not named re-exports', () => {
    const text = ["export * from './a.js';", "export * as b from './b.js';", "export { c } from './c.js';"].join('\n');
    expect(exportStars('x.ts', text)).toEqual(["export * from './a.js';", "export * as b from './b.js';"]);
  });
});

describe('the documentation check itself', () => {
  const withExample = (code: string) => `/**\n * Doc.\n *\n * @example\n * \`\`\`ts\n * ${code}\n * \`\`\`\n */\n`;
  const program = inMemoryProgram({
    'index.ts': [
      `export * from './more.js';`,
      `export { renamed as aliased } from './more.js';`,
      `${withExample("import { documented } from 'actioncenter';")}export const documented = 1;`,
      `/** No example. */\nexport const undocumented = 2;`,
      `export interface Bare { readonly x: number }`,
      `${withExample("import type { Described } from 'actioncenter';")}export interface Described {\n  /** Has one. */\n  readonly a: number;\n  readonly b: string;\n  /** One overload described is enough. */\n  f(x: string): void;\n  f(x: number): void;\n}`,
      `${withExample("import type { Shape } from 'actioncenter';")}export type Shape = {\n  readonly c: number;\n  /** Described. */\n  readonly d: number;\n};`,
      `${withExample("import { overloaded } from 'actioncenter';")}export function overloaded(x: string): string;`,
      `export function overloaded(x: number): number;`,
      `export function overloaded(x: unknown): unknown { return x; }`,
      `${withExample('documentedElsewhere();')}export function documentedElsewhere(): void {}`,
    ].join('\n'),
    'more.ts': [
      `export type Reexported = string;`,
      `/** No example either. */\nexport function renamed(): void {}`,
    ].join('\n'),
  });
  const symbols = exportedSymbols(program, ['/virtual/index.ts']);
  const names = (found: readonly string[]) => found.map((line) => line.split(' ')[0]).sort();

  it('names every export without an @example, following re-exports and aliases', () => {
    expect(names(exportsWithoutExample(symbols))).toEqual(['Bare', 'Reexported', 'aliased', 'renamed', 'undocumented']);
  });

  it('names every @example that does not import from the package', () => {
    expect(names(examplesNotImportingThePackage(symbols))).toEqual(['documentedElsewhere']);
  });

  it('names every undescribed member of an exported interface or object type alias', () => {
    expect(names(membersWithoutDescription(symbols))).toEqual(['Bare.x', 'Described.b', 'Shape.c']);
  });
});
