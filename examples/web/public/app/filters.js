// The filters of a view (seed 002: "Use the time period filter to view data for the past day, week,
// 30 days, or 6 months"; "Use filters to view just the items you want to see"), and the query they
// make for the library's ActionQuery.
import { html } from './html.js';
import { TIME_PERIODS } from 'actioncenter';

const PERIOD_LABELS = {
  pastDay: 'Past day',
  pastWeek: 'Past week',
  past30Days: 'Past 30 days',
  past6Months: 'Past 6 months',
};

/** @typedef {{ period: string, actionType: string, status: string, source: string, asset: string, id: string }} Filters */

/** @type {Filters} */
export const NO_FILTERS = { period: 'past6Months', actionType: '', status: '', source: '', asset: '', id: '' };

/**
 * An option of the server's meta lists, which name things as `{ id, displayName | label }` or a plain string.
 * @param {any} item
 * @returns {{ value: string, label: string }}
 */
function option(item) {
  if (typeof item === 'string') return { value: item, label: item };
  const value = String(item?.id ?? item?.value ?? item?.status ?? '');
  return { value, label: String(item?.displayName ?? item?.label ?? item?.header ?? value) };
}

/**
 * The library's query of a view.
 * @param {'pending' | 'history'} view
 * @param {Filters} f
 * @param {{ column: string, direction: string }} sort
 * @param {{ size: number, index: number } | null} page null: every page (the export)
 */
export function queryOf(view, f, sort, page) {
  /** @type {Record<string, unknown>} */
  const filter = { view };
  if (f.period !== '') filter.time = { period: f.period };
  if (f.actionType !== '') filter.actionType = [f.actionType];
  if (f.status !== '') filter.status = [f.status];
  if (f.source !== '') filter.source = [f.source];
  if (f.asset.trim() !== '') filter.asset = [f.asset.trim()];
  if (f.id.trim() !== '') filter.ids = [f.id.trim()];
  const query = { filter, sort };
  return page === null ? query : { ...query, page: { size: page.size, index: page.index } };
}

/**
 * @param {{ label: string, name: string, value: string, items: any[], any: string, onChange: (value: string) => void }} props
 */
function Choice({ label, name, value, items, any, onChange }) {
  return html`<label>
    ${label}
    <select name=${name} value=${value} onChange=${(/** @type {any} */ e) => onChange(e.currentTarget.value)}>
      <option value="">${any}</option>
      ${items.map(option).map((o) => html`<option key=${o.value} value=${o.value}>${o.label}</option>`)}
    </select>
  </label>`;
}

/** @param {{ view: string, meta: any, filters: Filters, onChange: (filters: Filters) => void }} props */
export function FilterBar({ view, meta, filters, onChange }) {
  /** @param {keyof Filters} key */
  const set = (key) => (/** @type {string} */ value) => onChange({ ...filters, [key]: value });
  const statuses = (meta?.statuses ?? []).filter(
    (/** @type {any} */ s) => (view === 'pending') === (option(s).value === 'pending'),
  );
  return html`<form class="filters" aria-label="Filters" onSubmit=${(/** @type {Event} */ e) => e.preventDefault()}>
    <label>
      Time period
      <select
        name="period"
        value=${filters.period}
        onChange=${(/** @type {any} */ e) => set('period')(e.currentTarget.value)}
      >
        ${TIME_PERIODS.map((p) => html`<option key=${p} value=${p}>${PERIOD_LABELS[p] ?? p}</option>`)}
        <option value="">Any time</option>
      </select>
    </label>
    <${Choice}
      label="Action type"
      name="actionType"
      value=${filters.actionType}
      items=${meta?.actionTypes ?? []}
      any="All types"
      onChange=${set('actionType')}
    />
    ${
      view === 'history'
        ? html`<${Choice}
            label="Status"
            name="status"
            value=${filters.status}
            items=${statuses}
            any="All statuses"
            onChange=${set('status')}
          />`
        : null
    }
    <${Choice}
      label="Action source"
      name="source"
      value=${filters.source}
      items=${meta?.sources ?? []}
      any="All sources"
      onChange=${set('source')}
    />
    <label>
      Asset (exact)
      <input
        type="search"
        name="asset"
        value=${filters.asset}
        onChange=${(/** @type {any} */ e) => set('asset')(e.currentTarget.value)}
      />
    </label>
    <label>
      Action ID
      <input
        type="search"
        name="id"
        value=${filters.id}
        onChange=${(/** @type {any} */ e) => set('id')(e.currentTarget.value)}
      />
    </label>
    <button type="button" onClick=${() => onChange(NO_FILTERS)}>Clear filters</button>
  </form>`;
}
