import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local HTTP server for the fake vendors: 127.0.0.1, a free port, a log of every request,
 * and a script of faults served before ordinary answers (by request number or to the next
 * request): a status with headers (429 + Retry-After, 503), a malformed body, a slow answer
 * or a dropped connection.
 */
export type Fault =
  | { status: number; headers?: Record<string, string>; body?: string }
  | { malformed: true }
  | { delayMs: number }
  | { drop: true };

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface FakeServer {
  url: string;
  requests: FakeRequest[];
  /** Faults for the next requests, in order (each used once). */
  faults: Fault[];
  /** Faults keyed by the 1-based number of the request they answer. */
  faultAt: Map<number, Fault>;
  close(): Promise<void>;
}

export type Handler = (req: FakeRequest) => { status: number; body: unknown; headers?: Record<string, string> };

export async function startFakeServer(handler: Handler): Promise<FakeServer> {
  const state: Omit<FakeServer, "url" | "close"> = { requests: [], faults: [], faultAt: new Map() };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const u = new URL(req.url ?? "/", "http://127.0.0.1");
      const fr: FakeRequest = { method: req.method ?? "GET", path: u.pathname, query: u.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
      state.requests.push(fr);
      const n = state.requests.length;
      const fault = state.faultAt.get(n) ?? state.faults.shift();
      const answer = () => {
        const a = handler(fr);
        res.writeHead(a.status, { "content-type": "application/json", ...a.headers });
        res.end(JSON.stringify(a.body));
      };
      if (!fault) return answer();
      if ("drop" in fault) return req.socket.destroy();
      if ("malformed" in fault) {
        res.writeHead(200, { "content-type": "application/json" });
        return res.end('{"incidents": [{"id": "P1"');
      }
      if ("delayMs" in fault) {
        const t = setTimeout(answer, fault.delayMs);
        res.on("close", () => clearTimeout(t));
        return;
      }
      res.writeHead(fault.status, { "content-type": "application/json", ...fault.headers });
      res.end(fault.body ?? JSON.stringify({ error: { message: `fake ${fault.status}` } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...state,
    get requests() {
      return state.requests;
    },
    faults: state.faults,
    faultAt: state.faultAt,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
