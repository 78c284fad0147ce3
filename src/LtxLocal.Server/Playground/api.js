// The public API as the page uses it: every call carries the key from sessionStorage as a bearer header, and an
// error answer (the documented {"type":"error","error":{...}} body) becomes an ApiError with the server's message.
const keyName = 'ltxApiKey';

export class ApiError extends Error {
  constructor(status, type, message) {
    super(`${status} ${type}: ${message}`);
    this.status = status;
    this.type = type;
  }
}

export const key = {
  get: () => sessionStorage.getItem(keyName) || '',
  set: (value) => sessionStorage.setItem(keyName, value),
  clear: () => sessionStorage.removeItem(keyName),
};

// fetch with the bearer header; `json` is sent as a JSON body, `form` (FormData) as multipart.
export async function call(method, path, { json, form } = {}) {
  const headers = { Authorization: `Bearer ${key.get()}` };
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form !== undefined) {
    body = form; // the browser writes the multipart boundary
  }
  const response = await fetch(path, { method, headers, body, cache: 'no-store' });
  if (!response.ok) throw await errorOf(response);
  return response;
}

export async function callJson(method, path, options) {
  const response = await call(method, path, options);
  return response.status === 204 ? null : response.json();
}

// A download the page shows (video, report image): fetched with the header, handed out as a blob: URL, since
// <video src> and <img src> cannot send one.
export async function blobUrl(method, path) {
  const response = await call(method, path);
  return URL.createObjectURL(await response.blob());
}

async function errorOf(response) {
  const text = await response.text();
  try {
    const body = JSON.parse(text);
    if (body && body.error) return new ApiError(response.status, body.error.type, body.error.message);
  } catch {
    // not JSON: report the text as it is
  }
  return new ApiError(response.status, 'http_error', text || response.statusText);
}
