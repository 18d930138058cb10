// One interaction: where it stands, the operator's actions, the price, the waterfall timeline and
// the messages sent. Refreshes while the interaction is still moving.
import { canAct, interactions } from '../api.js';
import { announce, badge, errorBox, finalStatuses, formatDuration, formatMoney, h, replace, timeElement } from '../dom.js';
import { message, waterfall } from './timeline.js';

export function renderDetail(main, id) {
  document.title = `${id} — Switchboard`;
  const heading = h('h1', {}, 'Interaction ', h('span', { class: 'mono id' }, id));
  const content = h('div', { class: 'detail' }, h('p', { class: 'loading' }, 'Loading the trace…'));
  replace(main,
    h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/interactions' }, 'Interactions'), ' › ', h('span', { 'aria-current': 'page' }, id)),
    h('div', { class: 'page-head' }, heading), content);

  let timer = null;
  let lastStatus = null;
  let busy = false;
  async function load() {
    if (busy) return;
    try {
      const trace = await interactions.get(id);
      if (!busy) render(trace);
      if (finalStatuses.has(trace.status) && timer) {
        window.clearInterval(timer);
        timer = null;
      }
    } catch (error) {
      replace(content, errorBox(error));
    }
  }

  function render(trace) {
    const open = new Set([...content.querySelectorAll('.wf-step details[open]')].map((d) => d.closest('.wf-step').dataset.state));
    if (lastStatus && lastStatus !== trace.status) announce(`The interaction is now ${trace.status.replace('_', ' ')}.`);
    lastStatus = trace.status;
    replace(content,
      overview(trace),
      actions(trace, act),
      (trace.flags || []).length ? h('div', { class: 'notice notice-warning', role: 'note' }, h('strong', {}, 'Needs a look: '),
        h('ul', {}, trace.flags.map((flag) => h('li', {}, flag)))) : null,
      price(trace),
      h('section', { class: 'card', 'aria-labelledby': 'timeline-title' },
        h('h2', { id: 'timeline-title' }, 'Timeline'),
        h('p', { class: 'muted small' }, 'Each step and each provider call, placed when it started and as long as it took. Open a step for its decision and reasons.'),
        waterfall(trace)),
      messages(trace));
    for (const step of content.querySelectorAll('.wf-step')) {
      if (open.has(step.dataset.state)) step.querySelector('details').open = true;
    }
  }

  async function act(kind, note) {
    busy = true;
    try {
      const result = kind === 'replay' ? await interactions.replay(id)
        : kind === 'approve' ? await interactions.approve(id, note) : await interactions.reject(id, note);
      announce(`${kind === 'replay' ? 'Replayed' : kind === 'approve' ? 'Approved' : 'Rejected'}: the interaction is now ${result.status.replace('_', ' ')}.`);
      window.dispatchEvent(new Event('switchboard:badge'));
    } catch (error) {
      announce(error.message);
      content.prepend(errorBox(error));
    } finally {
      busy = false;
    }
    await load();
    if (!timer) timer = window.setInterval(() => { if (!document.hidden) load(); }, 2000);
  }

  load();
  timer = window.setInterval(() => { if (!document.hidden) load(); }, 2000);
  return () => { if (timer) window.clearInterval(timer); };
}

function overview(trace) {
  const from = trace.interaction?.from || {};
  const cost = trace.cost || {};
  const item = (term, ...value) => [h('dt', {}, term), h('dd', {}, value)];
  return h('section', { class: 'card overview', 'aria-label': 'Overview' },
    h('div', { class: 'overview-status' }, badge(trace.status), trace.reason ? h('span', { class: 'reason' }, trace.reason) : null),
    trace.text ? h('blockquote', { class: 'request-text' }, trace.text) : null,
    h('dl', { class: 'facts' },
      item('Customer', [from.name, from.phone, from.email].filter(Boolean).join(' · ') || trace.customer || '—'),
      item('Channel', trace.event ? `${trace.channel} (${trace.event})` : trace.channel),
      item('Received', timeElement(trace.created_at)),
      item('Flow', [trace.flow, trace.state].filter(Boolean).join(' › ') || '—'),
      item('Config version', h('span', { class: 'mono' }, trace.config_version || '—')),
      item('Attempts', String(trace.attempts ?? 0)),
      item('Work', `${cost.steps ?? 0} steps, ${cost.provider_calls ?? 0} provider calls, ${cost.retries ?? 0} retries`),
      item('Time', `${formatDuration(cost.wall_time_ms)} in all, ${formatDuration(cost.provider_time_ms)} with providers`)));
}

