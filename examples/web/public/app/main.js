// The Action center page: sign-in (demo personas), Pending and History tabs, filters, the table, bulk
// decisions with progress, the details panel, Export, and live refresh from the server's change feed.
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { get, post, setCsrfToken } from './api.js';
import { FilterBar, NO_FILTERS, queryOf } from './filters.js';
import { ActionsTable, ColumnChooser, Pager } from './table.js';
import { DetailsPanel } from './details.js';
import { BulkBar, useBulk } from './bulk.js';
import { DEFAULT_COLUMNS, addToSelection, emptySelection, removeFromSelection, builtInCatalog } from 'actioncenter';

const COLUMNS_KEY = 'actioncenter.columns';
const TABS = /** @type {const} */ (['pending', 'history']);
const TAB_LABELS = { pending: 'Pending', history: 'History' };
const CONTEXT = { catalog: builtInCatalog };

/** @param {any} meta */
function savedColumns(meta) {
  const known = new Set((meta?.columns ?? []).map((/** @type {any} */ c) => c.id));
  try {
    const saved = JSON.parse(localStorage.getItem(COLUMNS_KEY) ?? 'null');
    if (Array.isArray(saved) && saved.length > 0 && saved.every((c) => known.size === 0 || known.has(c))) return saved;
  } catch {
    // an unreadable saved choice is ignored: the defaults apply
  }
  const defaults = meta?.defaultColumns ?? DEFAULT_COLUMNS;
  return defaults.map((/** @type {any} */ c) => (typeof c === 'string' ? c : c.id));
}

/** @param {{ session: any, onSignedIn: (session: any) => void }} props */
function SignIn({ session, onSignedIn }) {
  const [error, setError] = useState(/** @type {string | null} */ (null));
  const signIn = async (/** @type {string} */ persona) => {
    const r = await post('/api/login', { persona });
    if (r.ok) onSignedIn(r.value);
    else setError(r.error.message);
  };
  return html`<main class="signin" aria-labelledby="signin-title">
    <h1 id="signin-title">Action center</h1>
    <p class="demo-banner" role="note">
      <strong>Demo sign-in.</strong> No password: choose a persona to try the example. A real deployment signs people in
      through its identity provider.
    </p>
    ${error === null ? null : html`<p role="alert">${error}</p>`}
    <ul class="personas">
      ${(session?.personas ?? []).map(
        (/** @type {any} */ p) =>
          html`<li key=${p.persona}>
            <button type="button" onClick=${() => signIn(p.persona)}>Sign in as ${p.displayName}</button>
            <span>${p.description}</span>
          </li>`,
      )}
    </ul>
  </main>`;
}

/** @param {{ tab: string, onTab: (tab: 'pending' | 'history') => void }} props */
function Tabs({ tab, onTab }) {
  const refs = useRef(/** @type {Record<string, HTMLButtonElement | null>} */ ({}));
  const onKeyDown = (/** @type {KeyboardEvent} */ e) => {
    const at = TABS.indexOf(/** @type {any} */ (tab));
    const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: TABS.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const to = TABS[(next + TABS.length) % TABS.length] ?? 'pending';
    onTab(to);
    refs.current[to]?.focus();
  };
  return html`<div role="tablist" aria-label="Actions" onKeyDown=${onKeyDown}>
    ${TABS.map(
      (t) =>
        html`<button
          key=${t}
          type="button"
          role="tab"
          id=${`tab-${t}`}
          aria-selected=${String(t === tab)}
          aria-controls="actions-panel"
          tabindex=${t === tab ? 0 : -1}
          ref=${(/** @type {HTMLButtonElement | null} */ el) => (refs.current[t] = el)}
          onClick=${() => onTab(t)}
        >
          ${TAB_LABELS[t]}
        </button>`,
    )}
  </div>`;
}

