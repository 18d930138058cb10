// Work for the operator: interactions waiting for approval, and failed or dead ones to replay.
import { canAct, interactions } from '../api.js';
import { announce, badge, errorBox, formatMoney, h, relativeTime, replace, timeElement } from '../dom.js';

export function renderApprovals(main) {
  document.title = 'Approvals — Switchboard';
  const body = h('div', { class: 'queue' }, h('p', { class: 'loading' }, 'Loading…'));
  replace(main, h('div', { class: 'page-head' }, h('h1', {}, 'Approvals'),
    h('p', { class: 'muted' }, 'Interactions an approval rule stopped until you decide. Approving runs the rest of the flow at once.')), body);
  const decided = new Map();

  async function load() {
    try {
      const page = await interactions.list({ status: 'awaiting_approval', limit: 100 });
      // The service and quote come from each trace: fetched for the first 20 only, to stay well
      // inside the tenant's request rate; the rest show their summary.
      const traces = await Promise.all(page.data.map((item, index) => (index < 20 ? interactions.get(item.id).catch(() => item) : item)));
      const cards = traces.map((trace) => approvalCard(trace, decide));
      for (const [id, card] of decided) if (!traces.some((t) => t.id === id)) cards.unshift(card);
      replace(body, cards.length ? h('ul', { class: 'cards' }, cards) : h('p', { class: 'empty' }, 'Nothing is waiting for approval.'));
    } catch (error) {
      replace(body, errorBox(error));
    }
  }

  async function decide(trace, kind, note, card) {
    try {
      const result = kind === 'approve' ? await interactions.approve(trace.id, note) : await interactions.reject(trace.id, note);
      const text = `${kind === 'approve' ? 'Approved' : 'Rejected'}: the interaction is now ${result.status.replace('_', ' ')}.`;
      announce(text);
      const done = h('li', { class: 'card decided', dataset: { id: trace.id } },
        h('div', { class: 'card-head' }, h('h2', {}, title(trace)), badge(result.status)),
        h('p', {}, text),
        h('a', { href: `#/interactions/${encodeURIComponent(trace.id)}` }, 'Open the timeline'));
      decided.set(trace.id, done);
      card.replaceWith(done);
      window.dispatchEvent(new Event('switchboard:badge'));
    } catch (error) {
      card.append(errorBox(error));
      for (const button of card.querySelectorAll('button')) button.disabled = false;
    }
  }

  load();
  const timer = window.setInterval(() => { if (!document.hidden && !document.activeElement?.closest('.cards')) load(); }, 10_000);
  return () => window.clearInterval(timer);
}

function title(trace) {
  const context = trace.context || {};
  const price = context.price ? ` — ${formatMoney(context.price.total, context.price.currency)}` : '';
  return (context.service?.name || 'Approval needed') + price;
}

function approvalCard(trace, decide) {
  const context = trace.context || {};
  const from = trace.interaction?.from || {};
  const noteID = `note-${trace.id}`;
  const note = h('input', { id: noteID, type: 'text', maxlength: '200', placeholder: 'Optional', autocomplete: 'off' });
  const approve = h('button', { type: 'button', class: 'button primary', dataset: { action: 'approve' } }, 'Approve');
  const reject = h('button', { type: 'button', class: 'button danger', dataset: { action: 'reject' } }, 'Reject');
  const card = h('li', { class: 'card approval', dataset: { id: trace.id } },
    h('div', { class: 'card-head' },
      h('h2', {}, title(trace)),
      badge(trace.status)),
    h('p', {}, trace.reason || ''),
    trace.text ? h('blockquote', { class: 'request-text' }, trace.text) : null,
    h('p', { class: 'muted small' }, [from.name, from.phone || trace.customer].filter(Boolean).join(' · '), ' · received ',
      timeElement(trace.created_at), ` (${relativeTime(trace.created_at)})`),
    canAct() ? h('div', { class: 'field' }, h('label', { for: noteID }, 'Note for the trace'), note) : null,
    h('div', { class: 'button-row' }, canAct() ? approve : null, canAct() ? reject : null,
      h('a', { class: 'button subtle', href: `#/interactions/${encodeURIComponent(trace.id)}` }, 'Open timeline')));
  const run = (kind) => () => {
    approve.disabled = true;
    reject.disabled = true;
    (kind === 'approve' ? approve : reject).textContent = kind === 'approve' ? 'Approving…' : 'Rejecting…';
    decide(trace, kind, note.value.trim() || undefined, card);
  };
  approve.addEventListener('click', run('approve'));
  reject.addEventListener('click', run('reject'));
  return card;
}

export function renderAttention(main) {
  document.title = 'Failed and dead — Switchboard';
  const body = h('div', { class: 'queue' }, h('p', { class: 'loading' }, 'Loading…'));
  replace(main, h('div', { class: 'page-head' }, h('h1', {}, 'Failed and dead'),
    h('p', { class: 'muted' }, 'Dead interactions gave up after retries; replay runs them from the step that gave up. Failed ones ended without the intended result; replay runs their flow again from the start.')), body);

  async function load() {
    try {
      const [dead, failed] = await Promise.all([
        interactions.list({ status: 'dead', limit: 50 }), interactions.list({ status: 'failed', limit: 50 })]);
      const items = [...dead.data, ...failed.data].sort((a, b) => (a.id < b.id ? 1 : -1));
      replace(body, items.length ? h('ul', { class: 'cards' }, items.map(attentionCard)) : h('p', { class: 'empty' }, 'Nothing failed. Good.'));
    } catch (error) {
      replace(body, errorBox(error));
    }
  }

  load();
  const timer = window.setInterval(() => { if (!document.hidden && !document.activeElement?.closest('.cards')) load(); }, 15_000);
  return () => window.clearInterval(timer);
}

function attentionCard(item) {
  const replay = h('button', { type: 'button', class: 'button', dataset: { action: 'replay' } }, 'Replay');
  const card = h('li', { class: 'card attention', dataset: { id: item.id } },
    h('div', { class: 'card-head' }, h('h2', {}, h('a', { href: `#/interactions/${encodeURIComponent(item.id)}` }, item.text || item.event || item.id)),
      badge(item.status)),
    h('p', {}, item.reason || 'No reason recorded.'),
    h('p', { class: 'muted small' }, item.customer || '—', ' · ', [item.flow, item.state].filter(Boolean).join(' › '), ' · ',
      timeElement(item.created_at)),
    h('div', { class: 'button-row' }, canAct() ? replay : null));
  replay.addEventListener('click', async () => {
    replay.disabled = true;
    replay.textContent = 'Replaying…';
    try {
      const result = await interactions.replay(item.id);
      const text = `Replayed: the interaction is now ${result.status.replace('_', ' ')}.`;
      announce(text);
      card.replaceWith(h('li', { class: 'card decided', dataset: { id: item.id } },
        h('div', { class: 'card-head' }, h('h2', {}, item.text || item.event || item.id), badge(result.status)),
        h('p', {}, text), h('a', { href: `#/interactions/${encodeURIComponent(item.id)}` }, 'Open the timeline')));
    } catch (error) {
      card.append(errorBox(error));
      replay.disabled = false;
      replay.textContent = 'Replay';
    }
  });
  return card;
}
