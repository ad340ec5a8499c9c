// One HTTP call of the drill over node:http, answered as a label the figures group by:
// `201`, `503 SERVICE_UNAVAILABLE`, `timeout`, `ECONNREFUSED` …
import { Agent, request as httpRequest } from 'node:http';
import { errorText } from '../bench-support';

export interface Call {
  method: 'GET' | 'POST';
  path: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** The caller gives up after this long and counts a `timeout`. */
  timeoutMs: number;
  agent?: Agent;
}

export interface Answer {
  /** null when no HTTP answer came (network error or timeout). */
  status: number | null;
  label: string;
  body: unknown;
  bytes: number;
}

/** A till keeps one connection open, as a browser would. */
export function keptAlive(): Agent {
  return new Agent({ keepAlive: true, maxSockets: 1 });
}

export function send(base: URL, call: Call): Promise<Answer> {
  const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
  return new Promise((done) => {
    let settled = false;
    const finish = (answer: Answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done(answer);
    };
    const request = httpRequest(
      {
        agent: call.agent,
        host: base.hostname,
        port: base.port,
        method: call.method,
        path: call.path,
        headers: {
          ...(call.token ? { authorization: `Bearer ${call.token}` } : {}),
          ...(payload === undefined
            ? {}
            : {
                'content-type': 'application/json',
                'content-length': String(Buffer.byteLength(payload)),
              }),
          ...call.headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          const raw = Buffer.concat(chunks);
          const text = raw.toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON: kept as text
          }
          const code =
            status >= 300 && body && typeof body === 'object' && 'code' in body
              ? ` ${String(body.code)}`
              : '';
          finish({ status, label: `${status}${code}`, body, bytes: raw.length });
        });
        response.on('error', (error) => finish(networkError(error)));
      },
    );
    // a till that waits no longer: the request is abandoned (the api may still finish it)
    const timer = setTimeout(() => {
      finish({ status: null, label: 'timeout', body: null, bytes: 0 });
      request.destroy();
    }, call.timeoutMs);
    request.on('error', (error) => finish(networkError(error)));
    request.end(payload);
  });
}

function networkError(error: Error): Answer {
  const code = (error as { code?: unknown }).code;
  return {
    status: null,
    label: typeof code === 'string' ? code : errorText(error),
    body: null,
    bytes: 0,
  };
}

/** A 2xx, or a 4xx that says what is wrong: the same request would get the same answer again. */
export function isDefinite(answer: Answer): boolean {
  if (answer.status === null) return false;
  if (answer.status >= 200 && answer.status < 300) return true;
  return (
    answer.status >= 400 && answer.status < 500 && answer.status !== 408 && answer.status !== 429
  );
}

export function isSuccess(answer: Answer): boolean {
  return answer.status !== null && answer.status >= 200 && answer.status < 300;
}