function actions(trace, act) {
  if (!canAct() && (trace.status === 'awaiting_approval' || trace.status === 'failed' || trace.status === 'dead')) {
    return h('section', { class: 'card actions', 'aria-labelledby': 'actions-title' },
      h('h2', { id: 'actions-title' }, trace.status === 'awaiting_approval' ? 'Waiting for an operator' : 'Needs an operator'),
      h('p', {}, trace.reason || ''),
      h('p', { class: 'muted' }, 'You are signed in with a viewer key: an operator key approves, rejects and replays.'));
  }
  if (trace.status === 'awaiting_approval') {
    const note = h('input', { id: 'decision-note', type: 'text', maxlength: '200', placeholder: 'Optional', autocomplete: 'off' });
    const approve = h('button', { type: 'button', class: 'button primary', id: 'approve' }, 'Approve');
    const reject = h('button', { type: 'button', class: 'button danger', id: 'reject' }, 'Reject');
    const run = (kind) => () => {
      approve.disabled = true;
      reject.disabled = true;
      (kind === 'approve' ? approve : reject).textContent = kind === 'approve' ? 'Approving…' : 'Rejecting…';
      act(kind, note.value.trim() || undefined);
    };
    approve.addEventListener('click', run('approve'));
    reject.addEventListener('click', run('reject'));
    return h('section', { class: 'card actions', 'aria-labelledby': 'actions-title' },
      h('h2', { id: 'actions-title' }, 'Waiting for your approval'),
      h('p', {}, trace.reason || 'An approval rule stopped this interaction until an operator decides.'),
      h('div', { class: 'field' }, h('label', { for: 'decision-note' }, 'Note for the trace'), note),
      h('div', { class: 'button-row' }, approve, reject));
  }
  if (trace.status === 'failed' || trace.status === 'dead') {
    const replay = h('button', { type: 'button', class: 'button primary', id: 'replay' }, 'Replay');
    replay.addEventListener('click', () => { replay.disabled = true; replay.textContent = 'Replaying…'; act('replay'); });
    return h('section', { class: 'card actions', 'aria-labelledby': 'actions-title' },
      h('h2', { id: 'actions-title' }, trace.status === 'dead' ? 'Stopped after retries' : 'Ended without the intended result'),
      h('p', {}, trace.status === 'dead' ? 'Replay runs it again from the step that gave up.'
        : 'Replay runs the flow again from its start; its effects (bookings, payments, messages) happen again.'),
      h('div', { class: 'button-row' }, replay));
  }
  return null;
}

function price(trace) {
  const quote = trace.context?.price;
  if (!quote || quote.total === undefined) return null;
  const currency = quote.currency;
  const rows = [h('tr', {}, h('th', { scope: 'row' }, 'Base price'), h('td', {}, formatMoney(quote.base, currency)))];
  for (const adjustment of quote.adjustments || []) {
    rows.push(h('tr', {}, h('th', { scope: 'row' }, adjustment.description || adjustment.rule), h('td', {}, formatMoney(adjustment.amount, currency))));
  }
  rows.push(h('tr', { class: 'total' }, h('th', { scope: 'row' }, 'Total'), h('td', {}, formatMoney(quote.total, currency))));
  if (quote.deposit) rows.push(h('tr', {}, h('th', { scope: 'row' }, 'Deposit'), h('td', {}, formatMoney(quote.deposit, currency))));
  return h('section', { class: 'card', 'aria-labelledby': 'price-title' },
    h('h2', { id: 'price-title' }, 'Price'), h('table', { class: 'price' }, h('tbody', {}, rows)));
}

function messages(trace) {
  const sent = (trace.steps || []).flatMap((step) => step.messages || []);
  return h('section', { class: 'card', 'aria-labelledby': 'messages-title' },
    h('h2', { id: 'messages-title' }, `Messages sent (${sent.length})`),
    sent.length ? h('ul', { class: 'messages' }, sent.map(message)) : h('p', { class: 'empty' }, 'None yet.'));
}
