/**
 * A local HTTP receiver that plays Slack's or Teams' incoming webhook (or a webhook consumer):
 * it records every request and answers from a script, one step per request, then `then` for
 * the rest. Nothing leaves the machine: it listens on 127.0.0.1 only.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Step =
  | { status: number; body?: string; headers?: Record<string, string> }
  /** Never answer (the sender's time-out must fire). */
  | { hang: true };

export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: unknown;
}

export interface FakeReceiver {
  url: string;
  received: Received[];
  /** Answers for the next requests, in order. */
  script: Step[];
  /** The answer once the script is used up (default 200 "ok", as Slack answers). */
  then: Step;
  close: () => Promise<void>;
}

export async function startFakeReceiver(path = "/hook"): Promise<FakeReceiver> {
  const hung: http.ServerResponse[] = [];
  const state: FakeReceiver = { url: "", received: [], script: [], then: { status: 200, body: "ok" }, close: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        json = null;
      }
      state.received.push({ path: req.url ?? "", headers: req.headers, body, json });
      const step = state.script.shift() ?? state.then;
      if ("hang" in step) {
        hung.push(res);
        return;
      }
      res.writeHead(step.status, { "content-type": "text/plain", ...step.headers });
      res.end(step.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const r of hung) r.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
