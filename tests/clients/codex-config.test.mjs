// `localmem setup codex` writes an entry that Codex's own config reader accepts, keeping the other servers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { localmem, withTempDir } from "./common.mjs";

const codex = join(createRequire(import.meta.url).resolve("@openai/codex/package.json"), "..", "bin", "codex.js");

const existing = `# my settings
model = "o4-mini"

[mcp_servers.github]
command = "github-mcp"
args = ["--read-only"]

[profiles.fast]
model = "gpt-5-mini"
`;

function codexMcp(codexHome, ...args) {
  const out = execFileSync(process.execPath, [codex, "mcp", ...args], {
    env: { ...process.env, CODEX_HOME: codexHome },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return JSON.parse(out);
}

test("Codex reads the localmem entry that setup wrote, and the rest of its config is unchanged", () => withTempDir("localmem-codex-", (home) => {
  const codexHome = join(home, "codex-home");
  mkdirSync(codexHome);
  const config = join(codexHome, "config.toml");
  writeFileSync(config, existing);

  execFileSync(localmem, ["setup", "codex", "--config", config], { env: { ...process.env, LOCALMEM_HOME: home } });
  const entry = codexMcp(codexHome, "get", "localmem", "--json");
  assert.equal(entry.transport.type, "stdio");
  assert.equal(entry.transport.command, realpathSync(localmem));
  assert.deepEqual(entry.transport.args, ["serve"]);
  assert.equal(entry.startup_timeout_sec, 20);
  assert.equal(entry.enabled, true);

  const servers = codexMcp(codexHome, "list", "--json").map((s) => s.name).sort();
  assert.deepEqual(servers, ["github", "localmem"]);
  assert.ok(readFileSync(config, "utf8").startsWith(existing), "the old file is kept byte for byte");

  const before = readFileSync(config, "utf8");
  execFileSync(localmem, ["setup", "codex", "--config", config], { env: { ...process.env, LOCALMEM_HOME: home } });
  assert.equal(readFileSync(config, "utf8"), before, "a second run changes nothing");
}));
