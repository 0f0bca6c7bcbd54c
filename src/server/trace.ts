/**
 * Trace context: W3C `traceparent` read (or created) and echoed, B3 (`b3`, `X-B3-TraceId`, as the iWlz
 * network uses) accepted. The trace id is the request id in the logs and the audit log.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface Tracecontext {
  traceId: string;
  /** the caller's span, if it sent one */
  ouderId?: string;
  /** this server's span */
  spanId: string;
  vlaggen: string;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const NUL = /^0+$/;
/** random hex digits, taken from a block of random bytes read 4 KB at a time (one system call per ~170 requests, not three per request) */
let voorraad = Buffer.alloc(0);
let plek = 0;
function hex(n: number): string {
  if (plek + n > voorraad.length) {
    voorraad = randomBytes(4096);
    plek = 0;
  }
  plek += n;
  return voorraad.toString('hex', plek - n, plek);
}
const een = (h: string | string[] | undefined) => (Array.isArray(h) ? h[0] : h)?.trim().toLowerCase();

/** A B3 trace id of 16 hex digits is widened to 32, left-padded with zeros (as W3C asks). */
function b3TraceId(id: string | undefined): string | undefined {
  if (!id || !/^([0-9a-f]{16}|[0-9a-f]{32})$/.test(id) || NUL.test(id)) return undefined;
  return id.padStart(32, '0');
}

export function leesTrace(headers: IncomingHttpHeaders): Tracecontext {
  const spanId = hex(8);
  const tp = TRACEPARENT.exec(een(headers.traceparent) ?? '');
  if (tp && !NUL.test(tp[1]!) && !NUL.test(tp[2]!)) return { traceId: tp[1]!, ouderId: tp[2]!, spanId, vlaggen: tp[3]! };
  const b3 = een(headers.b3)?.split('-');
  const uitB3 = b3TraceId(b3?.[0]);
  if (uitB3) return { traceId: uitB3, ...(b3?.[1] && /^[0-9a-f]{16}$/.test(b3[1]) ? { ouderId: b3[1] } : {}), spanId, vlaggen: b3?.[2] === '0' ? '00' : '01' };
  const uitX = b3TraceId(een(headers['x-b3-traceid']));
  if (uitX) {
    const ouder = een(headers['x-b3-spanid']);
    return { traceId: uitX, ...(ouder && /^[0-9a-f]{16}$/.test(ouder) ? { ouderId: ouder } : {}), spanId, vlaggen: een(headers['x-b3-sampled']) === '0' ? '00' : '01' };
  }
  return { traceId: hex(16), spanId, vlaggen: '01' };
}

/** The `traceparent` to answer with (and to pass on to the next hop): the same trace, this server's span. */
export const traceparent = (t: Tracecontext) => `00-${t.traceId}-${t.spanId}-${t.vlaggen}`;
