// The tenant's figures (interactions per status, resolution time, provider error rates) and the
// configuration it is served with.
import { configStatus, stats } from '../api.js';
import { badge, errorBox, formatDuration, h, replace, statusLabel, timeElement } from '../dom.js';

const windows = [['1h', 'Last hour'], ['24h', 'Last 24 hours'], ['7d', 'Last 7 days'], ['30d', 'Last 30 days']];

export function renderFigures(main, query) {
  document.title = 'Figures — Switchboard';
  let window_ = windows.some(([value]) => value === query.get('window')) ? query.get('window') : '24h';
  const body = h('div', {}, h('p', { class: 'loading' }, 'Loading…'));
  const picker = h('fieldset', { class: 'segmented' }, h('legend', {}, 'Period'),
    windows.map(([value, label]) => {
      const id = `window-${value}`;
      const input = h('input', { type: 'radio', name: 'window', id, value, checked: value === window_ });
      input.addEventListener('change', () => { window_ = value; history.replaceState(null, '', `#/figures?window=${value}`); load(); });
      return h('span', {}, input, h('label', { for: id }, label));
    }));
  replace(main, h('div', { class: 'page-head' }, h('h1', {}, 'Figures')), picker, body);

  async function load() {
    try {
      replace(body, figures(await stats(window_)));
    } catch (error) {
      replace(body, errorBox(error));
    }
  }
  load();
  const timer = window.setInterval(() => { if (!document.hidden) load(); }, 15_000);
  return () => window.clearInterval(timer);
}

function figures(data) {
  const byStatus = Object.entries(data.by_status).filter(([, count]) => count > 0);
  const largest = Math.max(1, ...byStatus.map(([, count]) => count));
  const resolution = data.resolution_ms || {};
  const tile = (label, value, note) => h('div', { class: 'tile' }, h('span', { class: 'tile-label' }, label),
    h('span', { class: 'tile-value' }, value), note ? h('span', { class: 'tile-note' }, note) : null);
  const completed = data.by_status.completed || 0;
  return [
    h('div', { class: 'tiles' },
      tile('Interactions', String(data.total), `since ${new Date(data.since).toLocaleString()}`),
      tile('Completed', data.total ? `${Math.round((completed / data.total) * 100)}%` : '—', `${completed} of ${data.total}`),
      tile('Resolution p50', formatDuration(resolution.p50), `${resolution.count} resolved`),
      tile('Resolution p99', formatDuration(resolution.p99))),
    h('section', { class: 'card', 'aria-labelledby': 'outcomes-title' },
      h('h2', { id: 'outcomes-title' }, 'Interactions per outcome'),
      byStatus.length ? h('ul', { class: 'bars' }, byStatus.map(([status, count]) => {
        const fill = h('span', { class: `bar-fill badge-${status}` });
        fill.style.width = `${Math.max(2, (count / largest) * 100)}%`;
        return h('li', {}, h('span', { class: 'bar-label' }, statusLabel(status)), h('span', { class: 'bar-track', 'aria-hidden': 'true' }, fill),
          h('span', { class: 'bar-value' }, String(count)));
      })) : h('p', { class: 'empty' }, 'No interactions in this period.')),
    h('section', { class: 'card', 'aria-labelledby': 'providers-title' },
      h('h2', { id: 'providers-title' }, 'Providers'),
      data.providers.length ? h('table', { class: 'providers' },
        h('thead', {}, h('tr', {}, ['Provider', 'Calls', 'Errors', 'Error rate', 'Retries', 'Mean time'].map((title) => h('th', { scope: 'col' }, title)))),
        h('tbody', {}, data.providers.map((p) => h('tr', { class: p.error_rate > 0.05 ? 'warn' : '' },
          h('th', { scope: 'row', 'data-label': 'Provider' }, p.provider), h('td', { 'data-label': 'Calls' }, p.calls),
          h('td', { 'data-label': 'Errors' }, p.errors), h('td', { 'data-label': 'Error rate' }, `${(p.error_rate * 100).toFixed(1)}%`),
          h('td', { 'data-label': 'Retries' }, p.retries), h('td', { 'data-label': 'Mean time' }, formatDuration(p.mean_ms)))))) 
        : h('p', { class: 'empty' }, 'No provider calls in this period.')),
    h('section', { class: 'card', 'aria-labelledby': 'unfinished-title' },
      h('h2', { id: 'unfinished-title' }, 'Not finished yet'),
      data.unfinished.length ? h('ul', { class: 'plain' }, data.unfinished.map((u) => h('li', {}, badge(u.status),
        ` ${u.count} — the oldest received `, timeElement(u.oldest_at), ` (${formatDuration(u.oldest_age_seconds * 1000)} ago)`)))
        : h('p', { class: 'empty' }, 'Everything has finished.')),
  ];
}

export function renderConfig(main) {
  document.title = 'Configuration — Switchboard';
  const body = h('div', {}, h('p', { class: 'loading' }, 'Loading…'));
  replace(main, h('div', { class: 'page-head' }, h('h1', {}, 'Configuration')), body);
  async function load() {
    try {
      replace(body, config(await configStatus()));
    } catch (error) {
      replace(body, errorBox(error));
    }
  }
  load();
  const timer = window.setInterval(() => { if (!document.hidden) load(); }, 10_000);
  return () => window.clearInterval(timer);
}

function config(status) {
  const error = status.last_error;
  const item = (term, ...value) => [h('dt', {}, term), h('dd', {}, value)];
  return [
    error ? h('section', { class: 'notice notice-error', role: 'alert', 'aria-labelledby': 'reload-title' },
      h('h2', { id: 'reload-title' }, 'The last edit was not applied'),
      h('p', {}, 'The version below keeps serving until the file is fixed. The reload at ', timeElement(error.attempted_at),
        ` found ${error.count} problem${error.count === 1 ? '' : 's'}:`),
      h('ul', { class: 'problems' }, error.problems.map((p) => h('li', {},
        h('code', {}, `${p.file}:${p.line}:${p.column}`), p.path ? h('span', { class: 'mono' }, ` ${p.path}`) : null, ` — ${p.message}`))))
      : h('p', { class: 'notice notice-ok', role: 'status' }, 'The tenant file loaded cleanly; no reload error.'),
    h('section', { class: 'card', 'aria-label': 'Configuration served' },
      h('dl', { class: 'facts' },
        item('Business', status.name),
        item('Tenant id', h('span', { class: 'mono' }, status.tenant)),
        item('Version', h('span', { class: 'mono' }, status.version)),
        item('Loaded at', timeElement(status.loaded_at)),
        item('File', h('span', { class: 'mono' }, status.source)),
        item('Services', String(status.services)),
        item('Flows', status.flows.join(', ')),
        item('Templates', String(status.templates)))),
  ];
}
