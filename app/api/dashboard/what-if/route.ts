import { z } from "zod";
import { getDb } from "@/db/client";
import { previewPolicy } from "@/server/dashboard/data";
import { issuesFromZod, ValidationError } from "@/lib/api/errors";
import { readJsonBody } from "@/lib/api/json-body";
import { withRole } from "@/server/auth/api";
import type { Policy } from "@/lib/metric/types";
import { policySchema } from "@/lib/validation/metric";

export const dynamic = "force-dynamic";

const bodySchema = z.strictObject({ policy: policySchema });

/**
 * POST /api/dashboard/what-if `{ policy }`: the stored data counted under the current
 * policy and under the draft, per quarter, plus the incidents whose counting changes
 * and both policies' blip sensitivity. Read-only; 422 lists every invalid field.
 */
export const POST = withRole("lead", async (req) => {
  const body = await readJsonBody(req, { hint: "send a JSON object { policy }" });
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) throw new ValidationError("policy is invalid", issuesFromZod(parsed.error).map((i) => ({ ...i, field: i.field.replace(/^policy\./, "") })));
  return Response.json(previewPolicy(getDb(), parsed.data.policy as Policy));
});
