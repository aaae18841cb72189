// The official TypeScript MCP SDK drives the daemon's /mcp over Streamable HTTP, with the bearer token from the home.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { localmem, withTempDir } from "./common.mjs";

async function waitFor(file) {
  for (let i = 0; i < 300 && !existsSync(file); i++) await sleep(50);
  return readFileSync(file, "utf8").trim();
}

const json = (result) => JSON.parse(result.content.map((c) => c.text).join(""));

test("the TypeScript SDK adds and searches memories over the daemon's Streamable HTTP endpoint", () => withTempDir("localmem-http-", async (home) => {
  const daemon = spawn(localmem, ["daemon", "--http", "127.0.0.1:0", "--idle-exit", "0"], {
    env: { ...process.env, LOCALMEM_HOME: home, LOCALMEM_USER_ID: "dev" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    const url = new URL(`${await waitFor(join(home, "run", "http.url"))}/mcp`);
    const token = await waitFor(join(home, "run", "http.token"));

    const stranger = new Client({ name: "no-token", version: "1.0.0" });
    await assert.rejects(stranger.connect(new StreamableHTTPClientTransport(url)), /401|Unauthorized|token/i);

    const client = new Client({ name: "http-client", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
    try {
      const { tools } = await client.listTools();
      assert.equal(tools.length, 11);
      await client.callTool({ name: "add_memory", arguments: { text: "Deploys go out on Tuesdays", infer: false } });
      const found = json(await client.callTool({ name: "search_memories", arguments: { query: "When do we deploy?" } }));
      assert.equal(found.results[0].memory, "Deploys go out on Tuesdays");
      assert.equal(found.results[0].app_id, "http-client");
    } finally {
      await client.close();
    }
  } finally {
    daemon.kill("SIGTERM");
    await new Promise((resolve) => daemon.once("exit", resolve));
  }
}));
