// The audit log: who approved, rejected or replayed what and when (by key name), and each
// configuration version a reload put into service. Operator keys only.
import { auditLog } from '../api.js';
import { errorBox, h, relativeTime, replace, timeElement } from '../dom.js';

const actionLabels = { approve: 'Approved', reject: 'Rejected', replay: 'Replayed', reload: 'Configuration' };

export function renderAudit(main) {
  document.title = 'Audit log — Switchboard';
  const state = { action: '', pages: 1 };
  const actionSelect = h('select', { id: 'audit-action', name: 'action' },
    h('option', { value: '' }, 'Every action'),
    Object.entries(actionLabels).map(([value, label]) => h('option', { value }, label)));
  const summary = h('p', { class: 'muted', id: 'audit-summary', 'aria-live': 'polite' });
  const body = h('div', { class: 'list-body' }, h('p', { class: 'loading' }, 'Loading…'));
  const more = h('button', { type: 'button', class: 'button', hidden: true }, 'Show older');
  actionSelect.addEventListener('change', () => { state.action = actionSelect.value; state.pages = 1; load(); });
  more.addEventListener('click', () => { state.pages += 1; load(); });
  replace(main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Audit log'), summary),
    h('form', { class: 'filters', 'aria-label': 'Filter the audit log', onsubmit: (event) => event.preventDefault() },
      h('div', { class: 'field' }, h('label', { for: 'audit-action' }, 'Action'), actionSelect)),
    body, h('div', { class: 'more' }, more));

  async function load() {
    try {
      const rows = [];
      let before = '';
      let next = null;
      for (let page = 0; page < state.pages; page += 1) {
        const result = await auditLog({ action: state.action, before, limit: 50 });
        rows.push(...result.data);
        next = result.next_before;
        if (!next) break;
        before = next;
      }
      more.hidden = !next;
      summary.textContent = rows.length === 0 ? '' : `${rows.length}${next ? '+' : ''} entr${rows.length === 1 ? 'y' : 'ies'}, newest first.`;
      replace(body, rows.length ? table(rows) : h('p', { class: 'empty' }, 'Nothing recorded yet: approvals, rejections, replays and reloads appear here.'));
    } catch (error) {
      replace(body, errorBox(error));
    }
  }

  load();
  const timer = window.setInterval(() => { if (!document.hidden) load(); }, 15_000);
  return () => window.clearInterval(timer);
}

function table(rows) {
  return h('table', { class: 'interactions audit' },
    h('caption', { class: 'visually-hidden' }, 'Audit log, newest first'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'When'), h('th', { scope: 'col' }, 'Who'), h('th', { scope: 'col' }, 'What'),
      h('th', { scope: 'col' }, 'On'), h('th', { scope: 'col' }, 'Outcome'))),
    h('tbody', {}, rows.map(row)));
}

function row(entry) {
  const detail = entry.detail || {};
  const isReload = entry.action === 'reload';
  const target = isReload
    ? h('span', { class: 'mono' }, entry.target, detail.previous ? h('span', { class: 'muted small block' }, `was ${detail.previous}`) : null)
    : h('a', { href: `#/interactions/${encodeURIComponent(entry.target)}`, class: 'mono' }, entry.target);
  const who = isReload ? entry.actor : [entry.actor, detail.by && detail.by !== entry.actor ? `as ${detail.by}` : null].filter(Boolean).join(' ');
  return h('tr', { dataset: { sequence: String(entry.sequence), action: entry.action } },
    h('td', { 'data-label': 'When' }, timeElement(entry.at), h('span', { class: 'muted small block' }, relativeTime(entry.at))),
    h('td', { 'data-label': 'Who' }, who, isReload ? null : h('span', { class: 'muted small block' }, 'key name')),
    h('td', { 'data-label': 'What' }, actionLabels[entry.action] || entry.action,
      detail.note ? h('span', { class: 'muted small block' }, `“${detail.note}”`) : null),
    h('td', { 'data-label': 'On' }, target),
    h('td', { 'data-label': 'Outcome', class: entry.outcome === 'done' ? '' : 'muted' }, entry.outcome));
}
