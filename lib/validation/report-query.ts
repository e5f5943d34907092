/** `?version=N | ?view=live|published` on a quarter's report, shared by its layout, page and file route. */
import { z } from "zod";

export const reportQueryFields = {
  version: z.coerce.number({ error: "must be a version number" }).int("must be a whole number").min(1, "must be 1 or more").optional(),
  view: z.enum(["live", "published"], { error: "must be live or published" }).optional(),
};

/** The page's reading: unknown parameters are ignored, and a repeated one counts as absent. */
const reportPageQuerySchema = z.object(reportQueryFields);

type SearchValue = string | string[] | undefined;

/** One value per name, as the page reads it from either `searchParams` or a URL's query. */
export function reportPageQuery(search: URLSearchParams | Record<string, SearchValue>) {
  const one = (name: string): string | undefined => {
    const v: SearchValue = search instanceof URLSearchParams ? search.getAll(name) : search[name];
    if (Array.isArray(v)) return v.length === 1 ? v[0] : undefined;
    return v;
  };
  return reportPageQuerySchema.safeParse({ version: one("version"), view: one("view") });
}
