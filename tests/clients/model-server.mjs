// A scripted model endpoint on loopback for the real clients: it answers every turn with one fixed text, never a
// tool call, and records each request. Codex speaks the Responses API (server-sent events); Claude Code the
// Messages API (streamed when it asks).
import http from "node:http";

export async function startModelServer(reply = "Understood.") {
  const requests = [];
  const server = http.createServer((req, res) => {
    let text = "";
    req.on("data", (chunk) => (text += chunk));
    req.on("end", () => {
      let body = null;
      try { body = JSON.parse(text); } catch { /* not JSON: recorded as is */ }
      requests.push({ url: req.url, body: body ?? text });
      const send = (events) => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        for (const e of events) res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
        res.end();
      };
      const n = requests.length;
      if (req.url.includes("/responses")) {
        send([
          { type: "response.created", response: { id: `resp_${n}` } },
          { type: "response.output_item.done", item: { type: "message", role: "assistant", id: `msg_${n}`, content: [{ type: "output_text", text: reply }] } },
          { type: "response.completed", response: { id: `resp_${n}`, usage: { input_tokens: 1, input_tokens_details: null, output_tokens: 1, output_tokens_details: null, total_tokens: 2 } } },
        ]);
      } else if (req.url.includes("/messages/count_tokens")) {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ input_tokens: 1 }));
      } else if (req.url.includes("/messages")) {
        const message = { id: `msg_${n}`, type: "message", role: "assistant", model: body?.model ?? "model", content: [{ type: "text", text: reply }], stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } };
        if (!body?.stream) {
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(message));
          return;
        }
        send([
          { type: "message_start", message: { ...message, content: [], stop_reason: null } },
          { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
          { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: reply } },
          { type: "content_block_stop", index: 0 },
          { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 1 } },
          { type: "message_stop" },
        ]);
      } else {
        res.writeHead(404).end("{}");
      }
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    /** Requests that asked the model for a turn (not token counts). */
    turns: () => requests.filter((r) => /\/(responses|messages)(\?|$)/.test(r.url)),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
