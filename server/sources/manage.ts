import "server-only";
import type { Db } from "@/db/client";
import type { ImportActor } from "@/db/queries/imports";
import { createSource, getSourceByName, updateSource, viewOf, type SourceView } from "@/db/queries/sources";
import { ConflictError, issuesFromZod, NotFoundError, ValidationError } from "@/lib/api/errors";
import { KIND_INFO, parseScope, sourceSettingsSchema, type SourceSettingsInput } from "@/lib/sources/kinds";
import { sealSourceSecret } from "./secrets";

export interface SaveSourceInput extends SourceSettingsInput {
  /** A new credential; empty or absent keeps the stored one. */
  credential?: string | null;
  /** A new webhook signing secret; empty or absent keeps the stored one. */
  webhookSecret?: string | null;
}

const MAX_SECRET = 4096;

function checkSecret(field: "credential" | "webhookSecret", value: string | null | undefined): string | undefined {
  if (value == null) return undefined;
  const v = value.trim();
  if (!v) return undefined;
  if (v.length > MAX_SECRET) throw new ValidationError("Invalid source", [{ field, message: `is longer than ${MAX_SECRET} characters` }]);
  if (/[\r\n]/.test(v)) throw new ValidationError("Invalid source", [{ field, message: "must be one line" }]);
  return v;
}

/**
 * Creates (no `id`) or updates a source after checking every field (all problems at once),
 * sealing any new secret; returns the view without secrets. A kind that needs a credential
 * must have one when created.
 */
export function saveSource(db: Db, input: SaveSourceInput, actor: ImportActor, opts: { id?: number; databaseUrl?: string; now?: number } = {}): SourceView {
  const parsed = sourceSettingsSchema.safeParse(input);
  const issues = parsed.success ? [] : issuesFromZod(parsed.error);
  let scope: Record<string, unknown> = {};
  if (parsed.success) {
    const s = parseScope(parsed.data.kind, parsed.data.scope);
    if (s.ok) scope = s.scope;
    else issues.push({ field: "scope", message: s.message });
  }
  let credential: string | undefined;
  let webhookSecret: string | undefined;
  try {
    credential = checkSecret("credential", input.credential);
    webhookSecret = checkSecret("webhookSecret", input.webhookSecret);
  } catch (err) {
    if (err instanceof ValidationError) issues.push(...(err.issues ?? []));
    else throw err;
  }
  if (issues.length || !parsed.success) throw new ValidationError("Invalid source", issues);
  const data = parsed.data;
  const info = KIND_INFO[data.kind];
  const sameName = getSourceByName(db, data.name);
  if (opts.id === undefined) {
    if (sameName) throw new ConflictError(`A source named "${data.name}" exists already`);
    if (info.needsCredential && !credential) throw new ValidationError("Invalid source", [{ field: "credential", message: `${info.label} needs an API key or token` }]);
  } else if (sameName && sameName.id !== opts.id) {
    throw new ConflictError(`A source named "${data.name}" exists already`);
  }
  const write = {
    name: data.name,
    kind: data.kind,
    baseUrl: data.baseUrl ?? info.defaultBaseUrl,
    scope,
    everyMinutes: data.everyMinutes,
    enabled: data.enabled,
    ...(credential ? { credential: sealSourceSecret(credential, opts.databaseUrl) } : {}),
    ...(webhookSecret ? { webhookSecret: sealSourceSecret(webhookSecret, opts.databaseUrl) } : {}),
  };
  if (opts.id === undefined) return viewOf(createSource(db, write, actor, opts.now));
  const existing = db.$client.prepare("SELECT id FROM sources WHERE id = ?").get(opts.id);
  if (!existing) throw new NotFoundError(`No source ${opts.id}`);
  return viewOf(updateSource(db, opts.id, write, actor, opts.now));
}
