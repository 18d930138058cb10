// The trace as a waterfall: one row per step and one per provider call, each a bar placed at its
// start and as long as it took. Idle stretches (waiting for an operator or a reply) are cut short
// and labelled, so a two-hour wait does not squeeze the work into a sliver.
import { formatDuration, h } from '../dom.js';

const outcomeClass = (outcome) => {
  if (outcome === 'ok') return 'ok';
  if (outcome === 'waiting') return 'waiting';
  if (outcome === 'error' || outcome === 'timeout') return 'error';
  return 'other';
};

/** Maps real offsets (ms from receipt) to positions (0…1), compressing long idle gaps. */
export function timeScale(intervals) {
  const sorted = intervals.filter((i) => Number.isFinite(i.start)).map((i) => ({ start: i.start, end: Math.max(i.start, i.end) }))
    .sort((a, b) => a.start - b.start);
  const merged = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  const active = merged.reduce((sum, i) => sum + (i.end - i.start), 0);
  const threshold = Math.max(2000, active * 0.5);
  const gapWidth = Math.max(active * 0.08, 1);
  const breaks = [];
  let cursor = 0;
  let visual = 0;
  const segments = [];
  for (const interval of merged) {
    const gap = interval.start - cursor;
    if (gap > threshold) {
      segments.push({ from: cursor, to: interval.start, visualFrom: visual, visualTo: visual + gapWidth });
      breaks.push({ at: visual, width: gapWidth, real: gap });
      visual += gapWidth;
    } else if (gap > 0) {
      segments.push({ from: cursor, to: interval.start, visualFrom: visual, visualTo: visual + gap });
      visual += gap;
    }
    segments.push({ from: interval.start, to: interval.end, visualFrom: visual, visualTo: visual + (interval.end - interval.start) });
    visual += interval.end - interval.start;
    cursor = Math.max(cursor, interval.end);
  }
  const total = Math.max(visual, 1);
  const position = (t) => {
    for (const segment of segments) {
      if (t <= segment.to) {
        const span = segment.to - segment.from;
        const fraction = span > 0 ? (t - segment.from) / span : 0;
        return (segment.visualFrom + fraction * (segment.visualTo - segment.visualFrom)) / total;
      }
    }
    return Math.min(1, visual / total);
  };
  return { position, threshold, breaks: breaks.map((b) => ({ ...b, at: b.at / total, width: b.width / total })), realEnd: cursor };
}

export function waterfall(trace) {
  const t0 = Number(trace.interaction?.received_at) || Date.parse(trace.created_at);
  const steps = trace.steps || [];
  const offset = (iso) => Date.parse(iso) - t0;
  const intervals = [];
  for (const step of steps) {
    const start = offset(step.started_at);
    intervals.push({ start, end: start + (step.duration_ms || 0) });
    for (const call of step.calls || []) {
      const callStart = offset(call.started_at);
      intervals.push({ start: callStart, end: callStart + (call.duration_ms || 0) });
    }
  }
  if (steps.length === 0) return h('p', { class: 'empty' }, 'No steps yet.');
  const scale = timeScale(intervals);
  const bar = (start, duration, classes, label) => {
    const left = scale.position(start);
    const right = scale.position(start + duration);
    const element = h('span', { class: `wf-bar ${classes}`, title: label });
    element.style.left = `${(left * 100).toFixed(3)}%`;
    element.style.width = `max(3px, ${((right - left) * 100).toFixed(3)}%)`;
    return element;
  };
  const track = (...children) => h('span', { class: 'wf-track', 'aria-hidden': 'true' }, children);

  const rows = [];
  let previousEnd = 0;
  for (const step of steps) {
    const start = offset(step.started_at);
    const gap = start - previousEnd > scale.threshold ? start - previousEnd : 0;
    if (gap) rows.push(h('li', { class: 'wf-gap' }, h('span', {}, `waited ${formatDuration(gap)}`)));
    previousEnd = Math.max(previousEnd, start + (step.duration_ms || 0));
    const kind = outcomeClass(step.outcome);
    const calls = step.calls || [];
    const label = `${step.state}: ${step.outcome}, ${formatDuration(step.duration_ms)}`;
    rows.push(h('li', { class: `wf-step outcome-${kind}`, dataset: { state: step.state } },
      h('details', {},
        h('summary', {},
          h('span', { class: 'wf-label' },
            h('span', { class: 'wf-state' }, step.state),
            h('span', { class: 'wf-agent' }, step.agent),
            h('span', { class: `wf-outcome outcome-${kind}` }, step.outcome)),
          track(bar(start, step.duration_ms || 0, `step outcome-${kind}`, label)),
          h('span', { class: 'wf-time' }, formatDuration(step.duration_ms)),
          h('span', { class: 'visually-hidden' }, ` — ${step.decision?.summary || ''}`)),
        stepDetail(step)),
      calls.length ? h('ol', { class: 'wf-calls', 'aria-label': `Provider calls of ${step.state}` }, calls.map((call) => {
        const callStart = offset(call.started_at);
        const failed = Boolean(call.error);
        const callLabel = `${call.provider} ${call.operation}`;
        return h('li', { class: `wf-call${failed ? ' failed' : ''}` },
          h('span', { class: 'wf-label' }, h('span', { class: 'wf-provider' }, call.provider), ' ', call.operation,
            call.attempts > 1 ? h('span', { class: 'tag tag-retry' }, `${call.attempts} attempts`) : null,
            failed ? h('span', { class: 'tag tag-error' }, call.error.kind) : null),
          track(bar(callStart, call.duration_ms || 0, failed ? 'call failed' : 'call', `${callLabel}: ${call.duration_ms} ms`)),
          h('span', { class: 'wf-time' }, formatDuration(call.duration_ms), call.status ? h('span', { class: 'muted' }, ` · ${call.status}`) : null));
      })) : null));
  }
  const total = scale.realEnd;
  return h('div', { class: 'waterfall' },
    h('div', { class: 'wf-axis', 'aria-hidden': 'true' },
      h('span', { class: 'wf-label' }, 'Step'),
      h('span', { class: 'wf-track' }, h('span', { class: 'wf-tick start' }, '0'),
        h('span', { class: 'wf-tick end' }, formatDuration(total) + (scale.breaks.length ? ' (waits shortened)' : ''))),
      h('span', { class: 'wf-time' }, 'Took')),
    h('ol', { class: 'wf-rows' }, rows));
}

