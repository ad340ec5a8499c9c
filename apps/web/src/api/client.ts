// The only way the web app talks to the api: JSON over /api/v1 with the session's bearer token.
// Failures become ApiError with the api's stable code and its Chinese message, ready to show.
import { session, signOut } from '@/session';

export const API_BASE = '/api/v1';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Called when the api says the token is no longer good (set by the router). */
let onUnauthorized: () => void = () => undefined;
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

/** Called when the api refuses the user until they set their own password (set by the router). */
let onPasswordChangeRequired: () => void = () => undefined;
export function whenPasswordChangeRequired(handler: () => void): void {
  onPasswordChangeRequired = handler;
}

export function urlOf(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `${API_BASE}${path}${search ? `?${search}` : ''}`;
}

async function send(method: string, path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) {
    body = options.body;
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(urlOf(path, options.query), { method, headers, body });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', '网络连接失败，请检查网络后重试');
  }
  if (response.ok) return response;
  const problem = (await response.json().catch(() => ({}))) as {
    code?: string;
    message?: string | string[];
    details?: Record<string, unknown>;
  };
  const message = Array.isArray(problem.message) ? problem.message.join('；') : problem.message;
  const error = new ApiError(
    response.status,
    problem.code ?? `HTTP_${response.status}`,
    message ?? `请求失败（${response.status}）`,
    problem.details ?? {},
  );
  if (response.status === 401 && session.token && path !== '/auth/login') {
    signOut();
    onUnauthorized();
  }
  if (error.code === 'PASSWORD_CHANGE_REQUIRED') onPasswordChangeRequired();
  throw error;
}

export async function api<T>(
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const response = await send(method, path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const get = <T>(path: string, query?: Query): Promise<T> => api<T>('GET', path, { query });
export const post = <T>(
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<T> => api<T>('POST', path, { body: body ?? {}, headers });
export const patch = <T>(path: string, body: unknown): Promise<T> =>
  api<T>('PATCH', path, { body });
export const put = <T>(path: string, body: unknown): Promise<T> => api<T>('PUT', path, { body });

/** A file (PDF, XLSX) fetched with the session's token. */
export async function getBlob(path: string, query?: Query): Promise<Blob> {
  const response = await send('GET', path, { query, headers: { Accept: '*/*' } });
  return response.blob();
}

/** Saves a fetched file under the given name (the browser's download). */
export async function download(path: string, filename: string, query?: Query): Promise<void> {
  const blob = await getBlob(path, query);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** One key per user action: a retried or double-clicked submit sends the same key again. */
export function newIdempotencyKey(): string {
  // crypto.randomUUID exists only on https or localhost; shops reach the server over plain http
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** What to tell the user about a failure: the api's own message, or a plain fallback. */
export function errorText(error: unknown): string {
  return error instanceof ApiError ? error.message : '操作失败，请重试';
}
