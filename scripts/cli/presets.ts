/**
 * `cli presets list | show NAME | export NAME [--out FILE] | import [--file FILE]`:
 * column-mapping presets for "any other CSV", as JSON (lib/import/presets.ts), so a
 * mapping can live in version control. `import` reads a file or standard input, checks
 * every preset first and writes all of them or none.
 */
import fs from "node:fs";
import { getImportPreset, listImportPresets, saveImportPreset } from "@/db/queries/imports";
import { parsePresetFile, toPresetFile } from "@/lib/import/presets";
import { jsonDepthProblem } from "@/lib/json/bounded";
import { describeIssues } from "@/lib/validation/metric";
import { parseCliArgs } from "./args";
import { cliUserLabel, withDb } from "./context";
import { CliError, toCliError } from "./errors";

const HELP = `usage: npm run --silent cli -- presets list
       npm run --silent cli -- presets show NAME
       npm run --silent cli -- presets export NAME [--out FILE]
       npm run --silent cli -- presets import [--file FILE]     (default: standard input)

  A preset is a column mapping for "any other CSV" with the source name and time zone it
  imports under; use one with \`cli import FILE --preset NAME\`. import creates or replaces
  presets by name, all of them or none.`;

/** Presets files are small; a bigger one is a mistake (or not a presets file). */
const MAX_PRESET_FILE_BYTES = 1024 * 1024;

async function readInput(file: string | undefined): Promise<{ text: string; what: string }> {
  if (file) {
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new CliError(`cannot read ${file}: ${code === "ENOENT" ? "no such file" : (code ?? "read failed")}`);
    }
    if (!st.isFile()) throw new CliError(`${file} is not a file`);
    if (st.size > MAX_PRESET_FILE_BYTES) throw new CliError(`${file} is ${st.size} bytes; a presets file is at most ${MAX_PRESET_FILE_BYTES}`);
    return { text: fs.readFileSync(file, "utf8"), what: file };
  }
  if (process.stdin.isTTY) throw new CliError("give --file FILE, or pipe the presets JSON on standard input");
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > MAX_PRESET_FILE_BYTES) throw new CliError(`standard input holds more than ${MAX_PRESET_FILE_BYTES} bytes; a presets file is at most that`);
    chunks.push(chunk as Buffer);
  }
  return { text: Buffer.concat(chunks).toString("utf8"), what: "standard input" };
}

function parsePresetText(text: string, what: string) {
  if (!text.trim()) throw new CliError(`${what} is empty; expected a preset as JSON`);
  const tooDeep = jsonDepthProblem(text);
  if (tooDeep) throw new CliError(`${what} is ${tooDeep}`);
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (err) {
    throw new CliError(`${what} is not valid JSON: ${(err as Error).message.split("\n")[0]}`);
  }
  const parsed = parsePresetFile(raw);
  if (!parsed.success) throw new CliError(`${what} is not a valid preset file; nothing was imported: ${describeIssues(parsed.error, 10)}`);
  return parsed.data;
}

export const command = {
  summary: "list, show, export and import column-mapping presets (JSON)",
  async run(argv: string[]) {
    const { positional, options } = parseCliArgs(argv, { boolean: ["help"], string: ["out", "file"] });
    const [sub, ...rest] = positional;
    if (options.help || !sub) return void console.log(HELP);
    const one = (verb: string) => {
      if (rest.length !== 1) throw new CliError(`presets ${verb} needs one preset NAME`);
      return rest[0];
    };
    const found = (name: string) =>
      withDb((db) => {
        const p = getImportPreset(db, name);
        if (!p) {
          const names = listImportPresets(db).map((x) => x.name);
          throw new CliError(`no preset named "${name}"${names.length ? ` (presets: ${names.join(", ")})` : " (there are none yet)"}`);
        }
        return p;
      }, toCliError);

    switch (sub) {
      case "list": {
        if (rest.length) throw new CliError(`unexpected argument "${rest[0]}"`);
        if (options.out || options.file) throw new CliError("presets list takes no --out or --file");
        const presets = withDb(listImportPresets);
        if (!presets.length) return void console.log("no presets yet: save one in the import page's column mapping, or `presets import --file FILE`");
        for (const p of presets) {
          const m = p.mapping;
          const mapped = Object.values(m.columns).filter((t) => t !== "custom" && t !== "ignore").length;
          console.log(`${p.name}\tsource=${m.source || "csv"}\ttimezone=${m.timezone || "-"}\t${mapped} column(s) mapped\tupdated ${new Date(p.updatedAt).toISOString()}`);
        }
        return;
      }
      case "show": {
        const p = found(one("show"));
        console.log(JSON.stringify({ name: p.name, createdAt: new Date(p.createdAt).toISOString(), createdBy: p.createdBy, updatedAt: new Date(p.updatedAt).toISOString(), mapping: p.mapping }, null, 2));
        return;
      }
      case "export": {
        const p = found(one("export"));
        const text = JSON.stringify(toPresetFile(p.name, p.mapping), null, 2) + "\n";
        if (options.out) {
          try {
            fs.writeFileSync(options.out, text);
          } catch (err) {
            throw new CliError(`cannot write ${options.out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
          }
          console.error(`wrote preset "${p.name}" to ${options.out}`);
        } else process.stdout.write(text);
        return;
      }
      case "import": {
        if (rest.length) throw new CliError(`presets import reads --file FILE or standard input, not "${rest[0]}"`);
        const { text, what } = await readInput(options.file);
        const presets = parsePresetText(text, what);
        const actor = { id: null, label: cliUserLabel() };
        const result = withDb(
          (db) =>
            db.transaction((tx) =>
              presets.map((p) => {
                const existed = !!getImportPreset(db, p.name);
                saveImportPreset(tx, p.name, p.mapping, actor);
                return { name: p.name, existed };
              }),
            ),
          toCliError,
        );
        for (const r of result) console.log(`${r.existed ? "replaced" : "created"} preset "${r.name}"`);
        return;
      }
      default:
        throw new CliError(`unknown presets subcommand "${sub}" (list, show, export, import)`);
    }
  },
};
