/**
 * Action types the rules tests share: quarantine file, undone by release from quarantine (a
 * test-local pair, so that the rules tests do not depend on the built-in catalogue's details).
 */
import { z } from 'zod';
import { defineActionType } from '../../src/index.js';

export const quarantinePair = [
  defineActionType({
    id: 'quarantineFile',
    displayName: 'Quarantine file',
    workload: 'endpoint',
    targetKind: 'file',
    parameters: z.object({}),
    undo: { counterpart: 'releaseFromQuarantine', requiredRole: 'securityAdministrator' },
  }),
  defineActionType({
    id: 'releaseFromQuarantine',
    displayName: 'Release from quarantine',
    workload: 'endpoint',
    targetKind: 'file',
    parameters: z.object({}),
    undoes: ['quarantineFile'],
  }),
] as const;
