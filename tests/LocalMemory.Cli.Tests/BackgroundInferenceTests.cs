using System.Text.Json;

namespace LocalMemory.Cli.Tests;

/// <summary>Background inference survives kill -9 of the process doing it (the serve, or the daemon): the next one
/// finishes the event.</summary>
public sealed class BackgroundInferenceTests : IDisposable
{
    private readonly Localmem _cli = new();

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_kill_during_background_inference_loses_no_input(bool daemon)
    {
        Skip.If(OperatingSystem.IsWindows(), "kill -9 is a POSIX signal");
        var messages = Enumerable.Range(0, 60)
            .Select(i => new { role = "user", content = $"Service svc-{i} listens on port {9000 + i} and is owned by team-{i % 7}." })
            .ToArray();

        string eventId;
        var timeout = TimeSpan.FromSeconds(60);
        using (var first = McpHarness.StartRaw(_cli.Home, daemon))
        {
            await first.Send(McpHarness.Initialize);
            await first.Response(1, timeout);
            await first.Send(McpHarness.Initialized);
            await first.Send(JsonSerializer.Serialize(new
            {
                jsonrpc = "2.0", id = 2, method = "tools/call",
                @params = new { name = "add_memory", arguments = new { messages, infer = true } },
            }));
            var accepted = JsonDocument.Parse((await first.Response(2, timeout)).GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString()!).RootElement;
            Assert.Equal("PENDING", accepted.GetProperty("status").GetString());
            eventId = accepted.GetProperty("event_id").GetString()!;
            // SIGKILL of the engine, while the model is still loading or the facts are being reconciled
            if (daemon) System.Diagnostics.Process.GetProcessById((await Localmem.DaemonPid(_cli))!.Value).Kill();
            first.Kill();
            await first.WaitForExitAsync();
        }

        var afterKill = await _cli.Run("events", eventId, "--json");
        Assert.True(afterKill.Json.GetProperty("status").GetString() is "PENDING" or "RUNNING", afterKill.Out); // the kill landed mid-way
        Assert.Equal(0, (await _cli.Run("list", "--json")).Json.GetProperty("total").GetInt32()); // nothing half-applied

        await using var second = await McpHarness.Connect(_cli.Home, daemon: daemon);
        JsonElement status = default;
        for (var i = 0; i < 120; i++)
        {
            status = await second.Call("get_event_status", new { event_id = eventId });
            if (status.GetProperty("status").GetString() is "SUCCEEDED" or "FAILED") break;
            await Task.Delay(500);
        }
        Assert.Equal("SUCCEEDED", status.GetProperty("status").GetString());
        Assert.Equal(60, status.GetProperty("results").GetArrayLength());
        Assert.Equal(60, (await second.Call("get_memories", new { page_size = 100 })).GetProperty("total").GetInt32());
    }

    public void Dispose() => _cli.Dispose();
}
