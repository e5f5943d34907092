/**
 * A local SMTP server (the `smtp-server` package, nodemailer's authors) that parses every
 * message it receives with `mailparser`, so tests check headers, both bodies and attachments.
 * Loopback only, no TLS; it can require a user name and password, or refuse with a reply code.
 */
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface FakeSmtp {
  port: number;
  mails: ParsedMail[];
  /** Envelope recipients per mail, in order. */
  envelopes: string[][];
  /** Refuse the next messages with this reply (e.g. 451 temporary, 550 permanent). */
  refuse: { code: number; message: string }[];
  close: () => Promise<void>;
}

export async function startFakeSmtp(opts: { user?: string; pass?: string } = {}): Promise<FakeSmtp> {
  const state: FakeSmtp = { port: 0, mails: [], envelopes: [], refuse: [], close: async () => {} };
  const server = new SMTPServer({
    secure: false,
    disabledCommands: opts.user ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    authOptional: !opts.user,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === opts.user && auth.password === opts.pass) cb(null, { user: auth.username });
      else cb(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
    },
    onData(stream, session, cb) {
      const refusal = state.refuse.shift();
      simpleParser(stream)
        .then((mail) => {
          if (refusal) return cb(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
          state.mails.push(mail);
          state.envelopes.push(session.envelope.rcptTo.map((r) => r.address));
          cb();
        })
        .catch(cb);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.port = (server.server.address() as AddressInfo).port;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}
