/**
 * The built-in catalogue: every action type the seeds and DESIGN.md name.
 *
 * STUB: being completed (see issue 2). Only a few types are here yet.
 *
 * @module
 */
import { z } from 'zod';
import { defineActionType } from './action-type.js';
import { createCatalog, type Catalog } from './catalog.js';
import { Sha1Schema } from './targets.js';
import { unwrap } from '../result.js';

const HOUR = 60 * 60 * 1000;

const quarantineFile = defineActionType({
  id: 'quarantineFile',
  displayName: 'Quarantine file',
  description: 'Sends a file to quarantine on a device.',
  workload: 'endpoint',
  targetKind: 'file',
  parameters: z.object({}),
  undo: { counterpart: 'releaseFromQuarantine', requiredRole: 'securityAdministrator' },
  deadlineMs: HOUR,
});

const releaseFromQuarantine = defineActionType({
  id: 'releaseFromQuarantine',
  displayName: 'Release from quarantine',
  description: 'Restores a quarantined file.',
  workload: 'endpoint',
  targetKind: 'file',
  parameters: z.object({}),
  undoes: ['quarantineFile'],
});

const isolateDevice = defineActionType({
  id: 'isolateDevice',
  displayName: 'Isolate device',
  workload: 'endpoint',
  targetKind: 'device',
  parameters: z.object({ isolationType: z.enum(['full', 'selective']) }),
  undo: { counterpart: 'releaseFromIsolation', requiredRole: 'securityAdministrator' },
});

const releaseFromIsolation = defineActionType({
  id: 'releaseFromIsolation',
  displayName: 'Release from isolation',
  workload: 'endpoint',
  targetKind: 'device',
  parameters: z.object({}),
  undoes: ['isolateDevice'],
});

const stopAndQuarantineFile = defineActionType({
  id: 'stopAndQuarantineFile',
  displayName: 'Stop and quarantine',
  workload: 'endpoint',
  targetKind: 'file',
  parameters: z.object({ sha1: Sha1Schema }),
});

const softDeleteEmailClusters = defineActionType({
  id: 'softDeleteEmailClusters',
  displayName: 'Soft delete email clusters',
  workload: 'email',
  targetKind: 'emailCluster',
  parameters: z.object({ query: z.string().min(1).max(4096) }),
});

/**
 * Every built-in action type, keyed by id.
 *
 * @example
 * ```ts
 * import { builtInActionTypeMap } from 'actioncenter';
 * builtInActionTypeMap.quarantineFile.displayName; // 'Quarantine file'
 * ```
 */
export const builtInActionTypeMap = {
  quarantineFile,
  releaseFromQuarantine,
  isolateDevice,
  releaseFromIsolation,
  stopAndQuarantineFile,
  softDeleteEmailClusters,
} as const;

/**
 * Every built-in action type, as a list (the order of DESIGN.md's table).
 *
 * @example
 * ```ts
 * import { builtInActionTypes } from 'actioncenter';
 * builtInActionTypes.map((t) => t.displayName);
 * ```
 */
export const builtInActionTypes = Object.freeze(Object.values(builtInActionTypeMap));

/**
 * The id of a built-in action type.
 *
 * @example
 * ```ts
 * import type { BuiltInActionTypeId } from 'actioncenter';
 * const id: BuiltInActionTypeId = 'isolateDevice';
 * ```
 */
export type BuiltInActionTypeId = keyof typeof builtInActionTypeMap;

/**
 * The catalogue of built-in types. Build your own with
 * `createCatalog([...builtInActionTypes, ...yours])`.
 *
 * @example
 * ```ts
 * import { builtInCatalog } from 'actioncenter';
 * builtInCatalog.byDisplayName('Isolate device')?.id; // 'isolateDevice'
 * ```
 */
export const builtInCatalog: Catalog<(typeof builtInActionTypes)[number]> = unwrap(createCatalog(builtInActionTypes));
