// The operator dashboard: sign-in, the sections, and the hash router.
import { APIError, canAct, clearSession, configStatus, currentSession, interactions, saveSession, whoami } from './api.js';
import { renderAudit } from './views/audit.js';
import { h, replace } from './dom.js';
import { renderDetail } from './views/detail.js';
import { renderFigures, renderConfig } from './views/figures.js';
import { renderList } from './views/list.js';
import { renderApprovals, renderAttention } from './views/queues.js';

const main = document.getElementById('main');
const topbar = document.getElementById('topbar');
let cleanup = null;
let badgeTimer = null;

function route() {
  if (cleanup) cleanup();
  cleanup = null;
  const session = currentSession();
  if (!session) {
    topbar.hidden = true;
    stopBadge();
    renderSignIn();
    return;
  }
  topbar.hidden = false;
  startBadge();
  const [path, queryText] = (location.hash.replace(/^#/, '') || '/interactions').split('?');
  const query = new URLSearchParams(queryText || '');
  const parts = path.split('/').filter(Boolean);
  const section = parts[0] || 'interactions';
  // A viewer key reads everything and acts on nothing: the audit log is for operators.
  for (const item of document.querySelectorAll('[data-operator-only]')) item.hidden = !canAct(session);
  document.getElementById('role-note').hidden = canAct(session);
  for (const link of document.querySelectorAll('[data-section]')) {
    if (link.dataset.section === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const views = {
    interactions: () => (parts[1] ? renderDetail(main, decodeURIComponent(parts[1])) : renderList(main, query)),
    approvals: () => renderApprovals(main),
    attention: () => renderAttention(main),
    figures: () => renderFigures(main, query),
    config: () => renderConfig(main),
    audit: () => (canAct(session) ? renderAudit(main) : renderList(main, query)),
  };
  cleanup = (views[section] || views.interactions)();
  const heading = main.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
  }
}

function renderSignIn(message) {
  document.title = 'Sign in — Switchboard';
  const error = h('p', { class: 'notice notice-error', id: 'sign-in-error', role: 'alert', hidden: !message }, message || '');
  const tenant = h('input', { id: 'tenant', name: 'tenant', type: 'text', required: true, autocomplete: 'organization',
    spellcheck: 'false', autocapitalize: 'none', placeholder: 'acme-plumbing', 'aria-describedby': 'tenant-help' });
  const key = h('input', { id: 'operator-key', name: 'key', type: 'password', required: true, autocomplete: 'current-password',
    'aria-describedby': 'key-help' });
  const button = h('button', { type: 'submit', class: 'button primary' }, 'Sign in');
  const form = h('form', { class: 'card sign-in', novalidate: true },
    h('h1', {}, 'Sign in'),
    h('p', { class: 'muted' }, 'Watch and steer your business’s interactions. The key stays in this browser tab only and is forgotten when you close it.'),
    error,
    h('div', { class: 'field' },
      h('label', { for: 'tenant' }, 'Tenant id'), tenant,
      h('p', { class: 'hint', id: 'tenant-help' }, 'As in your tenant file’s tenant.id.')),
    h('div', { class: 'field' },
      h('label', { for: 'operator-key' }, 'Operator or viewer key'), key,
      h('p', { class: 'hint', id: 'key-help' }, 'One of the access.operator_keys of your tenant file, or a viewer_keys one to look without acting.')),
    button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const session = { tenant: tenant.value.trim(), key: key.value.trim() };
    if (!session.tenant || !session.key) {
      showError(error, 'Enter both the tenant id and the key.');
      (session.tenant ? key : tenant).focus();
      return;
    }
    button.disabled = true;
    button.textContent = 'Signing in…';
    try {
      const access = await whoami(session);
      if (access.role === 'api') {
        throw new APIError(403, 'forbidden', `That is an api key (“${access.key}”), made for a website or a partner; the dashboard needs an operator or viewer key.`);
      }
      const status = await configStatus(session);
      saveSession(session.tenant, session.key, access.role, access.key);
      document.getElementById('tenant-name').textContent = status.name;
      if (!location.hash || location.hash === '#/') location.hash = '#/interactions';
      else route();
    } catch (failure) {
      const text = failure instanceof APIError && failure.status === 401
        ? 'That tenant id and key do not match. Check both and try again.'
        : failure.message;
      showError(error, text);
      key.focus();
    } finally {
      button.disabled = false;
      button.textContent = 'Sign in';
    }
  });
  replace(main, form);
  tenant.focus();
}

function showError(element, text) {
  element.textContent = text;
  element.hidden = false;
}

async function refreshBadge() {
  const pill = document.getElementById('approvals-count');
  try {
    const page = await interactions.list({ status: 'awaiting_approval', limit: 100 });
    const count = page.data.length;
    pill.hidden = count === 0;
    pill.textContent = page.next_cursor ? '100+' : String(count);
    pill.setAttribute('aria-label', `${pill.textContent} waiting`);
  } catch (failure) {
    if (failure instanceof APIError && failure.status === 401) signOut('Your key is no longer accepted; sign in again.');
  }
}

function startBadge() {
  if (badgeTimer) return;
  refreshBadge();
  const session = currentSession();
  if (session && !document.getElementById('tenant-name').textContent) {
    configStatus(session).then((status) => { document.getElementById('tenant-name').textContent = status.name; }).catch(() => {});
  }
  badgeTimer = window.setInterval(() => { if (!document.hidden) refreshBadge(); }, 10_000);
}

function stopBadge() {
  if (badgeTimer) window.clearInterval(badgeTimer);
  badgeTimer = null;
}

export function signOut(message) {
  clearSession();
  document.getElementById('tenant-name').textContent = '';
  if (cleanup) cleanup();
  cleanup = null;
  topbar.hidden = true;
  stopBadge();
  history.replaceState(null, '', location.pathname);
  renderSignIn(message);
}

document.getElementById('sign-out').addEventListener('click', () => signOut());
window.addEventListener('hashchange', route);
window.addEventListener('switchboard:badge', refreshBadge);
route();
