// The tenant API with the operator's or viewer's key kept for this tab only (sessionStorage).

const STORAGE_KEY = 'switchboard.operator';

export function currentSession() {
  try {
    const value = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || 'null');
    return value && typeof value.tenant === 'string' && typeof value.key === 'string' ? value : null;
  } catch {
    return null;
  }
}

export function saveSession(tenant, key, role, keyName) {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ tenant, key, role, keyName }));
}

/** Whether the signed-in key may approve, reject and replay (a viewer key may not). */
export function canAct(session = currentSession()) {
  return !!session && session.role === 'operator';
}

export function clearSession() {
  sessionStorage.removeItem(STORAGE_KEY);
}

export class APIError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Calls `/v1/tenants/{tenant}{path}` with the session's key; returns the parsed JSON body. */
export async function call(path, { method = 'GET', body, session = currentSession() } = {}) {
  if (!session) throw new APIError(401, 'unauthorized', 'Sign in first.');
  const headers = { Authorization: `Bearer ${session.key}`, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(`/v1/tenants/${encodeURIComponent(session.tenant)}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    throw new APIError(0, 'network', 'Switchboard did not answer. Check that the server is running, then try again.');
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = data && data.error ? data.error : {};
    throw new APIError(response.status, error.code || 'http_' + response.status, error.message || `HTTP ${response.status}`);
  }
  return data;
}

export const interactions = {
  list: ({ status = '', customer = '', limit = 50, cursor = '' } = {}) => {
    const query = new URLSearchParams({ limit: String(limit) });
    if (status) query.set('status', status);
    if (customer) query.set('customer', customer);
    if (cursor) query.set('cursor', cursor);
    return call(`/interactions?${query}`);
  },
  get: (id) => call(`/interactions/${encodeURIComponent(id)}`),
  approve: (id, note) => call(`/interactions/${encodeURIComponent(id)}/approve`, { method: 'POST', body: { note } }),
  reject: (id, note) => call(`/interactions/${encodeURIComponent(id)}/reject`, { method: 'POST', body: { note } }),
  replay: (id) => call(`/interactions/${encodeURIComponent(id)}/replay`, { method: 'POST', body: {} }),
};

export const whoami = (session) => call('/access', { session });
export const configStatus = (session) => call('/config/status', { session });
export const auditLog = ({ action = '', before = '', limit = 50 } = {}) => {
  const query = new URLSearchParams({ limit: String(limit) });
  if (action) query.set('action', action);
  if (before) query.set('before', String(before));
  return call(`/audit?${query}`);
};
export const stats = (window) => call(`/stats?window=${encodeURIComponent(window)}`);
