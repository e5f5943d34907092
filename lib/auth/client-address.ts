import { randomBytes } from "node:crypto";
import http from "node:http";
import { BlockList, isIP } from "node:net";
import { env } from "@/lib/env";

/**
 * Which address a request came from, in a way a client cannot choose.
 *
 * Next 16 gives route handlers and server actions no socket address, and `next start` only
 * fills in `X-Forwarded-For` from the socket when the client sent none, so that header alone
 * is whatever the client wrote. `installPeerAddressHeader()` (called from instrumentation.ts)
 * therefore stamps every incoming request with the socket's address in PEER_HEADER, with a
 * random per-process nonce so a value a client sends itself is recognisably not ours
 * (requests that arrive before the hook is installed, in the first moments after start-up,
 * keep whatever they carried and so fail the nonce check). `X-Forwarded-For` is then
 * believed only hop by hop from the right while the hop that wrote it is a proxy listed in
 * AUTH_TRUSTED_PROXIES.
 */

export const PEER_HEADER = "x-deploy-safety-peer";
/** The resolved client address, set by the auth handler for better-auth's own rate limiter. */
export const CLIENT_HEADER = "x-deploy-safety-client";

const g = globalThis as unknown as { __deploySafetyPeerNonce?: string; __deploySafetyPeerHook?: boolean };

function nonce(): string {
  g.__deploySafetyPeerNonce ??= randomBytes(16).toString("hex");
  return g.__deploySafetyPeerNonce;
}

/** `::ffff:1.2.3.4` (an IPv4 client on a dual-stack socket) is 1.2.3.4. */
export function normalizeAddress(addr: string): string | null {
  let a = addr.trim();
  if (a.startsWith("[") && a.endsWith("]")) a = a.slice(1, -1);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  if (mapped) a = mapped[1];
  return isIP(a) ? a.toLowerCase() : null;
}

/** The header value the hook writes for a socket address (tests use it to stand in for the socket). */
export function peerHeaderValue(address: string): string {
  return `${nonce()} ${address}`;
}

/**
 * Patches Node's HTTP server so each request carries its socket address in PEER_HEADER and no
 * client-supplied CLIENT_HEADER. Idempotent. Runs in the Next server process only.
 */
export function installPeerAddressHeader(): void {
  if (g.__deploySafetyPeerHook) return;
  g.__deploySafetyPeerHook = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const req = args[0] as http.IncomingMessage;
      delete req.headers[CLIENT_HEADER];
      const addr = req.socket?.remoteAddress;
      if (addr) req.headers[PEER_HEADER] = peerHeaderValue(addr);
      else delete req.headers[PEER_HEADER];
    }
    return (emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean).call(this, event, ...args);
  } as typeof emit;
}

/** The socket address stamped by the hook, or null when the stamp is missing or not ours. */
export function peerAddress(headers: Headers): string | null {
  const raw = headers.get(PEER_HEADER);
  if (!raw) return null;
  const space = raw.indexOf(" ");
  if (space < 0 || raw.slice(0, space) !== nonce()) return null;
  return normalizeAddress(raw.slice(space + 1));
}

export class TrustedProxiesError extends Error {}

/**
 * AUTH_TRUSTED_PROXIES: comma-separated addresses or CIDR ranges of the reverse proxies in
 * front of the app. Empty (the default) trusts none: X-Forwarded-For is ignored.
 */
export function parseTrustedProxies(value: string | undefined): BlockList {
  const list = new BlockList();
  for (const entry of (value ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    const [addrPart, prefixPart, extra] = entry.split("/");
    const addr = normalizeAddress(addrPart ?? "");
    const family = addr ? (isIP(addr) === 6 ? "ipv6" : "ipv4") : null;
    const max = family === "ipv6" ? 128 : 32;
    const prefix = prefixPart === undefined ? max : /^\d{1,3}$/.test(prefixPart) ? Number(prefixPart) : NaN;
    if (!addr || !family || extra !== undefined || !(prefix >= 0 && prefix <= max)) {
      throw new TrustedProxiesError(`AUTH_TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range (e.g. 10.0.0.5 or 10.0.0.0/24)`);
    }
    list.addSubnet(addr, prefix, family);
  }
  return list;
}

let cached: { value: string | undefined; list: BlockList } | undefined;

function trustedProxies(): BlockList {
  const value = env("AUTH_TRUSTED_PROXIES");
  if (!cached || cached.value !== value) cached = { value, list: parseTrustedProxies(value) };
  return cached.list;
}

function isTrusted(list: BlockList, addr: string): boolean {
  return list.check(addr, isIP(addr) === 6 ? "ipv6" : "ipv4");
}

/**
 * The client's address: the socket peer, or, when the peer is a trusted proxy, the rightmost
 * X-Forwarded-For hop not itself a trusted proxy. Null when the peer is unknown (no hook).
 */
export function clientAddress(headers: Headers): string | null {
  const peer = peerAddress(headers);
  if (!peer) return null;
  const proxies = trustedProxies();
  if (!isTrusted(proxies, peer)) return peer;
  const hops = (headers.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(hops[i]);
    if (!hop) break; // a garbled hop: stop at the last address we could believe
    client = hop;
    if (!isTrusted(proxies, hop)) break;
  }
  return client;
}
