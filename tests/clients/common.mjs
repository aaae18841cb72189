// Shared by the client tests: which localmem to run, and a throw-away data directory.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const localmem = process.env.LOCALMEM_EXE;
if (!localmem) {
  throw new Error("LOCALMEM_EXE must name the localmem executable to test (scripts/test.sh sets it to the built one)");
}

/** Runs body(dir) with a fresh temporary directory, removed afterwards. */
export async function withTempDir(prefix, body) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    return await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
