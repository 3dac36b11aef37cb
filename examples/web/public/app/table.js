// The actions table: sortable headers, a checkbox per row built on the library's selection state
// machine, the column chooser and paging.
import { html } from './html.js';
import { ACTION_COLUMNS, SORT_COLUMNS, builtInCatalog, canAddToSelection } from 'actioncenter';

const CELL_CONTEXT = { catalog: builtInCatalog };

/**
 * The header of a column: the server's (meta) first, else the library's.
 * @param {any} meta
 * @param {string} id
 */
export function headerOf(meta, id) {
  const fromMeta = meta?.columns?.find((/** @type {any} */ c) => c.id === id)?.header;
  return fromMeta ?? ACTION_COLUMNS[id]?.header ?? id;
}

/**
 * Why a row cannot join the selection, or null when it can: the server's `can` (the principal's
 * rights) first, then the library's selection rules (same action type, state, undo eligibility).
 * @param {any} selection the library's Selection
 * @param {any} record
 * @param {any} can the server's answer for this id
 */
export function whyNotSelectable(selection, record, can) {
  if (selection.actionIds.includes(record.id)) return null;
  if (can) {
    if (selection.operation === 'undo') {
      if (can.undo !== null) return can.undo;
    } else if (can.approve !== null && can.reject !== null) return can.approve;
  }
  const check = canAddToSelection(selection, record, CELL_CONTEXT);
  return check.allowed ? null : check.message;
}

/** @param {{ meta: any, columns: string[], sort: { column: string, direction: string }, onSort: (column: string) => void, items: any[], can: Record<string, any>, selection: any, onToggle: (record: any, checked: boolean) => void, onOpen: (id: string) => void, onSelectPage: (checked: boolean) => void }} props */
export function ActionsTable(props) {
  const { meta, columns, sort, items, can, selection } = props;
  const selectedHere = items.filter((r) => selection.actionIds.includes(r.id)).length;
  return html`<div class="scroll">
    <table class="actions">
      <caption class="visually-hidden">
        Actions
      </caption>
      <thead>
        <tr>
          <th scope="col">
            <input
              type="checkbox"
              aria-label="Select every action of this page that can be selected"
              checked=${items.length > 0 && selectedHere === items.length}
              onChange=${(/** @type {any} */ e) => props.onSelectPage(e.currentTarget.checked)}
            />
          </th>
          <th scope="col"><span class="visually-hidden">Details</span></th>
          ${columns.map((id) => {
            const sortable = SORT_COLUMNS.includes(id);
            const active = sort.column === id;
            const ariaSort = active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none';
            const arrow = active ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : '';
            return html`<th scope="col" aria-sort=${sortable ? ariaSort : undefined}>
              ${
                sortable
                  ? html`<button type="button" class="sort" onClick=${() => props.onSort(id)}>
                      ${headerOf(meta, id)}<span aria-hidden="true">${arrow}</span>
                    </button>`
                  : headerOf(meta, id)
              }
            </th>`;
          })}
        </tr>
      </thead>
      <tbody>
        ${
          items.length === 0
            ? html`<tr>
                <td colspan=${columns.length + 2} class="empty">No actions match these filters.</td>
              </tr>`
            : items.map((record) => {
                const checked = selection.actionIds.includes(record.id);
                const why = checked ? null : whyNotSelectable(selection, record, can[record.id]);
                return html`<tr key=${record.id} class=${checked ? 'selected' : ''} data-id=${record.id}>
                  <td>
                    <input
                      type="checkbox"
                      checked=${checked}
                      disabled=${why !== null}
                      title=${why ?? `Select ${record.id}`}
                      aria-label=${why === null ? `Select ${record.id}` : `Cannot select ${record.id}: ${why}`}
                      onChange=${(/** @type {any} */ e) => props.onToggle(record, e.currentTarget.checked)}
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      class="link"
                      onClick=${() => props.onOpen(record.id)}
                      aria-label=${`Details of ${record.id}`}
                    >
                      Details
                    </button>
                  </td>
                  ${columns.map((id) => html`<td data-column=${id}>${ACTION_COLUMNS[id]?.value(record, CELL_CONTEXT) ?? ''}</td>`)}
                </tr>`;
              })
        }
      </tbody>
    </table>
  </div>`;
}

/** @param {{ meta: any, columns: string[], onChange: (columns: string[]) => void }} props */
export function ColumnChooser({ meta, columns, onChange }) {
  const all = meta?.columns?.map((/** @type {any} */ c) => c.id) ?? Object.keys(ACTION_COLUMNS);
  return html`<details class="chooser">
    <summary>Columns</summary>
    <fieldset>
      <legend>Columns to show</legend>
      ${all.map(
        (/** @type {string} */ id) =>
          html`<label key=${id}>
            <input
              type="checkbox"
              name="column"
              value=${id}
              checked=${columns.includes(id)}
              disabled=${columns.length === 1 && columns.includes(id)}
              onChange=${(/** @type {any} */ e) =>
                onChange(
                  e.currentTarget.checked
                    ? all.filter((/** @type {string} */ c) => c === id || columns.includes(c))
                    : columns.filter((c) => c !== id),
                )}
            />
            ${headerOf(meta, id)}
          </label>`,
      )}
    </fieldset>
  </details>`;
}

/** @param {{ page: any, size: number, index: number, onSize: (size: number) => void, onIndex: (index: number) => void }} props */
export function Pager({ page, size, index, onSize, onIndex }) {
  const total = page?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / size));
  const more = page?.totalIs === 'atLeast' ? 'more than ' : '';
  return html`<nav class="pager" aria-label="Pages">
    <label>
      Page size
      <select
        name="pageSize"
        value=${String(size)}
        onChange=${(/** @type {any} */ e) => onSize(Number(e.currentTarget.value))}
      >
        ${[10, 25, 50, 100].map((n) => html`<option value=${String(n)}>${n}</option>`)}
      </select>
    </label>
    <button type="button" disabled=${index === 0} onClick=${() => onIndex(index - 1)}>Previous page</button>
    <span aria-live="polite">Page ${index + 1} of ${more}${pages} (${more}${total} actions)</span>
    <button
      type="button"
      disabled=${index + 1 >= pages && page?.nextCursor == null}
      onClick=${() => onIndex(index + 1)}
    >
      Next page
    </button>
  </nav>`;
}
