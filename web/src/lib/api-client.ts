import type { Problem } from '../types/api';

/** One field the server blamed: where (JSON Pointer and dotted name), a code to translate, its parameters. */
export type ProblemFieldError = NonNullable<Problem['errors']>[number];

/** A request the server refused, carrying its problem+json body. */
export class ApiProblemError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiProblemError';
    this.problem = problem;
  }
}

type Listener = () => void;
const unauthenticatedListeners = new Set<Listener>();

/**
 * Called whenever the server says the session is gone, so the console can send the member back to
 * the login page from any page without each page handling it.
 */
export function onUnauthenticated(listener: Listener): () => void {
  unauthenticatedListeners.add(listener);
  return () => {
    unauthenticatedListeners.delete(listener);
  };
}

// The casts below trust the server to keep the documented contract; the API is ours and versioned with
// this app, so validating every response shape at run time would only duplicate the types.
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await send(path, { method: 'GET', signal: signal ?? null });
  return (await response.json()) as T;
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  const response = await send(path, { method: 'POST', body: JSON.stringify(body) });
  return (await response.json()) as T;
}

/** For endpoints that take no body and answer 204. */
export async function postEmpty(path: string): Promise<void> {
  await send(path, { method: 'POST' });
}

/** Uploads a file as the raw request body, with its own content type. */
export async function putFile<T>(path: string, file: Blob): Promise<T> {
  const response = await send(path, { method: 'PUT', body: file }, file.type || 'application/octet-stream');
  return (await response.json()) as T;
}

/** POSTs JSON and returns the answer as a file (a document viewed with a stated purpose). */
export async function postForBlob(path: string, body: unknown): Promise<Blob> {
  const response = await send(path, { method: 'POST', body: JSON.stringify(body) });
  return response.blob();
}

export async function putJson<T>(path: string, body: unknown): Promise<T> {
  const response = await send(path, { method: 'PUT', body: JSON.stringify(body) });
  return (await response.json()) as T;
}

export async function patchJson<T>(path: string, body: unknown): Promise<T> {
  const response = await send(path, { method: 'PATCH', body: JSON.stringify(body) });
  return (await response.json()) as T;
}

export async function deleteResource(path: string): Promise<void> {
  await send(path, { method: 'DELETE' });
}

async function send(path: string, init: RequestInit, contentType = 'application/json'): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (init.body !== undefined) headers['content-type'] = contentType;
  const response = await fetch(path, { ...init, headers, credentials: 'same-origin' });
  if (response.ok) return response;

  const problem = await readProblem(response);
  if (problem.status === 401 && problem.code === 'unauthenticated') {
    for (const listener of unauthenticatedListeners) listener();
  }
  throw new ApiProblemError(problem);
}

// Proxies and static servers answer errors in HTML; give those a code from the status so the user still
// sees a translated message instead of a parse failure.
const codeByStatus: Record<number, string> = {
  400: 'invalid-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
};

async function readProblem(response: Response): Promise<Problem> {
  const fallback: Problem = {
    type: 'about:blank',
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
    code: codeByStatus[response.status] ?? (response.status >= 500 ? 'internal' : ''),
  };
  if (!(response.headers.get('content-type') ?? '').includes('json')) return fallback;
  try {
    const body: unknown = await response.json();
    return isProblem(body) ? body : fallback;
  } catch {
    return fallback;
  }
}

function isProblem(body: unknown): body is Problem {
  return (
    typeof body === 'object' &&
    body !== null &&
    'code' in body &&
    typeof body.code === 'string' &&
    'title' in body &&
    typeof body.title === 'string' &&
    'status' in body &&
    typeof body.status === 'number'
  );
}