function stepDetail(step) {
  const decision = step.decision || {};
  const parts = [
    h('p', { class: 'decision' }, h('strong', {}, decision.summary || 'No decision recorded')),
  ];
  if (decision.reasons?.length) parts.push(h('ul', { class: 'reasons' }, decision.reasons.map((reason) => h('li', {}, reason))));
  if (step.waiting) parts.push(h('p', { class: 'muted' }, `Waits for ${step.waiting.for}${step.waiting.policy ? ` (${step.waiting.policy})` : ''}.`));
  if (step.resumed_by) {
    const by = typeof step.resumed_by === 'string' ? step.resumed_by
      : Object.entries(step.resumed_by).map(([key, value]) => `${key}: ${value}`).join(', ');
    parts.push(h('p', { class: 'muted' }, `Resumed by ${by}.`));
  }
  if (step.calls?.length) {
    parts.push(h('table', { class: 'calls' },
      h('caption', {}, 'Provider calls'),
      h('thead', {}, h('tr', {}, ['Provider', 'Request', 'Status', 'Attempts', 'Took', 'Error'].map((title) => h('th', { scope: 'col' }, title)))),
      h('tbody', {}, step.calls.map((call) => h('tr', {},
        h('td', { 'data-label': 'Provider' }, `${call.provider} · ${call.operation}`),
        h('td', { 'data-label': 'Request', class: 'mono' }, `${call.method} ${call.url}`),
        h('td', { 'data-label': 'Status' }, call.status ?? '—'),
        h('td', { 'data-label': 'Attempts' }, call.attempts),
        h('td', { 'data-label': 'Took' }, formatDuration(call.duration_ms)),
        h('td', { 'data-label': 'Error' }, call.error ? `${call.error.kind}: ${call.error.message}` : '—'))))));
  }
  if (step.messages?.length) {
    parts.push(h('ul', { class: 'messages compact' }, step.messages.map(message)));
  }
  if (step.effects?.length) {
    parts.push(h('p', { class: 'muted small' }, 'Effects: ', step.effects.map((effect) => `${effect.provider} ${effect.operation} ${effect.result}`).join('; ')));
  }
  if (step.delta && Object.keys(step.delta).length) {
    parts.push(h('details', { class: 'delta' }, h('summary', {}, 'Context changes'), h('pre', {}, JSON.stringify(step.delta, null, 2))));
  }
  return h('div', { class: 'wf-detail' }, parts);
}

export function message(item) {
  return h('li', { class: `message audience-${item.audience}` },
    h('div', { class: 'message-head' },
      h('span', { class: 'tag' }, item.audience === 'operator' ? 'To the operator' : 'To the customer'),
      h('span', { class: 'muted' }, ` ${item.channel}${item.to ? ' · ' + item.to : ''}`),
      item.in_doubt ? h('span', { class: 'tag tag-error' }, 'may not have been sent') : null),
    h('p', { class: 'message-text' }, item.text));
}
