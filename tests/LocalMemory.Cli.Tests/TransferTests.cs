namespace LocalMemory.Cli.Tests;

public sealed class TransferTests : IDisposable
{
    private readonly Localmem _laptop = new();
    private readonly Localmem _workstation = new();

    [Fact]
    public async Task Export_import_and_sync_work_from_the_command_line()
    {
        await _laptop.Run("add", "Postgres is the primary database");
        await _laptop.Run("add", "Deploys happen on Tuesdays");
        var file = Path.Combine(_laptop.Home, "backup.jsonl");
        var export = await _laptop.Run("export", "--out", file);
        Assert.Equal(0, export.ExitCode);
        Assert.Contains("exported 2 memories", export.Err, StringComparison.Ordinal);
        Assert.StartsWith("""{"type":"header","format":"localmem-export","format_version":1""", (await File.ReadAllLinesAsync(file))[0], StringComparison.Ordinal);
        Assert.DoesNotContain("embedding", await File.ReadAllTextAsync(file), StringComparison.OrdinalIgnoreCase);

        var imported = await _workstation.Run("import", file, "--json");
        Assert.Equal(2, imported.Json.GetProperty("added").GetInt32());
        Assert.Equal(0, (await _workstation.Run("import", file, "--json")).Json.GetProperty("added").GetInt32());
        Assert.Equal(1, (await _workstation.Run("import", Path.Combine(_laptop.Home, "missing.jsonl"))).ExitCode);

        var shared = Path.Combine(_laptop.Home, "shared");
        await _workstation.Run("add", "Kafka carries domain events");
        Assert.Equal(0, (await _workstation.Run("sync", shared)).ExitCode);
        var synced = await _laptop.Run("sync", shared, "--json");
        Assert.Equal(1, synced.Json.GetProperty("applied").EnumerateObject().Single().Value.GetProperty("added").GetInt32());
        Assert.Equal(3, (await _laptop.Run("list", "--json")).Json.GetProperty("total").GetInt32());
    }

    public void Dispose()
    {
        _laptop.Dispose();
        _workstation.Dispose();
    }
}
