// Times a cold `localmem serve`: from process start to the answers to initialize, tools/list and the first
// search_memories (model load included). Prints medians and ranges over several runs.
// Usage: node scripts/startup-time.mjs [path/to/localmem (default: ~/.local/bin/localmem)] [runs (default 10)]
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

const exe = process.argv[2] ?? join(homedir(), ".local", "bin", "localmem");
const runs = Number(process.argv[3] ?? 10);
const home = mkdtempSync(join(tmpdir(), "localmem-startup-"));
const env = { ...process.env, LOCALMEM_HOME: home };
for (const fact of ["Postgres is the primary database", "any() is banned in TypeScript", "Auth uses JWT access tokens"]) {
  execFileSync(exe, ["add", fact], { env, cwd: home, stdio: "ignore" });
}

function once() {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const ms = () => Number(process.hrtime.bigint() - start) / 1e6;
    const child = spawn(exe, ["serve"], { env, cwd: home, stdio: ["pipe", "pipe", "ignore"] });
    const times = {};
    const send = (msg) => child.stdin.write(JSON.stringify({ jsonrpc: "2.0", ...msg }) + "\n");
    createInterface({ input: child.stdout }).on("line", (line) => {
      const msg = JSON.parse(line);
      if (msg.id === 1) {
        times.initialize = ms();
        send({ method: "notifications/initialized" });
        send({ id: 2, method: "tools/list" });
        send({ id: 3, method: "tools/call", params: { name: "search_memories", arguments: { query: "What database are we using?" } } });
      } else if (msg.id === 2) {
        times.toolsList = ms();
      } else if (msg.id === 3) {
        times.firstSearch = ms();
        if (msg.result?.isError) reject(new Error(line));
        child.stdin.end();
      }
    });
    child.on("exit", () => (times.firstSearch ? resolve(times) : reject(new Error("serve exited early"))));
    send({ id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "startup-time", version: "1" } } });
  });
}

const results = [];
for (let i = 0; i < runs; i++) results.push(await once());
rmSync(home, { recursive: true, force: true });

const stat = (key) => {
  const v = results.map((r) => r[key]).sort((a, b) => a - b);
  return `${v[Math.floor(v.length / 2)].toFixed(0).padStart(5)} ms  (${v[0].toFixed(0)}–${v[v.length - 1].toFixed(0)})`;
};
console.log(`localmem serve, ${runs} cold starts: ${exe}`);
console.log(`| answer to            | median (range)        |`);
console.log(`|----------------------|-----------------------|`);
console.log(`| initialize           | ${stat("initialize")} |`);
console.log(`| tools/list           | ${stat("toolsList")} |`);
console.log(`| first search_memories| ${stat("firstSearch")} |`);
