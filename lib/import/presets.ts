/**
 * The file a mapping preset travels in (`cli presets export|import`), so a mapping can live
 * in version control and move between installs. One preset, or a list of them:
 *
 *   { "kind": "deploy-safety.import-preset", "version": 1, "name": "LLM status", "mapping": { ... } }
 *
 * `mapping` is the mapping editor's (generic.ts), including the source name and time zone
 * the preset imports under.
 */
import { z } from "zod";
import { importMappingSchema, type ImportMapping } from "./sources/generic";

export const PRESET_FILE_KIND = "deploy-safety.import-preset";
/** As db/queries/imports.ts checks it. */
export const PRESET_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,79}$/;

export const presetFileEntrySchema = z.strictObject({
  kind: z.literal(PRESET_FILE_KIND, { error: `must be "${PRESET_FILE_KIND}"` }).optional(),
  version: z.literal(1, { error: "must be 1 (the only preset file version)" }).optional(),
  name: z.string({ error: "is required" }).trim().regex(PRESET_NAME_PATTERN, "must be 1–80 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit"),
  mapping: importMappingSchema,
});

/** A list of presets (at most 200), names unique within the file (case-insensitively, as lookups go). */
export const presetListSchema = z
  .array(presetFileEntrySchema)
  .min(1, "the list is empty")
  .max(200, "at most 200 presets in one file")
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((p, i) => {
      const key = p.name.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `"${p.name}" appears twice in the file` });
      seen.add(key);
    });
  });

/**
 * One preset or a list of them, validated as whichever it is (so the issues name the
 * field, not "invalid union").
 */
export function parsePresetFile(raw: unknown): { success: true; data: PresetFileEntry[] } | { success: false; error: z.ZodError } {
  if (Array.isArray(raw)) return presetListSchema.safeParse(raw);
  const one = presetFileEntrySchema.safeParse(raw);
  return one.success ? { success: true, data: [one.data] } : { success: false, error: one.error };
}
export type PresetFileEntry = z.output<typeof presetFileEntrySchema>;

/** What `presets export NAME` writes. */
export function toPresetFile(name: string, mapping: ImportMapping): { kind: string; version: 1; name: string; mapping: ImportMapping } {
  return { kind: PRESET_FILE_KIND, version: 1, name, mapping };
}