/** @param {{ session: any, meta: any, onSignOut: () => void }} props */
function ActionCenter({ session, meta, onSignOut }) {
  const [tab, setTab] = useState(/** @type {'pending' | 'history'} */ ('pending'));
  const [filters, setFilters] = useState(NO_FILTERS);
  const [sort, setSort] = useState({ column: 'createdAt', direction: 'desc' });
  const [paging, setPaging] = useState({ size: 25, index: 0 });
  const [columns, setColumns] = useState(() => savedColumns(meta));
  const [data, setData] = useState(/** @type {any} */ (null));
  const [selection, setSelection] = useState(() => emptySelection('approve'));
  const picked = useRef(/** @type {Map<string, any>} */ (new Map()));
  const [notice, setNotice] = useState(/** @type {{ kind: string, text: string } | null} */ (null));
  const [detailsId, setDetailsId] = useState(/** @type {string | null} */ (null));
  const [version, setVersion] = useState(0);
  const bulk = useBulk(() => {
    setSelection(emptySelection(tab === 'history' ? 'undo' : 'approve'));
    picked.current.clear();
    setVersion((v) => v + 1);
  }, setNotice);

  const query = queryOf(tab, filters, sort, paging);
  const queryKey = JSON.stringify(query);
  useEffect(() => {
    let live = true;
    get(`/api/actions?query=${encodeURIComponent(queryKey)}`).then((r) => {
      if (!live) return;
      if (r.ok) setData(r.value);
      else setNotice({ kind: 'error', text: r.error.message });
    });
    return () => {
      live = false;
    };
  }, [queryKey, version]);

  // Live refresh: every change the server's feed reports reloads the view (at most a few times a second).
  useEffect(() => {
    const events = new EventSource('/api/events');
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    events.addEventListener('change', () => {
      clearTimeout(timer);
      timer = setTimeout(() => setVersion((v) => v + 1), 250);
    });
    return () => {
      clearTimeout(timer);
      events.close();
    };
  }, []);

  const switchTab = (/** @type {'pending' | 'history'} */ t) => {
    if (t === tab) return;
    setTab(t);
    setFilters({ ...filters, status: '' });
    setPaging({ ...paging, index: 0 });
    setSelection(emptySelection(t === 'history' ? 'undo' : 'approve'));
    picked.current.clear();
    setNotice(null);
  };
  const refilter = (/** @type {any} */ f) => {
    setFilters(f);
    setPaging({ ...paging, index: 0 });
  };
  const onSort = (/** @type {string} */ column) =>
    setSort(
      sort.column === column
        ? { column, direction: sort.direction === 'asc' ? 'desc' : 'asc' }
        : { column, direction: 'asc' },
    );
  const chooseColumns = (/** @type {string[]} */ next) => {
    setColumns(next);
    localStorage.setItem(COLUMNS_KEY, JSON.stringify(next));
  };

  /** The library's state machine says whether an action may join; its refusal is the message shown. */
  const toggle = (/** @type {any} */ record, /** @type {boolean} */ checked) => {
    if (!checked) {
      picked.current.delete(record.id);
      setSelection(removeFromSelection(selection, record.id));
      return;
    }
    const added = addToSelection(selection, record, CONTEXT);
    if (added.ok) {
      picked.current.set(record.id, { record, can: data?.can?.[record.id] });
      setSelection(added.value);
      setNotice(null);
    } else setNotice({ kind: 'error', text: added.error.offending[0]?.message ?? added.error.message });
  };
  const selectPage = (/** @type {boolean} */ checked) => {
    let next = selection;
    /** @type {string[]} */
    const refused = [];
    for (const record of data?.page?.items ?? []) {
      if (!checked) {
        picked.current.delete(record.id);
        next = removeFromSelection(next, record.id);
        continue;
      }
      if (next.actionIds.includes(record.id)) continue;
      const can = data?.can?.[record.id];
      const denied =
        tab === 'history' ? can?.undo : can?.approve !== null && can?.reject !== null ? can?.approve : null;
      if (denied) {
        refused.push(denied);
        continue;
      }
      const added = addToSelection(next, record, CONTEXT);
      if (added.ok) {
        next = added.value;
        picked.current.set(record.id, { record, can });
      } else refused.push(added.error.offending[0]?.message ?? added.error.message);
    }
    setSelection(next);
    setNotice(refused.length === 0 ? null : { kind: 'error', text: `${refused.length} not selected. ${refused[0]}` });
  };

  const signOut = async () => {
    await post('/api/logout', {});
    onSignOut();
  };

  const principal = session.principal;
  return html`<div class="app">
    <header class="top">
      <h1>Action center</h1>
      <span class="demo-tag">Demo</span>
      <span class="who">Signed in as <strong>${principal.displayName}</strong></span>
      <button type="button" onClick=${signOut}>Sign out</button>
    </header>
    <${Tabs} tab=${tab} onTab=${switchTab} />
    <div class="layout">
      <main id="actions-panel" role="tabpanel" aria-labelledby=${`tab-${tab}`}>
        <${FilterBar} view=${tab} meta=${meta} filters=${filters} onChange=${refilter} />
        <div class="tools">
          <${ColumnChooser} meta=${meta} columns=${columns} onChange=${chooseColumns} />
          <a
            class="button"
            href=${`/api/export.csv?query=${encodeURIComponent(JSON.stringify(queryOf(tab, filters, sort, null)))}&columns=${columns.join(',')}`}
            download
            >Export</a
          >
        </div>
        <${BulkBar}
          tab=${tab}
          selection=${selection}
          picked=${picked.current}
          items=${data?.page?.items ?? []}
          can=${data?.can ?? {}}
          bulk=${bulk}
          onClear=${() => {
            picked.current.clear();
            setNotice(null);
            setSelection(emptySelection(selection.operation));
          }}
        />
        ${notice === null ? null : html`<p class=${`notice ${notice.kind}`} role=${notice.kind === 'error' ? 'alert' : 'status'}>${notice.text}</p>`}
        ${
          data === null
            ? html`<p>Loading…</p>`
            : html`<${ActionsTable}
                  meta=${meta}
                  columns=${columns}
                  sort=${sort}
                  onSort=${onSort}
                  items=${data.page.items}
                  can=${data.can}
                  selection=${selection}
                  onToggle=${toggle}
                  onOpen=${setDetailsId}
                  onSelectPage=${selectPage}
                />
                <${Pager}
                  page=${data.page}
                  size=${paging.size}
                  index=${paging.index}
                  onSize=${(/** @type {number} */ size) => setPaging({ size, index: 0 })}
                  onIndex=${(/** @type {number} */ index) => setPaging({ ...paging, index })}
                />`
        }
      </main>
      ${
        detailsId === null
          ? null
          : html`<${DetailsPanel}
              actionId=${detailsId}
              version=${version}
              busy=${bulk.running !== null}
              onClose=${() => setDetailsId(null)}
              onDecide=${(/** @type {string} */ op, /** @type {string[]} */ ids) => bulk.run(op, ids, {})}
              onUndo=${(/** @type {string} */ id, /** @type {boolean} */ more) => bulk.run('undo', [id], { applyToOtherInstances: more })}
            />`
      }
    </div>
  </div>`;
}

function App() {
  const [session, setSession] = useState(/** @type {any} */ (null));
  const [meta, setMeta] = useState(/** @type {any} */ (null));
  const [error, setError] = useState(/** @type {string | null} */ (null));
  const load = async () => {
    const [s, m] = await Promise.all([get('/api/session'), get('/api/meta')]);
    if (!s.ok) return setError(s.error.message);
    setCsrfToken(s.value.csrfToken);
    setSession(s.value);
    if (m.ok) setMeta(m.value);
  };
  useEffect(() => void load(), []);
  if (error !== null) return html`<p role="alert">${error}</p>`;
  if (session === null) return html`<p>Loading…</p>`;
  if (session.principal === null)
    return html`<${SignIn}
      session=${session}
      onSignedIn=${(/** @type {any} */ s) => {
        setCsrfToken(s.csrfToken);
        void load();
      }}
    />`;
  return html`<${ActionCenter}
    key=${session.principal.id}
    session=${session}
    meta=${meta}
    onSignOut=${() => void load()}
  />`;
}

const root = document.getElementById('root');
if (root !== null) {
  root.textContent = '';
  render(html`<${App} />`, root);
}
