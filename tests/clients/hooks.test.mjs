// Automatic memory with the real clients: after `localmem setup <client> --hooks`, Codex (codex exec) and Claude Code
// (claude -p), each pointed at a scripted model on loopback in a throw-away HOME, show a stored decision to the model
// in the first request of a fresh session, with no tool call, and a turn that states a new decision is stored after
// the session ends, with no second model call.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { localmem, withTempDir } from "./common.mjs";
import { startModelServer } from "./model-server.mjs";

const require = createRequire(import.meta.url);
const codex = join(require.resolve("@openai/codex/package.json"), "..", "bin", "codex.js");
// Claude Code's wrapper finds the native binary itself, whether or not npm ran the package's install script.
const claude = join(require.resolve("@anthropic-ai/claude-code/package.json"), "..", "cli-wrapper.cjs");

const stored = "Orders are archived to S3 Glacier after 90 days, never deleted.";
const stated = "We decided to render invoices with Typst instead of LaTeX.";

/** A throw-away HOME with a git project in it, and the environment every process of the test gets. */
function workspace(home, extra) {
  const project = join(home, "shop");
  mkdirSync(project, { recursive: true });
  execFileSync("git", ["init", "-q"], { cwd: project });
  execFileSync("git", ["remote", "add", "origin", "git@github.com:acme/shop.git"], { cwd: project });
  const env = { ...process.env, HOME: home, LOCALMEM_HOME: join(home, ".localmem"), LOCALMEM_DAEMON_IDLE_EXIT: "120s", ...extra };
  delete env.LOCALMEM_USER_ID;
  return { project, env };
}

function run(file, args, { cwd, env }) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      code === 0 ? resolve(out) : reject(new Error(`${file} ${args.join(" ")} exited ${code}\n${out}\n${err}`));
    });
  });
}

/** localmem's memories for the project, once one of them contains `text` (the background inference is done). */
async function waitForMemory(text, ws) {
  for (let i = 0; i < 100; i++) {
    const list = JSON.parse(execFileSync(localmem, ["list", "--json"], { cwd: ws.project, env: ws.env, encoding: "utf8" }));
    if (list.results.some((m) => m.memory.includes(text))) return list.results;
    await sleep(200);
  }
  const events = execFileSync(localmem, ["events"], { cwd: ws.project, env: ws.env, encoding: "utf8" });
  assert.fail(`no memory containing "${text}" after 20 s; events:\n${events}`);
}

async function automaticMemory(client, { configure, session }) {
  await withTempDir(`localmem-hooks-${client}-`, async (home) => {
    const model = await startModelServer();
    const ws = workspace(home, configure(home, model.url));
    try {
      execFileSync(localmem, ["add", stored, "--category", "decision"], { cwd: ws.project, env: ws.env });
      const setup = execFileSync(localmem, ["setup", client, "--hooks", ...(client === "codex" ? ["--trust"] : [])], { env: ws.env, encoding: "utf8" });
      assert.match(setup, /hooks/);

      await session(ws, "Which storage class should the nightly order export write to?");
      const first = model.turns();
      assert.equal(first.length, 1, "one model request for one turn");
      const request = JSON.stringify(first[0].body);
      assert.ok(request.includes(stored), `the stored decision reaches the first request:\n${request.slice(0, 2000)}`);
      assert.ok(!/"(function_call|tool_use)"/.test(request), "no tool call before it");

      await session(ws, stated);
      assert.equal(model.turns().length, 2, "the stop hook asks the model for nothing more");
      const memories = await waitForMemory("Typst", ws);
      const kept = memories.find((m) => m.memory.includes("Typst"));
      assert.equal(kept.project, "github.com/acme/shop");
      assert.equal(kept.app_id, client === "codex" ? "codex" : "claude-code");
    } finally {
      await model.close();
      try { execFileSync(localmem, ["daemon", "stop"], { env: ws.env }); } catch { /* none runs */ }
    }
  });
}

test("Codex: a stored decision reaches the first request through the hooks, and a stated one is kept after the session", () =>
  automaticMemory("codex", {
    configure: (home, url) => {
      const codexHome = join(home, ".codex");
      mkdirSync(codexHome, { recursive: true });
      writeFileSync(join(codexHome, "config.toml"),
        `model = "scripted"\nmodel_provider = "scripted"\n\n[model_providers.scripted]\nname = "scripted"\nbase_url = "${url}/v1"\nwire_api = "responses"\n`);
      return { CODEX_HOME: codexHome };
    },
    session: (ws, prompt) => run(process.execPath, [codex, "exec", "--skip-git-repo-check", prompt], { cwd: ws.project, env: ws.env }),
  }));

test("Claude Code: a stored decision reaches the first request through the hooks, and a stated one is kept after the session", () =>
  automaticMemory("claude", {
    configure: (home, url) => ({ ANTHROPIC_BASE_URL: url, ANTHROPIC_API_KEY: "sk-scripted", CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1" }),
    session: (ws, prompt) => run(process.execPath, [claude, "-p", prompt], { cwd: ws.project, env: ws.env }),
  }));
