/**
 * A message as delivery sends it, and its three layouts: Slack blocks, a Microsoft Teams
 * Adaptive Card, and an email's HTML and plain text. Pure: the message is built once when it
 * is queued (server/delivery/digest.ts) and stored in the outbox, so a retry sends the same.
 */

export interface MessageLine {
  text: string;
  /** An absolute link (under the app's public URL); absent when none is known. */
  url?: string | null;
}

export interface DeliveryMessage {
  kind: "test" | "digest" | "report" | "alert";
  /** The email subject and the chat notification's fallback text. */
  subject: string;
  headline: string;
  facts: { label: string; value: string }[];
  sections: { title: string; lines: MessageLine[] }[];
  /** The main link ("Open the dashboard"), when the app's public URL is known. */
  link?: { label: string; url: string } | null;
  /** A closing note (e.g. that links are missing because no public URL is set). */
  note?: string | null;
  /** Email only: attach this report's PDF (the published version, or live when null). */
  attachReport?: { quarter: string; version: number | null } | null;
}

const SLACK_TEXT_MAX = 2900;

/** Slack's mrkdwn escapes: only &, < and > are special. */
function slackEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function slackLine(l: MessageLine): string {
  const text = slackEscape(l.text);
  return l.url ? `<${l.url}|${text.replace(/\|/g, "¦")}>` : text;
}

/** A Slack incoming-webhook body: `text` for notifications, `blocks` for the layout. */
export function toSlackPayload(m: DeliveryMessage): { text: string; blocks: unknown[] } {
  const blocks: unknown[] = [
    { type: "header", text: { type: "plain_text", text: m.subject.slice(0, 150), emoji: false } },
    { type: "section", text: { type: "mrkdwn", text: slackEscape(m.headline).slice(0, SLACK_TEXT_MAX) } },
  ];
  if (m.facts.length) {
    blocks.push({ type: "section", fields: m.facts.slice(0, 10).map((f) => ({ type: "mrkdwn", text: `*${slackEscape(f.label)}*\n${slackEscape(f.value)}` })) });
  }
  for (const s of m.sections) {
    blocks.push({ type: "divider" });
    const body = s.lines.length ? s.lines.map((l) => `• ${slackLine(l)}`).join("\n") : "_none_";
    blocks.push({ type: "section", text: { type: "mrkdwn", text: `*${slackEscape(s.title)}*\n${body}`.slice(0, SLACK_TEXT_MAX) } });
  }
  if (m.link) {
    blocks.push({ type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: m.link.label }, url: m.link.url }] });
  }
  if (m.note) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: slackEscape(m.note) }] });
  return { text: m.subject, blocks };
}

/** A Teams incoming-webhook (Workflows) body: one Adaptive Card. */
export function toTeamsPayload(m: DeliveryMessage): Record<string, unknown> {
  const body: unknown[] = [
    { type: "TextBlock", text: m.subject, weight: "Bolder", size: "Medium", wrap: true },
    { type: "TextBlock", text: m.headline, wrap: true },
  ];
  if (m.facts.length) body.push({ type: "FactSet", facts: m.facts.map((f) => ({ title: f.label, value: f.value })) });
  for (const s of m.sections) {
    body.push({ type: "TextBlock", text: s.title, weight: "Bolder", wrap: true, separator: true });
    const lines = s.lines.length ? s.lines.map((l) => `- ${l.url ? `[${l.text.replace(/[[\]]/g, "")}](${l.url})` : l.text}`).join("\n") : "None.";
    body.push({ type: "TextBlock", text: lines, wrap: true });
  }
  if (m.note) body.push({ type: "TextBlock", text: m.note, isSubtle: true, wrap: true, size: "Small" });
  const card: Record<string, unknown> = { $schema: "http://adaptivecards.io/schemas/adaptive-card.json", type: "AdaptiveCard", version: "1.4", body };
  if (m.link) card.actions = [{ type: "Action.OpenUrl", title: m.link.label, url: m.link.url }];
  return { type: "message", summary: m.subject, attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null, content: card }] };
}

function html(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** An email's subject, plain-text body and HTML body. */
export function toEmail(m: DeliveryMessage): { subject: string; text: string; html: string } {
  const text: string[] = [m.headline, ""];
  for (const f of m.facts) text.push(`${f.label}: ${f.value}`);
  for (const s of m.sections) {
    text.push("", `${s.title}:`);
    if (!s.lines.length) text.push("- none");
    for (const l of s.lines) text.push(`- ${l.text}${l.url ? ` <${l.url}>` : ""}`);
  }
  if (m.link) text.push("", `${m.link.label}: ${m.link.url}`);
  if (m.note) text.push("", m.note);

  const parts: string[] = [
    `<h1 style="font-size:18px;margin:0 0 8px">${html(m.subject)}</h1>`,
    `<p style="margin:0 0 12px">${html(m.headline)}</p>`,
  ];
  if (m.facts.length) {
    parts.push(
      `<table cellpadding="4" style="border-collapse:collapse">${m.facts.map((f) => `<tr><th align="left" style="font-weight:600">${html(f.label)}</th><td>${html(f.value)}</td></tr>`).join("")}</table>`,
    );
  }
  for (const s of m.sections) {
    parts.push(`<h2 style="font-size:15px;margin:16px 0 4px">${html(s.title)}</h2>`);
    parts.push(
      s.lines.length
        ? `<ul>${s.lines.map((l) => `<li>${l.url ? `<a href="${html(l.url)}">${html(l.text)}</a>` : html(l.text)}</li>`).join("")}</ul>`
        : "<p>None.</p>",
    );
  }
  if (m.link) parts.push(`<p><a href="${html(m.link.url)}">${html(m.link.label)}</a></p>`);
  if (m.note) parts.push(`<p style="color:#555;font-size:12px">${html(m.note)}</p>`);
  return { subject: m.subject, text: text.join("\n") + "\n", html: `<!doctype html><html><body style="font-family:sans-serif">${parts.join("\n")}</body></html>` };
}
