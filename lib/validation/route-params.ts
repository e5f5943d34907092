/** zod schemas for dynamic route segments, shared by a segment's layout and its page. */
import { z } from "zod";

/** `/incidents/<id>`: digits only (no sign, exponent, spaces or leading `+`), a positive safe integer. */
export const incidentIdParamSchema = z
  .string()
  .regex(/^\d{1,15}$/)
  .transform(Number)
  .pipe(z.number().int().positive());
