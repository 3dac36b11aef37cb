/**
 * `npm run demo`: a tour of what actioncenter knows out of the box.
 *
 * For now it prints the built-in catalogue of action types and the nine action sources. Each part is
 * a small function so that later scenarios (submit, approve, run, undo, export) slot in beside them.
 */
import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import pkg from 'actioncenter/package.json' with { type: 'json' };
import {
  ACTION_SOURCE_IDS,
  ACTION_SOURCES,
  builtInCatalog,
  type ActionSource,
  type ActionTypeDefinition,
} from 'actioncenter';
import { formatDuration } from './lib/duration.js';
import { formatTable, printTable, type Column } from './lib/table.js';

function printHeader(): void {
  const loadedFrom = relative(process.cwd(), fileURLToPath(import.meta.resolve('actioncenter')));
  console.log(`${pkg.name} ${pkg.version}: the domain core of a security Action center (loaded from ${loadedFrom})`);
}

const ACTION_TYPE_COLUMNS: readonly Column<ActionTypeDefinition>[] = [
  { header: 'Id', cell: (t) => t.id },
  { header: 'Display name', cell: (t) => t.displayName },
  { header: 'Workload', cell: (t) => t.workload },
  { header: 'Target kind', cell: (t) => t.targetKind },
  { header: 'Undo counterpart', cell: (t) => t.undo?.counterpart ?? null },
  { header: 'Cancel while running', cell: (t) => t.cancellableWhileRunning },
  { header: 'Deadline', cell: (t) => formatDuration(t.deadlineMs), align: 'right' },
  { header: 'Permission', cell: (t) => t.permission },
];

function printCatalogue(): void {
  const types = builtInCatalog.types;
  printTable(types, ACTION_TYPE_COLUMNS, `Built-in action types (${types.length})`);

  // Export and columns use display names, so each one must lead back to exactly its type.
  for (const type of types) assert.equal(builtInCatalog.byDisplayName(type.displayName), type, type.displayName);
  // An undoable type's counterpart is in the catalogue (createCatalog refuses the catalogue otherwise).
  for (const type of types.filter((t) => t.undo !== null)) {
    assert.equal(builtInCatalog.undoCounterpartOf(type.id)?.id, type.undo?.counterpart, type.id);
  }
  assert.equal(formatTable(types, ACTION_TYPE_COLUMNS).split('\n').length, types.length + 2);
}

const SOURCE_COLUMNS: readonly Column<ActionSource>[] = [
  { header: 'Id', cell: (s) => s.id },
  { header: 'Label', cell: (s) => s.label },
  { header: 'Taken by', cell: (s) => (s.automated ? 'automation' : 'a person') },
  { header: 'Workloads', cell: (s) => s.workloads.join(', ') },
  { header: 'Origin group', cell: (s) => s.originGroup },
];

function printSources(): void {
  const sources = ACTION_SOURCE_IDS.map((id) => ACTION_SOURCES[id]);
  printTable(sources, SOURCE_COLUMNS, `Action sources (${sources.length})`);

  // Seed 002's eight "Action source" values, plus Microsoft Defender Antivirus.
  assert.equal(sources.length, 9);
  assert.equal(new Set(sources.map((s) => s.label)).size, sources.length, 'labels are unique');
  assert.equal(ACTION_SOURCES.automatedEmailAction.label, 'Automated email action');
}

printHeader();
printCatalogue();
printSources();
