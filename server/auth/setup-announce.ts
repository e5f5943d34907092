import "server-only";
import { ensureSetupCode, setupCodeFile } from "./setup-code";

const announced = globalThis as unknown as { __deploySafetySetupAnnounced?: boolean };

/** Prints the setup code to the server's output once per process (the person at the console needs it). */
export function announceSetupCode(): void {
  const code = ensureSetupCode();
  if (announced.__deploySafetySetupAnnounced) return;
  announced.__deploySafetySetupAnnounced = true;
  const file = setupCodeFile();
  console.log(`First-run setup code: ${code}  (enter it at /setup${file ? `; also in ${file}` : ""})`);
}
