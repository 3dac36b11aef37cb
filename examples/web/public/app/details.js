// The details panel: the record, its audit trail and the trail's verification, and the actions the
// signed-in principal may take on it (a disabled button says why, in visible text).
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { get } from './api.js';
import { ACTION_COLUMNS, builtInCatalog } from 'actioncenter';

const CELL_CONTEXT = { catalog: builtInCatalog };
const FIELDS = [
  'id',
  'actionType',
  'asset',
  'status',
  'source',
  'requestedBy',
  'decidedBy',
  'comment',
  'createdAt',
  'decidedAt',
  'completedAt',
  'investigationId',
  'undoOf',
];

/** @param {number} ms */
const iso = (ms) => (typeof ms === 'number' ? new Date(ms).toISOString() : '');

/** @param {any} actor */
function actorText(actor) {
  if (!actor || typeof actor !== 'object') return '';
  return actor.type === 'principal' ? actor.id : `system:${actor.component}`;
}

/**
 * The rest of an audit line, as one text: htm drops white space that spans lines between parts.
 * @param {any} event
 */
function auditText(event) {
  const move = event.from || event.to ? `${event.from ?? ''} → ${event.to ?? ''}` : '';
  const by = event.actor ? ` by ${actorText(event.actor)}` : '';
  const comment = event.comment ? ` — “${event.comment}”` : '';
  return move + by + comment;
}

/**
 * A button that is disabled with its reason in visible text tied to it (aria-describedby).
 * @param {{ id: string, label: string, reason: string | null, busy: boolean, onClick: () => void, primary?: boolean }} props
 */
export function ReasonButton({ id, label, reason, busy, onClick, primary }) {
  const describedBy = reason === null ? undefined : `${id}-why`;
  return html`<span class="reason-button">
    <button
      type="button"
      id=${id}
      class=${primary ? 'primary' : ''}
      disabled=${reason !== null || busy}
      aria-describedby=${describedBy}
      onClick=${onClick}
    >
      ${label}
    </button>
    ${reason === null ? null : html`<span id=${describedBy} class="why">${reason}</span>`}
  </span>`;
}

/** @param {{ actionId: string, version: number, busy: boolean, onClose: () => void, onDecide: (operation: string, ids: string[]) => void, onUndo: (id: string, applyToOtherInstances: boolean) => void }} props */
export function DetailsPanel({ actionId, version, busy, onClose, onDecide, onUndo }) {
  const [detail, setDetail] = useState(/** @type {any} */ (null));
  const [preview, setPreview] = useState(/** @type {any} */ (null));
  const [applyToMore, setApplyToMore] = useState(false);
  const heading = useRef(/** @type {HTMLHeadingElement | null} */ (null));

  useEffect(() => {
    let live = true;
    get(`/api/actions/${encodeURIComponent(actionId)}`).then((r) => live && setDetail(r));
    return () => {
      live = false;
    };
  }, [actionId, version]);
  useEffect(() => heading.current?.focus(), [actionId]);
  useEffect(() => {
    setApplyToMore(false);
    setPreview(null);
  }, [actionId]);

  const record = detail?.ok ? detail.value.record : null;
  const can = detail?.ok ? detail.value.can : null;
  useEffect(() => {
    let live = true;
    if (record !== null && can?.undo === null) {
      get(`/api/actions/${encodeURIComponent(actionId)}/undo-preview`).then(
        (r) => live && setPreview(r.ok ? r.value : null),
      );
    }
    return () => {
      live = false;
    };
  }, [actionId, record?.version, can?.undo]);

  const others = preview?.otherInstances ?? 0;
  return html`<aside
    class="details"
    aria-labelledby="details-title"
    onKeyDown=${(/** @type {KeyboardEvent} */ e) => e.key === 'Escape' && onClose()}
  >
    <header>
      <h2 id="details-title" tabindex="-1" ref=${heading}>Action ${actionId}</h2>
      <button type="button" onClick=${onClose} aria-label="Close the details">Close</button>
    </header>
    ${detail === null ? html`<p>Loading…</p>` : null}
    ${detail !== null && !detail.ok ? html`<p role="alert">${detail.error.message}</p>` : null}
    ${
      record === null
        ? null
        : html`<dl class="fields">
              ${FIELDS.map(
                (id) =>
                  html`<div key=${id}>
                    <dt>${ACTION_COLUMNS[id]?.header ?? id}</dt>
                    <dd>${ACTION_COLUMNS[id]?.value(record, CELL_CONTEXT) || '—'}</dd>
                  </div>`,
              )}
            </dl>
            <div class="decide">
              ${
                record.status === 'pending'
                  ? html`<${ReasonButton}
                        id="details-approve"
                        label="Approve"
                        primary
                        reason=${can.approve}
                        busy=${busy}
                        onClick=${() => onDecide('approve', [record.id])}
                      />
                      <${ReasonButton}
                        id="details-reject"
                        label="Reject"
                        reason=${can.reject}
                        busy=${busy}
                        onClick=${() => onDecide('reject', [record.id])}
                      />`
                  : html`${
                        others > 0
                          ? html`<label class="apply-more">
                              <input
                                type="checkbox"
                                checked=${applyToMore}
                                onChange=${(/** @type {any} */ e) => setApplyToMore(e.currentTarget.checked)}
                              />
                              ${` Apply to ${others} more ${others === 1 ? 'instance' : 'instances'} of this file`}
                            </label>`
                          : null
                      }
                      <${ReasonButton}
                        id="details-undo"
                        label="Undo"
                        reason=${can.undo}
                        busy=${busy}
                        onClick=${() => onUndo(record.id, applyToMore && others > 0)}
                      />`
              }
            </div>
            <section aria-labelledby="audit-title">
              <h3 id="audit-title">Audit trail</h3>
              <p class="verification" data-intact=${String(detail.value.verification?.intact)}>
                ${
                  detail.value.verification?.intact === true
                    ? 'Verified: the hash chain of this trail is intact.'
                    : detail.value.verification?.intact === false
                      ? 'Not verified: the hash chain of this trail is broken.'
                      : 'Verification unavailable.'
                }
              </p>
              <ol class="audit">
                ${detail.value.audit.map(
                  (/** @type {any} */ event) =>
                    html`<li key=${event.sequence ?? event.hash ?? event.at}>
                      <time datetime=${iso(event.at)}>${iso(event.at)}</time> <strong>${event.type}</strong>${' '}
                      ${auditText(event)}
                    </li>`,
                )}
              </ol>
            </section>`
    }
  </aside>`;
}
