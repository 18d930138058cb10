// The live list of interactions: newest first, a status filter, a search by customer phone or
// email, and a refresh every few seconds while the tab is visible.
import { interactions } from '../api.js';
import { badge, errorBox, h, relativeTime, replace, statusLabel, statuses, timeElement } from '../dom.js';

const REFRESH_MS = 5000;

export function renderList(main, query) {
  document.title = 'Interactions — Switchboard';
  const state = { status: query.get('status') || '', customer: query.get('customer') || '', pages: 1 };

  const statusSelect = h('select', { id: 'filter-status', name: 'status' },
    h('option', { value: '' }, 'Any status'),
    statuses.map((status) => h('option', { value: status, selected: status === state.status }, statusLabel(status))));
  const customerInput = h('input', { id: 'filter-customer', name: 'customer', type: 'search', value: state.customer,
    placeholder: '+15125550100 or name@example.com', autocomplete: 'off', spellcheck: 'false' });
  const live = h('input', { id: 'filter-live', type: 'checkbox', checked: true });
  const filters = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter interactions' },
    h('div', { class: 'field' }, h('label', { for: 'filter-status' }, 'Status'), statusSelect),
    h('div', { class: 'field grow' }, h('label', { for: 'filter-customer' }, 'Customer phone or email'), customerInput),
    h('div', { class: 'field' }, h('button', { type: 'submit', class: 'button' }, 'Search')),
    h('div', { class: 'field checkbox' }, live, h('label', { for: 'filter-live' }, 'Refresh automatically')));
  const summary = h('p', { class: 'muted', id: 'list-summary', 'aria-live': 'polite' });
  const body = h('div', { class: 'list-body' });
  const more = h('button', { type: 'button', class: 'button', hidden: true }, 'Show older');

  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (statusSelect.value) next.set('status', statusSelect.value);
    // Phones are stored in E.164: drop the spaces, dashes, dots and brackets people type.
    const customer = customerInput.value.trim();
    if (customer) next.set('customer', customer.includes('@') ? customer : customer.replace(/[\s().-]/g, ''));
    const hash = `#/interactions${next.toString() ? '?' + next : ''}`;
    if (location.hash === hash) load(); else location.hash = hash;
  });
  statusSelect.addEventListener('change', () => filters.requestSubmit());
  more.addEventListener('click', () => { state.pages += 1; load(); });

  replace(main, h('div', { class: 'page-head' }, h('h1', {}, 'Interactions'), summary), filters, body, h('div', { class: 'more' }, more));

  let loading = false;
  async function load() {
    if (loading) return;
    loading = true;
    try {
      const rows = [];
      let cursor = '';
      let next = null;
      for (let page = 0; page < state.pages; page += 1) {
        const result = await interactions.list({ status: state.status, customer: state.customer, limit: 25, cursor });
        rows.push(...result.data);
        next = result.next_cursor;
        if (!next) break;
        cursor = next;
      }
      more.hidden = !next;
      summary.textContent = rows.length === 0 ? 'No interactions match.'
        : `${rows.length}${next ? '+' : ''} interaction${rows.length === 1 ? '' : 's'}, newest first.`;
      replace(body, rows.length ? table(rows) : h('p', { class: 'empty' }, state.customer || state.status
        ? 'Nothing matches these filters.' : 'No interactions yet. They appear here as soon as they are accepted.'));
    } catch (error) {
      replace(body, errorBox(error));
    } finally {
      loading = false;
    }
  }

  load();
  const timer = window.setInterval(() => { if (live.checked && !document.hidden) load(); }, REFRESH_MS);
  return () => window.clearInterval(timer);
}

function table(rows) {
  return h('table', { class: 'interactions' },
    h('caption', { class: 'visually-hidden' }, 'Interactions, newest first'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Received'), h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Customer'),
      h('th', { scope: 'col' }, 'Request'), h('th', { scope: 'col' }, 'Where it stands'))),
    h('tbody', {}, rows.map(row)));
}

function row(item) {
  const request = item.text || item.event || item.channel;
  const open = (event) => { if (!event.target.closest('a')) location.hash = `#/interactions/${encodeURIComponent(item.id)}`; };
  return h('tr', { class: 'clickable', dataset: { id: item.id, status: item.status }, onclick: open },
    h('td', { 'data-label': 'Received' },
      h('a', { href: `#/interactions/${encodeURIComponent(item.id)}`, class: 'row-link', 'aria-label': `Open ${item.id}` },
        timeElement(item.created_at)),
      h('span', { class: 'muted small block' }, relativeTime(item.created_at))),
    h('td', { 'data-label': 'Status' }, badge(item.status)),
    h('td', { 'data-label': 'Customer' }, item.customer || '—', h('span', { class: 'muted small block' }, item.channel)),
    h('td', { 'data-label': 'Request', class: 'request' }, request),
    h('td', { 'data-label': 'Where it stands', class: 'muted' },
      [item.flow, item.state].filter(Boolean).join(' › ') || '—',
      item.reason ? h('span', { class: 'small block' }, item.reason) : null));
}
