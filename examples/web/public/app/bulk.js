// Bulk decisions: the selection's bar (count, comment, Approve / Reject / Undo, each disabled with
// its reason shown) and the run itself, streamed as NDJSON with a progress bar and a Cancel button.
import { useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { postStreamed } from './api.js';
import { ReasonButton } from './details.js';
import { builtInCatalog, checkBulkSelection } from 'actioncenter';

const CONTEXT = { catalog: builtInCatalog };
const DONE_WORDS = {
  approve: 'Approved',
  reject: 'Rejected',
  undo: 'Undo requested for',
  cancel: 'Cancelled',
  retry: 'Retried',
};

/**
 * @param {() => void} onDone
 * @param {(notice: { kind: string, text: string } | null) => void} setNotice
 */
export function useBulk(onDone, setNotice) {
  const [running, setRunning] = useState(
    /** @type {{ operation: string, phase: string, done: number, total: number } | null} */ (null),
  );
  const [comment, setComment] = useState('');
  const controller = useRef(/** @type {AbortController | null} */ (null));

  /**
   * @param {string} operation
   * @param {string[]} ids
   * @param {Record<string, unknown>} extra
   */
  const run = async (operation, ids, extra) => {
    const abort = new AbortController();
    controller.current = abort;
    setRunning({ operation, phase: 'reading', done: 0, total: ids.length });
    setNotice(null);
    const body = { ids, ...(comment.trim() === '' ? {} : { comment: comment.trim() }), ...extra };
    const r = await postStreamed(`/api/actions/${operation}`, body, (p) => setRunning({ ...p }), abort.signal);
    controller.current = null;
    setRunning(null);
    if (!r.ok) {
      setNotice({
        kind: 'error',
        text: r.error.code === 'aborted' ? 'Cancelled: nothing was changed.' : r.error.message,
      });
      return;
    }
    const result = r.value.result;
    const applied = result.counts.applied;
    const failed = result.items.filter((/** @type {any} */ i) => !i.ok);
    const first = failed[0] ? ` ${failed[0].actionId}: ${failed[0].error.message}` : '';
    setNotice({
      kind: failed.length === 0 ? 'ok' : 'error',
      text: `${DONE_WORDS[operation] ?? operation} ${applied} of ${result.items.length} ${result.items.length === 1 ? 'action' : 'actions'}.${failed.length > 0 ? ` ${failed.length} not applied.${first}` : ''}`,
    });
    setComment('');
    onDone();
  };
  const cancel = () => controller.current?.abort();
  return { running, run, cancel, comment, setComment };
}

/**
 * Why an operation on the selection is not possible now, or null: the principal's rights (the
 * server's `can`), then the library's check of the whole selection (the product's message).
 * @param {string} operation
 * @param {any} selection
 * @param {Map<string, any>} picked
 * @param {any[]} items
 * @param {Record<string, any>} can
 */
function reasonFor(operation, selection, picked, items, can) {
  if (selection.actionIds.length === 0) {
    // Nothing on the page allows it: say why (a reader sees the role it lacks).
    const reasons = items.map((r) => can[r.id]?.[operation]).filter((x) => x !== undefined);
    if (reasons.length > 0 && reasons.every((x) => x !== null)) return reasons[0];
    return `Select one or more actions to ${operation}`;
  }
  const records = [];
  for (const id of selection.actionIds) {
    const entry = picked.get(id);
    const denied = (can[id] ?? entry?.can)?.[operation];
    if (denied) return `${id}: ${denied}`;
    if (entry) records.push(entry.record);
  }
  const checked = checkBulkSelection(operation, records, CONTEXT);
  return checked.ok ? null : (checked.error.offending[0]?.message ?? checked.error.message);
}

/** @param {{ operation: string, phase: string, done: number, total: number }} p */
function progressText(p) {
  const doing = { approve: 'Approving', reject: 'Rejecting', undo: 'Undoing' }[p.operation] ?? p.operation;
  return `${doing}: ${p.done} of ${p.total} (${p.phase})`;
}

/** @param {{ tab: string, selection: any, picked: Map<string, any>, items: any[], can: Record<string, any>, bulk: ReturnType<typeof useBulk>, onClear: () => void }} props */
export function BulkBar({ tab, selection, picked, items, can, bulk, onClear }) {
  const ids = [...selection.actionIds];
  const operations = tab === 'pending' ? ['approve', 'reject'] : ['undo'];
  const typeName =
    selection.actionType === null
      ? ''
      : builtInCatalog.get(selection.actionType).ok
        ? builtInCatalog.get(selection.actionType).value.displayName
        : selection.actionType;
  const running = bulk.running;
  return html`<section class="bulk" aria-label="Selected actions">
    <p class="count" aria-live="polite">
      ${ids.length === 0 ? 'No actions selected' : `${ids.length} selected (${typeName})`}
      ${ids.length > 0 ? html` <button type="button" class="link" onClick=${onClear}>Clear selection</button>` : null}
    </p>
    <label class="comment">
      Comment
      <textarea
        name="comment"
        rows="2"
        maxlength="1000"
        value=${bulk.comment}
        onInput=${(/** @type {any} */ e) => bulk.setComment(e.currentTarget.value)}
      ></textarea>
    </label>
    <div class="buttons">
      ${operations.map(
        (op) =>
          html`<${ReasonButton}
            key=${op}
            id=${`bulk-${op}`}
            label=${{ approve: 'Approve', reject: 'Reject', undo: 'Undo' }[op]}
            primary=${op !== 'reject'}
            reason=${reasonFor(op, selection, picked, items, can)}
            busy=${running !== null}
            onClick=${() => bulk.run(op, ids, {})}
          />`,
      )}
    </div>
    ${
      running === null
        ? null
        : html`<div class="progress" role="status">
            <label for="bulk-progress">${progressText(running)}</label>
            <progress id="bulk-progress" max=${Math.max(1, running.total)} value=${running.done}></progress>
            <button type="button" onClick=${bulk.cancel}>Cancel</button>
          </div>`
    }
  </section>`;
}
