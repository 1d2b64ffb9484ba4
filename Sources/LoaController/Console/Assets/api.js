// The console's only door to the controller: the HTTP API (/work/contract.md, docs/openapi.yaml).
// The token lives in sessionStorage so closing the tab logs out; every error becomes an ApiError
// carrying the API's code and its message, which the pages show as they are.

const TOKEN_KEY = 'loa.token';
const PREFIX = '/api/v1';

/** An API refusal: HTTP status, the API's snake_case code and its sentence for a person. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function token() { return sessionStorage.getItem(TOKEN_KEY); }
export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value); else sessionStorage.removeItem(TOKEN_KEY);
}

let onUnauthorized = () => {};
/** Called when a request with a token gets 401 (expired or revoked): the app shows the login. */
export function setUnauthorizedHandler(handler) { onUnauthorized = handler; }

// Query values are percent-encoded (a space is %20, not URLSearchParams' "+", which a server
// may rightly read as a plus sign: a title must arrive as typed).
function url(path, query) {
  const text = Object.entries(query || {})
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join('&');
  return PREFIX + path + (text ? '?' + text : '');
}

async function errorFrom(response) {
  let code = 'http_' + response.status;
  let message = response.statusText || ('HTTP ' + response.status);
  try {
    const body = await response.json();
    if (body && body.error) {
      code = body.error.code || code;
      message = body.error.message || message;
    }
  } catch { /* not JSON: keep the status line */ }
  const error = new ApiError(response.status, code, message);
  // Seconds to wait (429, 503), said in words by the error box.
  const wait = Number(response.headers.get('Retry-After'));
  if (wait > 0) error.retryAfter = wait;
  return error;
}

/**
 * One request. `body` is sent as JSON unless it is a Blob; `as` picks how the answer is read:
 * 'json' (default), 'blob' or 'text'. Resolves to null for 204.
 */
export async function request(method, path, { query, body, as = 'json', headers = {} } = {}) {
  const init = { method, headers: { ...headers } };
  const bearer = token();
  if (bearer) init.headers.Authorization = 'Bearer ' + bearer;
  if (body !== undefined) {
    if (body instanceof Blob) {
      init.body = body;
    } else {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
  }
  let response;
  try {
    response = await fetch(url(path, query), init);
  } catch (error) {
    // The browser's own words ("Failed to fetch") help nobody: the error box says it plainly.
    throw new ApiError(0, 'network', '');
  }
  if (!response.ok) {
    const error = await errorFrom(response);
    if (response.status === 401 && bearer) onUnauthorized(error);
    throw error;
  }
  if (response.status === 204) return null;
  if (as === 'blob') return response.blob();
  if (as === 'text') return response.text();
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

export const get = (path, query, as) => request('GET', path, { query, as });
export const post = (path, body, query) => request('POST', path, { body, query });
export const put = (path, body) => request('PUT', path, { body });
export const del = (path) => request('DELETE', path);

/**
 * Reads a server-sent event stream with the token (an EventSource cannot send it): calls
 * `onEvent(name, data)` for each event, data parsed as JSON, in order (each awaited), until the
 * server ends the stream or `signal` aborts. Rejects with an ApiError when the answer is a refusal.
 */
export async function stream(path, query, onEvent, signal) {
  const headers = { Accept: 'text/event-stream' };
  const bearer = token();
  if (bearer) headers.Authorization = 'Bearer ' + bearer;
  let response;
  try {
    response = await fetch(url(path, query), { headers, signal, cache: 'no-store' });
  } catch (error) {
    if (signal && signal.aborted) return;
    throw new ApiError(0, 'network', String(error.message || error));
  }
  if (!response.ok) {
    const error = await errorFrom(response);
    if (response.status === 401 && bearer) onUnauthorized(error);
    throw error;
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let name = 'message';
        const data = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) name = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        }
        if (!data.length) continue;  // a comment (keep-alive) or the retry line
        await onEvent(name, JSON.parse(data.join('\n')));
      }
    }
  } catch (error) {
    if (signal && signal.aborted) return;
    throw new ApiError(0, 'network', String(error.message || error));
  }
}

/** The largest page the API gives (`limit` ≤ 1000). */
export const PAGE_LIMIT = 1000;

/**
 * Every page of a list (`{items, next}`), so small views need no paging UI. Nothing is cut off
 * unless the caller says `max` (a list cut silently would hide what is past the cut);
 * `pageSize` is the `limit` asked for each page.
 */
export async function all(path, query = {}, { max = Infinity, pageSize = PAGE_LIMIT } = {}) {
  const items = [];
  let cursor = null;
  do {
    const page = await get(path, { ...query, limit: pageSize, cursor });
    items.push(...(page.items || []));
    cursor = page.next || null;
  } while (cursor && items.length < max);
  return items.length > max ? items.slice(0, max) : items;
}

/**
 * Uploads a file as the raw request body with upload progress (fetch cannot report it, so this
 * one request uses XMLHttpRequest). Resolves to {status, body}; rejects with an ApiError.
 */
export function upload(path, query, file, contentType, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url(path, query));
    const bearer = token();
    if (bearer) xhr.setRequestHeader('Authorization', 'Bearer ' + bearer);
    xhr.setRequestHeader('Content-Type', contentType);
    xhr.upload.onprogress = (event) => { if (event.lengthComputable) onProgress(event.loaded / event.total); };
    xhr.onerror = () => reject(new ApiError(0, 'network', ''));
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { /* keep null */ }
      if (xhr.status >= 200 && xhr.status < 300) return resolve({ status: xhr.status, body });
      const error = body && body.error
        ? new ApiError(xhr.status, body.error.code, body.error.message)
        : new ApiError(xhr.status, 'http_' + xhr.status, xhr.statusText || ('HTTP ' + xhr.status));
      if (xhr.status === 401 && bearer) onUnauthorized(error);
      reject(error);
    };
    xhr.send(file);
  });
}
