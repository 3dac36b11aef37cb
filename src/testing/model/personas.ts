/**
 * The people of the model-based tests and what each may do: a table written from seed 002, much
 * simpler than the access policy it checks.
 *
 * @module
 */
import type { ActionTypeDefinition, Operation, PrincipalInput } from 'actioncenter';

/**
 * The principals the model-based commands act as, one per kind of standing seed 002 describes.
 *
 * @example
 * ```ts
 * import { MODEL_PERSONAS } from 'actioncenter/testing';
 * MODEL_PERSONAS.serversResponder.assignments[0]?.deviceGroups; // ['Servers']
 * ```
 */
export const MODEL_PERSONAS = Object.freeze({
  globalAdministrator: { id: 'ga@contoso.com', assignments: [{ role: 'globalAdministrator', assignedIn: 'entraId' }] },
  securityAdministrator: {
    id: 'secadmin@contoso.com',
    assignments: [{ role: 'securityAdministrator', assignedIn: 'entraId' }],
  },
  emailSecurityAdministrator: {
    id: 'purge@contoso.com',
    assignments: [
      { role: 'securityAdministrator', assignedIn: 'entraId' },
      { role: 'searchAndPurge', assignedIn: 'emailAndCollaboration' },
    ],
  },
  serversResponder: {
    id: 'servers@contoso.com',
    assignments: [{ role: 'activeRemediationActions', assignedIn: 'defenderForEndpoint', deviceGroups: ['Servers'] }],
  },
  securityOperator: { id: 'operator@contoso.com', assignments: [{ role: 'securityOperator', assignedIn: 'entraId' }] },
  securityReader: { id: 'reader@contoso.com', assignments: [{ role: 'securityReader', assignedIn: 'entraId' }] },
  emailCollaborationOnly: {
    id: 'collab@contoso.com',
    assignments: [{ role: 'securityAdministrator', assignedIn: 'emailAndCollaboration' }],
  },
} as const satisfies Record<string, PrincipalInput>);

/**
 * The name of one of {@link MODEL_PERSONAS}.
 *
 * @example
 * ```ts
 * import type { ModelPersona } from 'actioncenter/testing';
 * const who: ModelPersona = 'securityReader';
 * ```
 */
export type ModelPersona = keyof typeof MODEL_PERSONAS;

/**
 * What the model believes about permissions: may this persona perform this operation on an action
 * of this type, whose target is on this device group (null when not on a device)? Give your own when
 * the engine under test uses another access policy.
 *
 * @example
 * ```ts
 * import type { ModelPermissions } from 'actioncenter/testing';
 * const onlyAdmins: ModelPermissions = (persona, operation) => operation === 'view' || persona === 'globalAdministrator';
 * ```
 */
export type ModelPermissions = (
  persona: ModelPersona,
  operation: Operation,
  subject: { readonly actionType: ActionTypeDefinition; readonly deviceGroup: string | null },
) => boolean;

/**
 * The default access policy as a table (seed 002): Global Administrator does everything; Security
 * Administrator acts on devices and identities but not email (that needs Search and Purge too), and
 * undoes all but what needs Global Administrator; the Servers responder acts on devices of group
 * Servers only; the Security Operator only proposes; readers only view; Security Administrator
 * assigned only in Email & collaboration may not even view.
 *
 * @example
 * ```ts
 * import { builtInCatalog } from 'actioncenter';
 * import { defaultModelPermissions } from 'actioncenter/testing';
 * defaultModelPermissions('securityAdministrator', 'approve', { actionType: builtInCatalog.require('softDeleteEmailClusters'), deviceGroup: null }); // false
 * ```
 */
export const defaultModelPermissions: ModelPermissions = (persona, operation, { actionType, deviceGroup }) => {
  if (operation === 'view' || operation === 'export') return persona !== 'emailCollaborationOnly';
  const undoNeedsGlobalAdministrator = actionType.undo?.requiredRole === 'globalAdministrator';
  switch (persona) {
    case 'globalAdministrator':
      return true;
    case 'securityReader':
    case 'emailCollaborationOnly':
      return false;
    case 'securityOperator':
      // Issue 16: whoever may propose may add a note.
      return operation === 'propose' || operation === 'addNote';
    case 'serversResponder':
      if (operation === 'undo') return false;
      // A device-group scope limits device remediation, and proposals on targets that live on a device.
      if (operation === 'propose' || operation === 'addNote')
        return deviceGroup === 'Servers' || (deviceGroup === null && actionType.permission !== 'deviceRemediation');
      return actionType.permission === 'deviceRemediation' && deviceGroup === 'Servers';
    case 'securityAdministrator':
      if (operation === 'undo') return !undoNeedsGlobalAdministrator;
      if (operation === 'addNote') return true;
      return operation === 'propose' || actionType.permission !== 'emailRemediation';
    case 'emailSecurityAdministrator':
      if (operation === 'undo') return !undoNeedsGlobalAdministrator;
      return true;
    default: {
      const unknown: never = persona;
      throw new Error(`Unknown persona ${String(unknown)}`);
    }
  }
};
