// The official TypeScript MCP SDK drives `localmem serve`: a client nobody on this project wrote.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { localmem, withTempDir } from "./common.mjs";

async function connect(home) {
  const transport = new StdioClientTransport({
    command: localmem,
    args: ["serve"],
    cwd: home,
    env: { ...process.env, LOCALMEM_HOME: home, LOCALMEM_USER_ID: "dev" },
    stderr: "pipe",
  });
  const client = new Client({ name: "typescript-sdk-test", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

const json = (result) => JSON.parse(result.content.map((c) => c.text).join(""));

test("the TypeScript SDK lists the tools and adds and searches memories", () => withTempDir("localmem-ts-", async (home) => {
  const client = await connect(home);
  try {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name).sort();
    assert.deepEqual(names, [
      "add_memory", "delete_all_memories", "delete_entities", "delete_memory", "get_event_status",
      "get_memories", "get_memory", "list_entities", "list_events", "search_memories", "update_memory",
    ]);
    assert.match(client.getInstructions() ?? "", /search_memories/);

    const added = json(await client.callTool({ name: "add_memory", arguments: { text: "Postgres is the primary database", infer: false } }));
    assert.equal(added.results[0].event, "ADD");
    await client.callTool({ name: "add_memory", arguments: { text: "any() is banned in TypeScript", infer: false } });

    const found = json(await client.callTool({ name: "search_memories", arguments: { query: "What database are we using?" } }));
    assert.equal(found.results[0].memory, "Postgres is the primary database");
    assert.equal(found.results[0].app_id, "typescript-sdk-test");

    const bad = await client.callTool({ name: "search_memories", arguments: { query: "x", filters: { colour: "red" } } });
    assert.equal(bad.isError, true);
    assert.match(bad.content[0].text, /unknown filter field 'colour'/);
  } finally {
    await client.close();
  }
}));
